"""Chunked look-ups (issue 16): the stage checking a chunk of documents at once gives exactly the verdicts,
change logs and report of asking the index one document at a time (``chunked=False``, chunks of one).

Corpora: generated reprints (benchmarks.reprints) and digest bundles of real articles (tests/data/dedup),
in a shuffled order, so duplicates fall both inside one chunk and across chunks.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from benchmarks.dedup_digests import load_articles, pair_bundles, triple_bundles
from benchmarks.reprints import generate_reprints
from cleanse.document import Document
from cleanse.stages.dedup import NearDupDetector
from cleanse.stages.dedup.chunk import _unique_rows, shared_key_pairs
from cleanse.stages.dedup.grouping import bucket_pairs, unique_pairs


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles = load_articles()
    found: list[str] = []
    for bundle in pair_bundles(articles, 20, seed=5) + triple_bundles(articles, 8, seed=6):
        found += list(bundle.texts)
    found += generate_reprints(seed=3, unit="document", clusters=12, copies=4, singletons=10).texts
    random.Random(7).shuffle(found)
    return found + found[:15]  # exact copies, the last ones in a later chunk


def _outcome(texts: list[str], chunk_documents: int, chunked: bool, **options: Any) -> tuple[list[Any], Any]:
    stage = NearDupDetector(**options)
    stage.chunk_documents, stage.chunked = chunk_documents, chunked
    docs = [Document.from_text(text, id=f"d{number}") for number, text in enumerate(texts)]
    rows = [
        (
            doc.id,
            doc.status,
            doc.status_reason,
            doc.duplicate_of,
            doc.text,
            doc.metadata.get("dedup_cluster"),
            [(c.stage, c.start, c.end, c.before, c.after, c.reason, c.score, c.evidence) for c in doc.changes],
        )
        for doc in stage.run(docs)
    ]
    return rows, stage.report()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"level": "documents"},
        {"level": "paragraphs"},
        {"remove_paragraphs": True, "digest": "new_parts"},
        {"keep": "longest"},
        {"reprint_containment": 0.0, "containment_threshold": 0.0},
    ],
)
def test_chunks_give_the_verdicts_of_one_document_at_a_time(texts, options):
    reference = _outcome(texts, 1, False, **options)
    assert sum(row[1] != "kept" or bool(row[-1]) for row in reference[0]) > 10  # there are repeats to find
    for size in (7, 64, 512):
        assert _outcome(texts, size, True, **options) == reference


def test_the_stage_is_at_a_boundary_only_between_chunks():
    stage = NearDupDetector()
    stage.chunk_documents = 3
    texts = [f"第{number}篇文章的正文内容各不相同，编号{number}。" for number in range(7)]
    docs = [Document.from_text(text, id=str(number)) for number, text in enumerate(texts)]
    seen = [stage.streaming for _ in stage.run(docs)]
    assert seen == [True, True, False, True, False, True, True]  # chunks of 1, 1, 2, 2, then 1


def test_shared_key_pairs_are_the_pairs_of_every_band():
    rng = np.random.default_rng(0)
    for _ in range(20):
        count = int(rng.integers(2, 200))
        keys = rng.integers(0, int(rng.integers(2, 30)), (count, 4)).astype(np.uint64)
        keys += np.arange(4, dtype=np.uint64) * np.uint64(1000)
        keys[rng.integers(0, count, count // 3)] = keys[0]  # exact copies
        lefts, rights = zip(*(bucket_pairs(keys[:, band], count) for band in range(4)), strict=True)
        expected = unique_pairs(np.concatenate(lefts), np.concatenate(rights))
        found = shared_key_pairs(keys)
        assert all(np.array_equal(a, b) for a, b in zip(found, expected, strict=True))


def test_unique_rows_are_numpys():
    rng = np.random.default_rng(1)
    for count in (1, 2, 3, 17, 400):
        for bands in (1, 4, 9):
            keys = rng.integers(0, 3, (count, bands)).astype(np.uint64) * np.uint64(1 << 62)
            keys += rng.integers(0, 2, (count, bands)).astype(np.uint64)
            rows, inverse = np.unique(keys, axis=0, return_inverse=True)
            found_rows, found_inverse = _unique_rows(keys)
            assert np.array_equal(found_rows, rows) and np.array_equal(found_inverse, inverse.ravel())


def test_a_chunk_with_too_many_candidate_pairs_is_asked_one_unit_at_a_time(texts, monkeypatch):
    import cleanse.stages.dedup.chunk as chunk

    reference = _outcome(texts, 1, False)
    built: list[object] = []
    original = chunk.ChunkCandidates.build.__func__  # type: ignore[attr-defined]

    def build(cls, *args, **kwargs):
        built.append(original(cls, *args, **kwargs))
        return built[-1]

    monkeypatch.setattr(chunk, "MAX_ROWS", 60)
    monkeypatch.setattr(chunk.ChunkCandidates, "build", classmethod(build))
    assert _outcome(texts, 64, True) == reference
    assert None in built and any(found is not None for found in built)  # both paths were taken


def test_sentences_of_an_earlier_paragraph_of_the_same_document_are_found():
    first = "今年全市新建公园二十座，绿地面积增加三百公顷。市民出门五百米就能见到绿地。"
    second = (
        "今年全市新建公园二十座，绿地面积增加三百公顷。园林部门还将改造老旧街心花园四十处，增设座椅和步道。"
        "明年计划再建郊野公园五座，连通城市绿道。"
    )
    texts = [f"{first}\n{second}\n另起一段，说的是别的事情，与上文无关。", f"开头不同的一段话。\n{second}"]
    reference = _outcome(texts, 1, False)
    assert any(change[5] == "duplicate_sentence" and change[7] == ("of d0:0",) for change in reference[0][0][-1])
    assert _outcome(texts, 64, True) == reference


def test_a_chunk_re_crawling_documents_of_a_saved_index_gives_the_same_verdicts(texts, tmp_path):
    """The chunked stage checks the sentences of a chunk after its documents, unless a document of the chunk
    re-crawls one of a saved index (its sentences leave the index mid-chunk): both give the reference."""
    import shutil

    saved = tmp_path / "saved"
    _outcome(texts[:40], 64, True, index_path=str(saved))
    later = texts[20:60]  # ids d0..d39 again: d0..d19 re-crawl saved documents with new texts
    outcomes = []
    for number, (size, chunked) in enumerate(((1, False), (64, True), (7, True))):
        directory = tmp_path / str(number)
        shutil.copytree(saved, directory)
        rows, report = _outcome(later, size, chunked, index_path=str(directory))
        report.pop("options")  # names the index directory
        outcomes.append((rows, report))
    assert outcomes[1] == outcomes[0] and outcomes[2] == outcomes[0]
    assert sum(row[1] != "kept" or bool(row[-1]) for row in outcomes[0][0]) > 5
