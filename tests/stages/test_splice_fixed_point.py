"""The splice stage decides on the text as it will be after its own cuts, so running it on its own output
changes nothing (issue 14: ``clean(clean(x)) == clean(x)``)."""

from __future__ import annotations

import pytest

from cleanse.document import Document, replay
from cleanse.stages.splice import SpliceSplitter

AD = "加微信xxx1234领取优惠，点击链接下载app"
LABELS_AD = [{"label": "ad", "action": "drop"}]


def _labels(text: str, labelled: dict[str, str]) -> list[dict[str, object]]:
    """Spam labels for each non-empty line: ``labelled`` maps a line's text to its label, others are article."""
    labels = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            name = labelled.get(line, "article")
            action = {"ad": "drop", "furniture": "set_aside"}.get(name, "keep")
            labels.append({"start": start, "end": start + len(line), "label": name, "action": action})
        start += len(line) + 1
    return labels


def _run(text: str, labelled: dict[str, str]) -> Document:
    doc = Document.from_text(text)
    doc.metadata["line_labels"] = _labels(text, labelled)
    SpliceSplitter(split_documents=False).process(doc)
    assert replay(text, doc.changes) == doc.text
    return doc


def _twice(text: str, labelled: dict[str, str]) -> tuple[str, str]:
    once = _run(text, labelled).text or ""
    twice = _run(once, labelled).text or ""
    return once, twice


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        # a label line before a dropped ad, then a heading: furniture on the first pass, not only the second
        (f"负荷连续攀升\n\n{AD}\n\nสวัสดีครับ\n\n", {AD: "ad"}),
        ("际机场扩\n" + AD + "\n富久町アーバン125\nCafé Mélange", {AD: "ad"}),
        # two label lines in a row before a heading
        (f"专栏\n\n{AD}\n\n视点\n\n城市更新的新探索\n\n本市今年启动了老旧小区改造工作，涉及居民三万户。", {AD: "ad"}),
    ],
)
def test_column_label_decided_on_the_lines_the_stage_keeps(text: str, labelled: dict[str, str]) -> None:
    once, twice = _twice(text, labelled)
    assert once == twice


def test_column_label_before_a_paragraph_is_kept() -> None:
    text = f"专栏\n\n{AD}\n\n本市今年启动了老旧小区改造工作，涉及居民三万户。"
    once, twice = _twice(text, {AD: "ad"})
    assert once.startswith("专栏")
    assert once == twice


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        # a sentence broken across a continuation mark the stage sets aside
        ("高校??生\n\n（上接1版）\n\n部获悉全国高校毕业生规模。", {"（上接1版）": "furniture"}),
        # a sentence broken across a dropped ad
        (
            "本市今年夏季用电负荷创下历史新高，电力部门采取多项措施保\n\n" + AD + "\n\n障居民用电。",
            {AD: "ad"},
        ),
    ],
)
def test_break_across_removed_lines_mended_on_the_first_pass(text: str, labelled: dict[str, str]) -> None:
    once, twice = _twice(text, labelled)
    assert once == twice
    assert "\n" not in once.strip()


def test_heading_is_not_glued_across_a_removed_line() -> None:
    text = f"负荷连续攀升\n\n{AD}\n\n进入七月以来，全市最高用电负荷已经连续五次刷新纪录。"
    once, twice = _twice(text, {AD: "ad"})
    assert once.split("\n")[0] == "负荷连续攀升"
    assert once == twice


def test_numbered_heading_not_glued_onto_the_paragraph_before_it() -> None:
    text = (
        "各地要加强组织领导，确保各项措施落实到位，进一步优化营商环境，全国高校毕业生规模预计达到新高，就业服务工作全面展开"
        "\n\n一、基本情况\n\n教育部获悉全国高校毕业生规模。"
    )
    once, twice = _twice(text, {})
    assert "\n一、基本情况\n" in once
    assert once == twice


def test_a_chain_of_breaks_is_judged_on_what_is_already_joined() -> None:
    """After a fragment is joined to the line before it, the joined line (not the fragment alone) decides
    whether the next break is mended, as a second pass reads it (a fuzzed input of benchmarks/fuzz.py)."""
    text = "GQせ抓HW??皘\n：/'\n用电专家表示市民应将空调温度，覆盖面持续扩，应将空调温度设定在二十六。"
    once, twice = _twice(text, {})
    assert once == twice == text.replace("\n", "")


def test_repeated_heading_judged_on_what_follows_in_the_cleaned_text() -> None:
    """Fuzz input (seed 14): the copies of a heading with an ad line after them and a heading after that. On the
    output (the ad dropped) each copy is followed by a heading, so it is judged that way on the first pass, and
    one copy always stays."""
    text = "第三章 法律责任\n第三章 法律责任\n" + AD + "\n荷花池畔"
    once, twice = _twice(text, {AD: "ad"})
    assert once == twice == "第三章 法律责任\n荷花池畔"


def test_every_copy_of_a_heading_out_of_place_is_not_dropped() -> None:
    text = "第三章 法律责任\n第三章 法律责任\n荷花池畔"
    once, twice = _twice(text, {})
    assert once == twice == "第三章 法律责任\n荷花池畔"


def test_lines_that_joined_would_be_a_short_open_line_are_headings() -> None:
    """Fuzz input (seed 14): two short open lines that mend into a line a second pass reads as a heading (and
    the column label before it as furniture) are headings on the first pass already."""
    text = "电网加紧扩容\n?一步优化？商？境的意\n%;,\n负荷连续攀升"
    once, twice = _twice(text, {})
    assert once == twice
    assert "?一步优化？商？境的意\n%;," in once


def test_repeated_heading_read_past_a_line_its_label_sets_aside() -> None:
    """Fuzz input (seed 14): a credit line the spam stage sets aside stands between the copies of a heading and
    the next heading."""
    text = "（二）主要做法\n（二）主要做法\n责任编辑：张三\n荷花池畔"
    once, twice = _twice(text, {"责任编辑：张三": "furniture"})
    assert once == twice == "（二）主要做法\n荷花池畔"
