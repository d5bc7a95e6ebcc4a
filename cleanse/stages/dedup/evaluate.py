"""Scoring the detector against brute force: found pairs versus all pairs whose exact Jaccard is >= t.

The truth (:func:`brute_force_pairs`) does not reuse the detector's shingling: it takes the normalised
text (``normalise_unit``, the documented definition of what is compared) and builds Python sets of
character n-gram *strings*, then counts shared shingles of every pair through an inverted index. The
detector's found pairs come from its own path (32-bit shingle hashes, sorted sets, LSH bands,
verification), so precision below 1.0 is possible and means something: a hash collision, a shingling
rule (word n-grams for mostly Latin text) or a verification error. :func:`brute_force_clusters` keeps
using the detector's exact sets: it measures what LSH misses of the edge rule, not the shingling.

>>> texts = ["春季植树造林活动经验交流座谈会", "春季植树造林活动经验交流会议", "无关的文字内容在这里"]
>>> score = compare_with_brute_force(texts, 0.5)
>>> score.recall, score.precision, score.truth
(1.0, 1.0, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, triu

from cleanse.stages.dedup.batch import exact_groups, sketch_units, verified_pairs
from cleanse.stages.dedup.edges import EdgeRule
from cleanse.stages.dedup.normalise import normalise_unit
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.stars import star_clusters


@dataclass(frozen=True)
class PairScore:
    """Found pairs scored against brute force at one threshold."""

    threshold: float
    truth: int
    found: int
    true_positives: int

    @property
    def recall(self) -> float:
        return self.true_positives / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0


def _shared_counts(
    texts: Sequence[str], options: DedupOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair ``i < j`` sharing a shingle, with its count of shared shingles, and all set sizes."""
    sets = sketch_units(texts, options).sets
    sizes = sets.sizes()
    _, columns = np.unique(sets.values, return_inverse=True)
    matrix = csr_matrix(
        (np.ones(len(columns), dtype=np.int32), columns.ravel(), sets.offsets),
        shape=(len(sizes), int(columns.max()) + 1 if len(columns) else 1),
    )
    common = triu(matrix @ matrix.T, k=1).tocoo()
    return common.row.astype(np.int64), common.col.astype(np.int64), common.data, sizes


def reference_shingles(text: str, ngram: int = 5) -> frozenset[str]:
    """Character ``ngram``-grams (strings) of the normalised text; a shorter non-empty text is one shingle."""
    unit = normalise_unit(text).text
    if not unit:
        return frozenset()
    return frozenset(unit[start : start + ngram] for start in range(max(1, len(unit) - ngram + 1)))


def brute_force_pairs(
    texts: Sequence[str], threshold: float, options: DedupOptions | None = None
) -> set[tuple[int, int]]:
    """Every pair ``i < j`` whose exact Jaccard of :func:`reference_shingles` is >= threshold."""
    settings = options or DedupOptions(threshold=threshold)
    sets = [reference_shingles(text, settings.ngram) for text in texts]
    return {pair for pair, score in exact_jaccard_pairs(sets).items() if score >= threshold - 1e-9}


def exact_jaccard_pairs(sets: Sequence[frozenset[str]]) -> dict[tuple[int, int], float]:
    """Exact Jaccard of every pair sharing a shingle (all other pairs have Jaccard 0), via an inverted index."""
    postings: dict[str, list[int]] = {}
    for index, shingles in enumerate(sets):
        for shingle in shingles:
            postings.setdefault(shingle, []).append(index)
    shared: dict[tuple[int, int], int] = {}
    for members in postings.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                shared[(first, second)] = shared.get((first, second), 0) + 1
    return {pair: count / (len(sets[pair[0]]) + len(sets[pair[1]]) - count) for pair, count in shared.items()}


def brute_force_clusters(texts: Sequence[str], options: DedupOptions | None = None) -> list[list[int]]:
    """Stars of the edge rule applied to every pair of texts (no LSH): what ``find_duplicates`` approximates.

    >>> brute_force_clusters(["春季植树造林活动经验交流座谈会", "春季植树造林活动经验交流会议", "无关的文字"])
    [[0, 1]]
    """
    settings = options or DedupOptions()
    left, right, common, sizes = _shared_counts(texts, settings)
    edge = EdgeRule.from_options(settings).joins(common, sizes[left], sizes[right])
    exact, _ = exact_groups(sketch_units(texts, settings))
    keep = edge & (exact[left] == left) & (exact[right] == right)
    return star_clusters(len(texts), left[keep], right[keep], common[keep], sizes, exact).groups()


def compare_with_brute_force(texts: Sequence[str], threshold: float, **options: object) -> PairScore:
    """Recall and precision of the verified pairs the detector finds, against brute force."""
    settings = DedupOptions(threshold=threshold, **options)  # type: ignore[arg-type]
    left, right, _ = verified_pairs(sketch_units(texts, settings), threshold)
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    truth = brute_force_pairs(texts, threshold, settings)
    return PairScore(threshold, len(truth), len(found), len(found & truth))
