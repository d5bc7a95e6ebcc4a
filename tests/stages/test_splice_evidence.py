"""What counts as evidence of another story (issue 14): sub-headed sections of one article are kept, and an
ad label on one line of a section is no evidence against the whole section."""

from __future__ import annotations

from pathlib import Path

import pytest

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


POWER_ARTICLE = [
    "本市今年夏季用电负荷创下历史新高，电力部门采取多项措施保障居民用电，确保电网安全平稳运行。",
    "进入七月以来，全市最高用电负荷已经连续五次刷新纪录，电网多条线路满负荷运行，电力公司增派抢修队伍，"
    "对重点线路和变电站实行二十四小时巡视。",
    "电力公司负责人介绍，今年高温天气来得早、持续时间长，居民空调用电增长迅速，全市电网最高负荷比去年同期增长百分之十二。",
    "昨晚进行的足球联赛中，主队凭借下半场的两个进球以二比一逆转客队，终场哨响后，数万名球迷在看台上高唱队歌，"
    "庆祝球队取得赛季主场首胜，主教练在赛后发布会上称赞队员们顽强拼搏。",
    "为应对用电高峰，电力公司今年新建和改造了二十座变电站，新增变电容量一百万千伏安，并对老旧小区的配电线路进行了集中改造，缓解了供电压力。",
    "能源专家表示，市民应将空调温度设定在二十六度以上，错峰使用大功率电器，共同保障电网用电安全，电力部门也将继续加强负荷监测和调度。",
    "据了解，电力部门还与全市二百多家大型企业签订了错峰用电协议，在用电高峰时段适当调整生产安排，优先保障居民生活用电。",
]
PASTED = POWER_ARTICLE[3]


def test_a_paragraph_of_another_subject_pasted_without_layout_is_cut() -> None:
    doc = SpliceSplitter().process(Document.from_text("\n".join(POWER_ARTICLE), id="x"))
    assert PASTED not in doc.text and POWER_ARTICLE[4] in doc.text
    assert [s["evidence"] for s in doc.metadata["segments"]] == [["lexical_cohesion"]]


def test_a_story_only_its_topic_sets_apart_is_flagged_and_kept_when_the_shift_is_not_clear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Topic alone is the weakest evidence: below a clear change of subject the stage keeps and flags."""
    from cleanse.stages.splice import roles

    monkeypatch.setattr(roles, "TOPIC_ALONE_SHARE", 0.0)  # no change of subject counts as clear
    text = "\n".join(POWER_ARTICLE)
    doc = SpliceSplitter().process(Document.from_text(text, id="x"))
    assert doc.text == text
    assert [s["evidence"] for s in doc.metadata["segments"]] == [["lexical_cohesion", "kept:topic_only"]]
    assert "emit" not in doc.metadata or not doc.metadata["emit"]
    cut = SpliceSplitter(cut_on_topic_alone=True).process(Document.from_text(text, id="x"))
    assert PASTED not in cut.text
