"""The map side of distributed dedup: one block's units signed once, then emitted level by level.

:func:`sketch_block` signs what the local stage signs for each document it checks (the document, its
paragraphs, their sentences; ``sign_units_sized`` with the stage's options) and keeps the signatures, in stream
order, in a :class:`BlockSketch` that stays in the object store of the node that made it. Each level then
emits band-key rows from it: documents; paragraphs of the documents that are not duplicates; sentences
of the paragraphs that are not repeats, as the local stage indexes them. The rows of a unit carry its
*ordinal*, its position in the stream among the units of its level (block offset + position in the
block), which stands for the local index's entry order: "earlier" and "first seen" compare ordinals.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from cleanse.document import Document
from cleanse.engines.shuffle import Columns, concat_columns, partition_of, split_columns
from cleanse.stages.dedup.batch import sign_units_sized
from cleanse.stages.dedup.stage import NearDupDetector
from cleanse.stages.dedup.units import Span, paragraph_spans, sentence_spans

MARK_COLUMNS: Columns = {"a": np.zeros(0, dtype=np.int64)}
SIGN_CHARS = 200_000


class Offsets(NamedTuple):
    """Ordinal of a block's first document, paragraph and sentence unit."""

    documents: int
    paragraphs: int
    sentences: int


class Summary(NamedTuple):
    """What the driver needs to order blocks and give them offsets: seq range and unit counts."""

    first: int
    last: int
    documents: int
    paragraphs: int
    sentences: int


@dataclass
class BlockSketch:
    """Signatures and normalised lengths of one block's units, in stream order.

    ``rows``: where each checked document is in the block; paragraphs (of documents with text left after
    normalising) point to their document (``para_doc``), sentences (of non-empty paragraphs, when
    containment is on) to their paragraph (``sent_para``).
    """

    seqs: np.ndarray
    rows: np.ndarray
    ids: np.ndarray
    doc_signs: np.ndarray
    doc_lengths: np.ndarray
    doc_sizes: np.ndarray
    para_doc: np.ndarray
    para_number: np.ndarray
    para_signs: np.ndarray
    para_lengths: np.ndarray
    para_sizes: np.ndarray
    sent_para: np.ndarray
    sent_number: np.ndarray
    sent_signs: np.ndarray
    sent_lengths: np.ndarray

    def summary(self) -> Summary:
        first = int(self.seqs[0]) if len(self.seqs) else -1
        last = int(self.seqs[-1]) if len(self.seqs) else -1
        return Summary(first, last, len(self.seqs), len(self.para_doc), len(self.sent_para))

    def paragraph_names(self, selected: np.ndarray) -> np.ndarray:
        """``"<doc id>:<paragraph>"``, the local index's entry names, for the selected paragraphs."""
        docs, numbers = self.para_doc[selected].tolist(), self.para_number[selected].tolist()
        return np.array([f"{self.ids[d]}:{n}" for d, n in zip(docs, numbers, strict=True)], dtype=object)


def block_documents(tables: list[Any]) -> tuple[list[Document], np.ndarray]:
    """The documents of consecutive Arrow blocks (``seq``, ``doc``) and their order keys."""
    docs = [pickle.loads(blob) for table in tables for blob in table.column("doc").to_pylist()]
    seqs = [np.asarray(table.column("seq").to_numpy(), dtype=np.int64) for table in tables]
    return docs, np.concatenate(seqs) if seqs else np.zeros(0, dtype=np.int64)


