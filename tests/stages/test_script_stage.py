"""The ``script`` stage: per-paragraph decisions, span-level log, protected text, idempotence, options."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanse
from cleanse.document import Document, replay
from cleanse.errors import ConfigError
from cleanse.pipeline import Pipeline
from cleanse.stages.script import (
    MIXED_SCRIPT,
    SCRIPT_CONVERTED,
    ScriptConversion,
    detect_script,
    to_simplified,
    to_traditional,
)

TRADITIONAL = "後來，這個國家的經濟發展得很快。"
SIMPLIFIED = "后来，这个国家的经济发展得很快。"


def _run(text: str, **options: object) -> Document:
    return ScriptConversion(**options).process(Document.from_text(text))


def test_converts_only_the_paragraphs_that_need_it() -> None:
    text = f"{SIMPLIFIED}\n\n{TRADITIONAL}\nGDP 5.2%"
    doc = _run(text)
    assert doc.text == f"{SIMPLIFIED}\n\n{SIMPLIFIED}\nGDP 5.2%"
    assert all(change.start > len(SIMPLIFIED) for change in doc.changes)
    summary = doc.metadata["script"]
    assert summary["converted_paragraphs"] == 1
    assert summary["paragraphs"]["label"] == ["simplified", "traditional"]
    assert summary["paragraphs"]["converted"] == [False, True]
    assert summary["config"] == "tw2s"
    assert _run(text, source="standard").metadata["script"]["config"] == "t2s"


def test_the_log_holds_phrase_sized_edits_that_replay_exactly() -> None:
    text = "\n".join([TRADITIONAL, "共 12 項 OK", TRADITIONAL])
    for merge_gap, fewest in ((0, 7), (4, 3)):
        doc = _run(text, merge_gap=merge_gap)
        edits = [change for change in doc.changes if not change.is_verdict]
        assert len(edits) >= fewest
        assert all(change.reason == SCRIPT_CONVERTED for change in edits)
        assert all(len(change.before) < len(TRADITIONAL) for change in edits)
        assert not any(char.isascii() for change in edits for char in change.before)
        assert replay(doc.original or "", doc.changes) == doc.text
    with pytest.raises(ConfigError, match="merge_gap"):
        ScriptConversion(merge_gap=-1)


def test_urls_numbers_and_latin_text_are_untouched() -> None:
    text = "詳見 https://example.com/後來/x?id=1 或 www.gov.cn，電郵 news@example.org，共 1,234.5 萬元 OpenCC。"
    doc = _run(text)
    for kept in ("https://example.com/", "www.gov.cn", "news@example.org", "1,234.5", "OpenCC"):
        assert kept in (doc.text or "")
    assert (doc.text or "").startswith("详见")


def test_running_twice_changes_nothing_the_second_time() -> None:
    doc = _run(f"{TRADITIONAL}\n{SIMPLIFIED}")
    once = doc.text
    again = ScriptConversion().process(doc)
    assert again.text == once
    assert not [c for c in again.changes[len(doc.changes) :] if not c.is_verdict]


def test_mixed_paragraphs_are_flagged_and_converted() -> None:
    doc = _run(SIMPLIFIED + TRADITIONAL)
    verdicts = [change for change in doc.changes if change.is_verdict]
    assert [v.reason for v in verdicts] == [MIXED_SCRIPT]
    assert doc.text == SIMPLIFIED * 2
    kept = _run(SIMPLIFIED + TRADITIONAL, convert_mixed=False)
    assert kept.text == SIMPLIFIED + TRADITIONAL


@pytest.mark.parametrize(
    ("target", "expected"),
    [("traditional", "軟件和鼠標"), ("tw", "軟件和鼠標"), ("twp", "軟體和滑鼠"), ("hk", "軟件和鼠標")],
)
def test_traditional_targets(target: str, expected: str) -> None:
    doc = _run("软件和鼠标", target=target)
    assert doc.text == expected
    assert detect_script(doc.text or "") == "traditional"


def test_a_stray_traditional_name_in_a_simplified_paragraph_is_kept() -> None:
    text = "他们在臺北工作了三年，后来回到上海。"
    assert _run(text).text == text


def test_bad_options_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="target"):
        ScriptConversion(target="klingon")
    with pytest.raises(ConfigError, match="target"):
        ScriptConversion(target="standard")
    with pytest.raises(ConfigError, match="source"):
        ScriptConversion(source="mars")
    with pytest.raises(ConfigError, match="no option"):
        ScriptConversion(variant="tw")


def test_empty_and_textless_documents_pass_through() -> None:
    assert _run("").text == ""
    assert _run("\n\n").changes == []
    assert Pipeline([ScriptConversion()]).process(Document.from_text("abc")).text == "abc"


def test_public_helpers() -> None:
    assert cleanse.to_simplified(TRADITIONAL) == SIMPLIFIED
    assert cleanse.to_traditional(SIMPLIFIED, variant="tw") == to_traditional(SIMPLIFIED, variant="tw")
    assert cleanse.detect_script(TRADITIONAL) == "traditional"
    assert cleanse.detect_script(TRADITIONAL).label == "traditional"
    with pytest.raises(ConfigError):
        to_traditional(SIMPLIFIED, variant="jp")
    with pytest.raises(TypeError):
        to_simplified(b"abc")  # type: ignore[arg-type]


def test_taiwan_forms_read_by_default_and_kept_by_t2s() -> None:
    assert to_simplified("看著他們") == "看着他们"
    assert to_simplified("看著他們", variant="standard") == "看著他们"
    assert to_simplified("著名作家") == "著名作家"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("黨建", "党建"), ("樓宇", "楼宇"), ("發揮", "发挥"), ("瞭解", "了解")],
)
def test_issue_phrases_convert_as_phrases(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified
    sentence = f"街道要充分{traditional}情況，推動工作。"
    assert simplified in _run(sentence).text  # type: ignore[operator]


_HAN_AND_ASCII = st.text(
    alphabet=st.sampled_from(list("後來這個國家經濟發展得很快后来这个国家经济发展党建黨建樓宇楼宇abc 1.\n，。")),
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(_HAN_AND_ASCII)
def test_stage_is_idempotent_and_its_log_is_exact(text: str) -> None:
    doc = _run(text)
    assert replay(text, doc.changes) == doc.text
    assert _run(doc.text or "").text == doc.text


@pytest.mark.parametrize("target", ["traditional", "tw", "twp", "hk"])
@settings(max_examples=25, deadline=None)
@given(text=_HAN_AND_ASCII)
def test_traditional_targets_are_idempotent(target: str, text: str) -> None:
    doc = _run(text, target=target)
    assert replay(text, doc.changes) == doc.text
    assert _run(doc.text or "", target=target).text == doc.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_passes_untouched(text: str) -> None:
    doc = _run(text)
    assert doc.text == text
    assert to_simplified(text) == text == to_traditional(text)


@settings(max_examples=40, deadline=None)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    doc = _run(text)
    assert replay(text, doc.changes) == doc.text


@pytest.mark.parametrize(
    "japanese",
    [
        "副錯覚電池主婦動物溝出演者分割トレーナー職人隠すオークション。",  # kana
        "愛知県西多摩郡奥多摩町月島31丁目9番12号",  # no kana, but 県 is a Japanese-only form
        "広島県の長間にある書店",
    ],
)
def test_japanese_lines_are_not_converted(japanese: str) -> None:
    doc = ScriptConversion().process(Document.from_text(f"{japanese}\n黨建引領發展"))
    assert doc.text == f"{japanese}\n党建引领发展"
    reasons = [c.reason for c in doc.changes if c.start < len(japanese)]
    assert "japanese_kept" in reasons and SCRIPT_CONVERTED not in reasons


def test_japanese_only_forms_leave_out_characters_chinese_writes() -> None:
    from cleanse.stages.script.detection import japanese_only_forms

    forms = japanese_only_forms()
    assert {"県", "広", "覚", "戦", "駅"} <= forms
    assert not {"研", "予", "概", "欠", "萌", "郎", "国", "会", "の"} & forms


def test_a_name_character_whose_simplified_form_is_beyond_the_bmp_is_no_evidence() -> None:
    """暐 simplifies only to 𬀩 (CJK Extension E): Simplified text keeps 暐, so a line holding only it stays."""
    assert cleanse.clean("主持人：薛英暐") == "主持人：薛英暐"
    assert cleanse.clean("獲獎者名單：曾頔、薛英暐。") == "获奖者名单：曾𬱖、薛英𬀩。"  # converted on other evidence
