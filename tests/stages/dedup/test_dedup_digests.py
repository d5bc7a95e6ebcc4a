"""Digest pages never cost an article (issue 15): bundles of unrelated real articles in every order.

Articles: People's Daily, January 1998 (tests/data/dedup/SOURCES.md), never the seeds. The checks are
those of ``benchmarks.dedup_digests``; the last test shows they can fail.
"""

from __future__ import annotations

import itertools

import pytest

import cleanse
from benchmarks.dedup_digests import (
    chained,
    evaluate,
    load_articles,
    lost_paragraphs,
    pair_bundles,
    triple_bundles,
    union_find_chains,
)


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return load_articles()


def test_a_hundred_pairs_in_all_six_orders_lose_no_paragraph_and_never_chain(articles):
    bundles = pair_bundles(articles, 100)
    result = evaluate(bundles, {})
    assert result["runs"] == 600
    assert result["paragraphs_lost"] == 0, result["examples"]
    assert result["chained"] == 0 and result["report_chained"] == 0


def test_triples_in_all_24_orders_lose_no_paragraph_with_either_digest_policy(articles):
    bundles = triple_bundles(articles, 12)
    for settings in ({}, {"digest": "new_parts"}):
        result = evaluate(bundles, settings)
        assert result["runs"] == 12 * 24
        assert result["paragraphs_lost"] == 0, (settings, result["examples"])
        assert result["chained"] == 0 and result["report_chained"] == 0


def test_keep_longest_and_paragraph_removal_lose_no_paragraph(articles):
    bundles = pair_bundles(articles, 15, seed=7) + triple_bundles(articles, 3, seed=7)
    for settings in ({"keep": "longest"}, {"remove_paragraphs": True}):
        assert evaluate(bundles, settings, orders=6)["paragraphs_lost"] == 0


def test_find_duplicates_never_clusters_a_with_b_in_any_order(articles):
    for bundle in pair_bundles(articles, 30, seed=3):
        for order in itertools.permutations(range(3)):
            texts = [bundle.texts[i] for i in order]
            a, b = order.index(0), order.index(2)
            assert not any(a in c and b in c for c in cleanse.find_duplicates(texts))


def test_the_checks_can_fail_union_find_chains_and_an_unguarded_digest_loses_articles(articles):
    bundles = triple_bundles(articles, 12)
    assert sum(union_find_chains(bundle) for bundle in bundles) >= 6
    assert chained(bundles[0], [[0, 3]])  # A with B+C: no article in common
    unguarded = evaluate(bundles, {"new_content_chars": 10**9}, orders=4)
    assert unguarded["paragraphs_lost"] > 0
    a, ab = articles[0], articles[0] + "\n" + articles[1]
    assert lost_paragraphs([ab, a]) == []
