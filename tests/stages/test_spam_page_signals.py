"""Document-level signals: measured on every document, junk pages dropped with their reason, articles kept."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import numpy as np
import pytest

from cleanse.document import Document
from cleanse.stages.spam import SpamLabeller, page_signals
from cleanse.stages.spam.normalise import code_points

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (
    "新学期开始了，学生们陆续回到校园，开始新一年的学习生活。\n"
    "学校为新生准备了丰富的入学教育活动，帮助他们尽快适应校园生活，老师们也提前做好了准备。\n"
    "据了解，今年全市共有新生一万二千余人，比去年增加百分之五，其中外地学生占三成。\n"
)


def run(text: str) -> Document:
    return SpamLabeller().process(Document.from_text(text, id="d"))


@pytest.mark.parametrize("path", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_are_measured_and_kept(path: Path) -> None:
    doc = run(path.read_text(encoding="utf-8"))
    assert doc.status == "kept"
    signals = doc.metadata["page_signals"]
    assert signals["junk_reasons"] == []
    assert 0.5 < signals["han_share"] <= 1 and signals["char_entropy"] > 6


def test_repeated_ad_page_is_dropped_with_its_reason() -> None:
    doc = run("\n".join(["限时特价 买一送一 全国包邮 点击购买"] * 12))
    assert doc.status == "dropped"
    assert doc.status_reason.startswith("junk_page: dup_junk_chars")


def test_keyword_stuffed_page_is_dropped_by_its_top_ngram() -> None:
    words = ("推荐", "评测", "排行", "哪个好", "品牌", "官网", "价格", "图片", "参数", "专卖店")
    doc = run("\n".join(f"手机{word} 手机价格 手机报价 手机大全" for word in words))
    assert doc.status == "dropped"
    assert "top_2gram" in doc.status_reason


def test_a_short_lead_that_names_its_topic_often_is_kept() -> None:
    lead = (
        "垃圾分类怎样走进社区\n"
        "推行垃圾分类已经三年，不少居民说，垃圾分类的难点不在分，而在坚持。\n"
        "记者走访了城东和城西的五个社区，听听居民、志愿者和物业公司对垃圾分类的看法，"
        "看看各社区想了哪些办法，让垃圾分类从一时的新鲜事变成每家每户的日常习惯。"
    )
    doc = run(lead)
    assert doc.status == "kept"
    signals = doc.metadata["page_signals"]
    assert signals["letters"] >= page_signals.MIN_CHARS and signals["top_4gram"] > page_signals.TOP_NGRAM[4]
    assert signals["junk_reasons"] == []


def test_a_table_of_figures_is_not_a_repeated_ngram() -> None:
    rows = [
        f"{city}１．５－０．４ －０．７ １．{k}" for k, city in enumerate(("西安", "济南", "长春", "兰州", "重庆") * 3)
    ]
    doc = run("\n".join(rows))
    assert doc.status == "kept"
    assert doc.metadata["page_signals"]["letters"] < 100


def test_an_article_repeated_whole_is_left_to_deduplication() -> None:
    doc = run(ARTICLE * 3)
    assert doc.status == "kept"
    assert doc.metadata["page_signals"]["dup_line_chars"] > 0.5
    assert doc.metadata["page_signals"]["dup_junk_chars"] == 0


def test_option_turns_page_drops_off_but_keeps_the_report() -> None:
    doc = SpamLabeller(SpamLabeller.Options(drop_junk_pages=False)).process(
        Document.from_text("\n".join(["限时特价 买一送一 全国包邮 点击购买"] * 12), id="d")
    )
    assert doc.status != "dropped" or not doc.status_reason.startswith("junk_page")
    assert doc.metadata["page_signals"]["junk_reasons"] == []


def test_compiled_counts_match_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    if page_signals.native is None:
        pytest.fail("the compiled core was not built (pip install -e . builds it)")
    rng = random.Random(7)
    texts = [
        "",
        "a",
        "ab",
        ARTICLE,
        *("".join(rng.choice("ab中文字c\0") for _ in range(rng.randint(0, 80))) for _ in range(200)),
    ]
    compiled = [page_signals.ngram_stats(code_points(text)) for text in texts]
    monkeypatch.setattr(page_signals, "native", None)
    for text, (entropy, tops) in zip(texts, compiled, strict=True):
        numpy_entropy, numpy_tops = page_signals.ngram_stats(code_points(text))
        assert tops == numpy_tops, text
        assert np.isclose(entropy, numpy_entropy), text


def test_script_conversion_does_not_change_the_verdict() -> None:
    """A page judged in mixed script is judged the same once converted to Simplified (``clean`` is idempotent)."""
    simplified = "机场扩建工程进度顺利，预计明年完成。" * 3 + "机场扩建工程进度顺利" * 2
    mixed = (
        "機場擴建工程進度順利，預計明年完成。" + "机场扩建工程进度顺利，预计明年完成。" * 2 + "機場擴建工程進度順利" * 2
    )
    lines = [simplified, "機場擴建工程進度順利預計明年完成", "机场扩建工程进度顺利预计明年完成"]
    for text_a, text_b in ((mixed, simplified), ("\n".join(lines), "\n".join([lines[0], lines[2], lines[2]]))):
        spans_a = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text_a)]
        spans_b = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text_b)]
        a = page_signals.measure(text_a, spans_a, [False] * len(spans_a))
        b = page_signals.measure(text_b, spans_b, [False] * len(spans_b))
        assert (a.top_2gram, a.top_3gram, a.top_4gram, a.dup_line_chars) == (
            b.top_2gram,
            b.top_3gram,
            b.top_4gram,
            b.dup_line_chars,
        )
        assert a.junk_reasons() == b.junk_reasons()


def _random_page(rng: random.Random) -> tuple[str, list[tuple[int, int]], list[bool]]:
    """A page of repeated and fresh lines mixing Han (Traditional and Simplified), fullwidth and Latin letters,
    edge whitespace, sentence ends, NUL, a lone surrogate and code points past the fold and Han tables."""
    alphabet = "ab中文字網站首頁ＡＢ！？!?。 \u3000\t\x00\ud800\U00030001\U0004e000，1"
    pool = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(6)]
    lines = [
        rng.choice(pool) if rng.random() < 0.5 else "".join(rng.choice(alphabet) for _ in range(8))
        for _ in range(rng.randint(0, 12))
    ]
    text = "\n".join(lines)
    spans, start = [], 0
    for line in lines:
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return text, spans, [rng.random() < 0.3 for _ in spans]


def test_compiled_measure_matches_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    if page_signals.native is None:
        pytest.fail("the compiled core was not built (pip install -e . builds it)")
    rng = random.Random(11)
    pages = [_random_page(rng) for _ in range(400)]
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    for text in [ARTICLE * 3, *seeds]:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        pages.append((text, spans, [i % 3 == 0 for i in range(len(spans))]))
    compiled = [page_signals.measure(*page) for page in pages]
    for page, signals in zip(pages, compiled, strict=True):  # entropy summed in the same order: the same bits
        assert signals == page_signals._measure_numpy(*page), page[0]
    monkeypatch.setattr(page_signals, "native", None)
    for page, signals in zip(pages, compiled, strict=True):
        numpy_signals = page_signals.measure(*page)
        assert np.isclose(signals.char_entropy, numpy_signals.char_entropy), page[0]
        assert dataclasses.replace(signals, char_entropy=0.0) == dataclasses.replace(numpy_signals, char_entropy=0.0)
