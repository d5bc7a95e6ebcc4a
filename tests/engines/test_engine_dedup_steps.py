"""The distributed dedup steps without Ray: plain functions, and the whole algorithm run inline vs the stage."""

from __future__ import annotations

import pickle
import random
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanse.document import Document
from cleanse.engines import EngineError
from cleanse.engines.pairs import checked_pairs, sentence_matches, verify_contained
from cleanse.engines.ray_dedup import DedupReport, DistributedDedup, block_groups, layout
from cleanse.engines.rows import order_key
from cleanse.engines.shuffle import InlineSteps, flatten, partition_of, split_columns, unflatten
from cleanse.engines.sketches import Summary
from cleanse.engines.verdicts import REPORT_COLUMN
from cleanse.stages.dedup import NearDupDetector
from cleanse.stages.dedup.index import NearDupIndex
from cleanse.stages.dedup.stage import SENTENCE_THRESHOLD

pa = pytest.importorskip("pyarrow", reason='the Ray engine blocks are Arrow tables: pip install "cleanse[ray]"')


def _everything(later: np.ndarray, earlier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.ones(len(later), dtype=bool), np.zeros(len(later))


def test_candidate_pairs_are_later_to_earlier_once_however_many_keys_they_share():
    key = np.array([1, 1, 1, 2, 2, 3], dtype=np.uint64)
    unit = np.array([0, 2, 1, 0, 2, 1])  # sorted by key, then by ordinal (units 0 < 2 < 1 in stream order)
    later, earlier, _ = checked_pairs(key, unit, 3, _everything)
    assert sorted(zip(later.tolist(), earlier.tolist(), strict=True)) == [(1, 0), (1, 2), (2, 0)]


def test_a_key_shared_by_many_units_is_paired_tile_by_tile_and_completely():
    size = 1500  # above one tile: pairs come in chunks, and every pair still comes exactly once
    later, earlier, _ = checked_pairs(np.zeros(size, dtype=np.uint64), np.arange(size), size, _everything)
    assert len(later) == size * (size - 1) // 2 and bool((later > earlier).all())
    assert len(np.unique(later * size + earlier)) == len(later)
    odd, _, _ = checked_pairs(
        np.zeros(size, dtype=np.uint64), np.arange(size), size, lambda a, b: ((a + b) % 2 == 1, a * 0.0)
    )
    assert len(odd) == (size // 2) * ((size + 1) // 2)  # pairs of one even and one odd unit


def test_the_stream_replay_keeps_the_first_and_judges_against_kept_units_only():
    from cleanse.engines.greedy import kept_first

    def edges(rows: list[tuple[int, int, float]]) -> dict[str, np.ndarray]:
        return {
            "a": np.array([r[0] for r in rows], dtype=np.int64),
            "b": np.array([r[1] for r in rows], dtype=np.int64),
            "b_id": np.array([f"d{r[1]}" for r in rows], dtype=object),
            "similarity": np.array([r[2] for r in rows]),
            "jaccard": np.ones(len(rows), dtype=bool),
            "score": np.array([r[2] for r in rows]),
        }

    # 1 is covered by 0; 2 is covered by 1 only (a duplicate, not kept: 2 stays); 3 by 0 and 2, 2 the better
    found = edges([(1, 0, 0.9), (2, 1, 0.8), (3, 0, 0.7), (3, 2, 0.95)])
    none = np.zeros(0, dtype=np.int64)
    marks, _, _ = kept_first(4, found, None, none, none, "documents", 1)
    assert marks["a"].tolist() == [1, 3] and marks["first"].tolist() == ["d0", "d2"]
    assert marks["duplicate"].tolist() == [True, True]


def test_containment_scores_are_the_local_index_scores():
    rng = np.random.default_rng(3)
    signs = rng.integers(0, 5, size=(6, 128), dtype=np.uint32)
    signs[:, :8] = 1  # the first band is the same for all: the index sees every earlier sentence too
    sizes = np.array([30, 12, 45, 8, 30, 60])
    index = NearDupIndex(SENTENCE_THRESHOLD)
    units = {
        "ordinal": np.arange(6),
        "paragraph": np.arange(6),
        "name": np.array([f"d:{i}" for i in range(6)], dtype=object),
        "size": sizes,
        "sign": signs,
    }
    key = np.zeros(6, dtype=np.uint64)  # one bucket: every earlier sentence is a candidate
    part = {"units": units, "keys": {"key": key, "unit": np.arange(6)}}
    edges = verify_contained([part], 0.2, 1)[0]
    for later in range(1, 6):
        index.add(f"d:{later - 1}:0", signs[later - 1], size=int(sizes[later - 1]))
        expected = index.query_containment(signs[later], int(sizes[later]), 0.2)
        mine = edges["a"] == later
        got = sorted(zip(edges["owner"][mine].tolist(), edges["contained"][mine].tolist(), strict=True))
        assert got == sorted((m.name.rsplit(":", 1)[0], m.similarity) for m in expected)


def test_sentence_matches_keep_the_best_source_and_every_paragraph():
    edges = {
        "a": np.array([7, 7, 7, 3]),
        "b": np.array([2, 1, 5, 0]),
        "owner": np.array(["p:2", "p:1", "p:2", "p:0"], dtype=object),
        "contained": np.array([0.9, 0.9, 0.85, 1.0]),
    }
    parts = sentence_matches([edges], np.array([0, 5, 10]))
    assert parts[0]["a"].tolist() == [3] and parts[1]["a"].tolist() == [7]
    assert parts[1]["source"].tolist() == ["p:1"] and parts[1]["owners"][0] == ("p:1", "p:2")


def test_blocks_that_interleave_in_stream_order_are_refused():
    good = layout([Summary(0, 5, 2, 3, 4), Summary(-1, -1, 0, 0, 0), Summary(8, 9, 1, 1, 1)])
    assert good.documents.tolist() == [0, 2, 2, 3] and good.sentences.tolist() == [0, 4, 4, 5]
    with pytest.raises(EngineError, match="block 1 starts at order key 3"):
        layout([Summary(0, 5, 2, 3, 4), Summary(3, 9, 1, 1, 1)])


def test_helpers_split_group_and_reshape():
    assert block_groups(list(range(5)), 8) == [[0], [1], [2], [3], [4]]
    assert block_groups([], 3) == []
    assert unflatten(*flatten((1, [2, 3], [], "x"))) == (1, [2, 3], [], "x")
    keys = np.arange(1000, dtype=np.uint64)
    parts = split_columns({"k": keys}, partition_of(keys, 4), 4)
    assert sorted(np.concatenate([p["k"] for p in parts]).tolist()) == keys.tolist()
    assert min(len(p["k"]) for p in parts) > 150  # sequential ordinals spread over the partitions


@lru_cache(maxsize=1)
def _pool() -> tuple[list[str], list[str]]:
    from benchmarks.reprints import generate_reprints

    paragraphs = generate_reprints(seed=5, clusters=10, copies=2, singletons=60, unit="paragraph").texts
    sentences = [s + "。" for p in paragraphs for s in p.split("。") if len(s) > 10]
    return paragraphs, sentences


def _documents(seed: int, count: int) -> list[Document]:
    """Documents of shared paragraphs, copies, long pages, quotations from them, spliced sentences, empty texts."""
    paragraphs, sentences = _pool()
    rng = random.Random(seed)
    docs: list[Document] = []
    pages: list[str] = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.08:
            text = rng.choice(["", "。。。", "   "])
        elif roll < 0.2 and docs:
            text = rng.choice(docs).text or ""
        elif roll < 0.3 and len(docs) >= 2:
            text = "\n".join(doc.text or "" for doc in rng.sample(docs, 2))  # a digest of two earlier pages
        elif roll < 0.4 and docs:
            text = (rng.choice(docs).text or "") + "\n" + rng.choice(paragraphs)  # an earlier page plus news
        else:
            parts = rng.sample(paragraphs, rng.randint(1, 2))
            parts += ["".join(rng.sample(sentences, 6)) for _ in range(3)]  # mostly this document's own text
            if rng.random() < 0.3:
                pages.append("".join(rng.sample(paragraphs, 4)))  # one long paragraph
                parts.append(pages[-1])
            if pages and rng.random() < 0.4:
                quoted = rng.choice(pages).split("。")
                start = rng.randrange(max(1, len(quoted) - 3))
                parts.append("。".join(quoted[start : start + 2]) + "。")  # a quotation from a page
            if rng.random() < 0.2:
                parts.append(parts[0])
            text = "\n".join(parts)
        docs.append(Document.from_text(text, id=f"d{number}"))
    return docs


def _blocks(docs: list[Document], sizes: list[int]) -> list[Any]:
    blocks, start = [], 0
    for size in sizes:
        chunk = docs[start : start + size]
        seqs = [order_key(start + i) for i in range(len(chunk))]
        blocks.append(pa.table({"seq": seqs, "doc": [pickle.dumps(d) for d in chunk]}))
        start += size
    return blocks


def _inline(
    docs: list[Document], block_sizes: list[int], partitions: int, **options: Any
) -> tuple[list[Document], dict]:
    stage = NearDupDetector(**options)
    report = DedupReport(stage)
    out: list[Document] = []
    for table in DistributedDedup(stage, partitions, InlineSteps()).run(_blocks(docs, block_sizes)):
        out += [pickle.loads(blob) for blob in table.column("doc").to_pylist()]
        for blob in table.column(REPORT_COLUMN).to_pylist():
            report.observe(blob)
    return out, report.to_dict()


OPTION_SETS = [
    {},
    {"level": "documents"},
    {"level": "paragraphs"},
    {"remove_paragraphs": True},
    {"containment_threshold": 0.0},
    {"reprint_containment": 0.0, "threshold": 0.7},
    {"digest": "new_parts"},
    {"new_content_chars": 60, "remove_paragraphs": True},
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(1, 24),
    cuts=st.lists(st.integers(1, 9), min_size=1, max_size=6),
    partitions=st.integers(1, 5),
    options=st.sampled_from(OPTION_SETS),
)
def test_the_distributed_steps_give_the_local_stage_result(seed, count, cuts, partitions, options):
    docs = _documents(seed, count)
    sizes = (cuts * count)[:count]
    while sum(sizes) > count:
        sizes.pop()
    sizes.append(count - sum(sizes))
    local_stage = NearDupDetector(**options)
    local = [doc.to_json() for doc in local_stage.run([pickle.loads(pickle.dumps(d)) for d in docs])]
    distributed, report = _inline(docs, sizes, partitions, **options)
    assert [doc.to_json() for doc in distributed] == local
    assert report == local_stage.report()


def test_the_generated_documents_exercise_every_verdict():
    docs = _documents(1, 60)
    distributed, report = _inline(docs, [7] * 9, 3)
    reasons = {change.reason for doc in distributed for change in doc.changes}
    assert {"duplicate_paragraph", "contained_paragraph", "duplicate_sentence", "digest", "reprint_of"} <= reasons
    assert {doc.status for doc in distributed} == {"kept", "duplicate"}
    assert report["counts"]["empty_units"] > 0 and report["paragraphs"]["clusters_total"] > 0


@pytest.mark.parametrize("seed", [0, 3])
def test_the_reprint_groups_of_the_distributed_steps_are_the_local_ones(seed):
    from benchmarks.reprints import generate_reprints

    corpus = generate_reprints(seed=seed, unit="paragraph", clusters=30, copies=4, singletons=10)
    docs = [Document.from_text(text, id=str(number)) for number, text in enumerate(corpus.texts)]
    options = {"level": "documents", "report_clusters": len(docs)}
    local_stage = NearDupDetector(**options)
    local = [doc.to_json() for doc in local_stage.run([pickle.loads(pickle.dumps(d)) for d in docs])]
    distributed, report = _inline(docs, [17] * (len(docs) // 17) + [len(docs) % 17], 3, **options)
    assert [doc.to_json() for doc in distributed] == local
    assert report == local_stage.report()
    rows = report["documents"]["clusters"]
    assert report["documents"]["related"] > 5 and any(row.get("related") for row in rows)
    assert report["reprint_groups"]["groups_total"] >= 20


def test_documents_sharing_an_id_are_refused_rather_than_deduplicated_differently():
    docs = _documents(4, 6)
    docs[4].id = docs[1].id = "same"
    docs[4].text = docs[1].text = "一段足够长的正文内容，用来检查重复的文档编号。"
    with pytest.raises(EngineError, match="duplicate_ids: documents 'same' occur more than once"):
        _inline(docs, [3, 3], 2)
