"""Per-line counts for a whole document at C speed: character classes, lexicon hits, phones, URLs.

Counting is done once over the folded document (numpy prefix sums over code points, one regex pass per
pattern) and cut per line with ``searchsorted``; nothing loops over characters in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from cleanse.stages.spam import patterns
from cleanse.stages.spam.lexicon import ADVERTORIAL_KINDS, Lexicon

_SENTENCE_ENDS = np.array([ord(c) for c in "。!?;"], dtype=np.uint32)
_COMMAS = np.array([ord(c) for c in ",、"], dtype=np.uint32)
_SEPARATORS = np.array([ord(c) for c in "|>"], dtype=np.uint32)
_SPACES = np.array([ord(c) for c in " \t\r\n\u200b"], dtype=np.uint32)


@dataclass
class LineHits:
    """Lexicon evidence of one line: weight per label, the words that fired, advertorial weight."""

    weights: dict[str, float] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    advertorial: float = 0.0


@dataclass
class DocumentFeatures:
    """Counts per line (index-aligned lists) over folded text."""

    length: list[int]
    han: list[int]
    digits: list[int]
    latin: list[int]
    sentence_ends: list[int]
    commas: list[int]
    separators: list[int]
    gaps: list[int]
    phones: list[int]
    phone_chars: list[int]
    cards: list[int]
    urls: list[int]
    prices: list[int]
    hits: list[LineHits]


def _counts(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[int]:
    prefix = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return (prefix[ends] - prefix[starts]).tolist()


def _line_of(positions: Sequence[int], starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    index = np.searchsorted(starts, np.asarray(positions, dtype=np.int64), side="right") - 1
    inside = (index >= 0) & (np.asarray(positions) < ends[np.maximum(index, 0)])
    return np.where(inside, index, -1)


def _pattern_counts(pattern, text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[list[int], list[int]]:
    matches = [(m.start(), m.end() - m.start()) for m in pattern.finditer(text)]
    count = [0] * len(starts)
    chars = [0] * len(starts)
    if matches:
        lines = _line_of([p for p, _ in matches], starts, ends).tolist()
        for line, (_, width) in zip(lines, matches, strict=True):
            if line >= 0:
                count[line] += 1
                chars[line] += width
    return count, chars


def _lexicon_hits(lexicon: Lexicon, text: str, starts: np.ndarray, ends: np.ndarray) -> list[LineHits]:
    hits = [LineHits() for _ in range(len(starts))]
    matches = [(m.start(), m.group()) for m in lexicon.pattern.finditer(text)]
    if not matches:
        return hits
    lines = _line_of([p for p, _ in matches], starts, ends).tolist()
    line_starts = starts.tolist()
    for line, (position, word) in zip(lines, matches, strict=True):
        if line < 0:
            continue
        record = hits[line]
        for entry in lexicon.entries[word]:
            label = entry.label
            record.weights[label] = record.weights.get(label, 0.0) + entry.weight
            record.words.setdefault(label, []).append(word)
            record.first.setdefault(label, position - line_starts[line])
            if entry.kind in ADVERTORIAL_KINDS:
                record.advertorial += entry.weight
    return hits


def measure(text: str, starts: np.ndarray, ends: np.ndarray, lexicon: Lexicon) -> DocumentFeatures:
    """Count everything the rules look at, for each ``[starts[i], ends[i])`` line of folded ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = ((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF)) | (codes >= 0x20000)
    space = np.isin(codes, _SPACES)
    phones, phone_chars = _pattern_counts(patterns.PHONE, text, starts, ends)
    cards, _ = _pattern_counts(patterns.CARD_NUMBER, text, starts, ends)
    urls, _ = _pattern_counts(patterns.URL, text, starts, ends)
    prices, _ = _pattern_counts(patterns.PRICE, text, starts, ends)
    return DocumentFeatures(
        length=_counts(~space, starts, ends),
        han=_counts(han, starts, ends),
        digits=_counts((codes >= 0x30) & (codes <= 0x39), starts, ends),
        latin=_counts((codes >= 0x61) & (codes <= 0x7A), starts, ends),
        sentence_ends=_counts(np.isin(codes, _SENTENCE_ENDS), starts, ends),
        commas=_counts(np.isin(codes, _COMMAS), starts, ends),
        separators=_counts(np.isin(codes, _SEPARATORS), starts, ends),
        gaps=_counts(space[1:] & ~space[:-1], starts, np.maximum(ends - 1, starts)),
        phones=phones,
        phone_chars=phone_chars,
        cards=cards,
        urls=urls,
        prices=prices,
        hits=_lexicon_hits(lexicon, text, starts, ends),
    )
