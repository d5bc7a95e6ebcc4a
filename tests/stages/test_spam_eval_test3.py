"""The third held-out half ``test3`` (``tests/data/spam_eval/generate_test3.py``), checked from its gold alone:
size, variety and that it shares no line with the other evaluation files. The stage does not run here."""

from __future__ import annotations

import json
from collections import Counter

from benchmarks.spam_eval import EVAL_DIR, HELD_OUT, load


def _key(text: str) -> str:
    return "".join(text.split())


def test_set_is_large_and_varied() -> None:
    import opencc

    to_simplified = opencc.OpenCC("t2s").convert
    junk: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    traditional_junk = 0
    for doc in load(HELD_OUT):
        assert any(line["label"] == "article" for line in doc["lines"])
        for line in doc["lines"]:
            (junk if line["label"] == "junk" else articles)[line["category"]] += 1
            traditional_junk += line["label"] == "junk" and to_simplified(line["text"]) != line["text"]
    assert sum(junk.values()) >= 2400 and len(junk) == 24 and min(junk.values()) >= 100
    assert 0.25 <= traditional_junk / sum(junk.values()) <= 0.5
    assert sum(articles.values()) >= 3500 and articles["news_mentions_junk_words"] >= 150
    sources = {"people_daily_1998", "people_daily_1998_trad", "people_daily_1998_hk", "legco_hansard_hk"}
    assert sources | {"debian_reference_zh_cn", "debian_reference_zh_tw"} <= set(articles)


def test_same_kinds_as_test2() -> None:
    kinds = {line["category"] for doc in load("test2") for line in doc["lines"] if line["label"] == "junk"}
    assert kinds == {line["category"] for doc in load(HELD_OUT) for line in doc["lines"] if line["label"] == "junk"}


def test_shares_no_line_with_the_other_files() -> None:
    """No line of ``test3`` (article or junk, whitespace aside) is in any other file of the evaluation set."""
    other: set[str] = set()
    for path in EVAL_DIR.glob("*.jsonl"):
        if path.name == f"{HELD_OUT}.jsonl":
            continue
        with open(path, encoding="utf-8") as source:
            for row in source:
                doc = json.loads(row)
                texts = [line["text"] for line in doc["lines"]] if "lines" in doc else doc["text"].split("\n")
                other.update(_key(text) for text in texts)
    shared = [line["text"] for doc in load(HELD_OUT) for line in doc["lines"] if _key(line["text"]) in other]
    assert shared == []
