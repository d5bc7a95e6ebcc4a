"""The edge rule: its algebra, batch clusters against brute force, precision on the seeds' own text, streaming.

Natural precision criterion (independent of shingles, hashing and LSH): two units in one found cluster are a
true repeat when at least half of the shorter normalised text occurs verbatim in the longer one, in runs of
8 characters or more (``difflib.SequenceMatcher`` matching blocks).
"""

from __future__ import annotations

import difflib
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.reprints import generate_reprints, seed_paragraphs
from cleanse.document import Document
from cleanse.stages.dedup import (
    DedupOptions,
    EdgeRule,
    NearDupDetector,
    NearDupIndex,
    estimated_common,
    find_duplicates,
    signature_edges,
)
from cleanse.stages.dedup.batch import sketch_units
from cleanse.stages.dedup.evaluate import brute_force_clusters
from cleanse.stages.dedup.normalise import normalise_unit

ROOT = Path(__file__).resolve().parents[3]
RULE = EdgeRule.from_options(DedupOptions())
VERBATIM_BLOCK = 8
VERBATIM_SHARE = 0.5

counts = st.integers(1, 400)


@given(counts, counts, st.floats(0.0, 1.0))
@settings(max_examples=200, deadline=None)
def test_the_rule_is_symmetric_and_the_size_prefilter_never_drops_an_edge(a: int, b: int, share: float) -> None:
    common = np.array([round(share * min(a, b))])
    size_a, size_b = np.array([a]), np.array([b])
    joined = RULE.joins(common, size_a, size_b)
    assert joined[0] == RULE.joins(common, size_b, size_a)[0]
    assert not joined[0] or RULE.possible(size_a, size_b)[0]
    jaccard = common[0] / (a + b - common[0])
    if joined[0]:
        assert jaccard >= RULE.jaccard_floor - 1e-9


@given(counts, counts, st.floats(0.0, 1.0))
@settings(max_examples=100, deadline=None)
def test_without_the_reprint_clause_the_rule_is_the_jaccard_threshold(a: int, b: int, share: float) -> None:
    common = round(share * min(a, b))
    jaccard_only = EdgeRule(0.5)
    assert jaccard_only.joins(np.array([common]), np.array([a]), np.array([b]))[0] == (common / (a + b - common) >= 0.5)


def test_each_guard_of_the_reprint_clause_is_needed() -> None:
    sizes = np.array([40]), np.array([120])
    assert RULE.joins(np.array([38]), *sizes)[0]  # contained, 38 shared, 3x longer: a reprint
    assert not RULE.joins(np.array([20]), *sizes)[0]  # half contained
    assert not RULE.joins(np.array([20]), np.array([20]), np.array([80]))[0]  # fully inside but only 20 shared
    assert not RULE.joins(np.array([40]), np.array([40]), np.array([200]))[0]  # inside a page 5x longer


def test_estimated_counts_give_back_the_jaccard_they_came_from() -> None:
    similarity, size_a, size_b = np.array([0.25, 0.5, 1.0]), np.array([40, 90, 70]), np.array([120, 100, 70])
    common = estimated_common(similarity, size_a, size_b)
    assert np.allclose(common / (size_a + size_b - common), similarity)


def test_signature_edges_follow_the_rule_and_fall_back_to_jaccard_without_sizes() -> None:
    texts = ["社区是城市治理的底座，也是联系服务群众的最后一公里，各地加强对社区的工作支持和资源保障。"]
    added = "记者在现场看到，志愿者们正在为前来办事的居民登记信息，并耐心解答他们提出的各类问题。"
    texts.append(added + texts[0] + "下一步，街道还将开设夜间服务窗口，方便上班族下班后办理业务。")
    sketches = sketch_units(texts, DedupOptions(), keep_signs=True)
    assert sketches.signs is not None
    sizes = sketches.sets.sizes()
    edge, similarity = signature_edges(sketches.signs[:1], sketches.signs[1:], sizes[:1], sizes[1:], RULE)
    assert edge.tolist() == [True] and similarity[0] < 0.5
    unknown, _ = signature_edges(sketches.signs[:1], sketches.signs[1:], np.array([0]), sizes[1:], RULE)
    assert unknown.tolist() == [False]


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("unit", ["paragraph", "document"])
def test_find_duplicates_finds_what_the_rule_applied_to_every_pair_finds(seed: int, unit: str) -> None:
    """LSH candidates may miss an edge (recall), never add one (every candidate is verified exactly)."""
    size = {"paragraph": {"clusters": 50, "singletons": 30}, "document": {"clusters": 25, "singletons": 15}}[unit]
    corpus = generate_reprints(seed=seed, unit=unit, copies=4, **size)  # type: ignore[arg-type]
    found, truth = _pairs(find_duplicates(corpus.texts)), _pairs(brute_force_clusters(corpus.texts))
    assert found <= truth and len(found) >= 0.98 * len(truth) and len(truth) > 100


