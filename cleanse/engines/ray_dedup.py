"""The dedup stage's document level as distributed steps, reproducing its streaming "first seen" result.

The local stage (``keep="first"``) streams documents past one index: a document is a duplicate when an
earlier one shares an LSH band key and has estimated Jaccard at or above the threshold; it is marked a
duplicate of the cluster of its best match (most similar, then earliest), and every document is indexed.
That decision depends only on pairs (later, earlier), so on Ray no node needs the index:

1. a batch map signs each document the stage would check (the stage's own ``sign_units`` and band keys)
   and emits one row per band key;
2. a shuffle by band key verifies every pair inside a key group on the signatures, giving edges
   (later -> earlier, similarity);
3. a shuffle by the later document keeps its best edge (highest similarity, then earliest);
4. :func:`cleanse.engines.components.components` turns the best edges, a forest whose roots are the
   first documents of their clusters, into stars: each document learns its cluster's first document;
5. each document gets its cluster and best similarity, and the stage's reason and score are set: by a
   broadcast join when the duplicates are few enough (``RayOptions.broadcast_marks``), otherwise by a
   shuffle by order key (a join done as a group-by, so Ray's optional join engine is not needed).

Paragraph-level checks (``level="both"`` or ``"paragraphs"``) are streamed through one index per paragraph
and sentence and are not distributed yet: with ``level="both"`` the Ray run says so in a warning and in
the report (``"skipped"``); ``level="paragraphs"``, the batch keep policies and ``index_path`` raise
:class:`EngineError` naming the setting.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

from cleanse.document import Document
from cleanse.engines._optional import EngineError, require_ray
from cleanse.engines.components import components
from cleanse.engines.rows import from_batch, to_batch
from cleanse.stages.base import CorpusStage
from cleanse.stages.dedup.batch import sign_units
from cleanse.stages.dedup.report import ClusterReport
from cleanse.stages.dedup.stage import EXACT_DUPLICATE, NEAR_DUPLICATE, NearDupDetector

PARAGRAPHS_SKIPPED = "paragraph-level dedup is not distributed yet; run with the local engine for it"
_SCORE = re.compile(r"\(similarity ([0-9.]+)\)$")


def check_supported(stage: CorpusStage) -> None:
    """Refuse, with the setting to change, what the distributed steps would not reproduce."""
    if not isinstance(stage, NearDupDetector):
        raise EngineError(f"corpus stage {stage.name!r} has no distributed form; run it with the local engine")
    options = stage.options
    if options.keep != "first":
        raise EngineError(f"dedup keep={options.keep!r} is not distributed yet; use keep='first' or the local engine")
    if options.level == "paragraphs":
        raise EngineError("dedup level='paragraphs' is not distributed yet; use level='documents' or the local engine")
    if options.index_path is not None:
        raise EngineError(
            "dedup index_path (a saved local index) cannot be shared by Ray workers; "
            "use a Redis index (cleanse.engines.redis_storage) or the local engine"
        )


class DocumentKeys:
    """Step 1: ``(key, seq, id, signature)`` rows for every document the stage would check."""

    def __init__(self, stage: NearDupDetector) -> None:
        self.stage = stage

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
        docs, seqs = from_batch(batch)
        wanted = [(doc, seq) for doc, seq in zip(docs, seqs, strict=True) if self.stage._wanted(doc)]
        keys: list[np.ndarray] = []
        rows: list[tuple[int, str, bytes]] = []
        if wanted:
            signs, lengths = sign_units([doc.text or "" for doc, _ in wanted], self.stage.options)
            for (doc, seq), signature, length in zip(wanted, signs, lengths.tolist(), strict=True):
                if length == 0:
                    continue
                doc_keys = np.unique(self.stage.documents.keys(signature)[0])
                keys.append(doc_keys)
                rows += [(seq, doc.id, signature.tobytes())] * len(doc_keys)
        return {
            "key": np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64),
            "seq": np.array([r[0] for r in rows], dtype=np.int64),
            "id": np.array([r[1] for r in rows], dtype=object),
            "sign": np.array([r[2] for r in rows], dtype=object),
        }


def verified_edges(group: Mapping[str, np.ndarray], threshold: float) -> dict[str, np.ndarray]:
    """Step 2 on one key group: every pair at or above ``threshold``, as (later ``a`` -> earlier ``b``)."""
    order = np.argsort(group["seq"], kind="stable")
    seqs = np.asarray(group["seq"], dtype=np.int64)[order]
    ids = np.asarray(group["id"], dtype=object)[order]
    signs = np.stack([np.frombuffer(group["sign"][i], dtype=np.uint32) for i in order]) if len(order) else None
    earlier, later = np.triu_indices(len(seqs), k=1)
    similarity = (signs[earlier] == signs[later]).mean(axis=1) if len(earlier) and signs is not None else np.zeros(0)
    keep = similarity >= threshold
    return {
        "a": seqs[later[keep]],
        "a_id": ids[later[keep]],
        "b": seqs[earlier[keep]],
        "b_id": ids[earlier[keep]],
        "similarity": similarity[keep].astype(np.float64),
    }


def best_edge(group: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Step 3 on one later document: its most similar earlier document (the earliest among equals)."""
    similarity = np.asarray(group["similarity"], dtype=np.float64)
    earlier = np.asarray(group["b"], dtype=np.int64)
    best = int(np.lexsort((earlier, -similarity))[0])
    return {
        "a": np.asarray(group["a"][best : best + 1], dtype=np.int64),
        "a_id": np.asarray(group["a_id"][best : best + 1], dtype=object),
        "b": earlier[best : best + 1],
        "b_id": np.asarray(group["b_id"][best : best + 1], dtype=object),
        "similarity": similarity[best : best + 1],
        "dirty": np.zeros(1, dtype=np.int8),
    }


