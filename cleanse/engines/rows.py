"""Documents as rows of a distributed dataset, and the order key that makes distributed runs match local ones.

A row holds ``seq`` (an int64 order key) and ``doc`` (the pickled :class:`~cleanse.document.Document`, so
raw bytes, metadata, the change log and the step counter all survive the trip between workers unchanged).

``seq`` reproduces the order in which the local engine sees documents: the ``n``-th input document has
``n << CHILD_BITS`` and the segments split off it (``metadata["emit"]``) follow it as ``+1, +2, ...``, exactly
where the local pipeline yields them. "First seen" in a distributed dedup step means "smallest ``seq``".

>>> from cleanse.document import Document
>>> row = to_row(Document.from_text("正文", id="a"), seq=order_key(3))
>>> row["seq"], from_row(row).text
(3145728, '正文')
>>> child_key(row["seq"], 2) - row["seq"], is_derived(child_key(row["seq"], 2)), is_derived(row["seq"])
(2, True, False)
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping
from typing import Any

from cleanse.document import Document

CHILD_BITS = 20
MAX_CHILDREN = (1 << CHILD_BITS) - 1
MAX_INPUTS = 1 << (63 - CHILD_BITS)


def order_key(position: int) -> int:
    """The order key of the ``position``-th input document (0-based)."""
    if not 0 <= position < MAX_INPUTS:
        raise ValueError(f"input position must be in [0, {MAX_INPUTS}), got {position}")
    return position << CHILD_BITS


def child_key(parent: int, number: int) -> int:
    """The order key of the ``number``-th (1-based) segment split off the document with key ``parent``."""
    if not 1 <= number <= MAX_CHILDREN:
        raise ValueError(f"a document can emit at most {MAX_CHILDREN} segments, got segment {number}")
    return parent + number


def is_derived(seq: int) -> bool:
    """Whether ``seq`` belongs to a segment split off another document rather than to an input document."""
    return bool(seq & MAX_CHILDREN)


def to_row(doc: Document, seq: int) -> dict[str, Any]:
    return {"seq": seq, "doc": pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)}


def from_row(row: Mapping[str, Any]) -> Document:
    doc = pickle.loads(row["doc"])
    if not isinstance(doc, Document):
        raise TypeError(f"row {row.get('seq')} does not hold a Document but {type(doc).__name__}")
    return doc


def to_batch(docs: Iterable[Document], seqs: Iterable[int]) -> dict[str, list[Any]]:
    """Column-wise rows (what ``map_batches`` returns) for documents and their order keys."""
    batch: dict[str, list[Any]] = {"seq": [], "doc": []}
    for doc, seq in zip(docs, seqs, strict=True):
        batch["seq"].append(int(seq))
        batch["doc"].append(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    return batch


def from_batch(batch: Mapping[str, Any]) -> tuple[list[Document], list[int]]:
    docs = [pickle.loads(blob) for blob in batch["doc"]]
    return docs, [int(seq) for seq in batch["seq"]]


def record_to_document(record: Mapping[str, Any], text_field: str = "text", id_field: str = "id") -> Document:
    """A document from one row of a user's dataset: ``text_field`` (str or bytes), ``id_field``, the rest metadata."""
    if text_field not in record:
        raise KeyError(f"dataset row has no {text_field!r} column; columns: {', '.join(sorted(record))}")
    value = record[text_field]
    metadata = {k: _plain(v) for k, v in record.items() if k not in (text_field, id_field)}
    identifier = str(record.get(id_field, ""))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Document.from_bytes(bytes(value), id=identifier, **metadata)
    return Document.from_text("" if value is None else str(value), id=identifier, **metadata)


def _plain(value: Any) -> Any:
    """Numpy scalars and arrays (how Ray hands columns over) as plain Python values for JSON output."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
