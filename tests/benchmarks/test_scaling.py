"""Scaling helpers: the slope fit and one tiny measured run."""

from __future__ import annotations

import pytest

from benchmarks.dedup_quality import NORMALISATION_LADDER, brute_force_clusters, exact_jaccard_pairs, shingle_sets
from benchmarks.pipeline import seed_texts
from benchmarks.reprints import scaled_paragraphs
from benchmarks.scaling import loglog_slope


def test_loglog_slope_recovers_powers() -> None:
    sizes = [1e3, 1e4, 1e5, 1e6]
    assert loglog_slope(sizes, [size**1.0 for size in sizes]) == pytest.approx(1.0)
    assert loglog_slope(sizes, [size**2.0 for size in sizes]) == pytest.approx(2.0)
    assert loglog_slope([1e3], [1.0]) is None


def test_scaled_paragraphs_are_reproducible_and_hold_reprints() -> None:
    first = scaled_paragraphs(300, seed=1)
    assert first == scaled_paragraphs(300, seed=1)
    assert first != scaled_paragraphs(300, seed=2)
    sets = shingle_sets(first, NORMALISATION_LADDER["none (raw text)"])
    clusters = brute_force_clusters(exact_jaccard_pairs(sets), len(first), 0.5)
    assert 30 <= sum(len(cluster) for cluster in clusters) <= 150  # a fifth are reprints, each joins its source
    with pytest.raises(ValueError):
        scaled_paragraphs(10, reprint_share=1.5)


def test_seed_texts_reach_the_requested_size() -> None:
    texts = seed_texts(0.2)
    assert sum(len(text.encode("utf-8")) for text in texts) >= 200_000
