"""The repair plan: fixers run in order, each proposing edits against the text it sees.

:func:`repair_and_explain` returns the repaired text, the steps (one list of edits per
fixer that changed something, each indexing the text that fixer saw) and the damage
spans to flag in the final text. The stage applies the same steps through
``doc.apply`` so every change lands in the document's log with its reason.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import overload

from cleanse.document import Edit, EditSpec
from cleanse.stages.encoding.damage import find_damage
from cleanse.stages.encoding.latin_mojibake import POSSIBLE_LATIN1_MOJIBAKE, fix_latin_mojibake, latin_range_repairs
from cleanse.stages.encoding.misaligned import UNREADABLE_MISALIGNED_RUN, realign_double_byte_runs
from cleanse.stages.encoding.mojibake import fix_double_byte_mojibake
from cleanse.stages.encoding.normalize import (
    FULLWIDTH_PUNCTUATION,
    fullwidth_marks,
    normalize_line_endings,
    normalize_nfc,
    remove_invisible_characters,
    unescape_html_entities,
)
from cleanse.stages.encoding.options import EncodingOptions
from cleanse.stages.encoding.pinyin import strip_pinyin_annotations

#: the longest stretch of text one fixer call sees; longer texts are cut into segments.
SEGMENT_LENGTH = 1_000_000


class EditRows(Sequence[Edit]):
    """Edits held as ``(start, end, after, reason, score, evidence)`` rows, in order, apart, each changing the text.

    A page of Chinese text restores a fullwidth mark every few dozen characters; building an
    :class:`Edit` for each costs more than finding them. Rows are applied and logged as they
    are (``Document.apply_many``); an :class:`Edit` is built only when one is read.
    """

    __slots__ = ("rows",)

    def __init__(self, rows: list[EditSpec]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Edit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Edit]: ...

    def __getitem__(self, index: int | slice) -> Edit | list[Edit]:
        if isinstance(index, slice):
            return [_edit(row) for row in self.rows[index]]
        return _edit(self.rows[index])

    def __repr__(self) -> str:
        return f"EditRows({self.rows!r})"


def _edit(row: EditSpec) -> Edit:
    start, end, after, reason, score, evidence = row
    return Edit(start, end, after, reason, score, tuple(evidence))


@dataclass(slots=True)
class RepairPlan:
    """What :func:`repair_and_explain` found: the text, its edit steps, and damage to flag."""

    text: str
    steps: list[tuple[str, Sequence[Edit]]] = field(default_factory=list)
    damage: list[tuple[int, int, str]] = field(default_factory=list)


def repair_encoding(text: str, options: EncodingOptions | None = None, **overrides: object) -> str:
    """Repair encoding damage in ``text`` and return the repaired text.

    >>> repair_encoding("網(wǎng)站(zhàn):" + "全国".encode("utf-8").decode("gbk") + "人民")
    '網站：全国人民'
    """
    return repair_and_explain(text, options, **overrides).text


def repair_and_explain(text: str, options: EncodingOptions | None = None, **overrides: object) -> RepairPlan:
    """Repair ``text`` and say how: each step's edits (reason, span, score) and unrecoverable spans."""
    if not isinstance(text, str):
        raise TypeError(f"repair_encoding() takes str, not {type(text).__name__}; use decode() for bytes")
    opts = _options(options, overrides)
    plan = RepairPlan(text)
    pending: list[tuple[int, int, str]] = []
    quiet: dict[str, str] = {}  # fixer: the text it last read and left as it was
    for name, fixer in _fixers(opts, pending):
        if quiet.get(name) is plan.text:
            continue  # a fixer is a function of the text: on the text it left alone it would find nothing again
        read = plan.text
        edits = _by_segment(fixer, plan.text)
        if edits:
            plan.text, real = _apply(plan.text, edits)
            if real:
                plan.steps.append((name, real))
                pending[:] = _shift_all(pending, real)
        if plan.text is read:
            quiet[name] = read
    if opts.flag_damage:
        plan.damage = sorted(set(pending) | set(find_damage(plan.text)))
    return plan


def _by_segment(fixer: Callable[[str], Sequence[Edit]], text: str) -> Sequence[Edit]:
    """Run a fixer on bounded segments of a long text, so work and memory stay linear (ftfy's max_decode_length).

    Every fixer looks only at a few hundred characters around a defect, so cutting at line
    ends (or, in a huge single line, after a sentence mark) changes nothing but the peak size.
    """
    if len(text) <= SEGMENT_LENGTH:
        return fixer(text)
    edits: list[Edit] = []
    rows: list[EditSpec] = []
    for start, end in _segments(text):
        found = fixer(text[start:end])
        if isinstance(found, EditRows):
            rows.extend((s + start, e + start, *rest) for s, e, *rest in found.rows)  # type: ignore[misc]
        else:
            edits.extend(Edit(e.start + start, e.end + start, e.after, e.reason, e.score, e.evidence) for e in found)
    return EditRows(rows) if rows and not edits else [*edits, *(_edit(row) for row in rows)]


