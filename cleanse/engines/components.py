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

The per-node functions below are plain numpy on one group, the readable definition; :func:`large_star_rows`
and :func:`small_star_rows` do the same at every node of a partition in a few array operations (tested
equal), and :func:`components` drives the rounds as shuffles of Ray tasks (:mod:`cleanse.engines.shuffle`).

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


def _sorted_unique(rows: Columns, keep: np.ndarray | None = None) -> tuple[Columns, np.ndarray]:
    """Rows (optionally a subset) sorted by ``u`` then ``v``, each ``(u, v)`` once, and where each ``u`` starts."""
    if keep is not None:
        rows = {name: values[keep] for name, values in rows.items()}
    order = np.lexsort((rows["v"], rows["u"]))
    rows = {name: values[order] for name, values in rows.items()}
    fresh = np.ones(len(rows["u"]), dtype=bool)
    fresh[1:] = (rows["u"][1:] != rows["u"][:-1]) | (rows["v"][1:] != rows["v"][:-1])
    rows = {name: values[fresh] for name, values in rows.items()}
    return rows, group_starts(rows["u"])


def large_star_rows(rows: Columns) -> tuple[dict[str, np.ndarray], bool]:
    """:func:`large_star` at every node of a partition at once: the new edges and whether anything moved."""
    rows, starts = _sorted_unique(rows)
    first = starts[:-1]
    group = np.repeat(np.arange(len(first)), np.diff(starts))
    below = rows["v"][first] < rows["u"][first]  # the smallest neighbour is smaller than the node
    smallest = np.where(below, rows["v"][first], rows["u"][first])
    smallest_id = np.where(below, rows["v_id"][first], rows["u_id"][first])
    larger = rows["v"] > rows["u"]
    moved = bool((below[group] & larger).any())
    edges = {
        "a": rows["v"][larger],
        "a_id": rows["v_id"][larger],
        "b": smallest[group[larger]],
        "b_id": smallest_id[group[larger]].astype(object),
    }
    return edges, moved


def small_star_rows(rows: Columns) -> tuple[dict[str, np.ndarray], bool]:
    """:func:`small_star` at every node of a partition at once: the new edges and whether anything moved."""
    rows, starts = _sorted_unique(rows, rows["v"] < rows["u"])
    first = starts[:-1]
    sizes = np.diff(starts)
    group = np.repeat(np.arange(len(first)), sizes)
    others = np.ones(len(rows["u"]), dtype=bool)
    others[first] = False  # every smaller neighbour but the smallest, then the node itself
    edges = {
        "a": np.concatenate([rows["v"][others], rows["u"][first]]),
        "a_id": np.concatenate([rows["v_id"][others], rows["u_id"][first]]).astype(object),
        "b": np.concatenate([rows["v"][first][group[others]], rows["v"][first]]),
        "b_id": np.concatenate([rows["v_id"][first][group[others]], rows["v_id"][first]]).astype(object),
    }
    return edges, bool((sizes > 1).any())


def star_step(
    operation: Callable[[Columns], tuple[dict[str, np.ndarray], bool]], parts: list[Columns], partitions: int
) -> list[Any]:
    """One large-star or small-star over a partition of ``u``-keyed rows: new rows split by ``u``, then "changed"."""
    edges, moved = operation(concat_columns(parts, STAR_COLUMNS))
    stars = both_directions(edges)
    return [*split_columns(stars, partition_of(stars["u"], partitions), partitions), moved]


def large_star_step(parts: list[Columns], partitions: int) -> list[Any]:
    return star_step(large_star_rows, parts, partitions)


def small_star_step(parts: list[Columns], partitions: int) -> list[Any]:
    return star_step(small_star_rows, parts, partitions)


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
