"""The spam stage on the held-out half ``test3`` (precision and article harm asserted, recall an xfail with its
measured figure) and on the evaluation half ``tests/data/spam_eval/test2.jsonl`` (made by ``generate.py`` from unused
People's Daily 1998 paragraphs and UD Chinese PUD text with junk from ``templates_test2.py``, written by an
annotator who never read or ran the stage). It was held out until its recall (0.72) had been read twice; since
issue 18's third round it is one of the line model's training files (with ``tune``, ``tune_extra`` and ``test``,
see ``cleanse/data/spam/learn_line_model.py``), so its figures here are development figures, not a test of
generalisation: that is the cross-set figure (``learn_line_model.py --hold-out test2``, learned without it) and
a fresh held-out set made from independent templates."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.spam_eval import (
    HELD_OUT,
    MIN_CATEGORY,
    SECOND,
    TARGET_ARTICLE_DROPPED,
    TARGET_PRECISION,
    TARGET_RECALL,
    line_quality,
    load,
    page_quality,
)


@pytest.fixture(scope="module")
def quality() -> dict:
    return line_quality(load(SECOND))


@pytest.fixture(scope="module")
def held_out() -> dict:
    return line_quality(load(HELD_OUT))


def test_set_is_large_and_varied() -> None:
    """Size and variety of the held-out half, counted from its gold alone (the stage does not run here)."""
    junk: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for doc in load(SECOND):
        for line in doc["lines"]:
            (junk if line["label"] == "junk" else articles)[line["category"]] += 1
    assert sum(junk.values()) >= 3000 and len(junk) == 24 and min(junk.values()) >= 60
    assert sum(articles.values()) >= 6000 and articles["news_mentions_junk_words"] >= 150
    assert {"people_daily_1998", "people_daily_1998_trad", "people_daily_1998_hk", "pud_news_trad"} <= set(articles)


@pytest.mark.parametrize("half", [SECOND, HELD_OUT])
def test_an_evaluation_half_shares_no_line_with_the_other_files(half: str) -> None:
    """No line of ``test2`` or ``test3`` (article or junk, whitespace aside) is in any other file of the set."""
    import json

    from benchmarks.spam_eval import EVAL_DIR

    def key(text: str) -> str:
        return "".join(text.split())

    other: set[str] = set()
    for path in EVAL_DIR.glob("*.jsonl"):
        if path.name == f"{half}.jsonl":
            continue
        with open(path, encoding="utf-8") as source:
            for row in source:
                doc = json.loads(row)
                texts = [line["text"] for line in doc["lines"]] if "lines" in doc else doc["text"].split("\n")
                other.update(key(text) for text in texts)
    shared = [line["text"] for doc in load(half) for line in doc["lines"] if key(line["text"]) in other]
    assert shared == []


def test_precision_and_article_harm_targets(quality: dict) -> None:
    assert quality["junk_precision"] >= TARGET_PRECISION
    assert quality["article_dropped_share"] <= TARGET_ARTICLE_DROPPED


def test_recall_target(quality: dict) -> None:
    assert quality["junk_recall"] >= TARGET_RECALL


@pytest.mark.xfail(
    strict=True,
    reason="measured on test2 (a training file now): copyright_footer 0.89, share_widget 0.91 and keyword_list 0.92 "
    "below recall 0.95 (lines with no Han character are left to the rules; product-name lists with no list head; "
    "footers the rules label credit) (see docs/spam.md)",
)
def test_every_category_target(quality: dict) -> None:
    assert quality["categories_below_recall"] == []
    assert all(row["lines"] >= MIN_CATEGORY for row in quality["per_category"].values())


def test_held_out_precision_and_article_harm_targets(held_out: dict) -> None:
    """``test3``, the held-out half nobody tunes on (see ``benchmarks/spam_eval.py``)."""
    assert held_out["junk_precision"] >= TARGET_PRECISION
    assert held_out["article_dropped_share"] <= TARGET_ARTICLE_DROPPED


@pytest.mark.xfail(
    strict=True,
    reason="measured on test3 (held out): junk recall 0.9075 (0.80 before issue 18's third round); url_spam 0.54 "
    "and keyword_list 0.72 lowest, 14 of 24 kinds below 0.95 (see docs/spam.md)",
)
def test_held_out_recall_target(held_out: dict) -> None:
    assert held_out["junk_recall"] >= TARGET_RECALL
    assert held_out["categories_below_recall"] == []


def test_pages() -> None:
    pages = page_quality()
    assert pages["clean_pages"] >= 200 and pages["clean_dropped"] == []
    assert pages["junk_pages"] >= 100 and pages["junk_dropped_share"] >= 0.95
    assert pages["errors"] == []


def test_clean_is_idempotent_on_the_evaluation_half() -> None:
    """A line that the first pass left and that, once the junk around it is cut, stands at the page's edge
    reads differently; the pipeline's settling (``pipeline.SETTLE["spam"]``) judges it again on the same pass."""
    import cleanse

    for doc in load(SECOND):
        once = cleanse.clean("\n".join(line["text"] for line in doc["lines"]))
        assert cleanse.clean(once) == once, doc["id"]
