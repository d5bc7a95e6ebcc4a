"""The core data model: a document, its append-only change log and its status.

Stages never assign ``doc.text`` themselves. They compute :class:`Edit` objects
against the text they saw and hand them to :meth:`Document.apply`, which checks
them, logs one :class:`Change` per edit and rebuilds the text once. Verdicts that
do not change text (a spam line, an off-topic segment, a duplicate paragraph) go
through :meth:`Document.flag` and are logged the same way with ``before == after``,
so the log answers "why" for labels as well as for edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, Literal

Status = Literal["kept", "dropped", "duplicate"]


@dataclass(frozen=True, slots=True)
class Edit:
    """A proposed replacement of ``text[start:end]`` by ``after``, with the reason for it."""

    start: int
    end: int
    after: str
    reason: str
    score: float | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a document's change log.

    ``start``/``end`` index the text the stage saw at ``step`` (the text before that
    step's edits). A verdict has ``before == after``. ``removed_lines`` counts the whole
    non-blank lines the edit deleted, so reports can tell a dropped line from a deleted character.
    """

    stage: str
    step: int
    start: int
    end: int
    before: str
    after: str
    reason: str
    score: float | None = None
    evidence: tuple[str, ...] = ()
    removed_lines: int = 0

    @property
    def is_verdict(self) -> bool:
        return self.before == self.after

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as one call with the fields (a tenth of the generic path for frozen slotted dataclasses),
        which matters when worker processes send documents with long change logs back."""
        return _new_change, (
            self.stage,
            self.step,
            self.start,
            self.end,
            self.before,
            self.after,
            self.reason,
            self.score,
            self.evidence,
            self.removed_lines,
        )

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["evidence"] = list(self.evidence)
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Change:
        data = dict(record)
        data["evidence"] = tuple(data.get("evidence") or ())
        return cls(**data)


VerdictSpec = tuple[int, int, str, float | None, Sequence[str]]
"""A verdict for :meth:`Document.flag_many`: ``(start, end, reason, score, evidence)``."""
EditSpec = tuple[int, int, str, str, float | None, Sequence[str]]
"""An edit for :meth:`Document.apply_many`: ``(start, end, after, reason, score, evidence)``."""

_CHANGE_SETTERS = tuple(
    Change.__dict__[name].__set__
    for name in ("stage", "step", "start", "end", "before", "after", "reason", "score", "evidence", "removed_lines")
)
_EDIT_FIELDS = attrgetter("start", "end", "after", "reason", "score", "evidence")
_ROW_ORDER = itemgetter(0, 1)


def _new_change(
    stage: str,
    step: int,
    start: int,
    end: int,
    before: str,
    after: str,
    reason: str,
    score: float | None,
    evidence: Sequence[str],
    removed_lines: int,
) -> Change:
    """A :class:`Change` built through its slots: the same object as ``Change(...)``, at half the cost of the
    frozen dataclass ``__init__``, which shows when a stage logs a verdict for every line of a long document."""
    change = _NEW(Change)
    set_stage, set_step, set_start, set_end, set_before, set_after, set_reason, set_score, set_evidence, set_removed = (
        _CHANGE_SETTERS
    )
    set_stage(change, stage)
    set_step(change, step)
    set_start(change, start)
    set_end(change, end)
    set_before(change, before)
    set_after(change, after)
    set_reason(change, reason)
    set_score(change, score)
    set_evidence(change, evidence)
    set_removed(change, removed_lines)
    return change


_NEW = object.__new__


class OverlappingEditsError(ValueError):
    """Raised when a stage proposes edits whose spans overlap or fall outside the text."""


@dataclass(slots=True)
class Document:
    """A document moving through the pipeline.

    ``raw`` holds the undecoded bytes for documents read from files; ``text`` is
    ``None`` until the encoding stage (or the pipeline's fallback) decodes them.
    ``original`` is the first text the document had, which the change log replays onto.
    """

    id: str
    text: str | None = None
    raw: bytes | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    status: Status = "kept"
    status_stage: str | None = None
    status_reason: str | None = None
    duplicate_of: str | None = None
    original: str | None = None
    _steps: int = 0

    def __post_init__(self) -> None:
        if self.text is not None and self.original is None:
            self.original = self.text

    @classmethod
    def from_text(cls, text: str, id: str = "0", **metadata: Any) -> Document:
        """A document holding ``text``, with an ``id`` (default ``"0"``) and any other keywords as metadata.

        The text comes first because it is the one argument a caller always has (``Document.from_text(s)``,
        as ``cleanse.clean`` does); the dataclass constructor takes ``id`` first, as its fields are ordered,
        so ``Document("a", "正文")`` and ``Document.from_text("正文", id="a")`` are the same document. Pass
        ``id`` by keyword to keep both readable.

        >>> doc = Document.from_text("正文。", id="a", source="x.txt")
        >>> doc == Document("a", "正文。", metadata={"source": "x.txt"})
        True
        """
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, not {type(text).__name__}; pass bytes to from_bytes")
        return cls(id=id, text=text, metadata=dict(metadata))

    @classmethod
    def from_bytes(cls, data: bytes, id: str = "0", **metadata: Any) -> Document:
        """A document holding undecoded bytes; the encoding stage (or the pipeline) decodes them."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"from_bytes needs bytes, not {type(data).__name__}")
        return cls(id=id, raw=bytes(data), metadata=dict(metadata))

    @property
    def kept(self) -> bool:
        return self.status == "kept"

    def set_decoded(self, stage: str, text: str, **metadata: Any) -> None:
        """Install the decoded text of a bytes document; it becomes the replay origin."""
        self.text = text
        self.original = text
        self.metadata.update(metadata)

    def apply(self, stage: str, edits: Iterable[Edit]) -> int:
        """Apply non-overlapping edits against the current text; log each real change.

        Returns the number of edits that changed text. Edits that would not change
        anything are skipped, so the log holds only real changes. All or nothing: a bad
        span raises before the text or the log is touched.
        """
        return self._apply_rows(stage, map(_EDIT_FIELDS, edits), copy_evidence=False)

    def apply_many(self, stage: str, edits: Iterable[EditSpec]) -> int:
        """:meth:`apply` with each edit given as a ``(start, end, after, reason, score, evidence)`` tuple.

        The same checks, the same log and the same all-or-nothing guarantee, without an :class:`Edit`
        object per edit: the bulk path for a stage that acts on every line of long documents.

        >>> doc = Document.from_text("首页 | 地图\\n正文。")
        >>> doc.apply_many("spam", [(0, 8, "", "drop:chrome", 0.9, ("separators",))]), doc.text
        (1, '正文。')
        """
        return self._apply_rows(stage, edits, copy_evidence=True)

    def _apply_rows(self, stage: str, rows: Iterable[EditSpec], copy_evidence: bool) -> int:
        if self.text is None:
            raise ValueError(f"document {self.id!r} has no text yet; decode it first")
        text = self.text
        length = len(text)
        ordered = sorted(rows, key=_ROW_ORDER)
        step = self._next_step()
        pieces: list[str] = []
        logged: list[Change] = []
        cursor = 0
        for start, end, after, reason, score, evidence in ordered:
            if start < cursor or start > end or end > length:
                raise OverlappingEditsError(
                    f"stage {stage!r}: edit [{start}, {end}) overlaps a previous edit "
                    f"or falls outside a text of length {length}"
                )
            before = text[start:end]
            if before == after:
                continue
            pieces.append(text[cursor:start])
            pieces.append(after)
            cursor = end
            removed = _whole_lines_removed(text, start, end, before, after)
            if copy_evidence:
                evidence = tuple(evidence)
            logged.append(_new_change(stage, step, start, end, before, after, reason, score, evidence, removed))
        if logged:
            pieces.append(text[cursor:])
            self.text = "".join(pieces)
            self.changes.extend(logged)
        return len(logged)

    def flag(
        self,
        stage: str,
        start: int,
        end: int,
        reason: str,
        score: float | None = None,
        evidence: Sequence[str] = (),
    ) -> Change:
        """Record a verdict on ``text[start:end]`` without changing the text."""
        if self.text is None or not 0 <= start <= end <= len(self.text):
            raise ValueError(f"stage {stage!r}: verdict span [{start}, {end}) is outside the text")
        span = self.text[start:end]
        change = _new_change(stage, self._steps, start, end, span, span, reason, score, tuple(evidence), 0)
        self.changes.append(change)
        return change

    def flag_many(self, stage: str, verdicts: Iterable[VerdictSpec]) -> list[Change]:
        """Record many verdicts at once, in the order given: each ``(start, end, reason, score, evidence)``
        is logged exactly as :meth:`flag` would log it.

        All or nothing: a span outside the text raises before any verdict is logged. A stage with a verdict
        per line saves a method call and a check per verdict.

        >>> doc = Document.from_text("首页 | 地图\\n正文。")
        >>> verdicts = [(0, 7, "label:chrome", 0.9, ("separators",)), (8, 11, "label:article", None, ())]
        >>> [(c.before, c.reason) for c in doc.flag_many("spam", verdicts)]
        [('首页 | 地图', 'label:chrome'), ('正文。', 'label:article')]
        """
        rows = list(verdicts)
        text = self.text or ""
        length = -1 if self.text is None else len(text)
        for start, end, _, _, _ in rows:
            if not 0 <= start <= end <= length:
                raise ValueError(f"stage {stage!r}: verdict span [{start}, {end}) is outside the text")
        step = self._steps
        logged = []
        for start, end, reason, score, evidence in rows:
            span = text[start:end]
            logged.append(_new_change(stage, step, start, end, span, span, reason, score, tuple(evidence), 0))
        self.changes.extend(logged)
        return logged

    def drop(self, stage: str, reason: str) -> None:
        """Reject the whole document; it goes to the rejects file with this reason."""
        self.status = "dropped"
        self.status_stage = stage
        self.status_reason = reason

    def mark_duplicate(self, stage: str, of: str, reason: str = "near_duplicate", score: float | None = None) -> None:
        self.status = "duplicate"
        self.status_stage = stage
        self.status_reason = reason if score is None else f"{reason} (similarity {score:.3f})"
        self.duplicate_of = of

    def _next_step(self) -> int:
        self._steps += 1
        return self._steps

    def changes_by(self, stage: str) -> list[Change]:
        return [c for c in self.changes if c.stage == stage]

    def explain(self) -> str:
        """A readable account of the document: status, metadata as short facts, changes grouped by stage and
        reason with a few examples each (:func:`cleanse.explain.explain_document` has filters)."""
        from cleanse.explain import explain_document

        return explain_document(self)

    def to_record(self, with_changes: bool = True) -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.id, "text": self.text, "status": self.status}
        if self.status != "kept":
            record["stage"] = self.status_stage
            record["reason"] = self.status_reason
        if self.duplicate_of is not None:
            record["duplicate_of"] = self.duplicate_of
        record["metadata"] = self.metadata
        if with_changes:
            record["changes"] = [c.to_dict() for c in self.changes]
        return record

    def to_json(self, with_changes: bool = True) -> str:
        return json.dumps(self.to_record(with_changes), ensure_ascii=False, default=str)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Document:
        doc = cls(id=str(record["id"]), text=record.get("text"), metadata=dict(record.get("metadata") or {}))
        doc.changes = [Change.from_dict(c) for c in record.get("changes") or ()]
        doc.status = record.get("status", "kept")
        doc.status_stage = record.get("stage")
        doc.status_reason = record.get("reason")
        doc.duplicate_of = record.get("duplicate_of")
        if doc.text is not None and doc.changes:
            try:
                doc.original = undo(doc.text, doc.changes)
            except ValueError:
                doc.original = None
        return doc


