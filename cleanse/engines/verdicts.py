"""The last dedup step on each block: the matches found by the shuffles applied to the documents.

Each document gets what the local stage gives it, through the same Document API and in the same order,
so its status, metadata and change log are identical: ``mark_duplicate`` for a duplicate document;
``metadata["dedup_cluster"]``; then, paragraph by paragraph, the stage's own repeat handling (a
``duplicate_paragraph`` verdict, or a removal edit) or the containment verdicts (``contained_paragraph`` or
``duplicate_sentence``). What the local stage would add to its report travels with the document as a
:class:`ReportRecord`, which the driver replays in stream order (:class:`cleanse.engines.ray_dedup.DedupReport`).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleanse.document import Document, Edit
from cleanse.engines.pairs import SENTENCE_COLUMNS
from cleanse.engines.shuffle import Columns, concat_columns
from cleanse.engines.sketches import BlockSketch, Offsets, block_documents
from cleanse.stages.dedup.index import Match
from cleanse.stages.dedup.report import PREVIEW_CHARS
from cleanse.stages.dedup.stage import (
    CLUSTER_KEY,
    CONTAINED_PARAGRAPH,
    DUPLICATE_SENTENCE,
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
    NearDupDetector,
)
from cleanse.stages.dedup.units import Span, paragraph_spans, sentence_spans

REPORT_COLUMN = "dedup_report"
MARK_COLUMNS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "first": np.zeros(0, dtype=object),
    "similarity": np.zeros(0, dtype=np.float64),
}


@dataclass
class ReportRecord:
    """What checking one document adds to the stage's report: counters, index sizes, cluster members."""

    seq: int
    counts: dict[str, int] = field(default_factory=dict)
    indexed: dict[str, int] = field(default_factory=dict)
    document: tuple[str, str, str, float] | None = None
    paragraphs: list[tuple[str, str, str, float]] = field(default_factory=list)

    def count(self, name: str, value: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + value

    def index(self, level: str, value: int = 1) -> None:
        self.indexed[level] = self.indexed.get(level, 0) + value


def _short(text: str) -> str:
    """The report's preview of ``text`` (previewing it again changes nothing), so whole texts stay on the workers."""
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _lookup(parts: list[Columns], columns: Columns) -> dict[int, tuple[Any, ...]]:
    rows = concat_columns(parts, columns)
    names = [name for name in columns if name != "a"]
    return dict(zip(rows["a"].tolist(), zip(*(rows[n].tolist() for n in names), strict=True), strict=True))


class BlockVerdicts:
    """The matches of one block's units, by ordinal, and the sketch they were found from."""

    def __init__(
        self,
        sketch: BlockSketch,
        offsets: Offsets,
        documents: list[Columns],
        paragraphs: list[Columns],
        sentences: list[Columns],
    ) -> None:
        self.sketch = sketch
        self.offsets = offsets
        self.documents = _lookup(documents, MARK_COLUMNS)
        self.paragraphs = _lookup(paragraphs, MARK_COLUMNS)
        self.sentences = _lookup(sentences, SENTENCE_COLUMNS)
        self.para_start = np.searchsorted(sketch.para_doc, np.arange(len(sketch.seqs) + 1))
        self.sent_start = np.searchsorted(sketch.sent_para, np.arange(len(sketch.para_doc) + 1))

    def apply(self, doc: Document, position: int, stage: NearDupDetector) -> ReportRecord:
        """Give document ``position`` of the sketch its verdicts, as ``NearDupDetector._check_stream`` would."""
        record = ReportRecord(int(self.sketch.seqs[position]))
        record.count("documents")
        if self.sketch.doc_lengths[position] == 0:
            record.count("empty_units")
            return record
        if stage.options.level != "paragraphs":
            record.index("documents")
            if self._document(doc, position, stage, record):
                return record
        if stage.options.level != "documents":
            self._paragraphs(doc, position, stage, record)
        return record

    def _document(self, doc: Document, position: int, stage: NearDupDetector, record: ReportRecord) -> bool:
        found = self.documents.get(self.offsets.documents + position)
        if found is None:
            doc.metadata[CLUSTER_KEY] = doc.id
            return False
        first, similarity = found
        reason = EXACT_DUPLICATE if similarity == 1.0 else NEAR_DUPLICATE
        doc.mark_duplicate(stage.name, of=first, reason=reason, score=similarity)
        doc.metadata[CLUSTER_KEY] = first
        record.document = (first, doc.id, _short(doc.text or ""), similarity)
        return True

    def _paragraphs(self, doc: Document, position: int, stage: NearDupDetector, record: ReportRecord) -> None:
        text = doc.text or ""
        spans = paragraph_spans(text)
        first = int(self.para_start[position])
        if len(spans) != self.para_start[position + 1] - first:
            raise ValueError(f"document {doc.id!r} changed between the dedup steps")
        edits: list[Edit] = []
        for number, span in enumerate(spans):
            paragraph = first + number
            record.count("paragraphs")
            if self.sketch.para_lengths[paragraph] == 0:
                record.count("empty_units")
                continue
            record.index("paragraphs")
            name = f"{doc.id}:{number}"
            found = self.paragraphs.get(self.offsets.paragraphs + paragraph)
            if found is not None:
                cluster, similarity = found
                stage._repeat(doc, text, name, span, Match(cluster, similarity, cluster), edits)
                record.paragraphs.append((cluster, name, _short(span.text), similarity))
                if stage.options.remove_paragraphs:
                    record.count("removed_paragraphs")
                continue
            if stage.options.containment_threshold > 0:
                self._containment(doc, paragraph, span, stage, record)
        if edits:
            doc.apply(stage.name, edits)

    def _containment(
        self, doc: Document, paragraph: int, span: Span, stage: NearDupDetector, record: ReportRecord
    ) -> None:
        """The verdict part of ``NearDupDetector._check_containment``, with the sentence matches found."""
        lo, hi = int(self.sent_start[paragraph]), int(self.sent_start[paragraph + 1])
        lengths = self.sketch.sent_lengths[lo:hi].tolist()
        usable = [i for i, size in enumerate(lengths) if size >= stage.options.min_sentence_chars]
        if not usable:
            return
        record.index("sentences", len(usable))
        sources: dict[int, tuple[float, str]] = {}
        covered: dict[str, int] = {}
        for number in usable:
            found = self.sentences.get(self.offsets.sentences + lo + number)
            if found is None:
                continue
            contained, source, owners = found
            sources[number] = (contained, source)
            for owner in owners:
                covered[owner] = covered.get(owner, 0) + int(lengths[number])
        if not sources:
            return
        owner, size = max(covered.items(), key=lambda item: (item[1], item[0]))
        share = min(size / max(int(sum(lengths)), 1), 1.0)
        options = stage.options
        if (
            share >= options.containment_threshold
            and self.sketch.para_lengths[paragraph] >= options.min_containment_chars
        ):
            doc.flag(stage.name, span.start, span.end, CONTAINED_PARAGRAPH, share, (f"in {owner}",))
            record.count("contained_paragraphs")
            return
        sentences = sentence_spans(span.text)
        for number, (contained, source) in sources.items():
            sentence = sentences[number]
            start, end = span.start + sentence.start, span.start + sentence.end
            doc.flag(stage.name, start, end, DUPLICATE_SENTENCE, contained, (f"of {source}",))
            record.count("duplicate_sentences")


def apply_block(
    tables: list[Any],
    sketch: BlockSketch,
    offsets: Offsets,
    documents: list[Columns],
    paragraphs: list[Columns],
    sentences: list[Columns],
    stage: NearDupDetector,
) -> list[Any]:
    """The blocks, as one Arrow table, with their documents marked and a report record per checked document."""
    import pyarrow as pa

    docs, seqs = block_documents(tables)
    verdicts = BlockVerdicts(sketch, offsets, documents, paragraphs, sentences)
    records: list[bytes] = [b""] * len(docs)
    for position, row in enumerate(sketch.rows.tolist()):
        record = verdicts.apply(docs[row], position, stage)
        records[row] = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    blobs = [pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) for doc in docs]
    schema = pa.schema([("seq", pa.int64()), ("doc", pa.binary()), (REPORT_COLUMN, pa.binary())])
    return [pa.Table.from_pydict({"seq": seqs, "doc": blobs, REPORT_COLUMN: records}, schema=schema)]
