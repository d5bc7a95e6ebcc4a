"""When two units join one cluster: the edge rule shared by batch, streaming and distributed dedup.

Two units are an edge (near-duplicates, merged into one cluster) when

* their Jaccard similarity is at least ``threshold``, or
* they are a *reprint pair*: at least ``containment`` of the smaller unit's shingles lie in the larger
  one, they share at least ``min_shared`` shingles, and the larger has at most ``length_ratio`` times
  the shingles of the smaller.

Why the second clause: a reprint that adds a sentence to a short paragraph, or drops a quarter of it,
shares less than half of the union of shingles with its original (Jaccard below 0.5) although almost
all of the shorter text is in the longer one. Jaccard alone then splits a cluster; a global low Jaccard
threshold would instead merge templated headings of one article (Jaccard 0.3 to 0.45, sizes alike).
Containment looks at the shorter text, so it needs two guards: ``min_shared`` (about 30 characters of
shared text) keeps a heading or a boilerplate line from joining every paragraph that quotes it, and
``length_ratio`` keeps a paragraph from joining a whole page that contains it (a quotation, not a
reprint; the stage reports it as ``contained_paragraph``), so clusters do not chain through long units.

The rule takes counts, so the batch path applies it to exact set intersections and the streaming index
and the Ray engine to the counts estimated from signatures (:func:`estimated_common`).

>>> rule = EdgeRule(threshold=0.5, containment=0.6, min_shared=25, length_ratio=4.0)
>>> rule.joins(np.array([60, 40, 40, 20]), np.array([100, 50, 50, 22]), np.array([100, 150, 250, 60])).tolist()
[True, True, False, False]
>>> EdgeRule(threshold=0.5).joins(np.array([40]), np.array([50]), np.array([150])).tolist()
[False]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cleanse.stages.dedup.options import DedupOptions


@dataclass(frozen=True)
class EdgeRule:
    """The edge rule; ``containment=0`` turns the reprint clause off (Jaccard only)."""

    threshold: float
    containment: float = 0.0
    min_shared: int = 25
    length_ratio: float = 4.0

    @classmethod
    def from_options(cls, options: DedupOptions, threshold: float | None = None) -> EdgeRule:
        """The rule a :class:`~cleanse.stages.dedup.options.DedupOptions` asks for."""
        return cls(
            options.threshold if threshold is None else threshold,
            options.reprint_containment,
            options.reprint_min_shared,
            options.reprint_length_ratio,
        )

    @property
    def jaccard_floor(self) -> float:
        """The lowest Jaccard similarity an edge can have (what LSH candidates must reach)."""
        if self.containment <= 0:
            return self.threshold
        return min(self.threshold, self.containment / (1.0 + self.length_ratio - self.containment))

    def possible(self, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
        """Pairs that can be an edge at all, judged on the set sizes alone (skips needless intersections)."""
        small, large = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
        by_jaccard = small >= self.threshold * large
        if self.containment <= 0:
            return np.asarray(by_jaccard)
        by_containment = (large <= self.length_ratio * small) & (small >= self.min_shared)
        return np.asarray(by_jaccard | by_containment)

    def joins(self, common: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
        """Whether each pair is an edge, from its shingles in common and the two set sizes."""
        common = np.asarray(common, dtype=np.float64)
        size_a = np.asarray(size_a, dtype=np.float64)
        size_b = np.asarray(size_b, dtype=np.float64)
        union = size_a + size_b - common
        edge = np.where(union > 0, common >= self.threshold * union - 1e-9, True)
        if self.containment <= 0:
            return np.asarray(edge)
        small, large = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
        reprint = (
            (common >= self.containment * small - 1e-9)
            & (common >= self.min_shared)
            & (large <= self.length_ratio * small)
        )
        return np.asarray(edge | reprint)


def estimated_common(similarity: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Shingles in common estimated from a Jaccard estimate and the two set sizes: ``j (a + b) / (1 + j)``."""
    similarity = np.asarray(similarity, dtype=np.float64)
    return similarity * (np.asarray(size_a, dtype=np.float64) + np.asarray(size_b, dtype=np.float64)) / (1 + similarity)


def signature_edges(
    signs_a: np.ndarray, signs_b: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, rule: EdgeRule
) -> tuple[np.ndarray, np.ndarray]:
    """For rows of two signature arrays: whether each pair is an edge, and its estimated Jaccard.

    The streaming index and the Ray engine verify candidates with this one function, so both give the
    same verdict on the same pair. A size of 0 (an entry saved without sizes) allows Jaccard edges only.

    >>> a = np.array([[1, 2, 3, 4]], dtype=np.uint32)
    >>> signature_edges(a, a, np.array([30]), np.array([30]), EdgeRule(0.5))
    (array([ True]), array([1.]))
    """
    signs_a = np.asarray(signs_a).reshape(-1, np.asarray(signs_a).shape[-1])
    signs_b = np.asarray(signs_b).reshape(-1, np.asarray(signs_b).shape[-1])
    similarity = (signs_a == signs_b).mean(axis=1)
    size_a = np.broadcast_to(np.asarray(size_a, dtype=np.float64), similarity.shape)
    size_b = np.broadcast_to(np.asarray(size_b, dtype=np.float64), similarity.shape)
    known = (size_a > 0) & (size_b > 0)
    common = estimated_common(similarity, size_a, size_b)
    by_rule = rule.joins(common, np.where(known, size_a, 1.0), np.where(known, size_b, 1.0))
    edge = np.where(known, by_rule, similarity >= rule.threshold)
    return edge, similarity
