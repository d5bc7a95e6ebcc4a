"""Category lexicons: the shipped word lists plus the user's, compiled into one matcher.

Each label has a file ``cleanse/data/spam/<label>.tsv`` of ``word<TAB>weight[<TAB>kind]`` rows, written for
cleanse. Words are folded like the text (see :mod:`.normalise`), so lists are written once in Simplified
Chinese. Matching is leftmost-longest and non-overlapping, like one alternation of all words, but done with
numpy: a table of the characters that start a word picks candidate positions in one gather, a hashed table
of words' first two characters thins them out, the one to four characters from each are packed (16 bits a
character) into integer keys the way the words are, and a sorted search confirms them exactly; longer words
are found from their first four characters. ASCII words only match between non-letters, so ``av`` does not
fire inside ``java``. Each word also carries its label weights as one row of a matrix, so per-line sums are
numpy reductions (see :mod:`.features`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanse.stages.spam.normalise import code_points, data_file, fold_chars

LEXICON_LABELS = ("article", "spam", "ad", "chrome", "notice", "credit", "caption", "furniture")
"""Labels with a word list; the ``article`` list holds reporting cues, evidence against advertorials."""
USER_WEIGHT = 1.0
ADVERTORIAL_WEIGHTS = {"promo": 1.0, "property": 0.5}
"""How much each kind of ad word counts towards an advertorial; property words are common in market news."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon word as seen by one label."""

    label: str
    weight: float
    kind: str


