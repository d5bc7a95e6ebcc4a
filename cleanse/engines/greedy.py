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
   or become kept paragraphs themselves;
4. for the report's reprint groups (:mod:`cleanse.stages.dedup.related`), a kept document is related to
   the kept representatives it has an edge with in either direction (the document edges carry both), and
   a duplicate is reported in the group its kept match joined when it has an edge with that group's
   representative too; :class:`cleanse.stages.dedup.related.ReprintGroups` decides, as in the stage.

Only edges (integers and floats) and per-paragraph owners and lengths reach the driver, never texts.

>>> docs = {"a": np.array([1]), "b": np.array([0]), "b_id": np.array(["d0"], dtype=object),
...         "similarity": np.array([0.9]), "jaccard": np.array([True]), "score": np.array([0.9])}
>>> marks, _, _ = kept_first(2, docs, None, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), "documents", 1)
>>> marks["a"].tolist(), marks["first"].tolist(), marks["duplicate"].tolist(), marks["group"].tolist()
([1], ['d0'], [True], ['d0'])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cleanse.engines.pairs import COVER_COLUMNS
from cleanse.engines.shuffle import Columns, concat_columns
from cleanse.stages.dedup.related import ReprintGroups
from cleanse.stages.dedup.stars import MEMBER_SHARE

DOCUMENT_MARKS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "first": np.zeros(0, dtype=object),
    "similarity": np.zeros(0, dtype=np.float64),
    "jaccard": np.zeros(0, dtype=bool),
    "score": np.zeros(0, dtype=np.float64),
    "duplicate": np.zeros(0, dtype=bool),
    "new_chars": np.zeros(0, dtype=np.int64),
    "group": np.zeros(0, dtype=object),
    "group_score": np.zeros(0, dtype=np.float64),
    "part": np.zeros(0, dtype=bool),
}
PARAGRAPH_MARKS: Columns = {name: DOCUMENT_MARKS[name] for name in ("a", "first", "similarity", "jaccard", "score")}
RELATED_MARKS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "first": np.zeros(0, dtype=object),
    "similarity": np.zeros(0, dtype=np.float64),
    "jaccard": np.zeros(0, dtype=bool),
    "score": np.zeros(0, dtype=np.float64),
    "holds": np.zeros(0, dtype=bool),
    "shared": np.zeros(0, dtype=bool),
}


class _Edges:
    """Edges grouped by their later unit, each group in rank order (most similar, then earliest)."""

    def __init__(self, edges: Columns | None, count: int, relations: bool = False) -> None:
        edges = _complete(edges)
        order = np.lexsort((edges["b"], -edges["similarity"], edges["a"]))
        if not relations:
            order = order[edges["covers"][order]]
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

    def all_kept(self, unit: int, kept: list[bool]) -> list[int]:
        """Rows (in ``edges``) of the unit's edges to kept units, in rank order."""
        return [int(self.rows[p]) for p in range(self.starts[unit], self.starts[unit + 1]) if kept[self.b[p]]]


def _complete(edges: Columns | None) -> Columns:
    """Edge columns with the reverse-clause columns filled in when absent (forward edges only)."""
    if edges is None:
        return {name: values[:0] for name, values in COVER_COLUMNS.items()}
    count = len(edges["a"])
    defaults = {"covers": True, "holds": False, "holds_jaccard": False, "holds_score": 0.0, "held": 1.0}
    filled = {name: np.full(count, value, dtype=COVER_COLUMNS[name].dtype) for name, value in defaults.items()}
    return filled | dict(edges)


def _row(edges: Columns, row: int, names: tuple[str, ...], relation: bool = False) -> list[Any]:
    """The named values of an edge row; with ``relation``, the reverse clause's when it holds (as
    ``NearDupIndex.query_relations`` prefers it), else the forward one's."""
    values = {"first": edges["b_id"][row], "similarity": edges["similarity"][row], "held": edges["held"][row]}
    if relation and edges["holds"][row]:
        values |= {"jaccard": edges["holds_jaccard"][row], "score": edges["holds_score"][row], "holds": True}
    else:
        values |= {"jaccard": edges["jaccard"][row], "score": edges["score"][row], "holds": False}
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
) -> tuple[Columns, Columns, Columns]:
    """Document marks (duplicates and digests), paragraph marks (repeats) and the reprint relations of
    kept documents (one row per related representative, ``shared`` when there are several), by ordinal.

    ``paragraph_owner[p]`` is the document ordinal of paragraph ordinal ``p`` (ascending) and
    ``paragraph_lengths[p]`` its normalised length (0: never compared); ``document_lengths[d]`` 0 marks
    a document with nothing to compare (skipped, as the stage skips it).
    """
    paragraphs = len(paragraph_owner)
    doc_edges = _Edges(document_edges, documents)
    relations = _Edges(document_edges, documents, relations=True)
    groups: ReprintGroups[int] = ReprintGroups()
    related_rows: list[list[Any]] = []
    related_names = ("first", "similarity", "jaccard", "score", "holds")
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
                group_values = _row(doc_edges.edges, row, ("first", "score", "held"))
                if duplicate:  # a pair found in several key partitions has several equal rows: the first counts
                    near: dict[int, int] = {}
                    for other in relations.all_kept(doc, kept_doc):
                        if doc_edges.edges["held"][other] > MEMBER_SHARE:
                            near.setdefault(int(doc_edges.edges["b"][other]), other)
                    kept = int(doc_edges.edges["b"][row])
                    group = groups.group_of(doc, kept, near)
                    if group != kept:
                        group_values = _row(doc_edges.edges, near[group], ("first", "score", "held"), relation=True)
                group_name, group_score, held = group_values
                doc_rows.append(
                    [
                        doc,
                        *_row(doc_edges.edges, row, doc_names),
                        duplicate,
                        new,
                        group_name,
                        group_score,
                        held <= MEMBER_SHARE,
                    ]
                )
                if duplicate:
                    continue
            near_rows = [r for r in relations.all_kept(doc, kept_doc) if doc_edges.edges["held"][r] > MEMBER_SHARE]
            by_b = {int(doc_edges.edges["b"][r]): r for r in reversed(near_rows)}
            roots = groups.relate(doc, [int(doc_edges.edges["b"][r]) for r in near_rows])
            for root in roots:
                values = _row(doc_edges.edges, by_b[root], related_names, relation=True)
                related_rows.append([doc, *values, len(roots) > 1])
            kept_doc[doc] = True
        for paragraph in own:
            if not lengths[paragraph]:
                continue
            row = para_edges.best_kept(paragraph, kept_para)
            if row >= 0:
                para_rows.append([paragraph, *_row(para_edges.edges, row, doc_names)])
            else:
                kept_para[paragraph] = True
    return (
        _columns(doc_rows, DOCUMENT_MARKS),
        _columns(para_rows, PARAGRAPH_MARKS),
        _columns(related_rows, RELATED_MARKS),
    )


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
