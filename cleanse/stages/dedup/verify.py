"""Exact verification of candidate pairs on their shingle sets (sorted unique uint32 hashes per unit).

LSH candidates are only candidates: every pair is re-checked with the exact Jaccard similarity (or
containment) of the two shingle sets, so precision does not depend on MinHash estimation error.

>>> from cleanse.stages.dedup.shingles import shingle_batch
>>> sets = ShingleSets.from_batch(shingle_batch(["abcdefg", "abcdefh", "xyz"], ngram=3))
>>> sets.sizes().tolist()
[5, 5, 1]
>>> jaccard(sets, np.array([0, 0]), np.array([1, 2])).round(3).tolist()
[0.667, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.shingles import ShingleBatch


@dataclass(frozen=True)
class ShingleSets:
    """Unit ``i``'s distinct shingle hashes, sorted: ``values[offsets[i]:offsets[i + 1]]``."""

    values: np.ndarray  # uint32
    offsets: np.ndarray  # int64

    @classmethod
    def from_batch(cls, batch: ShingleBatch) -> ShingleSets:
        if native is not None:
            values = batch.hashes.copy()
            counts = np.empty(batch.units, dtype=np.int64)
            native.sorted_sets(values, np.ascontiguousarray(batch.offsets, dtype=np.int64), counts)
            offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
            return cls(values[: offsets[-1]].copy(), offsets)
        return cls.from_batch_numpy(batch)

    @classmethod
    def from_batch_numpy(cls, batch: ShingleBatch) -> ShingleSets:
        """The numpy path of :meth:`from_batch`: one sort of (unit, hash) keys."""
        counts = batch.counts()
        unit_of = np.repeat(np.arange(batch.units, dtype=np.uint64), counts)
        keys = (unit_of << np.uint64(32)) | batch.hashes.astype(np.uint64)
        keys.sort()
        keep = np.ones(len(keys), dtype=bool)
        keep[1:] = keys[1:] != keys[:-1]
        kept = keys[keep]
        kept_counts = np.bincount((kept >> np.uint64(32)).astype(np.int64), minlength=batch.units)
        offsets = np.concatenate(([0], np.cumsum(kept_counts))).astype(np.int64)
        return cls((kept & np.uint64(0xFFFFFFFF)).astype(np.uint32), offsets)

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def unit(self, index: int) -> np.ndarray:
        return self.values[self.offsets[index] : self.offsets[index + 1]]


def intersections(sets: ShingleSets, left: np.ndarray, right: np.ndarray, use_native: bool | None = None) -> np.ndarray:
    """``|A ∩ B|`` for each pair of units (compiled merge when available, numpy otherwise)."""
    left = np.ascontiguousarray(left, dtype=np.int64)
    right = np.ascontiguousarray(right, dtype=np.int64)
    out = np.zeros(len(left), dtype=np.int64)
    if use_native is None:
        use_native = native is not None
    if use_native and native is not None:
        native.intersections(sets.values, sets.offsets, left, right, out)
        return out
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        out[k] = len(np.intersect1d(sets.unit(i), sets.unit(j), assume_unique=True))
    return out


def jaccard(sets: ShingleSets, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of each pair."""
    common = intersections(sets, left, right)
    sizes = sets.sizes()
    union = sizes[left] + sizes[right] - common
    return np.where(union > 0, common / np.maximum(union, 1), 1.0)


def containment(sets: ShingleSets, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Exact containment of the smaller set of each pair in the larger: ``|A ∩ B| / min(|A|, |B|)``."""
    common = intersections(sets, left, right)
    sizes = sets.sizes()
    smaller = np.minimum(sizes[left], sizes[right])
    return np.where(smaller > 0, common / np.maximum(smaller, 1), 0.0)
