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
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from cleanse.stages.dedup.options import DedupOptions


@dataclass(frozen=True)
class EdgeRule:
    """The edge rule; ``containment=0`` turns the reprint clause off (Jaccard only).

    Every clause honours ``threshold``: the reprint clause asks for containment of at least
    :attr:`cover_threshold`, ``max(threshold, containment)``, so raising ``threshold`` makes every clause
    stricter (``threshold=0.95`` never joins a unit only 0.9 inside another).
    """

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
    def cover_threshold(self) -> float:
        """The containment the reprint clause asks for: ``max(threshold, containment)``."""
        return max(self.threshold, self.containment)

    @property
    def jaccard_floor(self) -> float:
        """The lowest Jaccard similarity an edge can have (what LSH candidates must reach)."""
        if self.containment <= 0:
            return self.threshold
        cover = self.cover_threshold
        return min(self.threshold, cover / (1.0 + self.length_ratio - cover))

    def possible(self, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
        """Pairs that can be an edge at all, judged on the set sizes alone (skips needless intersections)."""
        small, large = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
        by_jaccard = small >= self.threshold * large
        if self.containment <= 0:
            return np.asarray(by_jaccard)
        by_containment = (large <= self.length_ratio * small) & (small >= self.min_shared)
        return np.asarray(by_jaccard | by_containment)

    def covers(
        self, common: np.ndarray, size_x: np.ndarray, size_k: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether unit X is covered by unit K (X a duplicate of K), the clause that decides, and its score.

        Directional: with the reprint clause on, X is covered when at least :attr:`cover_threshold` of
        X's own shingles lie in K (and they share ``min_shared`` shingles or reach Jaccard ``threshold``,
        and K is at most ``length_ratio`` times X). A longer X holding K plus new content is not
        covered by K. The clause is Jaccard (score: the Jaccard similarity) when the pair also reaches
        Jaccard ``threshold``, else ``reprint_containment`` (score: the share of X inside K). With the
        reprint clause off, X is covered when the Jaccard similarity reaches ``threshold``.

        Returns three arrays: covered, ``True`` where the clause is Jaccard, and the score.

        >>> rule = EdgeRule(threshold=0.5, containment=0.6)
        >>> [a.tolist() for a in rule.covers(np.array([100, 100]), np.array([100, 200]), np.array([200, 100]))]
        [[True, False], [True, False], [0.5, 0.5]]
        """
        common = np.asarray(common, dtype=np.float64)
        size_x = np.asarray(size_x, dtype=np.float64)
        size_k = np.asarray(size_k, dtype=np.float64)
        union = size_x + size_k - common
        similarity = np.where(union > 0, common / np.maximum(union, 1e-12), 1.0)
        by_jaccard = np.where(union > 0, common >= self.threshold * union - 1e-9, True)
        if self.containment <= 0:
            return np.asarray(by_jaccard), np.asarray(by_jaccard), similarity
        share = np.where(size_x > 0, common / np.maximum(size_x, 1e-12), 0.0)
        covered = (
            (common >= self.cover_threshold * size_x - 1e-9)
            & ((common >= self.min_shared) | by_jaccard)
            & (size_k <= self.length_ratio * size_x)
        )
        return covered, covered & by_jaccard, np.where(by_jaccard, similarity, np.minimum(share, 1.0))

    def joins(self, common: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
        """Whether each pair is an edge (one of the two is covered by the other), from shared shingles and sizes.

        With the defaults (``threshold <= containment``) this is the rule measured in docs/dedup.md:
        Jaccard >= ``threshold``, or the shorter unit at least ``containment`` inside the longer one.
        """
        forward = self.covers(common, size_a, size_b)[0]
        backward = self.covers(common, size_b, size_a)[0]
        return np.asarray(forward | backward)


def estimated_common(similarity: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Shingles in common estimated from a Jaccard estimate and the two set sizes: ``j (a + b) / (1 + j)``."""
    similarity = np.asarray(similarity, dtype=np.float64)
    return similarity * (np.asarray(size_a, dtype=np.float64) + np.asarray(size_b, dtype=np.float64)) / (1 + similarity)


def estimated_containment(similarity: np.ndarray, size_query: np.ndarray | int, size_entry: np.ndarray) -> np.ndarray:
    """The share of the smaller set's shingles the two have in common (at most 1, 0 for an empty set), estimated
    from a Jaccard estimate and the two set sizes: the containment every look-up of a unit in a kept one reads."""
    common = similarity * (size_query + size_entry) / (1.0 + similarity)
    smaller = np.minimum(size_entry, size_query)
    return np.minimum(np.where(smaller > 0, common / np.maximum(smaller, 1), 0.0), 1.0)


def held_share(similarity: ArrayLike, size_query: ArrayLike, size_entry: ArrayLike) -> np.ndarray:
    """The share of the entry's shingles the query holds, estimated from the Jaccard estimate and the sizes
    (1 where the entry's size is unknown). Reprint groups admit a member only above
    :data:`cleanse.stages.dedup.stars.MEMBER_SHARE` of its representative, as :func:`find_duplicates`
    stars do: two members of one group then always share part of the representative, so a digest's
    parts never meet in its group.

    >>> held_share(np.array([0.5]), np.array([100]), np.array([200])).tolist()
    [0.5]
    """
    size_entry = np.asarray(size_entry, dtype=np.float64)
    common = estimated_common(np.asarray(similarity), np.asarray(size_query), size_entry)
    return np.where(size_entry > 0, np.minimum(common / np.maximum(size_entry, 1e-12), 1.0), 1.0)


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


def signature_covers(
    signs_x: np.ndarray, signs_k: np.ndarray, size_x: np.ndarray, size_k: np.ndarray, rule: EdgeRule
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For rows of two signature arrays: whether X is covered by K (:meth:`EdgeRule.covers` on counts
    estimated from the signatures), the estimated Jaccard, whether the clause is Jaccard, and the score.

    The streaming index and the Ray engine decide every duplicate with this one function, so both give
    the same verdict on the same pair. A size of 0 (an entry saved without sizes) allows Jaccard only.

    >>> a = np.array([[1, 2, 3, 4]], dtype=np.uint32)
    >>> [v.tolist() for v in signature_covers(a, a, np.array([30]), np.array([30]), EdgeRule(0.5, 0.6))]
    [[True], [1.0], [True], [1.0]]
    """
    signs_x = np.asarray(signs_x).reshape(-1, np.asarray(signs_x).shape[-1])
    signs_k = np.asarray(signs_k).reshape(-1, np.asarray(signs_k).shape[-1])
    similarity = (signs_x == signs_k).mean(axis=1)
    covered, by_jaccard, score = similarity_covers(similarity, size_x, size_k, rule)
    return covered, similarity, by_jaccard, score


def similarity_covers(
    similarity: np.ndarray, size_x: ArrayLike, size_k: ArrayLike, rule: EdgeRule
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`signature_covers` once the estimated Jaccard of each pair is known: covered, whether the
    clause is Jaccard, and the score (the streaming stage computes the estimates of a chunk in blocks)."""
    size_x = np.broadcast_to(np.asarray(size_x, dtype=np.float64), similarity.shape)
    size_k = np.broadcast_to(np.asarray(size_k, dtype=np.float64), similarity.shape)
    known = (size_x > 0) & (size_k > 0)
    common = estimated_common(similarity, size_x, size_k)
    covered, by_jaccard, score = rule.covers(common, np.where(known, size_x, 1.0), np.where(known, size_k, 1.0))
    jaccard_only = similarity >= rule.threshold
    covered = np.where(known, covered, jaccard_only)
    by_jaccard = np.where(known, by_jaccard, jaccard_only)
    score = np.where(by_jaccard, similarity, np.where(known, score, similarity))
    return covered, by_jaccard, score
