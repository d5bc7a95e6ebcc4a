"""Connected components of a graph held as a distributed edge list (large-star / small-star).

Near-duplicate clusters are the connected components of the verified candidate pairs. On one machine a
union-find does it; across a cluster no node may hold every edge, so components are found by the
alternating *large-star* and *small-star* operations of Kiveris et al., "Connected Components in
MapReduce and Beyond" (SoCC 2014), each one group-by-node shuffle:

- large-star at ``u``: every neighbour ``v > u`` is re-attached to ``m``, the smallest of ``u`` and its
  neighbours;
- small-star at ``u``: ``u`` and its neighbours ``v < u`` are re-attached to the smallest of them.

Both keep every component connected, and alternating them ends, after O(log² n) rounds, with each
component a star around its smallest node. Nodes are order keys (:mod:`cleanse.engines.rows`), so the
centre is the first document seen, the one the local "first seen" policy keeps.

The per-node functions below are plain numpy on one group, testable without Ray; :func:`components`
drives them with Ray Data ``groupby(...).map_groups(...)``.

>>> import numpy as np
>>> out = large_star(5, "e", np.array([2, 7, 9]), np.array(["b", "g", "i"], dtype=object))
>>> out["a"].tolist(), out["b"].tolist(), int(out["dirty"][0])
([7, 9], [2, 2], 1)
>>> out = small_star(5, "e", np.array([2, 3, 9]), np.array(["b", "c", "i"], dtype=object))
>>> out["a"].tolist(), out["b"].tolist()
([3, 5], [2, 2])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

EDGE_COLUMNS = ("a", "a_id", "b", "b_id", "dirty")
MAX_ROUNDS = 64


def _edges(a: np.ndarray, a_id: np.ndarray, b: np.ndarray, b_id: np.ndarray, dirty: int) -> dict[str, np.ndarray]:
    """Undirected edges stored larger endpoint first: ``a > b``, ``b`` being where ``a`` points."""
    return {
        "a": np.asarray(a, dtype=np.int64),
        "a_id": np.asarray(a_id, dtype=object),
        "b": np.asarray(b, dtype=np.int64),
        "b_id": np.asarray(b_id, dtype=object),
        "dirty": np.full(len(a), dirty, dtype=np.int8),
    }


def _neighbours(v: np.ndarray, v_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, first = np.unique(np.asarray(v, dtype=np.int64), return_index=True)
    return unique, np.asarray(v_id, dtype=object)[first]


def large_star(u: int, u_id: Any, v: np.ndarray, v_id: np.ndarray, dirty: int = 0) -> dict[str, np.ndarray]:
    """Attach every neighbour larger than ``u`` to the smallest of ``u`` and its neighbours."""
    nodes, ids = _neighbours(v, v_id)
    smallest = int(nodes[0]) if len(nodes) and nodes[0] < u else u
    smallest_id = ids[0] if smallest != u else u_id
    larger = nodes > u
    changed = int(smallest != u and bool(larger.any()))
    count = int(larger.sum())
    return _edges(
        nodes[larger],
        ids[larger],
        np.full(count, smallest),
        np.full(count, smallest_id, dtype=object),
        max(dirty, changed),
    )


def small_star(u: int, u_id: Any, v: np.ndarray, v_id: np.ndarray, dirty: int = 0) -> dict[str, np.ndarray]:
    """Attach ``u`` and its neighbours smaller than ``u`` to the smallest of them."""
    nodes, ids = _neighbours(v, v_id)
    smaller = nodes < u
    nodes, ids = nodes[smaller], ids[smaller]
    if not len(nodes):
        return _edges(nodes, ids, nodes, ids, dirty)
    changed = int(len(nodes) > 1)
    members = np.concatenate([nodes[1:], [u]])
    member_ids = np.concatenate([ids[1:], np.array([u_id], dtype=object)])
    count = len(members)
    return _edges(
        members, member_ids, np.full(count, nodes[0]), np.full(count, ids[0], dtype=object), max(dirty, changed)
    )


def both_directions(batch: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each undirected edge as two rows keyed by either endpoint, ready to group by ``u``."""
    return {
        "u": np.concatenate([batch["a"], batch["b"]]).astype(np.int64),
        "u_id": np.concatenate([np.asarray(batch["a_id"], dtype=object), np.asarray(batch["b_id"], dtype=object)]),
        "v": np.concatenate([batch["b"], batch["a"]]).astype(np.int64),
        "v_id": np.concatenate([np.asarray(batch["b_id"], dtype=object), np.asarray(batch["a_id"], dtype=object)]),
        "dirty": np.concatenate([batch["dirty"], batch["dirty"]]).astype(np.int8),
    }


def _large_star_group(group: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return large_star(int(group["u"][0]), group["u_id"][0], group["v"], group["v_id"], int(group["dirty"].max()))


def _small_star_group(group: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return small_star(int(group["u"][0]), group["u_id"][0], group["v"], group["v_id"], int(group["dirty"].max()))


def _clean(batch: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {name: np.asarray(batch[name]) for name in EDGE_COLUMNS}
    out["dirty"] = np.zeros(len(out["a"]), dtype=np.int8)
    return out


def components(edges: Any, partitions: int = 2, max_rounds: int = MAX_ROUNDS) -> Any:
    """Stars ``(a, a_id) -> (b, b_id)``: every node of a component pointing to its smallest node.

    ``edges`` is a Ray Dataset with columns ``a, a_id, b, b_id`` (``a > b``). Each round is a large-star
    and a small-star shuffle; rounds go on until one changes nothing (a ``dirty`` flag travels with the
    edges and one distributed ``max`` reads it). Raises ``RuntimeError`` if ``max_rounds`` is not enough,
    which for O(log² n) convergence means a bug, not a big input.
    """
    current = edges.map_batches(_clean, batch_format="numpy")
    for _ in range(max_rounds):
        stepped = (
            current.map_batches(both_directions, batch_format="numpy")
            .groupby("u", num_partitions=partitions)
            .map_groups(_large_star_group, batch_format="numpy")
            .map_batches(both_directions, batch_format="numpy")
            .groupby("u", num_partitions=partitions)
            .map_groups(_small_star_group, batch_format="numpy")
            .materialize()
        )
        if stepped.count() == 0 or not stepped.max("dirty"):
            return stepped
        current = stepped.map_batches(_clean, batch_format="numpy")
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
