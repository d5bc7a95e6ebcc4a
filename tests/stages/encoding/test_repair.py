"""Golden cases for repair_encoding, and invariants of the stage's change log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanse
from cleanse.document import Document, replay
from cleanse.stages.encoding import EncodingOptions, EncodingRepair, repair_and_explain, repair_encoding

CASES = json.loads((Path(__file__).parents[2] / "data" / "encoding" / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_golden_case(case: dict[str, str]) -> None:
    assert repair_encoding(case["input"]) == case["expected"]
    assert cleanse.repair_encoding(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_stage_log_replays_to_output(case: dict[str, str]) -> None:
    doc = EncodingRepair().process(Document.from_text(case["input"]))
    assert doc.text == case["expected"]
    assert replay(doc.original or "", doc.changes) == doc.text


def test_every_step_has_a_reason_and_span() -> None:
    plan = repair_and_explain("他说ÖÐÎÄ很重要,網(wǎng)站(zhàn)")
    reasons = {edit.reason for _, edits in plan.steps for edit in edits}
    assert reasons == {"cjk_mojibake", "pinyin_annotation", "fullwidth_punctuation"}


def test_unrecoverable_damage_is_flagged_not_guessed() -> None:
    text = "报道\ufffd\ufffd称锟斤拷锟斤拷，烫烫烫烫，问题??所在"
    doc = EncodingRepair().process(Document.from_text(text))
    assert doc.text == text
    flagged = {(c.before, c.reason) for c in doc.changes if c.is_verdict}
    assert ("\ufffd\ufffd", "replacement_character") in flagged
    assert ("锟斤拷锟斤拷", "replacement_bytes_read_as_gbk") in flagged
    assert ("烫烫烫烫", "uninitialised_memory") in flagged
    assert ("??", "unexplained_question_marks") in flagged


def test_options_switch_fixers_off() -> None:
    text = "網(wǎng)站,首頁"
    assert repair_encoding(text, strip_pinyin=False, restore_fullwidth_punctuation=False) == text
    assert EncodingRepair(strip_pinyin=False).options == EncodingOptions(strip_pinyin=False)


def test_bad_options_and_input_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="min_gain"):
        EncodingOptions(min_gain=-1)
    with pytest.raises(TypeError, match="decode"):
        repair_encoding(b"bytes")  # type: ignore[arg-type]


def test_long_single_line_is_linear() -> None:
    line = ("全国人民团结奋斗,建设美好家园。" * 4000) + "鍏ㄥ浗浜烘皯"
    out = repair_encoding(line)
    assert out.endswith("全国人民")
    assert out.count("，") == 4000


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("中文全国人民的?,:;()（）“”ÖÐÎÄä¸­鍏ㄥ浗\ufffd a1.\n\u200b&#;wǎng"), max_size=60)
)
def test_any_text_repairs_without_error_and_log_replays(text: str) -> None:
    doc = EncodingRepair().process(Document.from_text(text))
    assert replay(doc.original or "", doc.changes) == doc.text
    assert repair_encoding(text) == doc.text


def test_segments_cover_long_text_exactly() -> None:
    from cleanse.stages.encoding.repair import SEGMENT_LENGTH, _segments

    text = ("全国人民团结奋斗,建设美好家园。" * (SEGMENT_LENGTH // 6)) + "尾"
    spans = _segments(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(0 < end - start <= SEGMENT_LENGTH for start, end in spans)
    assert all(text[end - 1] == "。" for _, end in spans[:-1])


def test_fullwidth_marks_are_logged_one_change_each_and_replay() -> None:
    """Fullwidth restoration travels as rows, not Edit objects: the log still holds one change per mark."""
    text = "他说,今天(周一)天气好:晴!\n" * 200 + "（站）,统一"
    plan = repair_and_explain(text)
    (name, edits), *_ = [step for step in plan.steps if step[0] == "fullwidth_punctuation"]
    assert [(e.start, e.end, e.after, e.reason) for e in edits[:2]] == [
        (2, 3, "，", "fullwidth_punctuation"),
        (5, 6, "（", "fullwidth_punctuation"),
    ]
    doc = EncodingRepair().process(Document.from_text(text))
    changes = [c for c in doc.changes if c.reason == "fullwidth_punctuation"]
    assert len(changes) == len(edits) == 5 * 200 + 1
    assert all(len(c.before) == len(c.after) == 1 for c in changes)
    assert replay(doc.original or "", doc.changes) == doc.text == plan.text
