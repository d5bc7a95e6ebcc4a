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
from cleanse.stages.spam.normalise import LUT_SIZE, code_points

HAN, DIGIT, LATIN, SPACE, SENTENCE_END, COMMA, SEPARATOR = (1 << bit for bit in range(7))


def _build_classes() -> np.ndarray:
    """One byte of character-class bits per code point below ``LUT_SIZE``."""
    classes = np.zeros(LUT_SIZE, dtype=np.uint8)
    classes[0x4E00:0xA000] |= HAN
    classes[0x3400:0x4DC0] |= HAN
    classes[0x20000:LUT_SIZE] |= HAN
    classes[ord("0") : ord("9") + 1] |= DIGIT
    classes[ord("a") : ord("z") + 1] |= LATIN
    whitespace = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
    for chars, bit in ((whitespace, SPACE), ("。!?;", SENTENCE_END), (",、", COMMA), ("|>", SEPARATOR)):
        for char in chars:
            classes[ord(char)] |= bit
    return classes


_CLASSES = _build_classes()


def character_classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of each code point (see ``HAN`` ... ``SEPARATOR``)."""
    return _CLASSES[np.minimum(codes, LUT_SIZE - 1)]


@dataclass
class LineHits:
    """Lexicon evidence of one line: weight per label, the words that fired, advertorial weight."""

    weights: dict[str, float] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    advertorial: float = 0.0
    kinds: set[str] = field(default_factory=set)


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
    hits: list[LineHits]


def _counts(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[int]:
    prefix = np.concatenate(([0], np.cumsum(mask.astype(bool), dtype=np.int32)))
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


def _lexicon_hits(
    lexicon: Lexicon, text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> list[LineHits]:
    hits = [LineHits() for _ in range(len(starts))]
    matches = lexicon.find(text, codes)
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
            record.kinds.add(entry.kind)
            if entry.kind in ADVERTORIAL_KINDS:
                record.advertorial += entry.weight
    return hits


def measure(
    text: str,
    starts: np.ndarray,
    ends: np.ndarray,
    lexicon: Lexicon,
    codes: np.ndarray | None = None,
    classes: np.ndarray | None = None,
) -> DocumentFeatures:
    """Count everything the rules look at, for each ``[starts[i], ends[i])`` line of folded ``text``."""
    if codes is None:
        codes = code_points(text)
    classes = character_classes(codes) if classes is None else classes
    space = (classes & SPACE).astype(bool)
    phones, phone_chars = _pattern_counts(patterns.PHONE, text, starts, ends)
    cards, _ = _pattern_counts(patterns.CARD_NUMBER, text, starts, ends)
    urls, _ = _pattern_counts(patterns.URL, text, starts, ends)
    return DocumentFeatures(
        length=_counts(~space, starts, ends),
        han=_counts(classes & HAN, starts, ends),
        digits=_counts(classes & DIGIT, starts, ends),
        latin=_counts(classes & LATIN, starts, ends),
        sentence_ends=_counts(classes & SENTENCE_END, starts, ends),
        commas=_counts(classes & COMMA, starts, ends),
        separators=_counts(classes & SEPARATOR, starts, ends),
        gaps=_counts(space[1:] & ~space[:-1], starts, np.maximum(ends - 1, starts)),
        phones=phones,
        phone_chars=phone_chars,
        cards=cards,
        urls=urls,
        hits=_lexicon_hits(lexicon, text, codes, starts, ends),
    )
