"""Readers: text files as bytes (decoding is the encoding stage's job), JSONL and Parquet.

Readers never fail half way on one bad record: a JSONL line that does not parse, nests deeper than
:data:`MAX_DEPTH`, holds a lone surrogate escape (``"\\udc80"``, text no UTF-8 file can hold), or has a
text or id of the wrong type becomes a document already dropped with the reason, so it reaches the
rejects file.

Ids: a text file's id is its path relative to the input (``a/page.txt``; a glob's is relative to the
directory before its first wildcard), so two files never share one. A record's id is its ``id_field``
(a string or an integer), else ``<file stem>:<line>``. Other fields become metadata, except fields
named like the metadata the readers and the pipeline record themselves (:data:`RESERVED_FIELDS`:
``source``, ``line``, ``emit``...): those are kept under ``metadata["input_fields"]``, so a record's
``source`` never overwrites the path it was read from.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import regex

from cleanse.document import Document
from cleanse.errors import InputError, MissingDependencyError

READER = "reader"
MAX_DEPTH = 100  # JSON records nested deeper are rejected (no text nests like that; recursion limits do)
RESERVED_FIELDS = frozenset({"source", "line", "row", "size", "emit", "parent", "role", "input_fields"})
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


class Excluded(Protocol):
    """Files a reader must skip: the output directory of the run (see :class:`cleanse.io.rundir.RunDirectory`)."""

    def contains(self, candidate: str | Path) -> bool: ...

    def is_own_file(self, candidate: str | Path) -> bool: ...


def read_inputs(
    source: str | Path, text_field: str = "text", id_field: str = "id", exclude: Excluded | None = None
) -> Iterator[Document]:
    """Pick a reader by what ``source`` is: a directory, a glob, a text file, ``.jsonl`` or ``.parquet``.

    ``exclude``: an output directory whose files are never read as input (all of it when it lies
    inside ``source``; only the files a run writes when ``source`` lies inside it).
    """
    path = Path(source)
    name = str(source)
    if path.is_file() and path.suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path, text_field, id_field)
    if path.is_file() and path.suffix == ".parquet":
        return read_parquet(path, text_field, id_field)
    if path.exists() or glob.has_magic(name):
        files = _list_files(source)
        if exclude is not None:
            files = _without_output(files, path, exclude)
        return _read_files(files, _base_of(source))
    raise InputError(f"input not found: {source}")


def _without_output(files: list[Path], source: Path, exclude: Excluded) -> list[Path]:
    if source.exists() and exclude.contains(source):
        return [p for p in files if not exclude.is_own_file(p)]
    return [p for p in files if not exclude.contains(p)]


def _list_files(source: str | Path) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.is_file():
        return [path]
    matches = sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())
    if not matches:
        raise InputError(f"input not found: {source}")
    return matches


def read_text_files(source: str | Path) -> Iterator[Document]:
    """Yield one document per file, holding the file's raw bytes; the id is the path relative to the input."""
    files = _list_files(source)
    return _read_files(files, _base_of(source))