def _signed(texts: list[str], stage: NearDupDetector) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signatures, normalised lengths and shingle-set sizes, as the stage computes them.

    Units are signed in runs of about SIGN_CHARS characters: the working memory of signing grows with the
    text signed at once, and each unit's signature does not depend on the others in its call.
    """
    signs: list[np.ndarray] = [np.zeros((0, stage.options.num_perm), dtype=np.uint32)]
    lengths: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    sizes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    ends = np.cumsum([len(text) for text in texts]) // SIGN_CHARS
    bounds = np.flatnonzero(np.diff(ends)) + 1 if len(texts) else np.zeros(0, dtype=np.int64)
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(texts)], strict=True):
        if hi > lo:
            part = sign_units_sized(texts[lo:hi], stage.options)
            signs.append(np.asarray(part[0], dtype=np.uint32))
            lengths.append(np.asarray(part[1], dtype=np.int64))
            sizes.append(np.asarray(part[2], dtype=np.int64))
    return np.concatenate(signs), np.concatenate(lengths), np.concatenate(sizes)


def sketch_block(tables: list[Any], stage: NearDupDetector) -> list[Any]:
    """Step 1 on one group of consecutive blocks: ``[BlockSketch, Summary]``."""
    docs, seqs = block_documents(tables)
    wanted = sorted((i for i, doc in enumerate(docs) if stage.checks(doc)), key=lambda i: int(seqs[i]))
    texts = [docs[i].text or "" for i in wanted]
    doc_signs, doc_lengths, doc_sizes = _signed(texts, stage)
    by_paragraph = stage.options.level != "documents"
    para_doc, para_number, para_texts = _explode(texts, doc_lengths, paragraph_spans, by_paragraph)
    para_signs, para_lengths, para_sizes = _signed(para_texts, stage)
    by_sentence = stage.options.containment_threshold > 0
    sent_para, sent_number, sent_texts = _explode(para_texts, para_lengths, sentence_spans, by_sentence)
    sent_signs, sent_lengths, _ = _signed(sent_texts, stage)
    sketch = BlockSketch(
        seqs=np.asarray([int(seqs[i]) for i in wanted], dtype=np.int64),
        rows=np.asarray(wanted, dtype=np.int64),
        ids=np.asarray([docs[i].id for i in wanted], dtype=object),
        doc_signs=doc_signs,
        doc_lengths=doc_lengths,
        doc_sizes=doc_sizes,
        para_doc=np.asarray(para_doc, dtype=np.int64),
        para_number=np.asarray(para_number, dtype=np.int64),
        para_signs=para_signs,
        para_lengths=para_lengths,
        para_sizes=para_sizes,
        sent_para=np.asarray(sent_para, dtype=np.int64),
        sent_number=np.asarray(sent_number, dtype=np.int64),
        sent_signs=sent_signs,
        sent_lengths=sent_lengths,
    )
    return [sketch, sketch.summary()]


def block_layout(sketch: BlockSketch, offsets: Offsets) -> list[Any]:
    """For the driver's stream-order pass: each paragraph's document ordinal and normalised length, and
    each document's normalised length (:func:`cleanse.engines.greedy.kept_first`)."""
    owner = offsets.documents + np.asarray(sketch.para_doc, dtype=np.int64)
    return [(owner, np.asarray(sketch.para_lengths, dtype=np.int64), np.asarray(sketch.doc_lengths, dtype=np.int64))]


def keyed_parts(units: Columns, keys: np.ndarray, partitions: int) -> list[dict[str, Columns]]:
    """Band-key rows split by key: each part holds its key rows and, once, the units they point to."""
    count, bands = keys.shape
    flat = keys.ravel()
    unit = np.repeat(np.arange(count, dtype=np.int64), bands)
    part = partition_of(flat, partitions)
    out = []
    for rows in split_columns({"key": flat, "unit": unit}, part, partitions):
        used, local = np.unique(rows["unit"], return_inverse=True)
        out.append(
            {
                "units": {name: values[used] for name, values in units.items()},
                "keys": {"key": rows["key"], "unit": local.ravel().astype(np.int64)},
            }
        )
    return out


def _marked(parts: list[Columns]) -> np.ndarray:
    """Ordinals marked by a previous level (duplicates, repeats) for this block."""
    return concat_columns(parts, MARK_COLUMNS)["a"]


def document_rows(sketch: BlockSketch, offsets: Offsets, stage: NearDupDetector, partitions: int) -> list[Any]:
    """Document level: every checked document with text left after normalising."""
    keep = np.flatnonzero(sketch.doc_lengths > 0)
    units = {
        "ordinal": offsets.documents + keep,
        "name": sketch.ids[keep],
        "size": sketch.doc_sizes[keep],
        "sign": sketch.doc_signs[keep],
    }
    return keyed_parts(units, stage.documents.keys(units["sign"]), partitions)