def _segments(text: str) -> list[tuple[int, int]]:
    """Consecutive spans of at most SEGMENT_LENGTH characters, cut after a line end or a sentence mark if any."""
    spans = []
    start = 0
    while start < len(text):
        end = min(len(text), start + SEGMENT_LENGTH)
        if end < len(text):
            window = text[start + SEGMENT_LENGTH // 2 : end]
            cut = max(window.rfind("\n"), max(window.rfind(mark) for mark in "。！？；"))
            if cut >= 0:
                end = start + SEGMENT_LENGTH // 2 + cut + 1
        spans.append((start, end))
        start = end
    return spans


def _options(options: EncodingOptions | None, overrides: dict[str, object]) -> EncodingOptions:
    import dataclasses

    base = options or EncodingOptions()
    return dataclasses.replace(base, **overrides) if overrides else base  # type: ignore[arg-type]


def _fixers(
    opts: EncodingOptions, pending: list[tuple[int, int, str]]
) -> list[tuple[str, Callable[[str], Sequence[Edit]]]]:
    def realign(text: str) -> list[Edit]:
        edits, unreadable = realign_double_byte_runs(text, opts.min_gain)
        pending.extend((start, end, UNREADABLE_MISALIGNED_RUN) for start, end in unreadable)
        return edits

    def latin_range(text: str) -> list[Edit]:
        edits, doubts = latin_range_repairs(text, opts.min_gain)
        pending.extend((start, end, POSSIBLE_LATIN1_MOJIBAKE) for start, end in doubts)
        return edits

    plan: list[tuple[bool, str, Callable[[str], Sequence[Edit]]]] = [
        (opts.normalize_line_endings, "line_endings", normalize_line_endings),
        (opts.unescape_html, "html_entities", unescape_html_entities),
        # tone marks are Latin-1 letters: annotations that read their characters go before the Latin-range repair
        (opts.strip_pinyin, "pinyin_annotations", strip_pinyin_annotations),
        (opts.fix_cjk_mojibake, "latin_range_mojibake", latin_range),
        (opts.fix_latin_mojibake, "latin_mojibake", fix_latin_mojibake),
        (opts.realign_double_byte, "misaligned_runs", realign),
        (opts.strip_pinyin, "pinyin_annotations", strip_pinyin_annotations),
        (opts.fix_cjk_mojibake, "double_byte_mojibake", lambda t: fix_double_byte_mojibake(t, opts.min_gain)),
        (opts.remove_invisible, "invisible_characters", remove_invisible_characters),
        (opts.normalize_nfc, "nfc", normalize_nfc),
        (opts.restore_fullwidth_punctuation, "fullwidth_punctuation", _fullwidth_rows),
    ]
    return [(name, fixer) for enabled, name, fixer in plan if enabled]


def _fullwidth_rows(text: str) -> EditRows:
    return EditRows(
        [(start, start + 1, mark, FULLWIDTH_PUNCTUATION, None, ()) for start, mark in fullwidth_marks(text)]
    )


_SPAN = operator.attrgetter("start", "end")


def _apply(text: str, edits: Sequence[Edit]) -> tuple[str, Sequence[Edit]]:
    """Apply sorted, non-overlapping edits; return the new text and the edits that changed something."""
    if isinstance(edits, EditRows):
        return _apply_rows(text, edits.rows), edits
    pieces: list[str] = []
    real: list[Edit] = []
    cursor = 0
    for edit in sorted(edits, key=_SPAN):
        if edit.start < cursor or text[edit.start : edit.end] == edit.after:
            continue
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.after)
        cursor = edit.end
        real.append(edit)
    pieces.append(text[cursor:])
    return "".join(pieces), real


def _apply_rows(text: str, rows: list[EditSpec]) -> str:
    """``text`` with rows made that are in order, apart, and each change it (as :class:`EditRows` holds)."""
    pieces: list[str] = []
    cursor = 0
    for start, end, after, *_ in rows:
        pieces.append(text[cursor:start])
        pieces.append(after)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _shift_all(spans: list[tuple[int, int, str]], edits: Sequence[Edit]) -> list[tuple[int, int, str]]:
    """Move spans through a step's sorted, non-overlapping edits (spans inside an edit grow to cover its result).

    A span's start moves by the length change of the edits wholly before it, its end by that
    of every edit that starts before it ends: two binary searches over running sums.
    """
    if not spans:
        return spans
    rows = edits.rows if isinstance(edits, EditRows) else [(e.start, e.end, e.after) for e in edits]
    starts = [row[0] for row in rows]
    ends = [row[1] for row in rows]
    shifts = [0, *itertools.accumulate(len(row[2]) - (row[1] - row[0]) for row in rows)]
    moved = []
    for start, end, reason in spans:
        new_start = start + shifts[bisect.bisect_right(ends, start)]
        new_end = end + shifts[bisect.bisect_left(starts, end)]
        moved.append((new_start, max(new_start, new_end), reason))
    return moved
