"""Per-line counts for a whole document at C speed: character classes, lexicon hits, phones, URLs.

Counting is done once over the folded document (numpy prefix sums over code points, one regex pass per
pattern) and cut per line with ``searchsorted``; nothing loops over characters in Python.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np
import regex

from cleanse.stages.spam import patterns
from cleanse.stages.spam._native import native
from cleanse.stages.spam.lexicon import LEXICON_LABELS, Lexicon
from cleanse.stages.spam.normalise import LUT_SIZE, code_points
from cleanse.stages.spam.urls import url_lines

HAN, DIGIT, LATIN, SPACE, SENTENCE_END, COMMA, SEPARATOR, EXCLAIM = (1 << bit for bit in range(8))
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
    marks = ((whitespace, SPACE), ("。!?;", SENTENCE_END), (",、", COMMA), ("|>", SEPARATOR), ("!", EXCLAIM))
    for chars, bit in marks:
        for char in chars:
            classes[ord(char)] |= bit
    return classes


_CLASSES = _build_classes()
FIELD_LIMIT = 1 << 16
"""Class counts are packed four to a ``uint64`` in fields of 16 bits, exact for spans shorter than this."""
_PACKED_FIELDS = np.array(
    [[sum(((byte >> (first + k)) & 1) << (16 * k) for k in range(4)) for first in (0, 4)] for byte in range(256)],
    dtype=np.uint64,
)
"""For each class byte, two ``uint64``: its bits 0-3, then 4-7, spread into four 16-bit fields each."""
_FIELD_SHIFTS = np.array([0, 16, 32, 48], dtype=np.uint64)
_FIELD_MASK = np.uint64(0xFFFF)


def _packed_prefix_sums(classes: np.ndarray) -> np.ndarray:
    """Row ``i`` holds the packed class counts of ``classes[:i]`` (``uint64``, wrapping: differences stay exact);
    one pass in the compiled core when it was built."""
    prefix = np.zeros((classes.size + 1, 2), dtype=np.uint64)
    if native is not None and classes.dtype == np.uint8 and classes.flags.c_contiguous:
        native.packed_prefix_sums(classes, _PACKED_FIELDS, prefix)
        return prefix
    np.add.accumulate(_PACKED_FIELDS.take(classes, axis=0), axis=0, out=prefix[1:])
    return prefix


def character_classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of each code point (see ``HAN`` ... ``EXCLAIM``); code points past the table share
    its last entry."""
    return _CLASSES.take(codes, mode="clip")


class LineHits:
    """Lexicon evidence of one line: weight per label, advertorial weight and the words that fired.

    The sums are filled in for all lines at once with numpy; which words fired, where, and of which kinds are
    only read for evidence and cuts, so they are worked out from the line's matches when first asked for.
    """

    __slots__ = (
        "weights",
        "reporting",
        "advertorial",
        "property",
        "promotion",
        "strong_direct_ad",
        "_lexicon",
        "_positions",
        "_ids",
        "_detail",
    )

    def __init__(
        self,
        weights: dict[str, float] | None = None,
        sums: Sequence[float] = (0.0, 0.0, 0.0, 0.0, 0.0),
        lexicon: Lexicon | None = None,
        positions: list[int] | None = None,
        ids: list[int] | None = None,
    ) -> None:
        self.weights: dict[str, float] = weights or {}
        self.reporting, self.advertorial, self.property, self.promotion, strong = sums
        self.strong_direct_ad = strong > 0
        self._lexicon = lexicon
        self._positions = positions or []
        self._ids = ids or []
        self._detail: tuple[dict[str, list[str]], dict[str, int], dict[str, int], set[str]] | None = None

    def _details(self) -> tuple[dict[str, list[str]], dict[str, int], dict[str, int], set[str]]:
        if self._detail is None:
            words: dict[str, list[str]] = {}
            first: dict[str, int] = {}
            last_end: dict[str, int] = {}
            kinds: set[str] = set()
            if self._lexicon is not None:
                lexicon_words, evidence = self._lexicon.words, self._lexicon.evidence_entries
                for position, word_id in zip(self._positions, self._ids, strict=True):
                    entries = evidence[word_id]
                    if not entries:
                        continue
                    word = lexicon_words[word_id]
                    end = position + len(word)
                    for label, kind in entries:
                        words.setdefault(label, []).append(word)
                        first.setdefault(label, position)
                        last_end[label] = end
                        kinds.add(kind)
            self._detail = (words, first, last_end, kinds)
        return self._detail

    @property
    def words(self) -> dict[str, list[str]]:
        """The words that fired, by label, in text order (repeats kept)."""
        return self._details()[0]

    @property
    def first(self) -> dict[str, int]:
        """Offset in the line of the first word of each label."""
        return self._details()[1]

    @property
    def last_end(self) -> dict[str, int]:
        """Offset in the line just past the last word of each label."""
        return self._details()[2]

    def advertorial_words(self) -> dict[int, float]:
        """Advertorial weight of the line by lexicon word id (only the words that carry some)."""
        found: dict[int, float] = {}
        if self._lexicon is not None and self.advertorial:
            column = self._lexicon.line_rows[:, _SUMS + 1]
            for word_id in self._ids:
                weight = float(column[word_id])
                if weight:
                    found[word_id] = found.get(word_id, 0.0) + weight
        return found

    @property
    def kinds(self) -> set[str]:
        """The kinds (``promo``, ``property``, ``link_list``...) of the words that fired."""
        return self._details()[3]


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
    exclaims: list[int]
    """Exclamation marks (also counted in ``sentence_ends``): a shop banner shouts, it does not end sentences."""

    def select(self, rows: list[int], more: DocumentFeatures | None = None) -> DocumentFeatures:
        """The features of lines ``rows``, which index this object's lines and then those of ``more``."""
        columns = []
        for column in fields(self):
            pool = getattr(self, column.name)
            if more is not None:
                pool = pool + getattr(more, column.name)
            columns.append([pool[row] for row in rows])
        return DocumentFeatures(*columns)