def _pairs(clusters: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for cluster in clusters for pair in itertools.combinations(sorted(cluster), 2)}


def _natural_units() -> list[str]:
    """Every paragraph, heading and short line of the five seeds, each distinct text once."""
    lines = {
        line.strip()
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    }
    return sorted(lines | {text for _, text in seed_paragraphs()})


def _verbatim_share(first: str, second: str) -> float:
    short, long = sorted((first, second), key=len)
    blocks = difflib.SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= VERBATIM_BLOCK) / max(len(short), 1)


def test_no_false_merge_among_the_seeds_natural_paragraphs_headings_and_lines() -> None:
    units = _natural_units()
    normal = [normalise_unit(text).text for text in units]
    clusters = find_duplicates(units)
    checked = 0
    for cluster in clusters:
        for first, second in itertools.combinations(cluster, 2):
            checked += 1
            share = _verbatim_share(normal[first], normal[second])
            assert share >= VERBATIM_SHARE, (units[first], units[second], share)
    assert len(units) > 300 and checked >= 1
    # The reprint clause adds no cluster on this text: templated headings and quoted lines stay apart.
    assert clusters == find_duplicates(units, reprint_containment=0.0)


def test_streaming_duplicates_name_an_earlier_kept_document_that_covers_them() -> None:
    corpus = generate_reprints(seed=0, unit="document", clusters=25, copies=4, singletons=15)
    docs = [Document.from_text(text, id=str(number)) for number, text in enumerate(corpus.texts)]
    out = list(NearDupDetector(level="documents").run(docs))
    kept_before: set[str] = set()
    duplicates = 0
    for doc in out:
        if doc.kept:
            kept_before.add(doc.id)
            continue
        duplicates += 1
        assert doc.duplicate_of in kept_before
        assert int(doc.id) in next(c for c in corpus.clusters() if int(doc.duplicate_of or -1) in c)
    assert duplicates >= 40


def test_a_document_joining_two_kept_documents_is_kept_and_never_clusters_them() -> None:
    first = "城东新区的地铁三号线今天开通运营，沿线设车站十八座，全程运行约四十分钟，市民出行更加方便快捷。"
    second = "市图书馆的新馆舍本月对外开放，馆内藏书超过两百万册，还设有少儿阅览区和自习室，每天开放十二小时。"
    joined = first + second
    docs = [Document.from_text(text, id=name) for name, text in (("a", first), ("b", second), ("c", joined))]
    stage = NearDupDetector(level="documents")
    out = list(stage.run(docs))
    assert [doc.status for doc in out] == ["kept", "kept", "kept"]
    clusters = find_duplicates([first, second, joined])
    assert not any(0 in cluster and 1 in cluster for cluster in clusters)
    rows = stage.report()["documents"]["clusters"]  # the joined page is related to both, shared: no merge
    assert sorted(row["kept"] for row in rows) == ["a", "b"]
    assert all(row["members"] == [row["kept"]] and row["related"] == row["shared"] == ["c"] for row in rows)
    assert [change.reason for change in out[2].changes] == ["reprint_of", "reprint_of"]


def test_the_stage_index_uses_the_bands_of_the_candidate_threshold() -> None:
    options = DedupOptions()
    index = NearDupIndex.for_options(options)
    assert (index.bands, index.rows) == (29, 2) and options.lsh_threshold == 0.35
    assert NearDupIndex.for_options(DedupOptions(reprint_containment=0.0)).rows == 3


def test_the_default_is_one_configuration_for_the_helper_the_stage_and_the_pipeline() -> None:
    import inspect

    import cleanse
    from cleanse.pipeline import Pipeline

    helper_threshold = inspect.signature(cleanse.find_duplicates).parameters["threshold"].default
    assert helper_threshold == DedupOptions().threshold
    stages = [stage for stage in Pipeline.default().stages if isinstance(stage, NearDupDetector)]
    assert len(stages) == 1 and stages[0].options == DedupOptions()
    assert stages[0].rule == EdgeRule.from_options(DedupOptions()) == RULE
    corpus = generate_reprints(seed=5, clusters=12, copies=4, singletons=6)
    assert cleanse.find_duplicates(corpus.texts) == find_duplicates(corpus.texts)
