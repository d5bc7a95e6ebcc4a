"""Union-find over array indices, vectorised: every union call merges a whole array of pairs at once.

The parent array is kept fully compressed (every element points straight at its root, the smallest
index of its cluster), so ``find`` is one gather and ``union`` relabels through scipy's
connected components: no Python loop per pair, which is what the reduce step needs at scale.

>>> clusters = UnionFind(5)
>>> clusters.union(np.array([0, 3]), np.array([1, 4]))
>>> clusters.union(np.array([1]), np.array([4]))
>>> clusters.roots().tolist()
[0, 0, 2, 0, 0]
>>> clusters.groups()
[[0, 1, 3, 4]]
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


class UnionFind:
    """Disjoint sets over ``0..size-1``; each root is the smallest member of its set."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError(f"size must be non-negative, got {size}")
        self.parent = np.arange(size, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.parent)

    def find(self, items: np.ndarray) -> np.ndarray:
        return self.parent[items]

    def roots(self) -> np.ndarray:
        return self.parent.copy()

    def union(self, left: np.ndarray, right: np.ndarray) -> None:
        """Merge the sets of ``left[k]`` and ``right[k]`` for every k."""
        left, right = self.parent[np.asarray(left, dtype=np.int64)], self.parent[np.asarray(right, dtype=np.int64)]
        differ = left != right
        if not differ.any():
            return
        size = len(self.parent)
        graph = coo_matrix(
            (np.ones(int(differ.sum()), dtype=np.int8), (left[differ], right[differ])), shape=(size, size)
        )
        count, labels = connected_components(graph, directed=False)
        smallest = np.full(count, size, dtype=np.int64)
        np.minimum.at(smallest, labels, np.arange(size, dtype=np.int64))
        self.parent = smallest[labels[self.parent]]

    def groups(self, min_size: int = 2) -> list[list[int]]:
        """Sets of at least ``min_size`` members, each sorted, ordered by their first member."""
        order = np.argsort(self.parent, kind="stable")
        roots = self.parent[order]
        cuts = np.flatnonzero(np.diff(roots)) + 1
        return [g.tolist() for g in np.split(order, cuts) if len(g) >= min_size]