def _document_side(batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
    size = len(batch["seq"])
    return {
        "seq": np.asarray(batch["seq"], dtype=np.int64),
        "doc": np.asarray(batch["doc"], dtype=object),
        "first_id": np.full(size, "", dtype=object),
        "similarity": np.full(size, -1.0),
    }


def _cluster_side(batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
    size = len(batch["a"])
    return {
        "seq": np.asarray(batch["a"], dtype=np.int64),
        "doc": np.full(size, b"", dtype=object),
        "first_id": np.asarray(batch["b_id"], dtype=object),
        "similarity": np.full(size, -1.0),
    }


def _score_side(batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
    size = len(batch["a"])
    return {
        "seq": np.asarray(batch["a"], dtype=np.int64),
        "doc": np.full(size, b"", dtype=object),
        "first_id": np.full(size, "", dtype=object),
        "similarity": np.asarray(batch["similarity"], dtype=np.float64),
    }


def mark(doc: Document, first_id: str, score: float, stage_name: str) -> None:
    """Mark a kept document a duplicate of its cluster's first document, with the stage's reason."""
    if doc.kept:
        reason = EXACT_DUPLICATE if score == 1.0 else NEAR_DUPLICATE
        doc.mark_duplicate(stage_name, of=first_id, reason=reason, score=score)


def mark_group(group: Mapping[str, np.ndarray], stage_name: str) -> dict[str, list[Any]]:
    """Step 5 by shuffle, on one order key: the document, marked when its cluster and score came along."""
    blobs = [blob for blob in group["doc"] if blob]
    seq = int(group["seq"][0])
    if len(blobs) != 1:
        raise EngineError(f"order key {seq} holds {len(blobs)} documents instead of one")
    docs, seqs = from_batch({"doc": blobs, "seq": [seq]})
    firsts = {first for first in group["first_id"] if isinstance(first, str) and first}
    scores = [float(s) for s in group["similarity"] if s >= 0]
    if len(firsts) > 1 or len(scores) > 1 or bool(firsts) != bool(scores):
        raise EngineError(f"order key {seq} got {len(firsts)} clusters and {len(scores)} scores")
    if firsts:
        mark(docs[0], firsts.pop(), scores[0], stage_name)
    return to_batch(docs, seqs)


_BROADCAST: dict[str, Mapping[int, tuple[str, float]]] = {}


def _resolve(marks: Any) -> Mapping[int, tuple[str, float]]:
    """The marks themselves, or those behind an object reference (fetched once per worker process)."""
    if isinstance(marks, Mapping):
        return marks
    key = marks.hex()
    if key not in _BROADCAST:
        _BROADCAST.clear()
        _BROADCAST[key] = require_ray().get(marks)
    return _BROADCAST[key]


def mark_batch(batch: Mapping[str, Any], marks: Any, stage_name: str) -> dict[str, Any]:
    """Step 5 by broadcast: mark the documents of a batch found in ``marks`` (order key -> first id, score).

    ``marks`` is the mapping or a Ray object reference to it.
    """
    marks = _resolve(marks)
    docs, seqs = from_batch(batch)
    for doc, seq in zip(docs, seqs, strict=True):
        found = marks.get(seq)
        if found is not None:
            mark(doc, found[0], found[1], stage_name)
    return to_batch(docs, seqs)


def collect_marks(stars: Any, best: Any) -> dict[int, tuple[str, float]]:
    """Order key -> (cluster's first id, best similarity), read from the two small datasets."""
    firsts: dict[int, str] = {}
    for batch in stars.iter_batches(batch_format="numpy", batch_size=65536):
        firsts.update(zip(batch["a"].tolist(), batch["b_id"].tolist(), strict=True))
    marks: dict[int, tuple[str, float]] = {}
    for batch in best.iter_batches(batch_format="numpy", batch_size=65536):
        for seq, score in zip(batch["a"].tolist(), batch["similarity"].tolist(), strict=True):
            marks[seq] = (firsts[seq], float(score))
    if len(marks) != len(firsts):
        raise EngineError(f"{len(firsts)} documents got a cluster but {len(marks)} a score")
    return marks


def deduplicate(documents: Any, stage: NearDupDetector, partitions: int, broadcast_limit: int = 0) -> Any:
    """Steps 1-5 over the documents dataset (``seq``, ``doc``); returns it with duplicates marked.

    When at most ``broadcast_limit`` documents are duplicates, step 5 sends their marks to every map
    task (a broadcast join) instead of shuffling all documents by order key.
    """
    threshold = stage.options.threshold
    if stage.options.level == "both":
        warnings.warn(f"dedup on Ray: {PARAGRAPHS_SKIPPED}", UserWarning, stacklevel=3)
    documents = documents.materialize()
    keys = DocumentKeys(stage)

    def key_rows(batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return keys(batch)

    def verify(group: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return verified_edges(group, threshold)

    def mark_one(group: Mapping[str, np.ndarray]) -> dict[str, list[Any]]:
        return mark_group(group, stage.name)

    keyed = documents.map_batches(key_rows, batch_format="numpy")
    edges = keyed.groupby("key", num_partitions=partitions).map_groups(verify, batch_format="numpy")
    best = edges.groupby("a", num_partitions=partitions).map_groups(best_edge, batch_format="numpy").materialize()
    if best.count() == 0:
        return documents
    stars = components(best.select_columns(["a", "a_id", "b", "b_id", "dirty"]), partitions)
    if stars.count() <= broadcast_limit:
        marks = require_ray().put(collect_marks(stars, best))
        return documents.map_batches(mark_batch, batch_format="numpy", fn_args=(marks, stage.name))
    sides = documents.map_batches(_document_side, batch_format="numpy").union(
        stars.map_batches(_cluster_side, batch_format="numpy"),
        best.map_batches(_score_side, batch_format="numpy"),
    )
    return sides.groupby("seq", num_partitions=partitions).map_groups(mark_one, batch_format="numpy")


class DedupReport:
    """The stage's report rebuilt on the driver from the marked documents, in first-seen order."""

    def __init__(self, stage: NearDupDetector) -> None:
        self.stage = stage
        self.documents = 0
        self._duplicates: list[tuple[int, str, str, str, float]] = []

    def observe(self, doc: Document, seq: int) -> None:
        if doc.status_stage == self.stage.name and doc.status == "duplicate":
            self.documents += 1
            match = _SCORE.search(doc.status_reason or "")
            score = float(match.group(1)) if match else 1.0
            self._duplicates.append((seq, doc.duplicate_of or "", doc.id, doc.text or "", score))
        elif self.stage._wanted(doc):
            self.documents += 1

    def to_dict(self) -> dict[str, Any]:
        clusters = ClusterReport(self.stage.options.report_examples)
        for _, kept, name, text, score in sorted(self._duplicates):
            clusters.add(kept, name, text, score)
        options = self.stage.options
        return {
            "engine": "ray",
            "counts": {"documents": self.documents},
            "documents": clusters.to_dict(options.report_clusters),
            "skipped": ["paragraphs"] if options.level == "both" else [],
            "options": asdict(options),
        }


def distributed_step(stage: CorpusStage, broadcast_limit: int = 0) -> Callable[[Any, int], Any]:
    """The distributed form of ``stage``: a function ``(documents dataset, partitions) -> dataset``."""
    check_supported(stage)
    assert isinstance(stage, NearDupDetector)

    def step(documents: Any, partitions: int) -> Any:
        return deduplicate(documents, stage, partitions, broadcast_limit)

    return step


def observers(stages: list[Any]) -> Iterator[DedupReport]:
    for stage in stages:
        if isinstance(stage, NearDupDetector):
            yield DedupReport(stage)
