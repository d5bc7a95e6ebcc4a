"""Large-star / small-star on one machine: the per-node functions, driven in plain Python, find the
same components as a union-find."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.engines.components import (
    both_directions,
    components,
    large_star,
    large_star_rows,
    small_star,
    small_star_rows,
)
from cleanse.engines.shuffle import InlineSteps, partition_of, split_columns


def _round(edges: set[tuple[int, int]], operation) -> tuple[set[tuple[int, int]], int]:
    batch = {
        "a": np.array([a for a, _ in edges], dtype=np.int64),
        "b": np.array([b for _, b in edges], dtype=np.int64),
        "a_id": np.array([f"n{a}" for a, _ in edges], dtype=object),
        "b_id": np.array([f"n{b}" for _, b in edges], dtype=object),
        "dirty": np.zeros(len(edges), dtype=np.int8),
    }
    doubled = both_directions(batch)
    groups: dict[int, list[int]] = defaultdict(list)
    for u, v, v_id in zip(doubled["u"].tolist(), doubled["v"].tolist(), doubled["v_id"].tolist(), strict=True):
        assert v_id == f"n{v}"
        groups[u].append(v)
    out: set[tuple[int, int]] = set()
    dirty = 0
    for u, vs in groups.items():
        result = operation(u, f"n{u}", np.array(vs), np.array([f"n{v}" for v in vs], dtype=object))
        assert all(a > b for a, b in zip(result["a"].tolist(), result["b"].tolist(), strict=True))
        assert all(i == f"n{b}" for i, b in zip(result["b_id"].tolist(), result["b"].tolist(), strict=True))
        out |= set(zip(result["a"].tolist(), result["b"].tolist(), strict=True))
        dirty = max(dirty, int(result["dirty"].max()) if len(result["dirty"]) else 0)
    return out, dirty


def _stars(edges: set[tuple[int, int]]) -> tuple[dict[int, int], int]:
    rounds = 0
    while True:
        rounds += 1
        edges, dirty_large = _round(edges, large_star)
        edges, dirty_small = _round(edges, small_star)
        if not (dirty_large or dirty_small):
            return dict(edges), rounds
        assert rounds < 64


def _union_find(edges: set[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent if find(node) != node}


edge_lists = st.sets(st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda e: e[0] != e[1]), max_size=60)


@settings(max_examples=150, deadline=None)
@given(edge_lists)
def test_stars_point_every_node_to_the_smallest_of_its_component(pairs):
    edges = {(max(a, b), min(a, b)) for a, b in pairs}
    stars, _ = _stars(edges)
    assert stars == _union_find(edges)


def test_a_long_chain_converges_in_few_rounds():
    edges = {(n + 1, n) for n in range(200)}
    stars, rounds = _stars(edges)
    assert stars == {n: 0 for n in range(1, 201)}
    assert rounds <= 12


def test_a_converged_star_reports_no_change():
    edges = {(n, 0) for n in range(1, 6)}
    after_large, dirty_large = _round(edges, large_star)
    after_small, dirty_small = _round(after_large, small_star)
    assert after_small == edges and dirty_large == dirty_small == 0


@settings(max_examples=40, deadline=None)
@given(edge_lists, st.integers(1, 4))
def test_the_partitioned_rounds_find_the_same_stars(pairs, partitions):
    edges = {(max(a, b), min(a, b)) for a, b in pairs}
    columns = {
        "a": np.array([a for a, _ in edges], dtype=np.int64),
        "a_id": np.array([f"n{a}" for a, _ in edges], dtype=object),
        "b": np.array([b for _, b in edges], dtype=np.int64),
        "b_id": np.array([f"n{b}" for _, b in edges], dtype=object),
    }
    rows = both_directions(columns)
    parts = [split_columns(rows, partition_of(rows["u"], partitions), partitions)]
    stars = components(InlineSteps(), parts, partitions)
    found = {}
    for part in (p for task in stars for p in task):
        for u, v, v_id in zip(part["u"].tolist(), part["v"].tolist(), part["v_id"].tolist(), strict=True):
            if u > v:
                assert found.setdefault(u, v) == v and v_id == f"n{v}"
    assert found == _union_find(edges)


@settings(max_examples=100, deadline=None)
@given(edge_lists)
def test_the_partition_wide_stars_equal_the_per_node_definition(pairs):
    edges = {(max(a, b), min(a, b)) for a, b in pairs}
    for per_node, vectorised in ((large_star, large_star_rows), (small_star, small_star_rows)):
        expected, dirty = _round(edges, per_node)
        columns = {
            "a": np.array([a for a, _ in edges], dtype=np.int64),
            "a_id": np.array([f"n{a}" for a, _ in edges], dtype=object),
            "b": np.array([b for _, b in edges], dtype=np.int64),
            "b_id": np.array([f"n{b}" for _, b in edges], dtype=object),
        }
        out, moved = vectorised(both_directions(columns))
        assert set(zip(out["a"].tolist(), out["b"].tolist(), strict=True)) == expected
        assert out["b_id"].tolist() == [f"n{b}" for b in out["b"].tolist()] and moved == bool(dirty)
