"""The dedup stage as distributed steps on Ray, reproducing its streaming "first seen" result at every level.

The local stage (``keep="first"``) streams documents past three indexes of *kept* units: a document is a
duplicate when an earlier kept one shares a band key and covers it (unless it holds paragraphs no kept
paragraph covers: a digest); the paragraphs of kept documents are checked the same way against earlier
kept paragraphs; the sentences of paragraphs that are not repeats are checked for containment against
the sentences of earlier paragraphs. On Ray no node needs an index:

1. every block of documents is signed once where it lies (:func:`cleanse.engines.sketches.sketch_block`);
   the driver reads only each block's seq range and unit counts, and gives it ordinal offsets;
2. for documents and paragraphs, each block emits band-key rows; one shuffle for all bands at once groups
   them by key and verifies every pair "later unit covered by earlier unit" (:mod:`cleanse.engines.pairs`);
3. which units are kept depends on the decisions before them, so the driver gathers those edges (integers
   and floats, never texts) and replays the stream (:func:`cleanse.engines.greedy.kept_first`);
4. the sentence rows leave out duplicate documents and repeated paragraphs, and are verified the same way;
5. each block applies its matches to its documents (:mod:`cleanse.engines.verdicts`), through the same
   Document API as the stage, so statuses, metadata and change logs are the local run's.

Every step is a Ray task (:mod:`cleanse.engines.shuffle`): retried when its worker dies, and able to report
its own memory. Not distributed: the batch keep policies (``keep="longest"``/``"cleanest"``) and a saved
local index (``index_path``); both raise :class:`EngineError` naming the setting, as do documents sharing an
id (locally a later copy replaces the earlier one in the index, a re-crawl; here that is refused).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from cleanse.engines._optional import EngineError, require_ray
from cleanse.engines.greedy import gather_edges, kept_first
from cleanse.engines.pairs import block_of, sentence_matches, verify_contained, verify_covers
from cleanse.engines.shuffle import Steps, split_columns
from cleanse.engines.sketches import (
    Offsets,
    Summary,
    block_layout,
    document_ids,
    document_rows,
    paragraph_rows,
    repeated_ids,
    sentence_rows,
    sketch_block,
)
from cleanse.engines.verdicts import REPORT_COLUMN, ReportRecord, apply_block
from cleanse.stages.base import CorpusStage
from cleanse.stages.dedup.edges import estimated_common
from cleanse.stages.dedup.related import RelationLog
from cleanse.stages.dedup.report import ClusterReport
from cleanse.stages.dedup.stage import INDEX_FILES, NearDupDetector

DUPLICATE_IDS = "duplicate_ids"
COUNTERS = (
    "documents",
    "paragraphs",
    "contained_paragraphs",
    "removed_paragraphs",
    "duplicate_sentences",
    "empty_units",
    "expired",
    "digests",
    "related",
)


def check_supported(stage: CorpusStage) -> None:
    """Refuse, with the setting to change, what the distributed steps would not reproduce."""
    if not isinstance(stage, NearDupDetector):
        raise EngineError(f"corpus stage {stage.name!r} has no distributed form; run it with the local engine")
    options = stage.options
    if options.keep != "first":
        raise EngineError(f"dedup keep={options.keep!r} is not distributed yet; use keep='first' or the local engine")
    if options.index_path is not None:
        raise EngineError(
            "dedup index_path (a saved local index) cannot be shared by Ray workers; "
            "use a Redis index (cleanse.engines.redis_storage) or the local engine"
        )


@dataclass(frozen=True)
class Layout:
    """The blocks in stream order and, per level, the ordinal each block starts at (the total last)."""

    offsets: list[Offsets]
    documents: np.ndarray
    paragraphs: np.ndarray
    sentences: np.ndarray


def layout(summaries: list[Summary]) -> Layout:
    """Ordinal offsets for blocks given in stream order; :class:`EngineError` if their seq ranges interleave."""
    last = -1
    for number, summary in enumerate(summaries):
        if summary.documents and summary.first <= last:
            raise EngineError(f"block {number} starts at order key {summary.first}, before the previous block ends")
        if summary.documents:
            last = summary.last
    columns = []
    for level in ("documents", "paragraphs", "sentences"):
        counts = [getattr(summary, level) for summary in summaries]
        columns.append(np.concatenate(([0], np.cumsum(counts, dtype=np.int64))).astype(np.int64))
    documents, paragraphs, sentences = columns
    offsets = [Offsets(int(documents[i]), int(paragraphs[i]), int(sentences[i])) for i in range(len(summaries))]
    return Layout(offsets, documents, paragraphs, sentences)


def block_groups(blocks: list[Any], groups: int) -> list[list[Any]]:
    """``blocks`` cut into at most ``groups`` runs of consecutive blocks, as even as counts allow.

    >>> block_groups(list("abcde"), 2)
    [['a', 'b'], ['c', 'd', 'e']]
    """
    count = min(len(blocks), groups)
    bounds = np.linspace(0, len(blocks), count + 1).round().astype(int).tolist()
    return [blocks[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def _by_block(joined: list[list[Any]], blocks: int) -> list[list[Any]]:
    """From reducer-major references (reducer ``j``, block ``i``) to block-major lists."""
    return [[refs[i] for refs in joined] for i in range(blocks)]


class DistributedDedup:
    """Runs the steps of one dedup stage over the blocks of a documents dataset."""

    def __init__(self, stage: NearDupDetector, partitions: int, steps: Steps) -> None:
        check_supported(stage)
        self.stage = stage
        self.options = stage.options
        self.partitions = partitions
        self.steps = steps

    def run(self, blocks: list[Any]) -> list[Any]:
        """References to the blocks with their documents marked, in the same order.

        Consecutive blocks are taken together in ``partitions`` groups (fewer when there are fewer blocks):
        a task per group and step, each holding about 1/partitions of the input.
        """
        blocks = block_groups(blocks, self.partitions)
        stage = self.steps.put(self.stage)
        sketched = [self.steps.launch("sketch", sketch_block, 2, block, stage) for block in blocks]
        sketches = [refs[0] for refs in sketched]
        plan = layout(self.steps.get([refs[1] for refs in sketched]))
        self._check_unique_ids(sketches)
        count = len(blocks)
        size = self.partitions
        level = self.options.level
        document_edges = paragraph_edges = None
        if level != "paragraphs":
            parts = [
                self.steps.launch("documents: keys", document_rows, size, sketch, off, stage, size)
                for sketch, off in zip(sketches, plan.offsets, strict=True)
            ]
            document_edges = self._covers("documents", parts, reverse=True)
        if level != "documents":
            parts = [
                self.steps.launch("paragraphs: keys", paragraph_rows, size, sketch, off, [], stage, size)
                for sketch, off in zip(sketches, plan.offsets, strict=True)
            ]
            paragraph_edges = self._covers("paragraphs", parts)
        shapes = self.steps.get(
            [
                self.steps.launch("layout", block_layout, 1, sketch, off)[0]
                for sketch, off in zip(sketches, plan.offsets, strict=True)
            ]
        )
        owner = np.concatenate([np.zeros(0, dtype=np.int64), *(shape[0] for shape in shapes)])
        lengths = np.concatenate([np.zeros(0, dtype=np.int64), *(shape[1] for shape in shapes)])
        doc_lengths = np.concatenate([np.zeros(0, dtype=np.int64), *(shape[2] for shape in shapes)])
        doc_marks, para_marks, related_marks = kept_first(
            int(plan.documents[-1]),
            document_edges,
            paragraph_edges,
            owner,
            lengths,
            level,
            self.options.new_content_chars,
            doc_lengths,
        )
        if level != "paragraphs":
            self.stage.relation_log = relation_log(int(plan.documents[-1]), document_edges, doc_marks)
        documents = [[part] for part in split_columns(doc_marks, block_of(doc_marks["a"], plan.documents), count)]
        paragraphs = [[part] for part in split_columns(para_marks, block_of(para_marks["a"], plan.paragraphs), count)]
        related = [[part] for part in split_columns(related_marks, block_of(related_marks["a"], plan.documents), count)]
        sentences: list[list[Any]] = [[] for _ in blocks]
        if level != "documents" and self.options.containment_threshold > 0:
            duplicates = [[{"a": part[0]["a"][part[0]["duplicate"]]}] for part in documents]
            sentences = self._contained(sketches, plan, duplicates, paragraphs, stage)
        return [
            self.steps.launch("apply", apply_block, 1, block, sketch, off, doc, para, sent, stage, rel)[0]
            for block, sketch, off, doc, para, sent, rel in zip(
                blocks, sketches, plan.offsets, documents, paragraphs, sentences, related, strict=True
            )
        ]

    def _covers(self, level: str, parts: list[list[Any]], reverse: bool = False) -> Any:
        """Every edge of one level (later unit covered by an earlier one; with ``reverse``, also the later
        covering the earlier, for the reprint groups), gathered on the driver."""
        verified = self.steps.shuffle(f"{level}: verify", verify_covers, 1, parts, self.stage.rule, 1, reverse)
        return gather_edges(self.steps.get([refs[0] for refs in verified]))

    def _check_unique_ids(self, sketches: list[Any]) -> None:
        """The local index lets a document replace an earlier one with its id (a re-crawl); this does not."""
        size = self.partitions
        parts = [self.steps.launch("ids", document_ids, size, sketch, size) for sketch in sketches]
        found = self.steps.get([refs[0] for refs in self.steps.shuffle("ids: repeats", repeated_ids, 1, parts)])
        repeated = sorted({name for names in found for name in names})
        if repeated:
            shown = ", ".join(map(repr, repeated[:5]))
            raise EngineError(
                f"{DUPLICATE_IDS}: documents {shown} occur more than once; the local engine lets a later copy "
                "replace an earlier one in the dedup index, the Ray engine does not: give documents unique ids"
            )

    def _contained(
        self, sketches: list[Any], plan: Layout, documents: list[list[Any]], paragraphs: list[list[Any]], stage: Any
    ) -> list[list[Any]]:
        size = self.partitions
        parts = [
            self.steps.launch("sentences: keys", sentence_rows, size, sketch, off, doc, para, stage, size)
            for sketch, off, doc, para in zip(sketches, plan.offsets, documents, paragraphs, strict=True)
        ]
        threshold = self.options.containment_threshold
        verified = self.steps.shuffle("sentences: verify", verify_contained, size, parts, threshold, size)
        matched = self.steps.shuffle("sentences: best", sentence_matches, len(sketches), verified, plan.sentences)
        return _by_block(matched, len(sketches))


def relation_log(documents: int, edges: Any, marks: Any) -> RelationLog:
    """The stage's :class:`~cleanse.stages.dedup.related.RelationLog` rebuilt on the driver from the
    document edges (every pair with an edge in either direction, found once per key partition) and the
    duplicate marks; documents with no edge take no part in the groups and are left unnamed."""
    log = RelationLog()
    log.names = [""] * documents
    log.sizes = [0] * documents
    log.kept = [True] * documents
    for ordinal in marks["a"][marks["duplicate"]].tolist():
        log.kept[ordinal] = False
    a, b = edges["a"].astype(np.int64), edges["b"].astype(np.int64)
    _, first = np.unique(a * max(documents, 1) + b, return_index=True)
    a, b = a[first], b[first]
    for ordinals, names, sizes in (
        (a, edges["a_id"][first], edges["size_a"][first]),
        (b, edges["b_id"][first], edges["size_b"][first]),
    ):
        for ordinal, name, size in zip(ordinals.tolist(), names.tolist(), sizes.tolist(), strict=True):
            log.names[ordinal], log.sizes[ordinal] = name, int(size)
    common = estimated_common(edges["similarity"][first], edges["size_a"][first], edges["size_b"][first])
    log.left, log.right, log.common = b.tolist(), a.tolist(), common.tolist()
    return log


def deduplicate(documents: Any, stage: NearDupDetector, partitions: int, steps: Steps | None = None) -> Any:
    """The documents dataset (``seq``, ``doc``) with the stage's verdicts applied, as a Ray Dataset."""
    ray = require_ray()
    blocks = documents.materialize().to_arrow_refs()
    if not blocks:
        return documents
    marked = DistributedDedup(stage, partitions, steps or Steps()).run(blocks)
    return ray.data.from_arrow_refs(marked)


