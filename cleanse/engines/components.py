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

The per-node functions below are plain numpy on one group, testable without Ray; :func:`star_step`
applies one of them to every node of a partition, and :func:`components` drives the rounds as shuffles of
Ray tasks (:mod:`cleanse.engines.shuffle`).

>>> import numpy as np
>>> out = large_star(5, "e", np.array([2, 7, 9]), np.array(["b", "g", "i"], dtype=object))
>>> out["a"].tolist(), out["b"].tolist(), int(out["dirty"][0])
([7, 9], [2, 2], 1)
>>> out = small_star(5, "e", np.array([2, 3, 9]), np.array(["b", "c", "i"], dtype=object))
>>> out["a"].tolist(), out["b"].tolist()
([3, 5], [2, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cleanse.engines._optional import EngineError
from cleanse.engines.pairs import STAR_COLUMNS, both_directions
from cleanse.engines.shuffle import Columns, Steps, concat_columns, group_starts, partition_of, split_columns

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


def star_step(operation: Callable[..., dict[str, np.ndarray]], parts: list[Columns], partitions: int) -> list[Any]:
    """One large-star or small-star over a partition of ``u``-keyed rows: new rows split by ``u``, then "changed"."""
    rows = concat_columns(parts, STAR_COLUMNS)
    order = np.argsort(rows["u"], kind="stable")
    starts = group_starts(rows["u"][order]).tolist()
    outputs, changed = [], False
    for lo, hi in zip(starts[:-1], starts[1:], strict=True):
        group = order[lo:hi]
        out = operation(int(rows["u"][group[0]]), rows["u_id"][group[0]], rows["v"][group], rows["v_id"][group])
        changed = changed or bool(out["dirty"].any())
        outputs.append(out)
    edges = (
        {name: np.concatenate([o[name] for o in outputs]) for name in ("a", "a_id", "b", "b_id")}
        if outputs
        else {
            "a": STAR_COLUMNS["u"],
            "a_id": STAR_COLUMNS["u_id"],
            "b": STAR_COLUMNS["v"],
            "b_id": STAR_COLUMNS["v_id"],
        }
    )
    stars = both_directions(edges)
    return [*split_columns(stars, partition_of(stars["u"], partitions), partitions), changed]


def large_star_step(parts: list[Columns], partitions: int) -> list[Any]:
    return star_step(large_star, parts, partitions)


def small_star_step(parts: list[Columns], partitions: int) -> list[Any]:
    return star_step(small_star, parts, partitions)


def components(steps: Steps, parts: list[list[Any]], partitions: int, max_rounds: int = MAX_ROUNDS) -> list[list[Any]]:
    """Stars: every node of a component pointing to its smallest node, as ``u``-keyed rows in both directions.

    ``parts[i]`` are task ``i``'s references to ``partitions`` parts of edges keyed by ``u`` (both directions).
    Rounds of a large-star and a small-star shuffle go on until neither changes anything; raises
    :class:`EngineError` if ``max_rounds`` is not enough (O(log² n) convergence: that would be a bug).
    """
    current = parts
    for _ in range(max_rounds):
        large = steps.shuffle("components: large-star", large_star_step, partitions + 1, current, partitions)
        small = steps.shuffle(
            "components: small-star", small_star_step, partitions + 1, [refs[:partitions] for refs in large], partitions
        )
        changed = steps.get([refs[partitions] for refs in large + small])
        current = [refs[:partitions] for refs in small]
        if not any(changed):
            return current
    raise EngineError(f"connected components did not converge in {max_rounds} rounds")
