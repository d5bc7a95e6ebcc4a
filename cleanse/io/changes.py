"""Reading a document's change log back: recompute it when the output left it out, trace it onto the final text.

Reports and ``cleanse explain`` work from output records. A record carries its change log when the run
stored it; otherwise :func:`recompute_changes` runs the per-document stages again on the document's source
(a text file, or the line of a JSONL file it came from) and checks that the result is the stored text.
:func:`trace` replays a log onto the original text and returns the final text cut into pieces, each
tagged with the change that produced or removed it, which is what a reader wants highlighted.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.document import Change, Document

PLAIN, EDITED, CUT, FLAGGED = 0, 1, 2, 3
"""Kinds of :class:`Piece`: unchanged text, text a change wrote, text a change removed, text under a verdict."""


@dataclass(slots=True)
class Piece:
    """A run of text in the traced document. ``CUT`` pieces hold removed text and take no room in the result."""

    text: str
    kind: int = PLAIN
    change: int = -1


@dataclass(slots=True)
class Recomputed:
    """The outcome of :func:`recompute_changes`: the log, where it came from, and any caveat for the reader."""

    changes: list[Change]
    origin: str
    original: str | None = None
    notes: list[str] = field(default_factory=list)


def recompute_changes(
    record: Mapping[str, Any], pipeline: Any = None, text_field: str = "text", bases: Sequence[Path] = ()
) -> Recomputed:
    """The change log of an output record: the stored one when present, else recomputed from its source.

    Recomputing runs the per-document stages (of ``pipeline``, default :meth:`Pipeline.default`) on the
    document's source: ``metadata["source"]`` as a text file, or, with ``metadata["line"]``, that line of a
    JSONL file. A relative source is looked up from the working directory, then from each of ``bases`` (the
    directory the run was started in is usually the output directory's parent). Corpus-stage verdicts
    (near-duplicates) need the whole corpus and are not recomputed.
    """
    stored = record.get("changes")
    if stored is not None:
        changes = [Change.from_dict(c) for c in stored]
        original = _original_of(record)
        if original is None and isinstance(record.get("text"), str):
            try:
                original = undo(record["text"], changes)
            except ValueError:
                original = None
        return Recomputed(changes, "stored", original)
    from cleanse.pipeline import Pipeline

    pipeline = pipeline or Pipeline.default()
    doc = _source_document(record, text_field, bases)
    if doc is None:
        return Recomputed([], "unavailable", None, ["no change log stored and the source could not be read"])
    result = Pipeline(pipeline.document_stages, pipeline.intake).process(doc)
    notes = ["recomputed from the source with the per-document stages; corpus-stage verdicts are not included"]
    if record.get("text") is not None and result.text != record.get("text") and record.get("status") == "kept":
        notes.append("the recomputed text differs from the stored text (other configuration or source changed)")
    return Recomputed(list(result.changes), "recomputed", result.original, notes)


def _original_of(record: Mapping[str, Any]) -> str | None:
    original = record.get("original")
    return original if isinstance(original, str) else None


def _source_document(record: Mapping[str, Any], text_field: str, bases: Sequence[Path]) -> Document | None:
    metadata = record.get("metadata") or {}
    source = metadata.get("source")
    if not isinstance(source, str):
        return None
    candidates = [Path(source)] + [base / source for base in bases if not Path(source).is_absolute()]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        return None
    doc_id = str(record.get("id", path.stem))
    line = metadata.get("line")
    if isinstance(line, int) and path.suffix in {".jsonl", ".ndjson"}:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                if number == line:
                    try:
                        text = json.loads(raw).get(text_field)
                    except (ValueError, AttributeError):
                        return None
                    return Document.from_text(text, id=doc_id) if isinstance(text, str) else None
        return None
    try:
        return Document.from_bytes(path.read_bytes(), id=doc_id)
    except OSError:
        return None


def undo(text: str, changes: Iterable[Change]) -> str:
    """The original text, rebuilt from the final text by undoing each step's edits, last step first."""
    by_step: dict[int, list[Change]] = {}
    for change in changes:
        if not change.is_verdict:
            by_step.setdefault(change.step, []).append(change)
    for step in sorted(by_step, reverse=True):
        pieces: list[str] = []
        cursor = offset = 0
        for change in sorted(by_step[step], key=lambda c: c.start):
            start = change.start + offset
            end = start + len(change.after)
            if text[start:end] != change.after:
                raise ValueError(f"change log does not match the text at step {step}, span {change.start}")
            pieces += [text[cursor:start], change.before]
            cursor = end
            offset += len(change.after) - len(change.before)
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


def trace(changes: Sequence[Change], final: str | None = None, original: str | None = None) -> list[Piece]:
    """The final text as pieces tagged with the index (in ``changes``) of the change behind each.

    Needs the original text or the final one (the other is rebuilt). Edits and verdicts are replayed in the
    order they happened, so a later edit overrides the tag of an earlier one on the same characters.
    """
    if original is None:
        if final is None:
            raise ValueError("trace needs the original or the final text")
        original = undo(final, changes)
    pieces = [Piece(original)] if original else []
    edits: dict[int, list[tuple[int, Change]]] = {}
    verdicts: dict[int, list[tuple[int, Change]]] = {}
    for number, change in enumerate(changes):
        (verdicts if change.is_verdict else edits).setdefault(change.step, []).append((number, change))
    for step in sorted(set(edits) | set(verdicts)):
        if step in edits:
            pieces = _apply_edits(pieces, sorted(edits[step], key=lambda item: item[1].start))
        if step in verdicts:
            pieces = _apply_verdicts(pieces, verdicts[step])
    return _merge(pieces)


def _split(pieces: list[Piece], cuts: Iterable[int]) -> list[Piece]:
    """The same pieces, split so that every position in ``cuts`` falls on a boundary."""
    wanted = sorted(set(cuts))
    out: list[Piece] = []
    position = 0
    index = 0
    for piece in pieces:
        if piece.kind == CUT or not piece.text:
            out.append(piece)
            continue
        end = position + len(piece.text)
        while index < len(wanted) and wanted[index] <= position:
            index += 1
        cursor = position
        while index < len(wanted) and wanted[index] < end:
            at = wanted[index]
            out.append(Piece(piece.text[cursor - position : at - position], piece.kind, piece.change))
            cursor = at
            index += 1
        out.append(Piece(piece.text[cursor - position :], piece.kind, piece.change))
        position = end
    return out


def _apply_edits(pieces: list[Piece], edits: list[tuple[int, Change]]) -> list[Piece]:
    """Replace each edit's span by a piece holding what it wrote (or, for a deletion, what it removed)."""
    pieces = _split(pieces, [p for _, c in edits for p in (c.start, c.end)])
    out: list[Piece] = []
    position = replaced_until = 0
    waiting = 0
    for piece in pieces:
        while waiting < len(edits) and edits[waiting][1].start <= position:
            _emit(out, edits[waiting])
            replaced_until = max(replaced_until, edits[waiting][1].end)
            waiting += 1
        if piece.kind == CUT:
            out.append(piece)
            continue
        if position >= replaced_until:
            out.append(piece)
        position += len(piece.text)
    for item in edits[waiting:]:
        _emit(out, item)
    return out


def _emit(out: list[Piece], item: tuple[int, Change]) -> None:
    number, change = item
    if change.after:
        out.append(Piece(change.after, EDITED, number))
    elif change.before:
        out.append(Piece(change.before, CUT, number))


def _apply_verdicts(pieces: list[Piece], verdicts: list[tuple[int, Change]]) -> list[Piece]:
    """Tag unchanged text under each verdict; where verdicts overlap, the one logged first keeps the tag."""
    pieces = _split(pieces, [p for _, c in verdicts for p in (c.start, c.end)])
    starts: list[int] = []
    texts: list[Piece] = []
    position = 0
    for piece in pieces:
        if piece.kind != CUT:
            starts.append(position)
            texts.append(piece)
            position += len(piece.text)
    for number, change in verdicts:
        index = bisect_left(starts, change.start)
        while index < len(texts) and starts[index] < change.end:
            piece = texts[index]
            if piece.kind == PLAIN:
                piece.kind, piece.change = FLAGGED, number
            index += 1
    return pieces


def _merge(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        same = out and out[-1].kind == piece.kind and (piece.kind == PLAIN or out[-1].change == piece.change)
        if same and piece.kind != CUT:
            out[-1].text += piece.text
        else:
            out.append(piece)
    return out


def final_text(pieces: Iterable[Piece]) -> str:
    """The text the pieces stand for (removed pieces left out)."""
    return "".join(p.text for p in pieces if p.kind != CUT)


def reason_group(reason: str | None) -> str:
    """A reason without its per-document detail, for counting: ``near_duplicate (similarity 0.91)`` ->
    ``near_duplicate``, ``error: ValueError: bad span`` -> ``error: ValueError``."""
    if not reason:
        return ""
    reason = reason.split(" (", 1)[0]
    if reason.startswith("error: "):
        return ": ".join(reason.split(": ")[:2])
    return reason