class DedupReport:
    """The stage's report rebuilt on the driver from the documents' report records, in stream order."""

    def __init__(self, stage: NearDupDetector) -> None:
        self.stage = stage
        self._records: list[ReportRecord] = []

    def observe(self, record_blob: bytes | None) -> None:
        if record_blob:
            record = pickle.loads(record_blob)
            if not isinstance(record, ReportRecord):
                raise EngineError(f"a dedup report record is a {type(record).__name__}")
            self._records.append(record)

    def to_dict(self) -> dict[str, Any]:
        options = self.stage.options
        counts = dict.fromkeys(COUNTERS, 0)
        indexed = dict.fromkeys(INDEX_FILES, 0)
        documents = ClusterReport(options.report_examples)
        paragraphs = ClusterReport(options.report_examples)
        for record in sorted(self._records, key=lambda r: r.seq):
            for name, value in record.counts.items():
                counts[name] += value
            for name, value in record.indexed.items():
                indexed[name] += value
            if record.part and record.document is not None:
                documents.add_part(record.document[0], record.document[1])
            for report, members in (
                (documents, [] if record.part else [record.document]),
                (paragraphs, record.paragraphs),
            ):
                for member in members:
                    if member is not None:
                        first, name, preview, score, _ = member
                        report.add(first, name, preview, score)
            for kept, name, preview, score, shared in record.related:
                documents.relate(kept, name, preview, score, shared)
        return {
            "counts": counts,
            "documents": documents.to_dict(options.report_clusters),
            "paragraphs": paragraphs.to_dict(options.report_clusters),
            "reprint_groups": self.stage.relation_log.to_dict(options.report_clusters),
            "index": indexed,
            "options": asdict(options),
        }


def distributed_step(stage: CorpusStage, steps: Steps) -> Callable[[Any, int], Any]:
    """The distributed form of ``stage``: a function ``(documents dataset, partitions) -> dataset``."""
    check_supported(stage)
    assert isinstance(stage, NearDupDetector)

    def step(documents: Any, partitions: int) -> Any:
        return deduplicate(documents, stage, partitions, steps)

    return step


def observers(stages: list[Any]) -> Iterator[DedupReport]:
    for stage in stages:
        if isinstance(stage, NearDupDetector):
            yield DedupReport(stage)


def report_records(batch: Any, size: int) -> list[bytes | None]:
    """The report column of a batch of output rows (``None`` per row where there is none)."""
    if REPORT_COLUMN in batch:
        return [blob if blob else None for blob in batch[REPORT_COLUMN]]
    return [None] * size
