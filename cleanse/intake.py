"""Intake checks run on every document before the first stage: reject what no stage should see.

A document that is empty after decoding, whose text is not a string or holds a lone surrogate (a
``"\\udc80"`` escape: no UTF-8 output can hold it), or that holds a line longer than any text a
person writes (a minified blob, a dump without newlines), is rejected with a reason instead of being
fed to stages whose cost grows with line length.

:class:`InputAdmission` runs once per input, before anything else: an item that is not a
:class:`Document` becomes a rejected placeholder, metadata the pipeline writes itself (``emit``,
``size``) moves to ``metadata["input_fields"]``, and a document whose id was already used in the run
gets the id ``<id>~<n>`` (the next free ``n`` from 2; the given id is kept as ``metadata["given_id"]``),
so every record is accounted for under an id of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from cleanse.document import Document

INTAKE = "intake"
EMPTY_DOCUMENT = "empty_document"
LINE_TOO_LONG = "line_too_long"
INVALID_TEXT = "invalid_text"
INVALID_INPUT = "invalid_input"
PIPELINE_KEYS = ("emit", "size")  # metadata the pipeline itself writes; an input's own goes to input_fields
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class IntakeOptions:
    """``max_line_chars``: longest line accepted (0 turns the check off); the longest line in
    the seeds is about 23,000 characters, so the default leaves a wide margin for real text."""

    max_line_chars: int = 1_000_000

    def __post_init__(self) -> None:
        if self.max_line_chars < 0:
            raise ValueError(f"max_line_chars must be 0 or more, got {self.max_line_chars}")


def check_intake(doc: Document, options: IntakeOptions) -> None:
    """Drop ``doc`` with a reason if it is empty or has an overlong line; otherwise leave it alone."""
    if not doc.kept:
        return
    text = doc.text
    if text is not None and not isinstance(text, str):
        doc.text = ""
        doc.drop(INTAKE, f"{INVALID_TEXT}: text is {type(text).__name__}, not a string")
        return
    if text is None or not text.strip():
        doc.drop(INTAKE, EMPTY_DOCUMENT)
        return
    surrogate = _SURROGATE.search(text)
    if surrogate:
        code = ord(surrogate.group())
        doc.drop(INTAKE, f"{INVALID_TEXT}: lone surrogate U+{code:04X} at offset {surrogate.start()}")
        doc.text = doc.original = _SURROGATE.sub("\ufffd", text)
        return
    limit = options.max_line_chars
    if limit and len(text) > limit:
        longest = _longest_line(text)
        if longest > limit:
            doc.drop(INTAKE, f"{LINE_TOO_LONG}: a line of {longest:,} characters (max_line_chars={limit:,})")


_LINE = regex.compile(r"[^\n]+")


def _longest_line(text: str) -> int:
    return max((m.end() - m.start() for m in _LINE.finditer(text)), default=0)


class InputAdmission:
    """What every input goes through first (see the module docstring); one instance per run."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.repeats: dict[str, int] = {}

    def before(self, position: int) -> InputAdmission:
        """The state after admitting only the inputs before ``position``: parallel runs admit ahead of
        the output, and a resume snapshot must describe the inputs done, no more. ``repeats`` is left out:
        it only shortens the search for a free ``~n``, which finds the same number without it."""
        state = InputAdmission()
        state.seen = {doc_id: at for doc_id, at in self.seen.items() if at < position}
        return state

    def admit(self, item: object, position: int) -> Document:
        doc = item if isinstance(item, Document) else None
        if doc is None:
            doc = Document(id=f"input:{position}", text="")
            doc.drop(INTAKE, f"{INVALID_INPUT}: item {position} is {type(item).__name__}, not a Document")
        if not isinstance(doc.metadata, dict):
            doc.metadata = {"input_fields": {"metadata": doc.metadata}}
            doc.drop(INTAKE, f"{INVALID_INPUT}: metadata is {type(doc.metadata['input_fields']['metadata']).__name__}")
        moved = {key: doc.metadata.pop(key) for key in PIPELINE_KEYS if key in doc.metadata}
        if moved:
            fields = doc.metadata.get("input_fields")
            doc.metadata["input_fields"] = {**(fields if isinstance(fields, dict) else {}), **moved}
        if not isinstance(doc.id, str):
            doc.id = str(doc.id)
        self._unique(doc, position)
        return doc

    def _unique(self, doc: Document, position: int) -> None:
        if doc.id not in self.seen:
            self.seen[doc.id] = position
            return
        given = doc.id
        number = self.repeats.get(given, 1)
        while True:
            number += 1
            candidate = f"{given}~{number}"
            if candidate not in self.seen:
                break
        self.repeats[given] = number
        doc.metadata["given_id"] = given
        doc.id = candidate
        self.seen[candidate] = position
