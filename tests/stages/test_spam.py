"""SpamLabeller: verdicts, actions per label, deferred actions, whole-document drops and options."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse import Pipeline
from cleanse.document import Document, replay
from cleanse.errors import ConfigError
from cleanse.stages.spam import SpamLabeller, SpamOptions, label_lines, labels_match, line_actions, set_aside_entries

PAGE = "\n".join(
    [
        "网站首页 | 网站地图",
        "首页 > 要闻 > 正文",
        "新学期开始了,学生们陆续回到校园,开始新一年的学习生活。",
        "本报记者 王明",
        "学校为新生准备了丰富的入学教育活动,帮助他们尽快适应校园生活。",
        "(责任编辑:李华)",
        "版权所有 © 2023 某某网 未经授权不得转载",
    ]
)
ARTICLE_TEXT = (
    "新学期开始了,学生们陆续回到校园,开始新一年的学习生活。\n"
    "学校为新生准备了丰富的入学教育活动,帮助他们尽快适应校园生活。\n"
)


def run(text: str, **options) -> Document:
    return SpamLabeller(**options).process(Document.from_text(text, id="d"))


def test_default_actions_drop_junk_and_set_aside_credits() -> None:
    doc = run(PAGE)
    assert doc.kept
    assert doc.text == ARTICLE_TEXT
    assert [(e["label"], e["text"]) for e in doc.metadata["set_aside"]] == [
        ("credit", "本报记者 王明"),
        ("credit", "(责任编辑:李华)"),
    ]
    reasons = [c.reason for c in doc.changes if not c.is_verdict]
    assert reasons == ["drop:chrome", "drop:chrome", "set_aside:credit", "set_aside:credit", "drop:notice"]
    verdicts = [c.reason for c in doc.changes if c.is_verdict]
    assert verdicts == ["label:chrome", "label:chrome", "label:credit", "label:credit", "label:notice"]
    assert replay(doc.original or "", doc.changes) == doc.text


def test_line_labels_record_every_line_with_its_action() -> None:
    doc = run(PAGE, defer_actions=True)
    records = doc.metadata["line_labels"]
    assert [(r["label"], r["action"]) for r in records] == [
        ("chrome", "drop"),
        ("chrome", "drop"),
        ("article", "keep"),
        ("credit", "set_aside"),
        ("article", "keep"),
        ("credit", "set_aside"),
        ("notice", "drop"),
    ]
    for record in records:
        assert {"start", "end", "label", "score", "action"} <= set(record)
        assert 0 <= record["score"] <= 1


def test_deferred_actions_leave_the_text_and_line_actions_apply_them_later() -> None:
    doc = run(PAGE, defer_actions=True)
    assert doc.text == PAGE
    assert labels_match(doc)
    assert [e["text"] for e in set_aside_entries(doc)] == ["本报记者 王明", "(责任编辑:李华)"]
    doc.apply("splice", line_actions(doc))
    assert doc.text == ARTICLE_TEXT
    assert not labels_match(doc)
    with pytest.raises(ValueError, match="line labels"):
        line_actions(doc)


def test_flag_and_keep_actions_keep_the_text() -> None:
    doc = run(PAGE, chrome_action="flag", notice_action="keep", credit_action="keep")
    assert doc.text.splitlines() == [PAGE.splitlines()[i] for i in (0, 1, 2, 3, 4, 5, 6)]
    verdicts = [c.reason for c in doc.changes if c.is_verdict]
    assert verdicts == ["label:chrome", "label:chrome"]


def test_a_piece_cut_from_a_line_takes_its_leading_space_and_keeps_the_newline() -> None:
    first = "社区组织志愿者开展清洁活动,居民们纷纷参与,环境面貌焕然一新。"
    second = "第二段内容也很重要,记者进行了深入采访。"
    text = f"{first} 本文来源于某某网 |\n{second}"
    doc = run(text)
    assert doc.text == f"{first}\n{second}"


def test_mostly_spam_document_is_dropped() -> None:
    spam = "澳门葡京娱乐城,真人百家乐,注册送彩金,老虎机,体育投注,首存优惠,时时彩,六合彩"
    doc = run(f"{spam}\n{spam}\n今天天气很好。")
    assert doc.status == "dropped"
    assert doc.status_stage == "spam"
    assert doc.status_reason.startswith("mostly_spam")


def test_a_little_spam_does_not_drop_the_document() -> None:
    spam = "澳门葡京娱乐城,真人百家乐,注册送彩金,老虎机"
    doc = run(f"{spam}\n{ARTICLE_TEXT * 3}")
    assert doc.kept
    assert spam not in doc.text


def test_threshold_turns_weak_verdicts_into_article() -> None:
    doc = run("购物吧\n" + ARTICLE_TEXT, threshold=0.9)
    assert doc.text.startswith("购物吧")


def test_extra_words_from_options() -> None:
    line = "某某牌电热水壶 厨房好帮手"
    assert run(line).text == line
    assert run(line, extra_words={"ad": ["好帮手", "电热水壶"]}).text == ""


@pytest.mark.parametrize(
    "overrides",
    [{"ad_action": "delete"}, {"threshold": 2}, {"extra_words": {"junk": ["x"]}}, {"extra_words": [("ad",)]}],
)
def test_bad_options_raise_config_error(overrides: dict) -> None:
    with pytest.raises(ConfigError):
        SpamLabeller(**overrides)


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no option"):
        SpamLabeller(colour="red")


def test_options_are_frozen_and_hashable_for_caching() -> None:
    options = SpamOptions(extra_words={"ad": "团购"})
    assert options.extra_words == (("ad", "团购"),)
    hash(options)


def test_pipeline_config_reaches_the_stage() -> None:
    pipeline = Pipeline.from_config({"stages": ["spam"], "spam": {"credit_action": "keep"}})
    doc = pipeline.process(Document.from_text(PAGE, id="p"))
    assert "本报记者 王明" in doc.text
    assert "网站首页" not in doc.text


def test_document_without_text_is_refused() -> None:
    with pytest.raises(ValueError, match="no text"):
        SpamLabeller().process(Document.from_bytes(b"abc"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PAGE.splitlines() + ["", " ", "……", "百家乐,娱乐城,彩金,老虎机"]), max_size=15))
def test_replaying_the_log_reproduces_the_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    doc = run(text)
    if doc.kept:
        assert replay(text, doc.changes) == doc.text
        kept_lines = [line for line in doc.text.split("\n") if line.strip()]
        assert all(line in text.split("\n") for line in kept_lines)


def test_ads_can_count_towards_dropping_the_document() -> None:
    ad = "无抵押信用贷款,最快当天放款,额度高达50万元,详情咨询客服。"
    text = f"{ad}\n{ad}\n今天天气很好。"
    assert run(text).kept
    doc = run(text, drop_document_labels=["spam", "ad"])
    assert doc.status == "dropped"
    assert doc.status_reason.startswith("mostly_spam")


def test_a_document_left_without_text_is_dropped() -> None:
    doc = run("首页 > 新闻 > 正文\n版权所有 © 2023 某某网", drop_document_share=1.0)
    assert doc.status == "dropped"
    assert doc.status_reason == "no_article_text"


def test_stage_pickles_for_worker_processes() -> None:
    import pickle

    stage = SpamLabeller(extra_words={"ad": ["团购"]})
    clone = pickle.loads(pickle.dumps(stage))
    assert clone.options == stage.options
    assert (
        clone.process(Document.from_text("欢迎团购\n今天天气很好,我们去公园散步。")).text
        == "今天天气很好,我们去公园散步。"
    )


def test_glued_keyword_list_is_removed_and_the_paragraph_kept() -> None:
    spam = "日韩无码中文字幕,人妻熟女在线播放,偷拍自拍免费观看"
    body = "新学期开始了,学生们陆续回到校园,开始新一年的学习生活。"
    doc = run(f"{spam} {body}\n第二段内容也很重要,记者进行了深入采访。")
    assert doc.text == f"{body}\n第二段内容也很重要,记者进行了深入采访。"


def test_deferring_still_cuts_pieces_of_lines_and_labels_the_result() -> None:
    first = "社区组织志愿者开展清洁活动,居民们纷纷参与,环境面貌焕然一新。"
    text = f"首页 > 新闻 > 正文\n{first} 本文来源于某某网 |\n本报记者 王明"
    doc = run(text, defer_actions=True)
    assert doc.text == f"首页 > 新闻 > 正文\n{first}\n本报记者 王明"
    assert [c.reason for c in doc.changes if not c.is_verdict] == ["drop:notice"]
    assert labels_match(doc)
    assert [r["label"] for r in doc.metadata["line_labels"]] == ["chrome", "article", "credit"]
    verdicts = [c.reason for c in doc.changes if c.is_verdict]
    assert verdicts == ["label:notice", "label:chrome", "label:credit"]
    assert replay(text, doc.changes) == doc.text


def test_two_dropped_pieces_of_one_line_do_not_overlap() -> None:
    line = "百家乐技巧 | 必赢打法 | 新葡京官网 | www.n67r2npk5.xyz/979.html"
    doc = run(f"{ARTICLE_TEXT}{line}\n{ARTICLE_TEXT}", drop_document_share=1.0)
    assert doc.kept
    assert "百家乐" not in doc.text and "n67r2npk5" not in doc.text
    assert doc.text.count("新学期开始了") == 2


@pytest.mark.parametrize(
    "line",
    [
        "ОАО «Мухина, Бобылева и Зимина»",
        "Số 63 Khu 90 Lê Văn Sỹ Xã Tân Phú Đông Lạng Sơn 36566",
        "Trần Công ty Trách nhiệm hữu hạn",
        "העצמון 63, סער, 7903675",
        "Tôi tại chỉ để thì với bạn giống với.",
        "Die Temperatur liegt bei 31 °C ± 77 °C.",
    ],
)
def test_a_line_without_han_needs_evidence_to_be_junk(line: str) -> None:
    assert [found.label for found in label_lines(line)] == ["article"]


@pytest.mark.parametrize(
    ("line", "label"),
    [("首页 > 新闻 > 国内", "chrome"), ("Tel: 010-62345678", "ad"), ("电话：010-62345678", "ad")],
)
def test_chinese_chrome_and_bare_contact_lines_still_caught(line: str, label: str) -> None:
    assert [found.label for found in label_lines(line)] == [label]


def test_a_page_of_names_in_an_alphabet_is_not_a_repetition_junk_page() -> None:
    names = [f"{first} {last}sson" for first in ("Anna", "Lars", "Karin", "Erik") for last in ("Karl", "Lar", "Nil")]
    text = "\n".join(names)
    doc = SpamLabeller().process(Document.from_text(text))
    assert doc.kept and doc.text == text
    assert doc.metadata["page_signals"]["top_4gram"] > 0.16  # the letter 4-gram is frequent, and not evidence