def live_paragraphs(sketch: BlockSketch, offsets: Offsets, duplicates: np.ndarray) -> np.ndarray:
    """Paragraphs the local stage checks: non-empty, of documents not marked duplicates."""
    duplicate_docs = np.isin(offsets.documents + sketch.para_doc, duplicates)
    return np.flatnonzero((sketch.para_lengths > 0) & ~duplicate_docs)


def paragraph_rows(
    sketch: BlockSketch, offsets: Offsets, document_marks: list[Columns], stage: NearDupDetector, partitions: int
) -> list[Any]:
    """Paragraph level: the non-empty paragraphs of documents not in ``document_marks`` (pass none to
    emit every paragraph: which documents are duplicates is decided after the paragraph edges are known)."""
    keep = live_paragraphs(sketch, offsets, _marked(document_marks))
    units = {
        "ordinal": offsets.paragraphs + keep,
        "name": sketch.paragraph_names(keep),
        "size": sketch.para_sizes[keep],
        "sign": sketch.para_signs[keep],
    }
    return keyed_parts(units, stage.paragraphs.keys(units["sign"]), partitions)


def live_sentences(
    sketch: BlockSketch, offsets: Offsets, stage: NearDupDetector, duplicates: np.ndarray, repeats: np.ndarray
) -> np.ndarray:
    """Sentences the local stage queries and indexes: long enough, in live paragraphs that are not repeats."""
    paragraphs = live_paragraphs(sketch, offsets, duplicates)
    paragraphs = paragraphs[~np.isin(offsets.paragraphs + paragraphs, repeats)]
    usable = sketch.sent_lengths >= stage.options.min_sentence_chars
    return np.flatnonzero(usable & np.isin(sketch.sent_para, paragraphs))


def sentence_rows(
    sketch: BlockSketch,
    offsets: Offsets,
    document_marks: list[Columns],
    paragraph_marks: list[Columns],
    stage: NearDupDetector,
    partitions: int,
) -> list[Any]:
    """Sentence level: usable sentences of checked paragraphs that are not repeats, with shingle counts."""
    keep = live_sentences(sketch, offsets, stage, _marked(document_marks), _marked(paragraph_marks))
    paragraphs = sketch.sent_para[keep]
    units = {
        "ordinal": offsets.sentences + keep,
        "paragraph": offsets.paragraphs + paragraphs,
        "name": sketch.paragraph_names(paragraphs),
        "size": np.array([stage.shingle_count(n) for n in sketch.sent_lengths[keep].tolist()], dtype=np.int64),
        "sign": sketch.sent_signs[keep],
    }
    return keyed_parts(units, stage.sentences.keys(units["sign"]), partitions)


def document_ids(sketch: BlockSketch, partitions: int) -> list[Columns]:
    """The ids of the documents the stage indexes, split by a hash that is the same in every process."""
    ids = sketch.ids[sketch.doc_lengths > 0]
    hashes = np.array([zlib.crc32(str(name).encode("utf-8")) for name in ids.tolist()], dtype=np.uint64)
    return split_columns({"id": ids}, partition_of(hashes, partitions), partitions)


def repeated_ids(parts: list[Columns]) -> list[Any]:
    """Ids that occur more than once (at most five of them)."""
    ids = concat_columns(parts, {"id": np.zeros(0, dtype=object)})["id"]
    names, counts = np.unique(ids.astype(str), return_counts=True)
    return [names[counts > 1][:5].tolist()]


def _explode(
    texts: list[str], lengths: np.ndarray, spans_of: Callable[[str], list[Span]], enabled: bool
) -> tuple[list[int], list[int], list[str]]:
    """The smaller units of each non-empty text: (owner position, number within the owner, text) columns."""
    owners: list[int] = []
    numbers: list[int] = []
    parts: list[str] = []
    if enabled:
        for position, (text, length) in enumerate(zip(texts, lengths.tolist(), strict=True)):
            if length == 0:
                continue
            for number, span in enumerate(spans_of(text)):
                owners.append(position)
                numbers.append(number)
                parts.append(span.text)
    return owners, numbers, parts
