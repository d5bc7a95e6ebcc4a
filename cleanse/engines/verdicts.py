"""The last dedup step on each block: the matches found by the shuffles applied to the documents.

Each document gets what the local stage gives it, through the same Document API and in the same order,
so its status, metadata and change log are identical: ``mark_duplicate`` for a duplicate document;
``metadata["dedup_cluster"]``; then, paragraph by paragraph, the stage's own ``repeat`` (a
``duplicate_paragraph`` verdict, or a removal edit) or its own ``containment_verdict``
(``contained_paragraph`` or ``duplicate_sentence``), called with the matches the shuffles found.
What the local stage would add to its report travels with the document as a
:class:`ReportRecord`, which the driver replays in stream order (:class:`cleanse.engines.ray_dedup.DedupReport`).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleanse.document import Document, Edit
from cleanse.engines.greedy import DOCUMENT_MARKS, PARAGRAPH_MARKS, RELATED_MARKS
from cleanse.engines.pairs import SENTENCE_COLUMNS
from cleanse.engines.shuffle import Columns, concat_columns
from cleanse.engines.sketches import BlockSketch, Offsets, block_documents
from cleanse.stages.dedup.index import Match
from cleanse.stages.dedup.report import PREVIEW_CHARS
from cleanse.stages.dedup.stage import CONTAINED_PARAGRAPH, DIGEST, DUPLICATE_SENTENCE, NearDupDetector
from cleanse.stages.dedup.units import SentenceMatches, Span, paragraph_spans, sentence_spans

REPORT_COLUMN = "dedup_report"


@dataclass
class ReportRecord:
    """What checking one document adds to the stage's report: counters, index sizes, cluster members.

    ``document`` and each of ``paragraphs``: (cluster joined, member name, preview, similarity, the clusters
    of the unit's other matches in rank order, which the report links to the one joined); ``related``:
    (representative, document name, preview, score, shared) per reprint relation of a kept document.
    """

    seq: int
    counts: dict[str, int] = field(default_factory=dict)
    indexed: dict[str, int] = field(default_factory=dict)
    document: tuple[str, str, str, float, tuple[str, ...]] | None = None
    paragraphs: list[tuple[str, str, str, float, tuple[str, ...]]] = field(default_factory=list)
    related: list[tuple[str, str, str, float, bool]] = field(default_factory=list)
    part: bool = False

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
        related: list[Columns] | None = None,
    ) -> None:
        self.sketch = sketch
        self.offsets = offsets
        self.documents = _lookup(documents, DOCUMENT_MARKS)
        self.paragraphs = _lookup(paragraphs, PARAGRAPH_MARKS)
        self.sentences = _lookup(sentences, SENTENCE_COLUMNS)
        self.related: dict[int, list[tuple[Any, ...]]] = {}
        rows = concat_columns(related or [], RELATED_MARKS)
        names = [name for name in RELATED_MARKS if name != "a"]
        for a, *values in zip(rows["a"].tolist(), *(rows[n].tolist() for n in names), strict=True):
            self.related.setdefault(a, []).append(tuple(values))
        self.para_start = np.searchsorted(sketch.para_doc, np.arange(len(sketch.seqs) + 1))
        self.sent_start = np.searchsorted(sketch.sent_para, np.arange(len(sketch.para_doc) + 1))

    def apply(self, doc: Document, position: int, stage: NearDupDetector) -> ReportRecord:
        """Give document ``position`` of the sketch its verdicts, as the streaming stage would
        (``NearDupDetector._check_one``)."""
        record = ReportRecord(int(self.sketch.seqs[position]))
        record.count("documents")
        if self.sketch.doc_lengths[position] == 0:
            record.count("empty_units")
            return record
        remove = stage.options.remove_paragraphs
        if stage.options.level != "paragraphs":
            outcome = self._document(doc, position, stage, record)
            if outcome == "duplicate":
                return record
            record.index("documents")
            remove = remove or (outcome == DIGEST and stage.options.digest == "new_parts")
        if stage.options.level != "documents":
            self._paragraphs(doc, position, stage, record, remove)
        return record

    def _document(self, doc: Document, position: int, stage: NearDupDetector, record: ReportRecord) -> str:
        ordinal = self.offsets.documents + position
        found = self.documents.get(ordinal)
        if found is None:
            outcome = stage.judge_document(doc, None, 0)
        else:
            first, similarity, by_jaccard, score, _, new_chars, group, group_score, part = found
            best = Match(first, similarity, first, "jaccard" if by_jaccard else "reprint_containment", score)
            reported = Match(group, similarity, group, best.rule, group_score, held=0.0 if part else 1.0)
            outcome = stage.judge_document(doc, best, int(new_chars), reported)
            if outcome == "duplicate":
                record.document = (first if part else group, doc.id, _short(doc.text or ""), group_score, ())
                record.part = bool(part)
                return outcome
            if outcome == DIGEST:
                record.count("digests")
        rows = self.related.get(ordinal, [])
        matches = [
            Match(name, similarity, name, "jaccard" if by_jaccard else "reprint_containment", score, holds)
            for name, similarity, by_jaccard, score, holds, _ in rows
        ]
        stage.flag_reprints(doc, matches)
        preview = _short(doc.text or "") if rows else ""
        record.related = [(name, doc.id, preview, score, shared) for name, _, _, score, _, shared in rows]
        if rows:
            record.count("related", len(rows))
        return outcome

    def _paragraphs(
        self, doc: Document, position: int, stage: NearDupDetector, record: ReportRecord, remove: bool
    ) -> None:
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
            name = f"{doc.id}:{number}"
            found = self.paragraphs.get(self.offsets.paragraphs + paragraph)
            if found is not None:
                cluster, similarity, by_jaccard, score = found
                best = Match(cluster, similarity, cluster, "jaccard" if by_jaccard else "reprint_containment", score)
                stage.repeat(doc, text, name, span, best, edits, remove)
                record.paragraphs.append((cluster, name, _short(span.text), score, ()))
                if remove:
                    record.count("removed_paragraphs")
                continue
            record.index("paragraphs")
            if stage.options.containment_threshold > 0:
                self._containment(doc, paragraph, span, stage, record)
        if edits:
            doc.apply(stage.name, edits)

    def _containment(
        self, doc: Document, paragraph: int, span: Span, stage: NearDupDetector, record: ReportRecord
    ) -> None:
        """The stage's own containment verdict, given the sentence matches the shuffles found."""
        lo, hi = int(self.sent_start[paragraph]), int(self.sent_start[paragraph + 1])
        lengths = self.sketch.sent_lengths[lo:hi].tolist()
        usable = [i for i, size in enumerate(lengths) if size >= stage.options.min_sentence_chars]
        if not usable:
            return
        record.index("sentences", len(usable))
        found: dict[int, SentenceMatches] = {}
        for number in usable:
            match = self.sentences.get(self.offsets.sentences + lo + number)
            if match is not None:
                contained, source, owners = match
                found[number] = SentenceMatches(contained, source, owners)
        if not found:
            return
        before = len(doc.changes)
        length = int(self.sketch.para_lengths[paragraph])
        stage.containment_verdict(doc, span, length, sentence_spans(span.text), lengths, found)
        for change in doc.changes[before:]:
            if change.reason == CONTAINED_PARAGRAPH:
                record.count("contained_paragraphs")
            elif change.reason == DUPLICATE_SENTENCE:
                record.count("duplicate_sentences")


def apply_block(
    tables: list[Any],
    sketch: BlockSketch,
    offsets: Offsets,
    documents: list[Columns],
    paragraphs: list[Columns],
    sentences: list[Columns],
    stage: NearDupDetector,
    related: list[Columns] | None = None,
) -> list[Any]:
    """The blocks, as one Arrow table, with their documents marked and a report record per checked document."""
    import pyarrow as pa

    docs, seqs = block_documents(tables)
    verdicts = BlockVerdicts(sketch, offsets, documents, paragraphs, sentences, related)
    records: list[bytes] = [b""] * len(docs)
    for position, row in enumerate(sketch.rows.tolist()):
        record = verdicts.apply(docs[row], position, stage)
        records[row] = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    blobs = [pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) for doc in docs]
    schema = pa.schema([("seq", pa.int64()), ("doc", pa.binary()), (REPORT_COLUMN, pa.binary())])
    return [pa.Table.from_pydict({"seq": seqs, "doc": blobs, REPORT_COLUMN: records}, schema=schema)]
