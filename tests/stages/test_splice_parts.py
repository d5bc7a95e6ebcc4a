"""The parts of the splice stage: layout cues, mending, cohesion, edits; invariants with hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.document import Document, replay
from cleanse.errors import ConfigError
from cleanse.stages.splice import SpliceSplitter, split_articles
from cleanse.stages.splice.cohesion import bigram_vectors, segment, similarity, texttiling
from cleanse.stages.splice.layout import Kind, classify, core_text, split_lines
from cleanse.stages.splice.mending import common_words, should_mend


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("新华社北京3月5日电", Kind.DATELINE),
        ("（新华社上海十二月一日电）", Kind.DATELINE),
        ("(上接2版)", Kind.CONTINUATION),
        ("（下转第三版）", Kind.JUMP),
        ("(下轉A2版)", Kind.JUMP),
        ("本报记者 王小明", Kind.BYLINE),
        ("张三", Kind.BYLINE),
        ("浙江省安吉县——", Kind.KICKER),
        ("……", Kind.ELLIPSIS),
        ("李四摄(新华社)", Kind.PHOTO_CREDIT),
        ("[责任编辑:赵五]", Kind.CREDIT),
        ("来源:某某日报", Kind.NOTICE),
        ("首页 > 新闻 > 正文", Kind.CHROME),
        ("时评天地", Kind.COLUMN),
        ("乡村道路修到了家门口", Kind.HEADING),
        ("今天，全县的乡村道路全部通车。", Kind.BODY),
    ],
)
def test_layout_kinds(line: str, kind: Kind) -> None:
    assert classify(core_text(line), markup_heading=False) is kind


def test_jump_mark_closes_the_story_before_it_and_the_next_story_is_not_a_continuation() -> None:
    page = (
        "全县冬小麦播种基本结束\n"
        "本报讯 连日来，全县各乡镇抢抓农时播种冬小麦，农技人员深入田间地头指导。\n"
        "县农业农村局表示，今年冬小麦播种面积稳中有增，苗情总体较好。\n"
        "（下转第四版）\n"
        "老年大学新学期开课\n"
        "本报讯 日前，县老年大学新学期开课，开设书法、舞蹈、摄影等十二个班级。\n"
        "学员们表示，在这里学到了知识，结交了朋友，晚年生活更加充实。\n"
    )
    segments = split_articles(page)
    jump = next(s for s in segments if "下转" in s.text)
    assert jump.text.strip() == "（下转第四版）"
    assert jump.role == "furniture"
    after = next(s for s in segments if "老年大学" in s.text)
    assert after.start > jump.start
    assert after.role == "off_topic"


def test_markdown_marks_make_a_heading_and_are_stripped() -> None:
    (line,) = split_lines("## 新的一年开始了\n")
    assert line.kind is Kind.HEADING and line.core == "新的一年开始了" and line.markup_heading


def test_lines_keep_exact_offsets_and_numbers() -> None:
    text = "\n标题\n\n正文一句。\r\n  \n第二段。"
    lines = split_lines(text)
    assert [line.index for line in lines] == [1, 3, 5]
    assert all(text[line.start : line.end] == line.text for line in lines)


def _line(text: str):  # type: ignore[no-untyped-def]
    return split_lines(text)[0]


def test_mend_needs_evidence_and_never_glues_a_heading() -> None:
    assert should_mend(_line("这项工作由县里统一部署，各乡镇抓好落实，确"), _line("保今年年底前全部完成。"))
    assert not should_mend(_line("乡村道路修到了家门口"), _line("今年，全县新修道路一百公里。"))
    assert not should_mend(_line("全县新修道路一百公里。"), _line("今年还要再修五十公里。"))
    assert not should_mend(_line("改革开放再出发——"), _line("今年，全县新修道路一百公里。"))
    assert not should_mend(_line("（Ａ、Ｂ）"), _line("他强调，要把工作深入到基层去，解决群众关心的问题。"))
    assert not should_mend(_line("（图一、图二）"), _line("她说，这些照片拍摄于去年冬天，记录了村里的变化。"))
    assert "确保" in common_words()


def test_cohesion_vectors_are_normalised_and_separate_topics() -> None:
    paragraphs = [
        "足球比赛今天开始，足球队员入场。",
        "足球队员表现很好，足球比赛精彩。",
        "银行利率调整，银行贷款增加。",
    ]
    text = "\n".join(paragraphs)
    spans, start = [], 0
    for paragraph in paragraphs:
        spans.append([(start, start + len(paragraph))])
        start += len(paragraph) + 1
    gram = similarity(bigram_vectors(text, spans))
    assert np.all(np.diagonal(gram) <= 1.0 + 1e-6)  # normalised over all bigrams, shared ones kept
    assert gram[0, 1] > gram[0, 2] and gram[0, 1] > gram[1, 2]


def test_segment_respects_forced_and_forbidden_gaps() -> None:
    gram = np.eye(4)
    assert segment(gram, [float("inf")] * 3) == []
    assert segment(gram, [-1.0, float("inf"), float("inf")]) == [1]
    with pytest.raises(ValueError):
        segment(gram, [0.0])
    assert texttiling(np.eye(2)) == []


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError):
        SpliceSplitter(no_such_option=True)
    assert SpliceSplitter(split_documents=True).options.split_documents


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        split_articles(b"bytes")  # type: ignore[arg-type]
    assert split_articles("") == []
    doc = Document.from_text("   \n\n")
    assert SpliceSplitter().process(doc).text == "   \n\n" and doc.kept


def test_every_cut_is_logged_with_a_reason() -> None:
    text = "广场新建成\n\n新建的广场今天对外开放，市民纷纷前来游玩。\n\n(上接1版)\n\n会议讨论了明年的预算安排。"
    doc = SpliceSplitter().process(Document.from_text(text))
    assert doc.text == "广场新建成\n\n新建的广场今天对外开放，市民纷纷前来游玩。"
    assert replay(text, doc.changes) == doc.text
    assert {c.reason for c in doc.changes if not c.is_verdict} == {"cut_continuation", "collapse_gap"}
    assert [c.reason for c in doc.changes if c.is_verdict] == ["segment:continuation"]
    assert doc.metadata["segments"][0]["role"] == "continuation"


PIECES = st.sampled_from(
    [
        "乡村道路修到了家门口",
        "今天，全县的乡村道路全部通车，村民出行更方便了。",
        "新华社北京3月5日电",
        "(上接1版)",
        "本报记者 王小明",
        "浙江省安吉县——",
        "……",
        "银行贷款利率下调，咨询电话：12345678。",
        "这项工作由县里统一部署，各乡镇抓好落实，确",
        "保今年年底前全部完成。",
        "  ",
        "Plain ASCII line",
        "## 标题",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, max_size=14), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_invariants_on_arbitrary_pages(pieces: list[str], newline: str) -> None:
    text = newline.join(pieces)
    segments = split_articles(text, labels=[])
    cursor = 0
    for piece in segments:
        assert piece.text == text[piece.start : piece.end]
        assert piece.start >= cursor and 0.0 <= piece.score <= 1.0
        cursor = piece.end
    doc = SpliceSplitter(split_documents=True).process(Document.from_text(text))
    assert replay(text, doc.changes) == doc.text
    again = SpliceSplitter().process(Document.from_text(doc.text or "")) if doc.kept else None
    if again is not None and again.text:
        assert len(again.text) <= len(doc.text or "")


def test_long_pages_are_segmented_window_by_window() -> None:
    paragraphs = [f"第{n}段，今天全县的乡村道路全部通车，村民出行更方便了。" for n in range(900)]
    text = "\n\n".join(paragraphs) + "\n\n(上接1版)\n\n会议讨论了明年的预算安排，代表们发言踊跃。"
    roles = [segment.role for segment in split_articles(text, labels=[])]
    assert roles == ["main", "continuation"]