_EMPTY_HITS = LineHits()
_PRESENT = len(LEXICON_LABELS)
_SUMS = 2 * len(LEXICON_LABELS)
_LABEL_COLUMNS = tuple(j for j, label in enumerate(LEXICON_LABELS) if label != "article")
_LABEL_BITS = np.array([1 << j if j in _LABEL_COLUMNS else 0 for j in range(len(LEXICON_LABELS))], dtype=np.int64)
_PRESENT_BY_MASK = tuple(
    tuple((LEXICON_LABELS[j], j) for j in _LABEL_COLUMNS if mask >> j & 1) for mask in range(1 << len(LEXICON_LABELS))
)
"""For each bit mask of labels a line's words carry, the ``(label, column)`` pairs of its weights dict."""


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
        self._classes = classes
        url_starts = [match.start() for line in url_lines(text, codes) for match in patterns.URL.finditer(text, *line)]
        self._url_positions: list[int] = url_starts
        self._word_positions, self._word_ids = lexicon.find_ids(text, codes)

    @cached_property
    def _gap_starts(self) -> np.ndarray:
        """Where a run of whitespace starts after other text (a gap between words); numpy path only."""
        space = self._classes & SPACE
        return np.flatnonzero(np.greater(space[1:], space[:-1])) + 1

    @cached_property
    def _prefix(self) -> np.ndarray:
        """Packed prefix sums of the class bits (see ``_packed_prefix_sums``); numpy path only."""
        return _packed_prefix_sums(self._classes)

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
        if not candidates:
            return count, chars
        start_list, end_list = starts.tolist(), ends.tolist()
        for i in candidates:
            for match in pattern.finditer(self.text, start_list[i], end_list[i]):
                count[i] += 1
                chars[i] += match.end() - match.start()
        return count, chars

    def _url_counts(self, starts: np.ndarray, ends: np.ndarray) -> list[int]:
        """URLs starting inside each span (a document has a few: a binary search each, no array calls)."""
        counts = [0] * len(starts)
        if self._url_positions:
            start_list, end_list = starts.tolist(), ends.tolist()
            for position in self._url_positions:
                i = bisect_right(start_list, position) - 1
                if i >= 0 and position < end_list[i]:
                    counts[i] += 1
        return counts

    def _lexicon_hits(self, starts: np.ndarray, ends: np.ndarray) -> list[LineHits]:
        """Per-line label weights and sums as numpy reductions over the matches of each line; each
        :class:`LineHits` is filled in through its slots, without the keyword defaults of ``__init__``."""
        hits = [_EMPTY_HITS] * len(starts)
        if not self._word_positions.size:
            return hits
        if native is not None:
            return self._native_lexicon_hits(hits, starts, ends)
        lines = _line_of(self._word_positions, starts, ends)
        inside = lines >= 0
        lines, positions, ids = lines[inside], self._word_positions[inside], self._word_ids[inside]
        if not lines.size:
            return hits
        group_starts = np.flatnonzero(np.concatenate(([True], lines[1:] != lines[:-1])))
        lexicon = self.lexicon
        sums = np.add.reduceat(lexicon.line_rows[ids], group_starts, axis=0)
        masks = ((sums[:, _PRESENT : _PRESENT + len(LEXICON_LABELS)] > 0) @ _LABEL_BITS).tolist()
        group_ends = [*group_starts[1:].tolist(), int(lines.size)]
        offsets = (positions - starts[lines]).tolist()
        id_list = ids.tolist()
        present_by_mask = _PRESENT_BY_MASK
        new = object.__new__
        for weights, mask, sums_row, line, first, last in zip(
            sums[:, :_PRESENT].tolist(),
            masks,
            sums[:, _SUMS:].tolist(),
            lines[group_starts].tolist(),
            group_starts.tolist(),
            group_ends,
            strict=True,
        ):
            line_hits = new(LineHits)
            line_hits.weights = {label: weights[j] for label, j in present_by_mask[mask]}
            line_hits.reporting, line_hits.advertorial, line_hits.property, line_hits.promotion, strong = sums_row
            line_hits.strong_direct_ad = strong > 0
            line_hits._lexicon = lexicon
            line_hits._positions = offsets[first:last]
            line_hits._ids = id_list[first:last]
            line_hits._detail = None
            hits[line] = line_hits
        return hits

    def _native_lexicon_hits(self, hits: list[LineHits], starts: np.ndarray, ends: np.ndarray) -> list[LineHits]:
        """:meth:`_lexicon_hits` with the grouping and sums done by the compiled core in one call (the numpy
        path makes some forty array calls per document); the same numbers, summed in the same order."""
        assert native is not None
        lexicon = self.lexicon
        groups = native.line_hits(
            self._word_positions,
            self._word_ids,
            np.ascontiguousarray(starts, dtype=np.int64),
            np.ascontiguousarray(ends, dtype=np.int64),
            lexicon.line_rows,
            lexicon.line_rows.shape[1],
            _LABEL_BITS,
            _PRESENT,
        )
        present_by_mask = _PRESENT_BY_MASK
        new = object.__new__
        for line, mask, row, offsets, ids in groups:
            line_hits = new(LineHits)
            line_hits.weights = {label: row[j] for label, j in present_by_mask[mask]}
            line_hits.reporting, line_hits.advertorial, line_hits.property, line_hits.promotion, strong = row[_SUMS:]
            line_hits.strong_direct_ad = strong > 0
            line_hits._lexicon = lexicon
            line_hits._positions = offsets
            line_hits._ids = ids
            line_hits._detail = None
            hits[line] = line_hits
        return hits

    def _class_counts(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """How many characters of each span carry each class bit: one ``(spans, 8)`` array.

        Two prefix sums of packed counters (four 16-bit fields in a ``uint64``) answer any span with two
        subtractions; a span of ``FIELD_LIMIT`` characters or more could overflow a field, so documents with
        one fall back to summing the unpacked bits.
        """
        if len(self.text) < FIELD_LIMIT or starts.size == 0 or int((ends - starts).max()) < FIELD_LIMIT:
            packed = (self._prefix[ends] - self._prefix[starts])[:, :, None] >> _FIELD_SHIFTS
            return (packed & _FIELD_MASK).astype(np.int64).reshape(-1, 8)
        bit_rows = np.unpackbits(np.append(self._classes, np.uint8(0)).reshape(-1, 1), axis=1, bitorder="little")
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2] = starts
        bounds[1::2] = ends
        counts = np.add.reduceat(bit_rows, bounds, axis=0, dtype=np.int64)[0::2]
        counts[starts == ends] = 0
        return counts

    def features(self, starts: np.ndarray, ends: np.ndarray) -> DocumentFeatures:
        """Counts for each ``[starts[i], ends[i])`` span of the indexed text: one pass over each span in the
        compiled core when it was built, else prefix sums and ``searchsorted`` in numpy."""
        classes = self._classes
        if native is not None and classes.dtype == np.uint8 and classes.flags.c_contiguous:
            starts = np.ascontiguousarray(starts, dtype=np.int64)
            ends = np.ascontiguousarray(ends, dtype=np.int64)
            lengths, han, digits, latin, sentence_ends, commas, separators, exclaims, gaps = native.span_counts(
                classes, starts, ends
            )
        else:
            counts = self._class_counts(starts, ends)
            han, digits, latin, _, sentence_ends, commas, separators, exclaims = counts.T.tolist()
            gap_starts = self._gap_starts
            gaps = (np.searchsorted(gap_starts, ends) - np.searchsorted(gap_starts, starts, side="right")).tolist()
            lengths = ((ends - starts) - counts[:, 3]).tolist()
        phones, phone_chars = self._digit_pattern_counts(
            patterns.PHONE, 7, SHORT_LINE_LIMIT, digits, lengths, starts, ends
        )
        cards, _ = self._digit_pattern_counts(patterns.CARD_NUMBER, 12, SHORT_LINE_LIMIT, digits, lengths, starts, ends)
        urls = self._url_counts(starts, ends)
        hits = self._lexicon_hits(starts, ends)
        return DocumentFeatures(
            length=lengths,
            han=han,
            digits=digits,
            latin=latin,
            sentence_ends=sentence_ends,
            commas=commas,
            separators=separators,
            gaps=gaps,
            phones=phones,
            phone_chars=phone_chars,
            cards=cards,
            urls=urls,
            hits=hits,
            exclaims=exclaims,
        )


def measure(text: str, starts: np.ndarray, ends: np.ndarray, lexicon: Lexicon) -> DocumentFeatures:
    """Count everything the rules look at, for each ``[starts[i], ends[i])`` line of folded ``text``."""
    return DocumentIndex(text, lexicon).features(starts, ends)