class Lexicon:
    """Words by label, matched in one pass over folded text.

    >>> lexicon = Lexicon.default()
    >>> [(word, [e.label for e in lexicon.entries[word]]) for _, word in lexicon.find("网站首页 java")]
    [('网站首页', ['chrome'])]
    """

    def __init__(self, rows: Iterable[tuple[str, str, float, str]]) -> None:
        merged: dict[str, dict[str, Entry]] = {}
        for label, word, weight, kind in rows:
            if label not in LEXICON_LABELS:
                raise ValueError(f"unknown lexicon label {label!r}; expected one of {', '.join(LEXICON_LABELS)}")
            folded = fold_chars(word.strip())
            if not folded:
                continue
            merged.setdefault(folded, {})[label] = Entry(label, float(weight), kind)
        self.entries: dict[str, tuple[Entry, ...]] = {word: tuple(entries.values()) for word, entries in merged.items()}
        self.words: list[str] = list(self.entries)
        """Every word once; a word's position here is its id in :meth:`find_ids` and the weight rows."""
        self.label_weights, self.label_present, self.line_sums = _weight_rows(self.words, self.entries)
        self._needs_boundary = np.array([_is_ascii_letter(w[0]) or _is_ascii_letter(w[-1]) for w in self.words])
        self._packed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._long: dict[int, list[int]] = {}
        self._scanned: list[int] = []
        by_length: dict[int, list[tuple[int, int]]] = {}
        for word_id, word in enumerate(self.words):
            if any(ord(char) >= _SENTINEL for char in word):
                self._scanned.append(word_id)
            elif len(word) <= _PACKED_LENGTH:
                by_length.setdefault(len(word), []).append((_pack(word), word_id))
            else:
                self._long.setdefault(_pack(word[:_PACKED_LENGTH]), []).append(word_id)
        for length, pairs in by_length.items():
            self._packed[length] = _key_table(pairs)
        self._long_prefixes = _key_table([(key, 0) for key in self._long]) if self._long else None
        self._starts_word = np.zeros(_SENTINEL + 1, dtype=bool)
        self._opening_pairs = np.zeros(_PAIR_TABLE_SIZE, dtype=bool)
        for length, (keys, _) in self._packed.items():
            self._starts_word[(keys >> _CHAR_BITS * np.uint64(length - 1)).astype(np.int64)] = True
            if length > 1:
                pairs = (keys >> _CHAR_BITS * np.uint64(length - 2)).astype(np.int64)
                self._opening_pairs[_pair_hash(pairs >> 16, pairs & 0xFFFF)] = True
        for prefix in self._long:
            self._starts_word[prefix >> 48] = True
            self._opening_pairs[_pair_hash(np.int64(prefix >> 48), np.int64((prefix >> 32) & 0xFFFF))] = True

    def find(self, text: str, codes: np.ndarray | None = None) -> list[tuple[int, str]]:
        """Leftmost-longest non-overlapping lexicon words in folded ``text`` as ``(position, word)``.

        ``codes`` are the code points of ``text`` if the caller already has them.
        """
        positions, ids = self.find_ids(text, codes)
        pairs = zip(positions.tolist(), ids.tolist(), strict=True)
        return [(position, self.words[word_id]) for position, word_id in pairs]

    def find_ids(self, text: str, codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Like :meth:`find`, as two arrays: positions (ascending) and word ids (indices into ``words``)."""
        if codes is None:
            codes = code_points(text)
        chars = np.concatenate((np.minimum(codes, _SENTINEL), np.zeros(_PACKED_LENGTH, dtype=np.uint32)))
        chars = chars.astype(np.int64)
        found_positions: list[np.ndarray] = []
        found_lengths: list[np.ndarray] = []
        found_ids: list[np.ndarray] = []
        candidates = np.flatnonzero(self._starts_word[chars[: len(codes)]])
        firsts = chars[candidates]
        if 1 in self._packed:
            hit, ids = _lookup(self._packed[1], firsts.astype(np.uint64))
            found_positions.append(candidates[hit])
            found_lengths.append(np.ones(ids.size, dtype=np.int64))
            found_ids.append(ids)
        candidates = candidates[self._opening_pairs[_pair_hash(firsts, chars[candidates + 1])]]
        padded = chars.astype(np.uint64)
        keys = padded[candidates]
        for length in range(2, _PACKED_LENGTH + 1):
            keys = (keys << _CHAR_BITS) | padded[candidates + (length - 1)]
            table = self._packed.get(length)
            if table is not None:
                hit, ids = _lookup(table, keys)
                found_positions.append(candidates[hit])
                found_lengths.append(np.full(ids.size, length, dtype=np.int64))
                found_ids.append(ids)
        if self._long_prefixes is not None:
            hit, _ = _lookup(self._long_prefixes, keys)
            self._confirm_long(text, candidates[hit], keys[hit], found_positions, found_lengths, found_ids)
        for word_id in self._scanned:
            word = self.words[word_id]
            matches = []
            position = text.find(word)
            while position >= 0:
                matches.append(position)
                position = text.find(word, position + 1)
            found_positions.append(np.array(matches, dtype=np.int64))
            found_lengths.append(np.full(len(matches), len(word), dtype=np.int64))
            found_ids.append(np.full(len(matches), word_id, dtype=np.int64))
        positions = np.concatenate(found_positions)
        lengths = np.concatenate(found_lengths)
        ids = np.concatenate(found_ids)
        order = np.lexsort((-lengths, positions))
        positions, lengths, ids = positions[order], lengths[order], ids[order]
        checked = np.flatnonzero(self._needs_boundary[ids])
        if checked.size:
            loose = [i for i in checked.tolist() if not _standalone(text, int(positions[i]), int(lengths[i]))]
            if loose:
                keep = np.ones(positions.size, dtype=bool)
                keep[loose] = False
                positions, lengths, ids = positions[keep], lengths[keep], ids[keep]
        longest = np.ones(positions.size, dtype=bool)
        longest[1:] = positions[1:] != positions[:-1]
        positions, lengths, ids = positions[longest], lengths[longest], ids[longest]
        if np.all(positions[1:] >= (positions + lengths)[:-1]):
            return positions, ids
        return _leftmost_longest(positions, lengths, ids)

    def _confirm_long(
        self,
        text: str,
        positions: np.ndarray,
        keys: np.ndarray,
        found_positions: list[np.ndarray],
        found_lengths: list[np.ndarray],
        found_ids: list[np.ndarray],
    ) -> None:
        """Check the long words whose first four characters sit at ``positions``."""
        matches: list[tuple[int, int, int]] = []
        for position, key in zip(positions.tolist(), keys.tolist(), strict=True):
            for word_id in self._long[key]:
                word = self.words[word_id]
                if text.startswith(word, position):
                    matches.append((position, len(word), word_id))
        if matches:
            found = np.array(matches, dtype=np.int64)
            found_positions.append(found[:, 0])
            found_lengths.append(found[:, 1])
            found_ids.append(found[:, 2])

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon, built once per process."""
        return _default_lexicon()

    def extended(self, extra: Iterable[tuple[str, str]]) -> Lexicon:
        """A new lexicon with the user's ``(label, word)`` pairs added at full weight."""
        rows = [(e.label, word, e.weight, e.kind) for word, entries in self.entries.items() for e in entries]
        rows.extend((label, word, USER_WEIGHT, "user") for label, word in extra)
        return Lexicon(rows)


_PACKED_LENGTH = 4
"""Words up to this long are packed into one 64-bit key; longer ones are found by their first four characters."""
_CHAR_BITS = np.uint64(16)
_SENTINEL = 0xFFFF
"""Characters outside the Basic Multilingual Plane pack as this noncharacter, which no packed word contains."""
_PAIR_TABLE_SIZE = 1 << 16
LINE_SUM_COLUMNS = ("reporting", "advertorial", "property", "promotion", "strong_direct_ad")
"""Per-word numbers that are summed per line besides the label weights (see :attr:`Lexicon.line_sums`)."""


def _pack(word: str) -> int:
    key = 0
    for char in word:
        key = (key << 16) | ord(char)
    return key


def _leftmost_longest(positions: np.ndarray, lengths: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop matches that start inside an earlier kept one (input sorted by position, one match a position)."""
    kept: list[int] = []
    covered = 0
    for index, (position, length) in enumerate(zip(positions.tolist(), lengths.tolist(), strict=True)):
        if position >= covered:
            kept.append(index)
            covered = position + length
    return positions[kept], ids[kept]


def _pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A 16-bit hash of two code points (arrays of ``int64``), for the table of words' opening pairs."""
    return (first * 40503 + second) & (_PAIR_TABLE_SIZE - 1)


def _key_table(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted packed keys and the word id of each."""
    pairs = sorted(pairs)
    return np.array([key for key, _ in pairs], dtype=np.uint64), np.array([i for _, i in pairs], dtype=np.int64)


def _lookup(table: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which ``keys`` are in ``table`` (a boolean mask) and the word id of each one that is."""
    sorted_keys, ids = table
    slot = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    hit = sorted_keys[slot] == keys
    return hit, ids[slot[hit]]


def _weight_rows(words: list[str], entries: dict[str, tuple[Entry, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per word: its weight under each label, whether it has that label, and its ``LINE_SUM_COLUMNS``.

    The ``article`` list only adds reporting weight; property and promotion words count towards
    advertorials (``ADVERTORIAL_WEIGHTS``); other ad words of full weight are strong direct-ad signs.
    """
    weights = np.zeros((len(words), len(LEXICON_LABELS)), dtype=np.float64)
    present = np.zeros((len(words), len(LEXICON_LABELS)), dtype=bool)
    sums = np.zeros((len(words), len(LINE_SUM_COLUMNS)), dtype=np.float64)
    for word_id, word in enumerate(words):
        for entry in entries[word]:
            if entry.label == "article":
                sums[word_id, 0] += entry.weight
                continue
            column = LEXICON_LABELS.index(entry.label)
            weights[word_id, column] += entry.weight
            present[word_id, column] = True
            sums[word_id, 1] += entry.weight * ADVERTORIAL_WEIGHTS.get(entry.kind, 0.0)
            if entry.kind == "property":
                sums[word_id, 2] += entry.weight
            elif entry.kind == "promo":
                sums[word_id, 3] += entry.weight
            elif entry.label == "ad" and entry.weight >= 1:
                sums[word_id, 4] = 1.0
    return weights, present, sums


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _standalone(text: str, position: int, length: int) -> bool:
    """An ASCII word must not be glued to ASCII letters on either side."""
    end = position + length
    if _is_ascii_letter(text[position]) and position > 0 and _is_ascii_letter(text[position - 1]):
        return False
    return not (_is_ascii_letter(text[end - 1]) and end < len(text) and _is_ascii_letter(text[end]))


def _read_rows(label: str) -> list[tuple[str, str, float, str]]:
    rows = []
    for line in data_file(f"{label}.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        kind = fields[2] if len(fields) > 2 else label
        rows.append((label, fields[0], float(fields[1]), kind))
    return rows


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return Lexicon(row for label in LEXICON_LABELS for row in _read_rows(label))


@lru_cache(maxsize=8)
def lexicon_with(extra: tuple[tuple[str, str], ...]) -> Lexicon:
    """The shipped lexicon extended with the user's words (cached per distinct extension)."""
    return _default_lexicon().extended(extra) if extra else _default_lexicon()


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single-character and compound surnames, for recognising standalone name lines."""
    words = [w for line in data_file("surnames.txt").splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)
