"""Cutting documents into the units that are compared: paragraphs and sentences, with their spans.

>>> [(s.start, s.end) for s in paragraph_spans("first\\n\\n  second line \\nthird")]
[(0, 5), (9, 20), (22, 27)]
>>> [s.text for s in sentence_spans("一句。二句！三")]
['一句。', '二句！', '三']
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

import regex

_PARAGRAPH = regex.compile(r"[^\n]*\S[^\n]*")
_SENTENCE = regex.compile(r"[^。！？!?；;\n]+[。！？!?；;]*[”’」』）)]*|[。！？!?；;]+")


class Span(NamedTuple):
    """A piece of a text and where it is (``text == source[start:end]``)."""

    start: int
    end: int
    text: str


class SentenceMatches(NamedTuple):
    """What one sentence of a paragraph matched earlier: the best match's similarity and paragraph, and
    every paragraph any of its matches came from (the input of the stage's containment verdict)."""

    similarity: float
    source: str
    owners: Collection[str]


def paragraph_spans(text: str) -> list[Span]:
    """Non-blank lines, stripped of surrounding whitespace."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        stripped = line.strip()
        start = match.start() + (len(line) - len(line.lstrip()))
        spans.append(Span(start, start + len(stripped), stripped))
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Sentences ending at Chinese or ASCII full stops, question and exclamation marks or semicolons."""
    return [Span(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]
