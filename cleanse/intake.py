"""Intake checks run on every document before the first stage: reject what no stage should see.

A document that is empty after decoding, or that holds a line longer than any text a person
writes (a minified blob, a dump without newlines), is rejected with a reason instead of being
fed to stages whose cost grows with line length.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from cleanse.document import Document

INTAKE = "intake"
EMPTY_DOCUMENT = "empty_document"
LINE_TOO_LONG = "line_too_long"


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
    if text is None or not text.strip():
        doc.drop(INTAKE, EMPTY_DOCUMENT)
        return
    limit = options.max_line_chars
    if limit and len(text) > limit:
        longest = _longest_line(text)
        if longest > limit:
            doc.drop(INTAKE, f"{LINE_TOO_LONG}: a line of {longest:,} characters (max_line_chars={limit:,})")


_LINE = regex.compile(r"[^\n]+")


def _longest_line(text: str) -> int:
    return max((m.end() - m.start() for m in _LINE.finditer(text)), default=0)
