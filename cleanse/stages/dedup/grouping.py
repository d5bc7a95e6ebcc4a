"""The reduce step: band keys grouped by sorting arrays (no Python dict per band) into candidate pairs.

Units sharing a key in a band form a bucket. A bucket of at most ``all_pairs_limit`` members yields
all its pairs; a larger one (thousands of copies of one story) yields each member paired with its
neighbour and with the bucket's first member, which is enough to connect a cluster while keeping
the number of pairs linear in the bucket size.

>>> keys = np.array([[5], [7], [5], [5]], dtype=np.uint64)
>>> [pair.tolist() for pair in bucket_pairs(keys[:, 0])]
[[0, 0, 2], [2, 3, 3]]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def bucket_pairs(keys: np.ndarray, all_pairs_limit: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(left, right)``, ``left < right``, of units sharing a key in one band."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    is_start = np.concatenate(([True], ~same))
    start_index = np.flatnonzero(is_start)
    sizes = np.diff(np.concatenate((start_index, [len(keys)])))
    run_start = np.repeat(start_index, sizes)
    run_size = np.repeat(sizes, sizes)
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    small = (run_size >= 2) & (run_size <= all_pairs_limit)
    small_positions = np.flatnonzero(small)
    for distance in range(1, int(run_size[small].max()) if small.any() else 1):
        candidates = small_positions[small_positions - distance >= run_start[small_positions]]
        lefts.append(order[candidates - distance])
        rights.append(order[candidates])
    large_positions = np.flatnonzero(run_size > all_pairs_limit)
    if len(large_positions):
        chained = large_positions[large_positions > run_start[large_positions]]
        lefts += [order[chained - 1], order[run_start[chained]]]
        rights += [order[chained], order[chained]]
    left = np.concatenate(lefts) if lefts else np.zeros(0, dtype=np.int64)
    right = np.concatenate(rights) if rights else np.zeros(0, dtype=np.int64)
    low, high = np.minimum(left, right), np.maximum(left, right)
    keep = low != high
    return unique_pairs(low[keep], high[keep])


def unique_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs without repeats, sorted by ``(left, right)``."""
    if len(left) == 0:
        return left.astype(np.int64), right.astype(np.int64)
    left, right = left.astype(np.int64), right.astype(np.int64)
    width = np.int64(int(right.max()) + 1)
    combined = np.sort(left * width + right)
    keep = np.ones(len(combined), dtype=bool)
    keep[1:] = combined[1:] != combined[:-1]
    combined = combined[keep]
    return combined // width, combined % width


def band_pairs(keys: np.ndarray, all_pairs_limit: int = 64) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs band by band (``keys`` has one column per band)."""
    for band in range(keys.shape[1]):
        yield bucket_pairs(keys[:, band], all_pairs_limit)
