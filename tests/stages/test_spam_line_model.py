"""The line model: junk of kinds the label lexicons were not written for, inside an article; news kept; the shipped
weights are what the learning script learns."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cleanse.stages.spam import label_lines
from cleanse.stages.spam.line_model import FEATURES, LINE_MODEL, shipped_model

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = [
    "新学期开始了，学生们陆续回到校园，开始新一年的学习生活。",
    "学校为新生准备了丰富的入学教育活动，帮助他们尽快适应校园生活，老师们也提前做好了准备。",
    "据了解，今年全市共有新生一万二千余人，比去年增加百分之五。",
]
ISSUE_18 = [
    "美女直播 一对一视频聊天 附近约会交友 点击下载",
    "商务合作请联系 QQ:123456789 邮箱:ad@example.com",
    "伟哥 春药 迷药 催情水 货到付款",
    "高仿名表 奢侈品A货 一比一复刻 微信下单",
    "SEO优化 网站建设 百度快照排名 包年推广",
    "減肥瘦身 一個月瘦20斤 不反彈 無效退款 加LINE諮詢",
    "上一則: 颱風外圍環流影響 北部山區防豪雨 下一則: 立委質詢 行政院長答詢",
    "下载新闻客户端 随时随地看新闻",
]


@pytest.mark.parametrize("junk", ISSUE_18)
def test_issue_examples_inside_an_article_are_junk(junk: str) -> None:
    lines = label_lines("\n".join([ARTICLE[0], junk, *ARTICLE[1:]]))
    assert [line.label for line in lines if line.text != junk] == ["article"] * len(ARTICLE)
    (found,) = [line for line in lines if line.text == junk]
    assert found.label in ("spam", "ad", "chrome", "notice"), found
    assert found.evidence and found.evidence[0] != "no_rule"


def test_model_evidence_names_features_and_words() -> None:
    lines = label_lines("\n".join([ARTICLE[0], "电动牙刷 爆款直降 全国包邮 货到付款", ARTICLE[1]]))
    verdict = lines[1]
    assert verdict.label == "ad" and verdict.evidence[0] == LINE_MODEL
    assert any("包邮" in word for word in verdict.evidence) and "货到付款" in verdict.evidence
    assert 0.5 <= verdict.score < 1


@pytest.mark.parametrize(
    "news",
    [
        "据介绍，心理援助热线0571-85029595全天开通，已累计接听求助电话3000余个。",
        "美国电话电报公司宣布，将在明年推出新的通信服务。",
        "警方提醒，凡是要求先交保证金的“无抵押贷款”广告都是诈骗，市民可拨打110报警。",
        "关注民生 坚持正确方向",
    ],
)
def test_news_with_junk_words_stays_article(news: str) -> None:
    lines = label_lines("\n".join([ARTICLE[0], news, ARTICLE[1]]))
    assert [line.label for line in lines] == ["article"] * 3, lines[1]


def test_shipped_weights_are_what_the_script_learns() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("learn", ROOT / "cleanse" / "data" / "spam" / "learn_line_model.py")
    assert spec is not None and spec.loader is not None
    learn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(learn)
    x, y, _, _, _ = learn.training_rows()
    assert x.shape[1] == len(FEATURES) and set(np.unique(y)) == {0.0, 1.0}
    weights, threshold = shipped_model()
    assert np.allclose(learn.fit(x, y), weights, atol=2e-3)
    shipped = json.loads((ROOT / "cleanse" / "data" / "spam" / "line_model.json").read_text(encoding="utf-8"))
    assert shipped["threshold"] == threshold and shipped["learned_on"].startswith("tests/data/spam_eval/tune")


def test_stage_option_leaves_the_model_out() -> None:
    from cleanse.document import Document
    from cleanse.errors import ConfigError
    from cleanse.stages.spam import SpamLabeller

    junk = "电动牙刷 爆款直降 全国包邮 货到付款"
    text = "\n".join([ARTICLE[0], junk, ARTICLE[1]])
    assert junk not in SpamLabeller().process(Document.from_text(text, id="a")).text
    without = SpamLabeller(SpamLabeller.Options(line_model=False)).process(Document.from_text(text, id="a"))
    assert junk in without.text
    with pytest.raises(ConfigError):
        SpamLabeller.Options(line_model="yes")


@pytest.mark.parametrize(
    "text",
    [
        "The city council approved a new budget on Tuesday.\nOfficials said the plan would fund schools and roads.\n"
        "More details are available at www.example.gov/budget.",
        "시의회는 화요일 새 예산안을 승인했다.\n관계자들은 이 계획이 학교와 도로에 쓰일 것이라고 말했다.",
        "Городской совет во вторник утвердил новый бюджет.\nПо словам чиновников, средства пойдут на школы.",
        "東京都は火曜日、新しい予算案を承認した。\n住民は3月5日まで意見を提出できる。",
    ],
    ids=["en", "ko", "ru", "ja"],
)
def test_prose_in_other_scripts_stays_article(text: str) -> None:
    assert {line.label for line in label_lines(text)} == {"article"}
