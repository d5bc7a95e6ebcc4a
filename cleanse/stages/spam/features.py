"""Per-line counts for a whole document at C speed: character classes, lexicon hits, phones, URLs.

Counting is done once over the folded document (numpy prefix sums over code points, one regex pass per
pattern) and cut per line with ``searchsorted``; nothing loops over characters in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import regex

from cleanse.stages.spam import patterns
from cleanse.stages.spam.lexicon import ADVERTORIAL_WEIGHTS, Lexicon
from cleanse.stages.spam.normalise import LUT_SIZE, code_points

HAN, DIGIT, LATIN, SPACE, SENTENCE_END, COMMA, SEPARATOR = (1 << bit for bit in range(7))
SHORT_LINE_LIMIT = 60
"""Phone and card numbers are only looked for on lines this short: the rules that read them need no more."""


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
    last_end: dict[str, int] = field(default_factory=dict)
    advertorial: float = 0.0
    reporting: float = 0.0
    property: float = 0.0
    promotion: float = 0.0
    strong_direct_ad: bool = False
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


_EMPTY_HITS = LineHits()


def _line_of(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The span holding each position, or -1 (positions in gaps between spans)."""
    index = np.searchsorted(starts, positions, side="right") - 1
    inside = (index >= 0) & (positions < ends[np.maximum(index, 0)])
    return np.where(inside, index, -1)


class DocumentIndex:
    """What is scanned once per document: character-class bits, pattern matches and lexicon matches.

    :meth:`features` cuts them for any list of spans, so re-labelling a line cut in two costs no new scan.
    """

    def __init__(self, text: str, lexicon: Lexicon, codes: np.ndarray | None = None, classes: np.ndarray | None = None):
        self.text = text
        self.lexicon = lexicon
        codes = code_points(text) if codes is None else codes
        classes = character_classes(codes) if classes is None else classes
        bits = np.zeros((codes.size + 1, 8), dtype=np.uint8)
        bits[:-1] = np.unpackbits(classes.reshape(-1, 1), axis=1, bitorder="little")
        space = bits[:-1, 3].astype(bool)
        bits[:, 7] = 0
        bits[1:-1, 7] = space[1:] & ~space[:-1]
        self._bits = bits
        self._urls = self._matches(patterns.URL) if any(cue in text for cue in patterns.URL_CUES) else None
        found = lexicon.find(text, codes)
        self._word_positions = np.array([p for p, _ in found], dtype=np.int64)
        self._words = [w for _, w in found]

    def _matches(self, pattern: regex.Pattern[str]) -> tuple[np.ndarray, np.ndarray]:
        spans = [m.span() for m in pattern.finditer(self.text)]
        positions = np.array([s for s, _ in spans], dtype=np.int64)
        widths = np.array([e - s for s, e in spans], dtype=np.int64)
        return positions, widths

    def _digit_pattern_counts(
        self,
        pattern: regex.Pattern[str],
        min_digits: int,
        max_length: int,
        digits: list[int],
        lengths: list[int],
        starts: np.ndarray,
        ends: np.ndarray,
    ) -> tuple[list[int], list[int]]:
        """Matches of a pattern that needs ``min_digits`` digits, run only on lines that have that many and
        are at most ``max_length`` long (the rules read phone and card numbers on short lines only)."""
        count = [0] * len(starts)
        chars = [0] * len(starts)
        candidates = [i for i, n in enumerate(digits) if n >= min_digits and lengths[i] <= max_length]
        for i in candidates:
            for match in pattern.finditer(self.text, int(starts[i]), int(ends[i])):
                count[i] += 1
                chars[i] += match.end() - match.start()
        return count, chars

    def _url_counts(self, starts: np.ndarray, ends: np.ndarray) -> list[int]:
        if self._urls is None or self._urls[0].size == 0:
            return [0] * len(starts)
        positions, _ = self._urls
        lines = _line_of(positions, starts, ends)
        return np.bincount(lines[lines >= 0], minlength=len(starts)).tolist()

    def _lexicon_hits(self, starts: np.ndarray, ends: np.ndarray) -> list[LineHits]:
        hits = [_EMPTY_HITS] * len(starts)
        if not self._words:
            return hits
        lines = _line_of(self._word_positions, starts, ends).tolist()
        entries = self.lexicon.entries
        for line, position, word in zip(lines, self._word_positions.tolist(), self._words, strict=True):
            if line < 0:
                continue
            record = hits[line]
            if record is _EMPTY_HITS:
                record = hits[line] = LineHits()
            for entry in entries[word]:
                label = entry.label
                if label == "article":
                    record.reporting += entry.weight
                    continue
                record.weights[label] = record.weights.get(label, 0.0) + entry.weight
                record.words.setdefault(label, []).append(word)
                record.first.setdefault(label, position - int(starts[line]))
                record.last_end[label] = position + len(word) - int(starts[line])
                record.kinds.add(entry.kind)
                record.advertorial += entry.weight * ADVERTORIAL_WEIGHTS.get(entry.kind, 0.0)
                if entry.kind == "property":
                    record.property += entry.weight
                elif entry.kind == "promo":
                    record.promotion += entry.weight
                elif label == "ad" and entry.weight >= 1:
                    record.strong_direct_ad = True
        return hits

    def features(self, starts: np.ndarray, ends: np.ndarray) -> DocumentFeatures:
        """Counts for each ``[starts[i], ends[i])`` span of the indexed text."""
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2] = starts
        bounds[1::2] = ends
        counts = np.add.reduceat(self._bits, bounds, axis=0, dtype=np.int32)[0::2]
        counts[starts == ends] = 0
        first_is_gap = self._bits[starts, 7].astype(np.int32)
        han, digits, latin, space, sentence_ends, commas, separators, _ = counts.T.tolist()
        gaps = counts[:, 7] - first_is_gap
        lengths = ((ends - starts) - counts[:, 3]).tolist()
        phones, phone_chars = self._digit_pattern_counts(
            patterns.PHONE, 7, SHORT_LINE_LIMIT, digits, lengths, starts, ends
        )
        cards, _ = self._digit_pattern_counts(patterns.CARD_NUMBER, 12, SHORT_LINE_LIMIT, digits, lengths, starts, ends)
        urls = self._url_counts(starts, ends)
        return DocumentFeatures(
            length=lengths,
            han=han,
            digits=digits,
            latin=latin,
            sentence_ends=sentence_ends,
            commas=commas,
            separators=separators,
            gaps=gaps.tolist(),
            phones=phones,
            phone_chars=phone_chars,
            cards=cards,
            urls=urls,
            hits=self._lexicon_hits(starts, ends),
        )


def measure(text: str, starts: np.ndarray, ends: np.ndarray, lexicon: Lexicon) -> DocumentFeatures:
    """Count everything the rules look at, for each ``[starts[i], ends[i])`` line of folded ``text``."""
    return DocumentIndex(text, lexicon).features(starts, ends)
