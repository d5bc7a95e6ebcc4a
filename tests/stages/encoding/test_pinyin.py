"""Pinyin annotations of one or several syllables: removed only when every syllable reads its character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.stages.encoding import repair_encoding
from cleanse.stages.encoding.pinyin import PINYIN_ANNOTATION, strip_pinyin_annotations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他们对质量提出了新要求(yāo qiú)，大家都同(tóng)意。", "他们对质量提出了新要求，大家都同意。"),
        ("本报记者王明(wáng míng)报道，李浩(lǐ hào)摄影", "本报记者王明报道，李浩摄影"),
        ("城市交通網(wǎng)絡(luò)正在完善", "城市交通網絡正在完善"),
        ("这座桥梁(qiáo liáng)连接两岸(liǎng àn)", "这座桥梁连接两岸"),
    ],
)
def test_annotations_that_read_their_characters_are_removed(text: str, expected: str) -> None:
    assert repair_encoding(text, restore_fullwidth_punctuation=False) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本报记者王明(wáng míng)报道",
        "这座桥梁(qiáo liáng)连接两岸",
        "他叫张喆(zhé)，是一名工程师。",
        "他们对质量提出了新要求(yāo qiú)，大家都同意。",
    ],
)
def test_a_single_gloss_is_the_writers_and_stays(text: str) -> None:
    """A converter annotates many characters; one gloss of a name or word is text, kept."""
    assert strip_pinyin_annotations(text) == []
    assert repair_encoding(text, restore_fullwidth_punctuation=False) == text


@pytest.mark.parametrize(
    "text",
    [
        "本报记者王明(wáng mǐng)报道",  # the second syllable is no reading of its character
        "本报记者王明(wang ming)报道",  # no tones: not a reading in the table
        "好(hǎo hǎo)学习",  # two syllables, one character before them
        "会议通过了决议(试行)。",
        "请见附表(table one)。",
        "(记者 王明)",
        "他生于(1985)年",
    ],
)
def test_real_parentheses_stay(text: str) -> None:
    assert strip_pinyin_annotations(text) == []


def test_one_edit_per_annotation_with_what_it_read() -> None:
    edits = strip_pinyin_annotations("提出要求(yāo qiú)和建议(jiàn yì)")
    assert [(e.start, e.end, e.after, e.reason) for e in edits] == [
        (4, 13, "", PINYIN_ANNOTATION),
        (16, 25, "", PINYIN_ANNOTATION),
    ]
    assert edits[0].evidence == ("要求", "yāo qiú")


@given(st.text(alphabet="要求王明好学(). yāoqiúwángmínghǎo", max_size=40))
def test_removal_only_deletes_parenthesised_letters(text: str) -> None:
    for edit in strip_pinyin_annotations(text):
        removed = text[edit.start : edit.end]
        assert edit.after == ""
        assert removed.startswith("(") and removed.endswith(")")
        assert "(" not in removed[1:-1] and ")" not in removed[1:-1]