def replay(original: str, changes: Iterable[Change]) -> str:
    """Re-apply a change log to the original text; reproduces the document's text.

    Tests use it to prove that the log is exact: every character that changed is in it.
    """
    text = original
    by_step: dict[int, list[Change]] = {}
    for change in changes:
        if not change.is_verdict:
            by_step.setdefault(change.step, []).append(change)
    for step in sorted(by_step):
        pieces: list[str] = []
        cursor = 0
        for change in sorted(by_step[step], key=lambda c: c.start):
            if text[change.start : change.end] != change.before:
                raise ValueError(f"change log does not match the text at step {step}, span {change.start}")
            pieces.append(text[cursor : change.start])
            pieces.append(change.after)
            cursor = change.end
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


def undo(text: str, changes: Iterable[Change]) -> str:
    """Undo a change log on the final text; gives back the original (the inverse of :func:`replay`).

    A document read back from a stored record has its text and its log but not the text it started
    from; this recovers it, so the record describes the document exactly as the run computed it.
    """
    by_step: dict[int, list[Change]] = {}
    for change in changes:
        if not change.is_verdict:
            by_step.setdefault(change.step, []).append(change)
    for step in sorted(by_step, reverse=True):
        pieces: list[str] = []
        cursor = 0
        shift = 0
        for change in sorted(by_step[step], key=lambda c: c.start):
            start = change.start + shift
            if text[start : start + len(change.after)] != change.after or start < cursor:
                raise ValueError(f"change log does not match the text at step {step}, span {change.start}")
            pieces.append(text[cursor:start])
            pieces.append(change.before)
            cursor = start + len(change.after)
            shift += len(change.after) - len(change.before)
        pieces.append(text[cursor:])
        text = "".join(pieces)
    return text


def _whole_lines_removed(text: str, start: int, end: int, before: str, after: str) -> int:
    if after.strip() or not before.strip():
        return 0
    at_line_start = start == 0 or text[start - 1] == "\n" or text[start] == "\n"
    at_line_end = end == len(text) or text[end] == "\n" or text[end - 1] == "\n"
    if not (at_line_start and at_line_end):
        return 0
    content = before.strip()
    if "\n" not in content:
        return 1
    return sum(1 for line in content.split("\n") if line.strip())


def _preview(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)
