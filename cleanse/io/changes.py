"""Tracing a document's change log onto its final text, for reports.

:func:`trace` replays a log onto the original text and returns the final text cut into pieces, each
tagged with the change that produced or removed it, which is what a reader wants highlighted. (A log that
compact output left out is recomputed from the run's input by :mod:`cleanse.recompute`.)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from cleanse.document import Change, undo

PLAIN, EDITED, CUT, FLAGGED = 0, 1, 2, 3
"""Kinds of :class:`Piece`: unchanged text, text a change wrote, text a change removed, text under a verdict."""


@dataclass(slots=True)
class Piece:
    """A run of text in the traced document. ``CUT`` pieces hold removed text and take no room in the result."""

    text: str
    kind: int = PLAIN
    change: int = -1


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
    """The same pieces, split so that every position in ``cuts`` falls on a boundary.

    Only the pieces a cut falls inside are touched (found by bisection), so a step with a few changes
    costs little on a text that earlier steps already cut into many pieces.
    """
    starts = _starts(pieces)
    inside: dict[int, list[int]] = {}
    for at in sorted(set(cuts)):
        index = bisect_right(starts, at, 0, len(pieces)) - 1
        if index < 0:
            continue
        piece = pieces[index]
        if piece.kind != CUT and starts[index] < at < starts[index] + len(piece.text):
            inside.setdefault(index, []).append(at)
    if not inside:
        return pieces
    out: list[Piece] = []
    done = 0
    for index, positions in inside.items():
        out.extend(pieces[done:index])
        piece, position = pieces[index], starts[index]
        cursor = position
        for at in positions:
            out.append(Piece(piece.text[cursor - position : at - position], piece.kind, piece.change))
            cursor = at
        out.append(Piece(piece.text[cursor - position :], piece.kind, piece.change))
        done = index + 1
    out.extend(pieces[done:])
    return out


def _apply_edits(pieces: list[Piece], edits: list[tuple[int, Change]]) -> list[Piece]:
    """Replace each edit's span by a piece holding what it wrote (or, for a deletion, what it removed)."""
    if len(pieces) == 1 and pieces[0].kind == PLAIN:
        return _edit_plain(pieces[0].text, edits)
    pieces = _split(pieces, [p for _, c in edits for p in (c.start, c.end)])
    starts = _starts(pieces)
    first = bisect_left(starts, edits[0][1].start, 0, len(pieces))  # pieces before it stay as they are
    out: list[Piece] = pieces[:first]
    position, replaced_until = starts[first], 0
    waiting = 0
    for index in range(first, len(pieces)):
        if waiting == len(edits) and position >= replaced_until:
            out.extend(pieces[index:])  # past the last edit: the rest stays as it is
            return out
        piece = pieces[index]
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


def _starts(pieces: list[Piece]) -> list[int]:
    """Where each piece starts in the text (removed pieces take no room), and the text's length last."""
    return list(accumulate([0 if piece.kind == CUT else len(piece.text) for piece in pieces], initial=0))


def _edit_plain(text: str, edits: list[tuple[int, Change]]) -> list[Piece]:
    """:func:`_apply_edits` on text no change has touched yet (the usual first step): one pass over the
    edits, no splitting of pieces."""
    out: list[Piece] = []
    cursor = 0
    for number, change in edits:
        if change.start > cursor:
            out.append(Piece(text[cursor : change.start]))
        if change.after:  # as _emit, inline: this loop runs once per edit of the whole run
            out.append(Piece(change.after, EDITED, number))
        elif change.before:
            out.append(Piece(change.before, CUT, number))
        if change.end > cursor:
            cursor = change.end
    if cursor < len(text):
        out.append(Piece(text[cursor:]))
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
    starts = _starts(pieces)
    for number, change in verdicts:
        index = bisect_left(starts, change.start, 0, len(pieces))
        while index < len(pieces) and starts[index] < change.end:
            piece = pieces[index]
            if piece.kind == PLAIN:  # removed pieces are never PLAIN
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
