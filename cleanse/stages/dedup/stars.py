"""Clusters around representatives: every member matches its cluster's representative directly.

Union-find over near-duplicate edges chains: a digest page holding articles A and B matches both, and
A and B, which share nothing, end up in one cluster. Here a cluster is a *star*: a representative and
the units that match it by the edge rule **and** hold more than half of the representative's shingles
(``MEMBER_SHARE``). Two members of one cluster therefore share more than nothing of the
representative: two texts with no shingle in common can never be in one cluster, whatever lies between
them, and a digest A+B can take at most one of its parts as members.

Representatives are chosen greedily: the unit that could take the most members (counting exact copies)
goes first, then the one with the highest summed share, then the earliest; each takes every match not
taken yet. Identical normalised units are one unit here and always end up together.

>>> left, right = np.array([0, 1]), np.array([1, 2])
>>> common, sizes = np.array([100, 100]), np.array([100, 200, 100])
>>> star_clusters(3, left, right, common, sizes, np.arange(3)).groups()
[[0, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEMBER_SHARE = 0.5  # a member holds more than this share of its representative's shingles


@dataclass(frozen=True)
class StarClusters:
    """``representative[i]``: the representative of unit ``i``'s cluster (``i`` itself when it is one)."""

    representative: np.ndarray

    def __len__(self) -> int:
        return len(self.representative)

    def groups(self, min_size: int = 2) -> list[list[int]]:
        """Clusters of at least ``min_size`` members, each sorted, ordered by their first member."""
        order = np.argsort(self.representative, kind="stable")
        labels = self.representative[order]
        cuts = np.flatnonzero(np.diff(labels)) + 1
        groups = [group.tolist() for group in np.split(order, cuts) if len(group) >= min_size]
        return sorted(sorted(group) for group in groups)


def star_clusters(
    count: int,
    left: np.ndarray,
    right: np.ndarray,
    common: np.ndarray,
    sizes: np.ndarray,
    exact: np.ndarray,
) -> StarClusters:
    """Stars over verified edges ``(left[k], right[k])`` with ``common[k]`` shared shingles.

    ``exact[i]`` is the first unit with the same normalised text as ``i`` (``i`` itself, or -1 for a unit
    with nothing to compare); only such first units appear in the edges.
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    common = np.asarray(common, dtype=np.float64)
    sizes = np.asarray(sizes, dtype=np.float64)
    exact = np.asarray(exact, dtype=np.int64)
    weight = np.bincount(exact[exact >= 0], minlength=count).astype(np.float64)
    rep = np.concatenate([left, right])
    member = np.concatenate([right, left])
    shared = np.concatenate([common, common])
    share = shared / np.maximum(sizes[rep], 1.0)
    usable = share > MEMBER_SHARE
    rep, member, share = rep[usable], member[usable], share[usable]
    degree = np.bincount(rep, weights=weight[member], minlength=count)
    total_share = np.bincount(rep, weights=share, minlength=count)
    order = np.lexsort((member, -share, rep))
    rep, member = rep[order], member[order]
    starts = np.searchsorted(rep, np.arange(count + 1))
    candidates = np.flatnonzero(degree > 0)
    ranked = candidates[np.lexsort((candidates, -total_share[candidates], -weight[candidates], -degree[candidates]))]
    del order, share, rep, shared, usable
    label = np.arange(count, dtype=np.int64)
    taken = np.zeros(count, dtype=np.uint8)
    # memoryviews of the arrays: Python ints are made one at a time, never a list per edge (memory)
    members = np.ascontiguousarray(member, dtype=np.int64).data
    bounds = np.ascontiguousarray(starts, dtype=np.int64).data
    taken_view, label_view = taken.data, label.data
    for centre in ranked.tolist():
        if taken_view[centre]:
            continue
        taken_view[centre] = 1
        for other in members[bounds[centre] : bounds[centre + 1]]:
            if not taken_view[other]:
                taken_view[other] = 1
                label_view[other] = centre
    representative = np.where(exact >= 0, label[np.maximum(exact, 0)], np.arange(count, dtype=np.int64))
    return StarClusters(representative)
