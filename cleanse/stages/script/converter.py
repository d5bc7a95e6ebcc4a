"""A phrase-aware converter that runs OpenCC's own configurations and dictionaries in pure Python.

OpenCC converts in three moves: normalise compatibility ideographs, cut the text into segments
by forward maximum matching over a phrase dictionary, then run a chain of dictionaries over each
segment, again by forward maximum matching, never across a segment boundary. This module does the
same with C-speed building blocks: a numpy screen over the text's character bigrams finds the
positions where a phrase may start, a dict lookup takes the longest phrase there, and a lookup array
converts every character in between. Segment boundaries are kept as a separator character that
no dictionary key contains, so later steps of the chain cannot match across them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from cleanse.errors import ConfigError
from cleanse.stages.script.dictionaries import TextDict, flatten, load_config, load_dict

_SEPARATOR_CANDIDATES = ("\x00", "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3")


_SHORT_TEXT = 48
MERGE_GAP = 4
"""Default of :meth:`Converter.edits`: changes this close on one line are logged as one edit."""


class CharacterTable:
    """A one-to-one character mapping applied with numpy on long text and ``str.translate`` on short text.

    OpenCC's character dictionaries map one code point to one code point, so a lookup array indexed
    by code point converts a whole text in a few vectorised operations. A mapping with a longer value
    falls back to ``str.translate`` throughout.

    >>> CharacterTable({ord("後"): "后"}).apply("之後" * 30)[:4]
    '之后之后'
    """

    def __init__(self, mapping: dict[int, str]) -> None:
        self.mapping = {code: value for code, value in mapping.items() if chr(code) != value}
        self.lookup: np.ndarray | None = None
        if self.mapping and all(len(value) == 1 for value in self.mapping.values()):
            lookup = np.arange(max(self.mapping) + 1, dtype=np.uint32)
            for code, value in self.mapping.items():
                lookup[code] = ord(value)
            self.lookup = lookup

    def apply_codes(self, codes: np.ndarray) -> np.ndarray:
        """The mapping over an array of code points, as a new array (one-to-one mappings only)."""
        if self.lookup is None:
            return codes.copy()
        size = len(self.lookup)
        mapped: np.ndarray = np.where(codes < size, self.lookup[np.minimum(codes, size - 1)], codes)
        return mapped.astype(np.uint32)

    def apply(self, text: str) -> str:
        if not self.mapping or text.isascii():
            return text
        if self.lookup is None or len(text) < _SHORT_TEXT:
            return text.translate(self.mapping)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        size = len(self.lookup)
        mapped = self.lookup[np.minimum(codes, size - 1)]
        mapped = np.where(codes < size, mapped, codes)
        if np.array_equal(mapped, codes):
            return text
        return mapped.tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(frozen=True, slots=True)
class _Level:
    """One short-circuit member matched by position: its phrases (and, ahead of a later phrase level, characters)."""

    phrases: dict[str, str]
    prefixes: frozenset[str]


class _Matcher:
    """Forward maximum matching over short-circuit levels; characters go through one translate table.

    A vectorised bigram screen finds the few positions where a phrase may start; a prefix walk takes
    the longest phrase there. (A trie-shaped regex over the phrases was 2-3x slower on the same text:
    ``re`` tries the alternatives one by one at every position whose character starts some key.)
    """

    def __init__(self, levels: list[list[TextDict]]) -> None:
        self.levels: list[_Level] = []
        characters: dict[int, str] = {}
        last_phrase_level = max((i for i, level in enumerate(levels) if _has_phrases(level)), default=-1)
        for index, level in enumerate(levels):
            phrases: dict[str, str] = {}
            for text_dict in level:
                for key, value in text_dict.entries.items():
                    if len(key) == 1 and index >= last_phrase_level:
                        characters.setdefault(ord(key), value)
                    else:
                        phrases.setdefault(key, value)
            if phrases:
                prefixes = frozenset(key[:end] for key in phrases for end in range(1, len(key)))
                self.levels.append(_Level(phrases, prefixes))
        self.table = CharacterTable(characters)
        keys = [key for level in self.levels for key in level.phrases]
        self.screen = _BigramScreen(keys) if keys else None
        self.hashes = [_KeyHashes(level.phrases) for level in self.levels]
        self.prefix_hashes = _KeyHashes({key[:end]: "" for key in keys for end in range(1, len(key))})
        self.longest_key = max((len(key) for key in keys), default=0)

    def longest_match(self, text: str, at: int) -> tuple[int, str] | None:
        """The end and conversion of the phrase OpenCC would take at ``at``, or None."""
        size = len(text)
        for level in self.levels:
            phrases = level.phrases
            prefixes = level.prefixes
            found: tuple[int, str] | None = None
            end = at + 1
            while end <= size:
                piece = text[at:end]
                value = phrases.get(piece)
                if value is not None:
                    found = (end, value)
                if piece not in prefixes:
                    break
                end += 1
            if found is not None:
                return found
        return None

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        """Every phrase taken by forward maximum matching, as ``(start, end, conversion)``."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        taken = self._taken(codes)
        if taken is None:
            return self._walk(text)
        starts, ends, levels, indexes = taken
        rows = zip(starts.tolist(), ends.tolist(), levels.tolist(), indexes.tolist(), strict=True)
        return [(start, end, self.hashes[level].value(end - start, index)) for start, end, level, index in rows]

    def _walk(self, text: str) -> list[tuple[int, int, str]]:
        """Forward maximum matching position by position: the reference the vectorised search must equal,
        and its fallback if two keys of one length ever share a hash."""
        if self.screen is None:
            return []
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        found: list[tuple[int, int, str]] = []
        cursor = 0
        for at in self.screen.candidate_array(codes).tolist():
            if at < cursor:
                continue
            match = self.longest_match(text, at)
            if match is not None:
                found.append((at, match[0], match[1]))
                cursor = match[0]
        return found

    def _taken(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """The phrases forward maximum matching takes, as arrays: starts, ends, levels, key indexes.

        The longest key at every candidate position is found for all positions at once
        (:meth:`_longest_keys`) and checked against the key's code points. Matching then takes, in
        order, every match that starts at or after the end of the last one taken: a match that starts
        after every earlier match has ended is taken for certain (found with one cumulative maximum);
        only matches overlapping an earlier one are decided one by one. None when a hash matched
        text that is not the key (a collision), so the caller walks instead.
        """
        empty = np.zeros(0, dtype=np.int64)
        if self.screen is None or len(codes) == 0:
            return empty, empty, empty, empty
        positions = self.screen.candidate_array(codes)
        if positions.size == 0:
            return empty, empty, empty, empty
        starts, lengths, levels, indexes = self._longest_keys(codes, positions)
        for level, table in enumerate(self.hashes):
            if not table.verify(codes, starts, lengths, levels == level, indexes):
                return None
        ends = starts + lengths
        if starts.size == 0:
            return starts, ends, levels, indexes
        reach = np.maximum.accumulate(ends)
        covered = np.concatenate(([0], reach[:-1]))
        taken = starts >= covered
        overlapping = np.flatnonzero(~taken)
        if overlapping.size:
            order = np.where(taken, np.arange(len(starts)), -1)
            last_free = np.concatenate(([-1], np.maximum.accumulate(order)[:-1]))[overlapping]
            free_end = np.where(last_free >= 0, ends[np.maximum(last_free, 0)], 0).tolist()
            last = 0
            for position, start, end, before in zip(
                overlapping.tolist(), starts[overlapping].tolist(), ends[overlapping].tolist(), free_end, strict=True
            ):
                if start >= max(before, last):
                    taken[position] = True
                    last = end
        return starts[taken], ends[taken], levels[taken], indexes[taken]

    def _longest_keys(
        self, codes: np.ndarray, positions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each position where a key matches: the position, the length of the longest key of the first
        level with a match there, that level and the key's index in its level's table (positions without
        a match are left out).

        A position stays in the search only while the text from it is a prefix of some longer key, so
        after two or three characters only a few positions remain.
        """
        size = len(codes)
        longest = np.zeros((len(self.levels), len(positions)), dtype=np.int64)
        index = np.zeros((len(self.levels), len(positions)), dtype=np.int64)
        active = np.arange(len(positions))
        starts = positions
        hashes = np.zeros(len(positions), dtype=np.uint64)
        wide = codes.astype(np.uint64)
        with np.errstate(over="ignore"):
            for length in range(1, self.longest_key + 1):
                inside = starts + length <= size
                if not inside.all():
                    active, starts, hashes = active[inside], starts[inside], hashes[inside]
                if active.size == 0:
                    break
                hashes = hashes * _HASH_BASE + wide[starts + length - 1]
                for level, table in enumerate(self.hashes):
                    found = table.lookup(length, hashes)
                    if found is not None:
                        hit, at = found
                        longest[level, active[hit]] = length
                        index[level, active[hit]] = at[hit]
                going_on = self.prefix_hashes.lookup(length, hashes)
                if going_on is None:
                    break
                active, starts, hashes = active[going_on[0]], starts[going_on[0]], hashes[going_on[0]]
        matched = longest > 0
        first = np.argmax(matched, axis=0)
        keep = matched.any(axis=0)
        columns = np.arange(len(positions))
        chosen, chosen_index = longest[first, columns], index[first, columns]
        return positions[keep], chosen[keep], first[keep], chosen_index[keep]

    def run(self, text: str, convert: bool, mark: str | None) -> str:
        """Convert (or, with ``convert=False``, only segment) ``text``; ``mark`` brackets each phrase."""
        if convert and mark is None:
            converted = self._convert_in_place(text)
            if converted is not None:
                return converted
        matches = self._matches(text)
        characters = self.table.apply(text) if convert else text
        if not matches:
            return characters
        pieces: list[str] = []
        cursor = 0
        for at, end, value in matches:
            pieces.append(characters[cursor:at])
            phrase = value if convert else text[at:end]
            pieces.append(phrase if mark is None else mark + phrase + mark)
            cursor = end
        pieces.append(characters[cursor:])
        return "".join(pieces)

    def _convert_in_place(self, text: str) -> str | None:
        """Conversion with array operations alone, when every character and every phrase taken keeps its
        length (nearly always); None otherwise."""
        if self.table.lookup is None and self.table.mapping:
            return None
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        taken = self._taken(codes)
        if taken is None:
            return None
        starts, ends, levels, indexes = taken
        if starts.size == 0:
            return self.table.apply(text)
        output = self.table.apply_codes(codes)
        for level, table in enumerate(self.hashes):
            if not table.write_values(output, starts, ends - starts, levels == level, indexes):
                return None
        return output.tobytes().decode("utf-32-le", "surrogatepass")


class _BigramScreen:
    """Positions where some key may start: its first two characters (or a one-character key) are there.

    Every bigram of the text is packed into one integer and tested against a bit filter of the keys'
    first bigrams, so the search visits only those positions (and, the filter being a filter, a few
    more, which the exact key lookup of :meth:`_Matcher._longest_keys` then rejects).
    """

    def __init__(self, keys: list[str]) -> None:
        bigrams = np.unique(np.array([_pack(key[0], key[1]) for key in keys if len(key) > 1], dtype=np.uint64))
        self.bigrams = _BitFilter(_slots(bigrams, 2))
        self.starts = np.zeros(0x110000, dtype=bool)
        self.starts[[ord(key[0]) for key in keys]] = True
        self.singles = np.zeros(0x110000, dtype=bool)
        self.singles[[ord(key) for key in keys if len(key) == 1]] = True
        self.has_singles = bool(self.singles.any())

    def candidate_array(self, codes: np.ndarray) -> np.ndarray:
        """Sorted positions of the text (given as code points) where some key may start."""
        if len(codes) < 2:
            return np.flatnonzero(self.singles[codes])
        possible = np.flatnonzero(self.starts[codes[:-1]])
        pairs = (codes[possible].astype(np.uint64) << np.uint64(21)) | codes[possible + 1]
        hits = possible[self.bigrams.test(_slots(pairs, 2))]
        if self.has_singles:
            hits = np.union1d(hits, np.flatnonzero(self.singles[codes]))
        return hits


class _BitFilter:
    """A set of slot numbers below ``2**_FILTER_BITS`` kept as bits: 1 MB whatever the number of keys."""

    def __init__(self, slots: np.ndarray) -> None:
        self.bits = np.zeros(1 << (_FILTER_BITS - 3), dtype=np.uint8)
        np.bitwise_or.at(self.bits, slots >> 3, (1 << (slots & 7)).astype(np.uint8))

    def test(self, slots: np.ndarray) -> np.ndarray:
        result: np.ndarray = ((self.bits[slots >> 3] >> (slots & 7).astype(np.uint8)) & 1).astype(bool)
        return result


_HASH_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_FILTER_BITS = 23


class _KeyHashes:
    """The keys of one level as sorted arrays of 64-bit polynomial hashes, one array per key length,
    with each key's code points and its value alongside (for checking matches and writing conversions).

    The hash of ``c0 c1 ... ck`` is ``((c0 * B + c1) * B + ...) + ck`` modulo 2**64, the same recurrence
    :meth:`_Matcher._longest_keys` runs over the text. A bitmap indexed by the mixed hash and length
    answers "certainly not a key" for most queries before the exact binary search.
    """

    def __init__(self, phrases: dict[str, str]) -> None:
        by_length: dict[int, list[tuple[int, str, str]]] = {}
        mask = (1 << 64) - 1
        base = int(_HASH_BASE)
        for key, value in phrases.items():
            hashed = 0
            for character in key:
                hashed = (hashed * base + ord(character)) & mask
            by_length.setdefault(len(key), []).append((hashed, key, value))
        self.tables: dict[int, np.ndarray] = {}
        self.keys: dict[int, np.ndarray] = {}
        self.values: dict[int, list[str]] = {}
        self.value_codes: dict[int, np.ndarray] = {}
        self.same_length: dict[int, np.ndarray] = {}
        for length, entries in by_length.items():
            entries.sort()
            self.tables[length] = np.array([hashed for hashed, _, _ in entries], dtype=np.uint64)
            self.keys[length] = _code_matrix([key for _, key, _ in entries], length)
            self.values[length] = [value for _, _, value in entries]
            same = np.array([len(value) == length for _, _, value in entries], dtype=bool)
            self.same_length[length] = same
            self.value_codes[length] = _code_matrix(
                [v if len(v) == length else "\0" * length for v in self.values[length]], length
            )
        slots = [_slots(table, length) for length, table in self.tables.items()]
        self.filter = _BitFilter(np.concatenate(slots) if slots else np.zeros(0, dtype=np.intp))

    def lookup(self, length: int, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Which ``hashes`` are hashes of keys of ``length`` characters, and where they sit in the table
        (None: no key has that length). Two keys with one hash keep only one entry; :meth:`verify`
        then finds the other's matches false."""
        table = self.tables.get(length)
        if table is None:
            return None
        found = self.filter.test(_slots(hashes, length))
        at = np.zeros(len(hashes), dtype=np.int64)
        maybe = np.flatnonzero(found)
        if maybe.size:
            candidates = hashes[maybe]
            places = np.minimum(np.searchsorted(table, candidates), len(table) - 1)
            found[maybe] = table[places] == candidates
            at[maybe] = places
        return found, at

    def value(self, length: int, index: int) -> str:
        return self.values[length][index]

    def verify(
        self, codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray, mine: np.ndarray, indexes: np.ndarray
    ) -> bool:
        """Whether the text at each of this level's matches is exactly the key its hash found."""
        for length in np.unique(lengths[mine]).tolist():
            group = mine & (lengths == length)
            spans = starts[group][:, None] + np.arange(length)
            if not np.array_equal(codes[spans], self.keys[length][indexes[group]]):
                return False
        return True

    def write_values(
        self, output: np.ndarray, starts: np.ndarray, lengths: np.ndarray, mine: np.ndarray, indexes: np.ndarray
    ) -> bool:
        """Write the conversions of this level's matches into ``output``; False (nothing written for the
        offending group) when one of them changes length."""
        for length in np.unique(lengths[mine]).tolist():
            group = mine & (lengths == length)
            chosen = indexes[group]
            if not self.same_length[length][chosen].all():
                return False
            output[starts[group][:, None] + np.arange(length)] = self.value_codes[length][chosen]
        return True


def _code_matrix(strings: list[str], length: int) -> np.ndarray:
    """Strings of ``length`` characters as a ``(len(strings), length)`` array of code points."""
    joined = "".join(strings).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(joined, dtype=np.uint32).reshape(len(strings), length)


def _slots(hashes: np.ndarray, length: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        mixed = (hashes + np.uint64(length)) * _MIX
    return (mixed >> np.uint64(64 - _FILTER_BITS)).astype(np.intp)


def _pack(first: str, second: str) -> int:
    return (ord(first) << 21) | ord(second)


def _matcher(levels: list[list[TextDict]]) -> _Matcher:
    """A matcher per distinct dictionary chain, shared by configurations (s2t, s2tw, s2twp, s2hk...)."""
    return _cached_matcher(tuple(tuple(text_dict.name for text_dict in level) for level in levels))


@cache
def _cached_matcher(names: tuple[tuple[str, ...], ...]) -> _Matcher:
    return _Matcher([[load_dict(name) for name in level] for level in names])


def _has_phrases(level: list[TextDict]) -> bool:
    return any(not text_dict.is_characters for text_dict in level)


class Converter:
    """One OpenCC configuration (``"t2s"``, ``"s2twp"``...), built once and reused.

    >>> Converter("t2s").convert("瞭解黨建工作，發揮作用")
    '了解党建工作，发挥作用'
    >>> Converter("s2twp").convert("鼠标和软件")
    '滑鼠和軟體'
    """

    def __init__(self, config: str) -> None:
        spec: dict[str, Any] = load_config(config)
        self.config = config
        normalization: dict[int, str] = {}
        for step in spec.get("normalization", ()):
            for level in flatten(step["dict"]):
                for text_dict in level:
                    if not text_dict.is_characters:
                        raise ConfigError(f"{config}: phrase normalisation is not supported")
                    for key, value in text_dict.entries.items():
                        normalization.setdefault(ord(key), value)
        self.normalization = CharacterTable(normalization)
        chain = [flatten(step["dict"]) for step in spec["conversion_chain"]]
        self.steps = [_matcher(levels) for levels in chain]
        segmentation = spec.get("segmentation", {}).get("dict")
        first_phrases = [level for level in chain[0] if _has_phrases(level)]
        if segmentation is None or _same_files(flatten(segmentation), first_phrases):
            self.segmenter: _Matcher | None = None
        else:
            self.segmenter = _matcher(flatten(segmentation))
        self.fused_segmenter = _matcher(first_phrases)

    def convert(self, text: str) -> str:
        """Convert ``text`` exactly as OpenCC's configuration describes."""
        return self._run(text, keep_marks=False)[0]

    def _run(self, text: str, keep_marks: bool) -> tuple[str, str]:
        """Return the converted text and the separator used (kept between segments if asked)."""
        text = self.normalization.apply(text)
        mark = _separator(text)
        needs_marks = keep_marks or len(self.steps) > 1
        if self.segmenter is not None:
            text = self.segmenter.run(text, convert=False, mark=mark)
            for step in self.steps:
                text = step.run(text, convert=True, mark=None)
        else:
            text = self.steps[0].run(text, convert=True, mark=mark if needs_marks else None)
            for step in self.steps[1:]:
                text = step.run(text, convert=True, mark=None)
        return (text if keep_marks else text.replace(mark, "")), mark

    def segments(self, text: str) -> tuple[list[str], list[str]]:
        """The segments OpenCC would convert one by one, before and after conversion."""
        converted, mark = self._run(text, keep_marks=True)
        normalized = self.normalization.apply(text)
        segmenter = self.segmenter or self.fused_segmenter
        original = segmenter.run(normalized, convert=False, mark=mark)
        before = original.split(mark)
        after = converted.split(mark)
        if len(before) != len(after):
            raise AssertionError(f"{self.config}: segments misaligned ({len(before)} != {len(after)})")
        return before, after

    def same_length_runs(self, text: str, merge_gap: int = MERGE_GAP) -> tuple[str, np.ndarray, np.ndarray] | None:
        """The conversion and the start and end arrays of its changed runs, when it keeps every position.

        Nearly every conversion maps a text to one of the same length, and then the runs are found with
        array operations alone; None means some phrase changed length (use :meth:`edits`). No run
        contains a line break.
        """
        converted = self.convert(text)
        if len(converted) != len(text):
            return None
        starts, ends = _run_bounds(text, converted, merge_gap)
        return converted, starts, ends

    def edits(self, text: str, merge_gap: int = MERGE_GAP) -> list[tuple[int, int, str]]:
        """Spans of ``text`` that conversion changes, as ``(start, end, replacement)``, in order.

        Changes at most ``merge_gap`` characters apart on one line, with no ASCII letter or digit
        between them, are one span; ``merge_gap=0`` gives every changed run on its own.

        >>> Converter("t2s").edits("ab黨建cd")
        [(2, 3, '党')]
        >>> Converter("t2s").edits("後來，這個國家", merge_gap=0)
        [(0, 2, '后来'), (3, 6, '这个国')]
        >>> Converter("t2s").edits("後來，這個國家")
        [(0, 6, '后来，这个国')]
        """
        converted = self.convert(text)
        if converted == text:
            return []
        if len(converted) == len(text):
            return _changed_runs(text, converted, 0, merge_gap)
        edits: list[tuple[int, int, str]] = []
        offset = 0
        for before, after in zip(*self.segments(text), strict=False):
            if before != after:
                if len(before) == len(after):
                    edits.extend(_changed_runs(before, after, offset, merge_gap))
                else:
                    edits.append((offset, offset + len(before), after))
            offset += len(before)
        return _undo_normalisation_only(text, edits)


def _undo_normalisation_only(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [(start, end, after) for start, end, after in edits if text[start:end] != after]


def _changed_runs(before: str, after: str, offset: int, merge_gap: int) -> list[tuple[int, int, str]]:
    starts, ends = _run_bounds(before, after, merge_gap)
    pairs = zip(starts.tolist(), ends.tolist(), strict=True)
    return [(offset + start, offset + end, after[start:end]) for start, end in pairs]


def _run_bounds(before: str, after: str, merge_gap: int) -> tuple[np.ndarray, np.ndarray]:
    """Runs of differing characters between two strings of equal length, as start and end arrays.

    Runs separated by at most ``merge_gap`` unchanged characters join into one edit, so the log holds
    phrase-sized changes (``黨建引領`` -> ``党建引领``) rather than one entry per character. A gap
    holding a line break, an ASCII letter or an ASCII digit never joins: numbers, Latin text and URLs
    stay outside every edit.
    """
    left = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    right = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    differs = np.concatenate(([False], left != right, [False]))
    bounds = np.flatnonzero(differs[1:] != differs[:-1])
    starts, ends = bounds[0::2], bounds[1::2]
    if len(starts) > 1 and merge_gap > 0:
        folded = left | 0x20
        blocks = (
            (left == 0x0A) | (left == 0x0D) | ((left >= 0x30) & (left <= 0x39)) | ((folded >= 0x61) & (folded <= 0x7A))
        )
        blocked = np.concatenate(([0], np.cumsum(blocks, dtype=np.int64)))
        gaps = starts[1:] - ends[:-1]
        joined = (gaps <= merge_gap) & (blocked[starts[1:]] == blocked[ends[:-1]])
        starts = starts[np.concatenate(([True], ~joined))]
        ends = ends[np.concatenate((~joined, [True]))]
    return starts, ends


def _separator(text: str) -> str:
    for candidate in _SEPARATOR_CANDIDATES:
        if candidate not in text:
            return candidate
    raise ValueError("text contains every segment separator candidate; cannot convert it safely")


def _same_files(levels: list[list[TextDict]], other: list[list[TextDict]]) -> bool:
    return [[d.name for d in level] for level in levels] == [[d.name for d in level] for level in other]


@cache
def get_converter(config: str) -> Converter:
    """The process-wide converter for an OpenCC configuration name."""
    return Converter(config)
