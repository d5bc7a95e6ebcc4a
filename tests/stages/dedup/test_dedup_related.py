"""Reprint groups in the dedup report: related kept reprints, never chained, no removal verdict changed.

Articles: People's Daily 1998 (tests/data/dedup/SOURCES.md), never the seeds.
"""

from __future__ import annotations

import itertools

import pytest

from benchmarks.dedup_digests import load_articles
from cleanse.document import Document
from cleanse.stages.dedup import NearDupDetector
from cleanse.stages.dedup.stage import REPRINT_OF


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return [text for text in load_articles() if 400 <= len(text) <= 1500][:40]


def _run(texts: list[str], names: list[str], **options: object) -> tuple[list[Document], NearDupDetector]:
    stage = NearDupDetector(report_clusters=100, **options)
    docs = [Document.from_text(text, id=name) for text, name in zip(texts, names, strict=True)]
    return list(stage.run(docs)), stage


def _statuses(out: list[Document]) -> list[tuple[str, str | None]]:
    return [(doc.status, doc.duplicate_of) for doc in out]


def test_a_reprint_adding_sentences_is_kept_related_to_its_original_and_explained(articles):
    original = articles[0]
    lines = original.split("\n")
    extended = "\n".join(
        [*lines, "本报记者在现场看到，当地群众对此反响热烈，纷纷表示今后要继续关注这项工作的进展情况。"]
    )
    copy = original.replace("。", "．", 2)
    out, stage = _run([original, extended, copy], ["a", "a-extended", "a-copy"])
    assert _statuses(out) == [("kept", None), ("kept", None), ("duplicate", "a")]
    flags = [change for change in out[1].changes if change.reason == REPRINT_OF]
    assert len(flags) == 1 and flags[0].before == flags[0].after == ""
    evidence = flags[0].evidence[0]  # kept as a digest (a new paragraph); related by the Jaccard clause
    assert evidence == f"jaccard {flags[0].score:.3f} of this document with a" and flags[0].score >= 0.5
    assert [change.reason for change in out[1].changes if change.reason != "duplicate_paragraph"] == [
        "digest",
        REPRINT_OF,
    ]
    row = next(row for row in stage.report()["documents"]["clusters"] if row["kept"] == "a")
    assert row["related"] == ["a-extended"] and "shared" not in row and row["size"] == 3
    groups = stage.report()["reprint_groups"]["groups"]
    assert [sorted(group["members"]) for group in groups] == [["a", "a-copy", "a-extended"]]
    assert sorted(groups[0]["kept"]) == ["a", "a-extended"]


def test_the_reprint_groups_change_no_removal_verdict(articles):
    texts = [articles[n] for n in (0, 1, 2)]
    texts += [texts[0] + "\n" + texts[1], texts[2].replace("，", ",")]
    names = [f"d{n}" for n in range(len(texts))]
    out, _ = _run(texts, names)
    for doc in out:
        assert all(change.before == change.after for change in doc.changes if change.reason == REPRINT_OF)
    without = [(doc.status, doc.duplicate_of, doc.text) for doc in out]
    plain = [change for doc in out for change in doc.changes if change.reason != REPRINT_OF]
    again, _ = _run(texts, names)
    assert [(doc.status, doc.duplicate_of, doc.text) for doc in again] == without
    assert [change for doc in again for change in doc.changes if change.reason != REPRINT_OF] == plain


@pytest.mark.parametrize("level", ["documents", "both"])
def test_a_digest_is_related_to_both_parts_and_never_joins_them_in_any_order(articles, level):
    a, b = next((x, y) for x, y in itertools.combinations(articles[3:], 2) if abs(len(x) - len(y)) < 0.1 * len(x))
    texts = {"a": a, "ab": a + "\n" + b, "b": b}
    for order in itertools.permutations(texts):
        out, stage = _run([texts[name] for name in order], list(order), level=level)
        assert any(doc.kept and "a" in doc.id for doc in out) and any(doc.kept and "b" in doc.id for doc in out)
        report = stage.report()
        listed = [row["members"] + row.get("related", []) for row in report["documents"]["clusters"]]
        listed += [group["members"] for group in report["reprint_groups"]["groups"]]
        assert not any({"a", "b"} <= set(members) for members in listed), (order, report)
        if order[-1] == "ab" and level == "both":  # both parts kept before it: related to each, shared
            rows = {row["kept"]: row for row in report["documents"]["clusters"]}
            assert rows["a"]["shared"] == rows["b"]["shared"] == ["ab"]
            digest = next(doc for doc in out if doc.id == "ab")
            named = [
                word for change in digest.changes if change.reason == REPRINT_OF for word in change.evidence[0].split()
            ]
            assert sorted(word for word in named if word in texts) == ["a", "b"]


def _reprint_corpus(articles: list[str]) -> tuple[list[str], list[str]]:
    texts = []
    for article in articles[:12]:
        texts += [
            article,
            article.replace("。", "．", 3),
            article + "\n本报讯，记者在现场看到群众反响热烈，纷纷表示关注进展。",
        ]
    return texts, [f"d{n}" for n in range(len(texts))]


def test_reprint_groups_can_be_turned_off_without_changing_a_verdict(articles):
    texts, names = _reprint_corpus(articles)
    on, with_groups = _run(texts, names)
    off, without = _run(texts, names, reprint_groups=False)
    assert [(d.status, d.duplicate_of, d.changes) for d in on] == [(d.status, d.duplicate_of, d.changes) for d in off]
    assert with_groups.report()["reprint_groups"]["groups_total"] >= 10
    report = without.report()["reprint_groups"]
    assert report["enabled"] is False and report["groups"] == [] and report["groups_total"] == 0
    assert without.reprints is None


def test_reprint_groups_cover_the_first_documents_only_when_bounded(articles):
    texts, names = _reprint_corpus(articles)
    bounded, stage = _run(texts, names, reprint_groups_documents=15)
    unbounded, _ = _run(texts, names)
    _, first_only = _run(texts[:15], names[:15])
    assert [(d.status, d.duplicate_of, d.changes) for d in bounded] == [
        (d.status, d.duplicate_of, d.changes) for d in unbounded
    ]
    report = stage.report()["reprint_groups"]
    assert len(stage.relation_log.names) == 15 and report["documents_not_logged"] == len(texts) - 15
    assert report["groups"] == first_only.report()["reprint_groups"]["groups"]
    assert stage.reprints is None  # the run-only index is dropped once the bound is reached