def _base_of(source: str | Path) -> Path:
    """The directory ids are relative to: the input directory, a file's folder, or a glob's fixed prefix."""
    path = Path(source)
    if path.is_dir():
        return path
    if path.is_file():
        return path.parent
    parts = []
    for part in Path(str(source)).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def file_id(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with forward slashes (``a/page.txt``); the path itself when outside it."""
    try:
        relative = os.path.relpath(path, base)
    except ValueError:
        relative = str(path)
    if relative.startswith(".."):
        relative = str(path)
    return Path(relative).as_posix()


def _read_files(files: list[Path], base: Path) -> Iterator[Document]:
    for path in files:
        name = file_id(path, base)
        try:
            data = path.read_bytes()
        except OSError as exc:
            doc = Document(id=name, text="", metadata={"source": str(path)})
            doc.drop(READER, f"unreadable: {exc.strerror or exc}")
            yield doc
            continue
        yield Document.from_bytes(data, id=name, source=str(path))


def read_jsonl(path: str | Path, text_field: str = "text", id_field: str = "id") -> Iterator[Document]:
    """Yield documents from JSON Lines; other fields are kept as metadata."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"input not found: {path}")
    return _read_jsonl(path, text_field, id_field)


class RecordError(ValueError):
    """One record cannot become a document; the message is the reject reason."""


FIELD_CHECK_RECORDS = 100
"""A JSONL input whose first this-many records all lack the text field is refused (wrong ``--text-field``)."""


def _read_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[Document]:
    """Records as documents; until one record has the text field, documents are held back, so that a wrong
    field name is one clear error rather than every record rejected."""
    held: list[Document] = []
    fields: dict[str, None] = {}
    records = _read_jsonl_records(path, text_field, id_field)
    for doc, record_fields in records:
        held.append(doc)
        if record_fields is None:
            continue
        if text_field in record_fields:
            yield from held
            yield from (doc for doc, _ in records)
            return
        fields.update(dict.fromkeys(record_fields))
        if len(held) >= FIELD_CHECK_RECORDS:
            break
    if fields:
        raise InputError(_no_text_field(path, text_field, list(fields)))
    yield from held


def _no_text_field(path: Path, text_field: str, fields: list[str]) -> str:
    seen = ", ".join(repr(f) for f in fields[:20])
    return f"{path}: no record has the text field {text_field!r}; fields seen: {seen} (choose one with --text-field)"


def _read_jsonl_records(path: Path, text_field: str, id_field: str) -> Iterator[tuple[Document, list[str] | None]]:
    """Each record as a document, with the record's field names (``None`` when the line is not a JSON object)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            fallback_id = f"{path.stem}:{number}"
            place = {"source": str(path), "line": number}
            record_fields: list[str] | None = None
            try:
                record = _parse(line)
                record_fields = [str(key) for key in record]
                yield record_document(record, text_field, id_field, fallback_id, place), record_fields
            except RecordError as exc:
                doc = Document(id=fallback_id, text="", metadata=dict(place))
                doc.drop(READER, str(exc))
                yield doc, record_fields


def _parse(line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except RecursionError:
        raise RecordError(f"invalid JSON: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise RecordError(f"invalid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise RecordError("invalid JSON: record is not a JSON object")
    return record


def record_document(
    record: dict[str, Any], text_field: str, id_field: str, fallback_id: str, place: dict[str, Any]
) -> Document:
    """One parsed record as a document, or :class:`RecordError` naming what is wrong with it."""
    if _depth(record) > MAX_DEPTH:
        raise RecordError(f"invalid JSON: nested deeper than {MAX_DEPTH} levels")
    bad = _first_surrogate(record)
    if bad is not None:
        raise RecordError(f"invalid text: lone surrogate U+{ord(bad[1]):04X} in field {bad[0]!r}")
    if text_field not in record:
        raise RecordError(f"missing field {text_field!r}")
    text = record.pop(text_field)
    raw_id = record.pop(id_field, None)
    if raw_id is None or raw_id == "":
        doc_id = fallback_id
    elif isinstance(raw_id, str) or (isinstance(raw_id, int) and not isinstance(raw_id, bool)):
        doc_id = str(raw_id)
    else:
        raise RecordError(f"field {id_field!r} is {type(raw_id).__name__}, not a string or an integer")
    if not isinstance(text, str):
        raise RecordError(f"field {text_field!r} is {type(text).__name__}, not a string")
    reserved = {key: record.pop(key) for key in [key for key in record if key in RESERVED_FIELDS]}
    metadata = {**record, **place}
    if reserved:
        metadata["input_fields"] = reserved
    return Document(id=doc_id, text=text, metadata=metadata)


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (iteratively: no recursion limit to hit)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _first_surrogate(record: dict[str, Any]) -> tuple[str, str] | None:
    """``(field, character)`` of the first lone surrogate in any key or string of the record."""
    stack: list[tuple[str, Any]] = [(key, value) for key, value in record.items()]
    for key in record:
        if isinstance(key, str) and (found := _SURROGATE.search(key)):
            return key, found.group()
    while stack:
        field, item = stack.pop()
        if isinstance(item, str):
            if found := _SURROGATE.search(item):
                return field, found.group()
        elif isinstance(item, dict):
            stack.extend((field, k) for k in item)
            stack.extend((field, v) for v in item.values())
        elif isinstance(item, list):
            stack.extend((field, v) for v in item)
    return None


def read_parquet(path: str | Path, text_field: str = "text", id_field: str = "id") -> Iterator[Document]:
    """Yield documents from a Parquet file, batch by batch (needs the ``parquet`` extra)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", "parquet") from None
    path = Path(path)
    if not path.is_file():
        raise InputError(f"input not found: {path}")
    parquet = pq.ParquetFile(path)
    names = list(parquet.schema_arrow.names)
    if text_field not in names:
        raise InputError(_no_text_field(path, text_field, names))
    return _read_parquet(parquet, path, text_field, id_field)


def _read_parquet(parquet, path: Path, text_field: str, id_field: str) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    row = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            row += 1
            text = record.pop(text_field, None)
            doc_id = str(record.pop(id_field, f"{path.stem}:{row}"))
            reserved = {key: record.pop(key) for key in [key for key in record if key in RESERVED_FIELDS]}
            metadata = {**record, "source": str(path), "row": row}
            if reserved:
                metadata["input_fields"] = reserved
            if isinstance(text, str):
                yield Document(id=doc_id, text=text, metadata=metadata)
            elif isinstance(text, bytes):
                yield Document(id=doc_id, raw=text, metadata=metadata)
            else:
                doc = Document(id=doc_id, text="", metadata=metadata)
                doc.drop(READER, f"field {text_field!r} missing or not text")
                yield doc
