"""What counts as evidence of another story (issue 14): sub-headed sections of one article are kept, and an
ad label on one line of a section is no evidence against the whole section."""

from __future__ import annotations

from pathlib import Path

from cleanse.document import Document
from cleanse.stages.splice import SpliceSplitter
from cleanse.stages.splice.layout import Kind, classify
from cleanse.stages.splice.roles import (
    has_evidence_of_another_story,
    is_closing_section,
    is_headed_section,
    labelled_ad_share,
)
from cleanse.stages.splice.segmenter import Analysis, analyse

SECTIONS = [
    (
        "第一章 总则",
        [
            "第一条 为了规范城市供水管理，保障居民生活用水，制定本条例。",
            "第二条 本条例适用于本市行政区域内城市供水的规划、建设和管理。",
            "第三条 城市供水行政主管部门负责本市城市供水的监督管理工作。",
        ],
    ),
    (
        "第四条 供水企业应当建立下列设施:",
        [
            "（一）水质检测实验室和在线监测仪表；",
            "（二）加氯消毒间和药剂储存仓库；",
            "（三）备用发电机组和应急抢修车辆；",
        ],
    ),
    (
        "第二章 供水设施",
        [
            "第五条 城市供水行政主管部门应当会同有关部门编制城市供水专项规划。",
            "第六条 城市供水设施的建设应当符合城市供水专项规划。",
            "第七条 城市供水企业应当定期检修供水设施，保障城市供水安全。",
        ],
    ),
]


def _page(sections: list[tuple[str, list[str]]]) -> str:
    return "\n\n".join("\n\n".join([heading, *paragraphs]) for heading, paragraphs in sections)


def _with_middle_story(analysis: Analysis, paragraphs: list[str]) -> set[int]:
    """Mark the units holding ``paragraphs`` as story 1 (the rest stays story 0) and return their numbers."""
    texts = ["\n".join(analysis.lines[i].text for i in unit) for unit in analysis.units]
    units = {k for k, text in enumerate(texts) if text in paragraphs}
    analysis.unit_story = [1 if k in units else 0 for k in range(len(analysis.units))]
    analysis.line_story = [0] * len(analysis.lines)
    for k in units:
        for i in analysis.units[k]:
            analysis.line_story[i] = 1
    return units


def test_heading_opened_stretch_inside_the_article_is_a_section() -> None:
    analysis = analyse(_page(SECTIONS), None)
    units = _with_middle_story(analysis, SECTIONS[1][1])
    assert len(units) == 3
    assert is_headed_section(analysis, units, main=0)
    assert not has_evidence_of_another_story(analysis, 1, {1: ("heading", "lexical_cohesion")}, main=0)


def test_short_headed_brief_where_the_article_resumes_without_a_heading_is_not_a_section() -> None:
    brief = ("市民热线开通", ["本市今天开通节水咨询热线，市民可以拨打电话了解节水知识。"])
    sections = [SECTIONS[0], brief, ("", SECTIONS[2][1])]
    analysis = analyse(_page(sections).replace("\n\n\n\n", "\n\n"), None)
    units = _with_middle_story(analysis, brief[1])
    assert len(units) == 1
    assert not is_headed_section(analysis, units, main=0)


def test_stretch_at_the_end_of_the_page_is_not_a_section_by_this_rule() -> None:
    analysis = analyse(_page(SECTIONS), None)
    units = _with_middle_story(analysis, SECTIONS[2][1])
    assert not is_headed_section(analysis, units, main=0)


def test_ad_label_on_one_line_is_no_evidence_against_its_section() -> None:
    text = _page(SECTIONS)
    analysis = analyse(text, None)
    _with_middle_story(analysis, SECTIONS[1][1])
    members = [i for i, story in enumerate(analysis.line_story) if story == 1]
    analysis.labels[members[0]] = {"start": analysis.lines[members[0]].start, "label": "ad", "action": "drop"}
    assert labelled_ad_share(analysis, members) < 0.5
    for i in members:
        analysis.labels[i] = {"start": analysis.lines[i].start, "label": "ad", "action": "drop"}
    assert labelled_ad_share(analysis, members) == 1.0
    assert has_evidence_of_another_story(analysis, 1, {1: ("lexical_cohesion",)}, main=0)


DEV = Path(__file__).resolve().parent.parent / "data" / "articles" / "tune"


def test_closing_section_under_a_sub_heading_is_a_section() -> None:
    analysis = analyse(_page(SECTIONS), None)
    units = _with_middle_story(analysis, SECTIONS[2][1])
    assert is_closing_section(analysis, units, main=0)


def test_closing_story_under_a_title_and_a_byline_is_not_a_section() -> None:
    story = ("本市开通节水咨询热线 市民可以拨打电话了解节水知识", ["本报记者 李明", *SECTIONS[2][1]])
    analysis = analyse(_page([SECTIONS[0], SECTIONS[1], story]), None)
    units = _with_middle_story(analysis, SECTIONS[2][1])
    assert not is_closing_section(analysis, units, main=0)


def test_closing_story_under_a_longer_title_than_any_sub_heading_is_not_a_section() -> None:
    title = ("全市供水设施专项检修工作本月全面展开", SECTIONS[2][1])
    analysis = analyse(_page([SECTIONS[0], SECTIONS[1], title]), None)
    units = _with_middle_story(analysis, SECTIONS[2][1])
    assert not is_closing_section(analysis, units, main=0)


def test_common_word_heading_is_not_a_bare_name_byline() -> None:
    assert classify("背景", False) is Kind.COLUMN
    assert classify("答疑", False) is Kind.COLUMN
    assert classify("韩雪", False) is Kind.BYLINE
    assert classify("陈立新", False) is Kind.BYLINE


def test_development_articles_with_a_closing_explainer_are_kept_whole() -> None:
    """Articles written for issue 14 (tests/data/articles/tune/dev_*.txt): a closing explainer, Q&A, background
    or ``典型意义`` section under its own sub-heading, with vocabulary of its own, stays in the article."""
    stage = SpliceSplitter(use_spam_labels=False)
    files = sorted(DEV.glob("dev_*.txt"))
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        kept = stage.process(Document.from_text(text)).text or ""
        assert "".join(kept.split()) == "".join(text.split()), path.name
