"""The table- and regex-driven fast paths give what the plain statements of their rules give.

Each fast path replaced a per-character Python loop; here the loop survives as the
reference, and hypothesis compares the two on text mixing the characters each rule looks at.
"""

from __future__ import annotations

import numpy as np
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.document import Edit
from cleanse.stages.encoding._lm import language_model
from cleanse.stages.encoding._stretches import best_stretch, best_stretches
from cleanse.stages.encoding.latin_mojibake import _CP1252_SPECIALS, _LATIN_SCREEN, _latin_runs
from cleanse.stages.encoding.mojibake import _non_overlapping, _remap, _remap_table
from cleanse.stages.encoding.normalize import _RESTORABLE_MARK
from cleanse.stages.encoding.repair import _shift_all

#: curly quotes, dashes and the ellipsis are shared with English and German: not marks of Chinese text
_CJK_MARKS = {chr(c) for c in (*range(0x3000, 0x3040), *range(0xFF01, 0xFF10), *range(0xFF1A, 0xFF21))}
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _is_cjk(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff"
        or char in _CJK_MARKS
        or "\u3400" <= char <= "\u4dbf"
        or "\uf900" <= char <= "\ufaff"
        or "\U00020000" <= char <= "\U0003ffff"
    )


def _is_foreign_letter(char: str) -> bool:
    """A letter of another script than Han: a mark touching one is in that language's run."""
    return bool(char) and char.isalnum() and not char.isdecimal() and not _is_cjk(char)


def _restores(text: str, position: int) -> bool:
    """The rule, character by character: is the ASCII mark at ``position`` inside Chinese text?"""
    mark = text[position]
    before = text[position - 1] if position else ""
    after = text[position + 1] if position + 1 < len(text) else ""
    if mark == "?":
        return _is_cjk(before) and after != "?" and not ("a" <= after <= "z") and not _is_foreign_letter(after)
    if _is_cjk(before):
        return not _is_foreign_letter(after)
    if not _is_cjk(after) or before in _ASCII_PUNCTUATION or _is_foreign_letter(before):
        return False
    return not (before.isdigit() and mark in ",:" and after.isdigit())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="中文。“”—…，ab1Z2 ,!:;?().-\n\U00020001Жé", max_size=16))
def test_restorable_marks_follow_the_rule(text: str) -> None:
    expected = [i for i, char in enumerate(text) if char in ",!:;?" and _restores(text, i)]
    assert [m.start() for m in _RESTORABLE_MARK.finditer(text)] == expected


_PLAIN_LATIN_RUN = regex.compile(rf"(?:[\u0080-\u00ff{_CP1252_SPECIALS}][\x40-\x7e]?)+")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="中文AbC@~ \n“”—…ÖÐÎÄä¸­æ€‚ƒ„", max_size=30))
def test_latin_runs_are_the_plain_runs_holding_latin1(text: str) -> None:
    expected = [(m.start(), m.end()) for m in _PLAIN_LATIN_RUN.finditer(text) if _LATIN_SCREEN.search(m.group())]
    assert list(_latin_runs(text)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="中文臺灣說話繁體简体鍏ㄥ浗丁薛祥ÖÐ abc，。", max_size=30))
def test_remap_table_translates_like_remap(text: str) -> None:
    for read, written in (("big5", "gb18030"), ("gb18030", "big5")):
        expected = "".join(_remap(char, read, written) or char for char in text)
        assert text.translate(_remap_table(read, written)) == expected


def _edit(start: int, end: int, score: float) -> Edit:
    return Edit(start, end, "x", "test", score)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6), st.floats(0, 10)), max_size=25))
def test_non_overlapping_keeps_the_best_edits_greedily(raw: list[tuple[int, int, float]]) -> None:
    edits = [_edit(start, start + length, score) for start, length, score in raw]
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: -(e.score or 0.0)):
        if all(edit.end <= other.start or edit.start >= other.end for other in chosen):
            chosen.append(edit)
    assert _non_overlapping(edits) == sorted(chosen, key=lambda e: e.start)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(1, 4), st.integers(0, 6)), max_size=8),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=8),
)
def test_spans_shift_through_edits_as_one_by_one(
    raw_edits: list[tuple[int, int, int]], raw_spans: list[tuple[int, int]]
) -> None:
    edits, cursor = [], 0
    for gap, length, replacement in raw_edits:  # sorted, non-overlapping, as a step's edits are
        start = cursor + gap
        edits.append(Edit(start, start + length, "y" * replacement, "test"))
        cursor = start + length
    spans = [(start, start + length, "r") for start, length in raw_spans]
    expected = []
    for start, end, reason in spans:
        new_start, new_end = start, end
        for edit in edits:
            delta = len(edit.after) - (edit.end - edit.start)
            if edit.end <= start:
                new_start += delta
                new_end += delta
            elif edit.start < end:
                new_end += delta
        expected.append((new_start, max(new_start, new_end), reason))
    assert _shift_all(spans, edits) == expected


def test_transitions_from_tables_match_the_terms_they_stand_for() -> None:
    model = language_model()
    words = "中国人民共和国经济发展，。“”——……（）《》abc12"
    codes = np.array([ord(c) for c in words], dtype=np.int64)
    left, right = np.repeat(codes, len(codes)), np.tile(codes, len(codes))
    got = model.transition_logp(left, right, model.unigram_logp(right))
    ids = model.ids(np.concatenate((left, right)))
    left_ids, right_ids = ids[: len(left)], ids[len(left) :]
    for index, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        known_a, known_b = left_ids[index] >= 0, right_ids[index] >= 0
        if known_a and known_b:
            key = (left_ids[index] << 15) | right_ids[index]
            pos = min(int(np.searchsorted(model.keys, key)), len(model.keys) - 1)
            inside = float(model.bigram[pos]) if model.keys[pos] == key else -np.inf
            across = (
                float(model.word_end[left_ids[index]]) + float(np.log(0.85)) + float(model.word_start[right_ids[index]])
            )
            expected = float(np.logaddexp(inside, across))
        elif a == b and chr(a) in "—…":
            expected = float(np.log(0.9))
        elif chr(a) in "，。“”—…（）《》" or chr(b) in "，。“”—…（）《》":
            continue  # punctuation terms: the hand-set prior, checked by the seeds' repairs
        elif chr(a).isascii() and chr(a).isalpha() and chr(b).isascii() and chr(b).isalpha():
            expected = -2.8  # a letter after a letter of the same script (here Latin)
        else:
            expected = -1.6094379 + float(model.unigram_logp(np.array([b]))[0])
        assert abs(float(got[index]) - expected) < 1e-3, (chr(a), chr(b))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 5), max_size=20), min_size=1, max_size=6))
def test_best_stretches_of_many_pieces_are_each_pieces_own(pieces: list[list[int]]) -> None:
    values = np.array([value for piece in pieces for value in piece], dtype=np.float32)
    lengths = np.array([len(piece) for piece in pieces])
    expected = [best_stretch(np.array(piece, dtype=np.float32)) for piece in pieces]
    assert best_stretches(values, lengths) == expected
