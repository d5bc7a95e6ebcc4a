"""Readers: text files as bytes (decoding is the encoding stage's job), JSONL and Parquet.

Readers never fail half way on one bad record: a line of JSONL that does not parse
becomes a document already dropped with the reason, so it reaches the rejects file.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator
from pathlib import Path

from cleanse.document import Document
from cleanse.errors import InputError, MissingDependencyError

READER = "reader"


def read_inputs(source: str | Path, text_field: str = "text", id_field: str = "id") -> Iterator[Document]:
    """Pick a reader by what ``source`` is: a directory, a glob, a text file, ``.jsonl`` or ``.parquet``."""
    path = Path(source)
    name = str(source)
    if path.is_file() and path.suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path, text_field, id_field)
    if path.is_file() and path.suffix == ".parquet":
        return read_parquet(path, text_field, id_field)
    if path.exists() or glob.has_magic(name):
        return read_text_files(source)
    raise InputError(f"input not found: {source}")


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
    """Yield one document per file, holding the file's raw bytes; the id is the file's stem."""
    files = _list_files(source)
    return _read_files(files)


def _read_files(files: list[Path]) -> Iterator[Document]:
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            doc = Document(id=path.stem, text="", metadata={"source": str(path)})
            doc.drop(READER, f"unreadable: {exc.strerror or exc}")
            yield doc
            continue
        yield Document.from_bytes(data, id=path.stem, source=str(path))


def read_jsonl(path: str | Path, text_field: str = "text", id_field: str = "id") -> Iterator[Document]:
    """Yield documents from JSON Lines; other fields are kept as metadata."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"input not found: {path}")
    return _read_jsonl(path, text_field, id_field)


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
            record_fields: list[str] | None = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("record is not a JSON object")
                record_fields = list(record)
                text = record.pop(text_field)
            except (ValueError, KeyError) as exc:
                doc = Document(id=fallback_id, text="", metadata={"source": str(path), "line": number})
                reason = f"missing field {text_field!r}" if isinstance(exc, KeyError) else f"invalid JSON: {exc}"
                doc.drop(READER, reason)
                yield doc, record_fields
                continue
            doc_id = str(record.pop(id_field, fallback_id))
            metadata = {"source": str(path), "line": number, **record}
            if isinstance(text, str):
                yield Document(id=doc_id, text=text, metadata=metadata), record_fields
            else:
                doc = Document(id=doc_id, text="", metadata=metadata)
                doc.drop(READER, f"field {text_field!r} is {type(text).__name__}, not a string")
                yield doc, record_fields


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
            metadata = {"source": str(path), "row": row, **record}
            if isinstance(text, str):
                yield Document(id=doc_id, text=text, metadata=metadata)
            elif isinstance(text, bytes):
                yield Document(id=doc_id, raw=text, metadata=metadata)
            else:
                doc = Document(id=doc_id, text="", metadata=metadata)
                doc.drop(READER, f"field {text_field!r} missing or not text")
                yield doc
