"""Batch mode: the reduce step (grouping, union-find), verification, clusters and the one-call helper."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanse
from cleanse.stages.dedup import DedupOptions, find_duplicates, find_pairs
from cleanse.stages.dedup.batch import concatenate, contained_pairs, sketch_chunk, sketch_units
from cleanse.stages.dedup.grouping import bucket_pairs
from cleanse.stages.dedup.lsh import optimal_params
from cleanse.stages.dedup.shingles import shingle_batch, shingle_strings
from cleanse.stages.dedup.unionfind import UnionFind
from cleanse.stages.dedup.verify import ShingleSets, intersections, jaccard

BASE = (
    "各地认真贯彻落实重要指示精神，深入分析城市发展新情况新要求，上海等地率先行动，积极探索符合城市特点和规律的新路径。"
)


@given(st.lists(st.integers(0, 5), max_size=40), st.integers(2, 6))
@settings(max_examples=80, deadline=None)
def test_bucket_pairs_connect_every_bucket(keys: list[int], limit: int) -> None:
    array = np.array(keys, dtype=np.uint64)
    left, right = bucket_pairs(array, all_pairs_limit=limit)
    assert (left < right).all() and (array[left] == array[right]).all()
    found = UnionFind(len(keys))
    found.union(left, right)
    expected = UnionFind(len(keys))
    for i, j in itertools.combinations(range(len(keys)), 2):
        if keys[i] == keys[j]:
            expected.union(np.array([i]), np.array([j]))
    assert found.groups() == expected.groups()
    small = {(i, j) for i, j in itertools.combinations(range(len(keys)), 2) if keys[i] == keys[j]}
    if all(keys.count(k) <= limit for k in keys):
        assert set(zip(left.tolist(), right.tolist(), strict=True)) == small


def test_union_find_roots_are_the_smallest_members() -> None:
    clusters = UnionFind(6)
    clusters.union(np.array([5, 4]), np.array([3, 5]))
    clusters.union(np.array([1]), np.array([1]))
    assert clusters.roots().tolist() == [0, 1, 2, 3, 3, 3]
    assert clusters.groups() == [[3, 4, 5]]


def test_native_and_numpy_intersections_agree_with_python_sets() -> None:
    texts = [BASE, BASE[5:], BASE[::-1], ""]
    sets = ShingleSets.from_batch(shingle_batch(texts))
    left, right = np.array([0, 0, 1, 3]), np.array([1, 2, 2, 0])
    expected = [
        len(set(shingle_strings(texts[i])) & set(shingle_strings(texts[j]))) for i, j in zip(left, right, strict=True)
    ]
    assert intersections(sets, left, right, use_native=False).tolist() == expected
    assert intersections(sets, left, right).tolist() == expected
    assert jaccard(sets, left[:1], right[:1])[0] == pytest.approx((len(BASE) - 9) / (len(BASE) - 4))


def test_find_duplicates_clusters_reprints_and_keeps_distinct_texts_apart() -> None:
    texts = [BASE, "完全无关的一段新闻：今天天气晴朗，气温二十度。", BASE.replace("上海", "深圳"), "", BASE + "（完）"]
    assert find_duplicates(texts, threshold=0.7) == [[0, 2, 4]]
    assert cleanse.find_duplicates(texts, threshold=0.7) == [[0, 2, 4]]
    assert find_duplicates([], threshold=0.5) == []
    assert find_duplicates(["", "", "……"]) == []


def test_find_pairs_reports_exact_similarity() -> None:
    pairs = find_pairs([BASE, BASE.replace("上海", "深圳"), BASE], threshold=0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (0, 2), (1, 2)]
    assert pairs[1][2] == 1.0 and 0.5 <= pairs[0][2] < 1.0


def test_bad_input_gets_a_clear_error() -> None:
    with pytest.raises(TypeError, match="texts\\[1\\]"):
        find_duplicates(["a", b"bytes"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="one string"):
        find_duplicates("one string")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold"):
        find_duplicates(["a"], threshold=1.5)


def test_chunked_map_equals_one_chunk() -> None:
    texts = [BASE[i:] for i in range(0, 40, 3)]
    whole = sketch_units(texts, DedupOptions())
    parts = concatenate([sketch_chunk(texts[:5], DedupOptions()), sketch_chunk(texts[5:], DedupOptions())])
    assert np.array_equal(whole.keys, parts.keys) and np.array_equal(whole.sets.values, parts.sets.values)


def test_lsh_params_follow_datasketch() -> None:
    from datasketch.lsh import _optimal_param

    for threshold in (0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):  # exact quadrature, datasketch's scipy quad
        assert optimal_params(threshold, 128, 0.5, 0.5) == _optimal_param(threshold, 128, 0.5, 0.5)
        assert optimal_params(threshold, 128, 0.05, 0.95) == _optimal_param(threshold, 128, 0.05, 0.95)
        assert optimal_params(threshold, 64, 0.1, 0.9) == _optimal_param(threshold, 64, 0.1, 0.9)


def test_contained_paragraph_inside_a_long_page_is_found() -> None:
    short = "杭州规范国资、教育、卫生、城管等16个行业系统与属地党建责任，建立定期协商、共抓落实机制。"
    page = (
        "城市是人类文明的标志。" * 3 + short.replace("建立", "并建立") + "其他地方也在探索新的做法，取得明显成效。" * 8
    )
    found = contained_pairs([page, "毫不相干的一句话，讲的是体育比赛的结果。", short], DedupOptions())
    assert [(s, g) for s, g, _ in found] == [(2, 0)] and found[0][2] >= 0.8
