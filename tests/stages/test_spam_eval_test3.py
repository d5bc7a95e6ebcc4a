"""The third held-out half ``test3`` (``tests/data/spam_eval/generate_test3.py``), checked from its gold alone:
size and variety (that it shares no line with the other evaluation files is checked in ``test_spam_eval.py``).
The stage does not run here."""

from __future__ import annotations

from collections import Counter

from benchmarks.spam_eval import HELD_OUT, load


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
