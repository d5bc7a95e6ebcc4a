"""Which units are kept: the local stage's stream-order decisions, replayed on the driver from edges.

The local stage (``keep="first"``) indexes kept units only: a unit is a duplicate when an earlier *kept*
unit covers it, so whether a unit is kept depends on the decisions before it, not on pairs alone. The
shuffles find every candidate edge ``a -> b`` (later unit ``a`` covered by earlier ``b``,
:func:`cleanse.engines.pairs.verify_covers`); :func:`kept_first` walks the documents in stream order
with those edges, exactly as the stage walks its stream:

1. a document's best kept match is its first edge (most similar, then earliest) to a kept document;
2. with ``level="both"``, a matched document's new content is the normalised length of its paragraphs
   with no edge to a kept paragraph; at least ``new_content_chars`` of it make it a digest (kept);
3. the paragraphs of a kept document, in order, repeat the first kept paragraph they have an edge to,
   or become kept paragraphs themselves.

Only edges (integers and floats) and per-paragraph owners and lengths reach the driver, never texts.

>>> docs = {"a": np.array([1]), "b": np.array([0]), "b_id": np.array(["d0"], dtype=object),
...         "similarity": np.array([0.9]), "jaccard": np.array([True]), "score": np.array([0.9])}
>>> marks, _ = kept_first(2, docs, None, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), "documents", 1)
>>> marks["a"].tolist(), marks["first"].tolist(), marks["duplicate"].tolist()
([1], ['d0'], [True])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cleanse.engines.pairs import COVER_COLUMNS
from cleanse.engines.shuffle import Columns, concat_columns

DOCUMENT_MARKS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "first": np.zeros(0, dtype=object),
    "similarity": np.zeros(0, dtype=np.float64),
    "jaccard": np.zeros(0, dtype=bool),
    "score": np.zeros(0, dtype=np.float64),
    "duplicate": np.zeros(0, dtype=bool),
    "new_chars": np.zeros(0, dtype=np.int64),
}
PARAGRAPH_MARKS: Columns = {name: DOCUMENT_MARKS[name] for name in ("a", "first", "similarity", "jaccard", "score")}


class _Edges:
    """Edges grouped by their later unit, each group in rank order (most similar, then earliest)."""

    def __init__(self, edges: Columns | None, count: int) -> None:
        edges = edges if edges is not None else {name: values[:0] for name, values in COVER_COLUMNS.items()}
        order = np.lexsort((edges["b"], -edges["similarity"], edges["a"]))
        self.a = edges["a"][order]
        self.b = edges["b"][order].tolist()
        self.rows = order
        self.edges = edges
        self.starts = np.searchsorted(self.a, np.arange(count + 1)).tolist()

    def best_kept(self, unit: int, kept: list[bool]) -> int:
        """Row (in ``edges``) of the unit's first edge to a kept unit, or -1."""
        for position in range(self.starts[unit], self.starts[unit + 1]):
            if kept[self.b[position]]:
                return int(self.rows[position])
        return -1


def _row(edges: Columns, row: int, names: tuple[str, ...]) -> list[Any]:
    values = {"first": edges["b_id"][row], "similarity": edges["similarity"][row]}
    values |= {"jaccard": edges["jaccard"][row], "score": edges["score"][row]}
    return [values[name] for name in names]


def kept_first(
    documents: int,
    document_edges: Columns | None,
    paragraph_edges: Columns | None,
    paragraph_owner: np.ndarray,
    paragraph_lengths: np.ndarray,
    level: str,
    new_content_chars: int,
    document_lengths: np.ndarray | None = None,
) -> tuple[Columns, Columns]:
    """Document marks (duplicates and digests) and paragraph marks (repeats), by ordinal.

    ``paragraph_owner[p]`` is the document ordinal of paragraph ordinal ``p`` (ascending) and
    ``paragraph_lengths[p]`` its normalised length (0: never compared); ``document_lengths[d]`` 0 marks
    a document with nothing to compare (skipped, as the stage skips it).
    """
    paragraphs = len(paragraph_owner)
    doc_edges = _Edges(document_edges, documents)
    para_edges = _Edges(paragraph_edges, paragraphs)
    starts = np.searchsorted(paragraph_owner, np.arange(documents + 1)).tolist()
    lengths = np.asarray(paragraph_lengths).tolist()
    doc_lengths = np.ones(documents, dtype=np.int64) if document_lengths is None else document_lengths
    empty_doc = (np.asarray(doc_lengths) == 0).tolist()
    kept_doc = [False] * documents
    kept_para = [False] * paragraphs
    doc_rows: list[list[Any]] = []
    para_rows: list[list[Any]] = []
    doc_names = ("first", "similarity", "jaccard", "score")
    judge = level != "paragraphs"
    for doc in range(documents):
        if empty_doc[doc]:
            continue
        own = range(starts[doc], starts[doc + 1])
        if judge:
            row = doc_edges.best_kept(doc, kept_doc)
            if row >= 0:
                new = 0
                if level == "both":
                    new = sum(lengths[p] for p in own if lengths[p] and para_edges.best_kept(p, kept_para) < 0)
                duplicate = new < new_content_chars
                doc_rows.append([doc, *_row(doc_edges.edges, row, doc_names), duplicate, new])
                if duplicate:
                    continue
            kept_doc[doc] = True
        for paragraph in own:
            if not lengths[paragraph]:
                continue
            row = para_edges.best_kept(paragraph, kept_para)
            if row >= 0:
                para_rows.append([paragraph, *_row(para_edges.edges, row, doc_names)])
            else:
                kept_para[paragraph] = True
    return _columns(doc_rows, DOCUMENT_MARKS), _columns(para_rows, PARAGRAPH_MARKS)


def _columns(rows: list[list[Any]], template: Columns) -> Columns:
    if not rows:
        return {name: values[:0] for name, values in template.items()}
    columns = list(zip(*rows, strict=True))
    return {
        name: np.asarray(values, dtype=template[name].dtype) for name, values in zip(template, columns, strict=True)
    }


def gather_edges(parts: list[Columns]) -> Columns:
    """The edge parts of every reducer as one table (on the driver)."""
    return concat_columns(parts, COVER_COLUMNS)
