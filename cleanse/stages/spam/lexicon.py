"""Category lexicons: the shipped word lists plus the user's, compiled into one matcher.

Each label has a file ``cleanse/data/spam/<label>.tsv`` of ``word<TAB>weight[<TAB>kind]`` rows, written for
cleanse. Words are folded like the text (see :mod:`.normalise`), so lists are written once in Simplified
Chinese. Matching is leftmost-longest and non-overlapping, like one alternation of all words, but done with
numpy: the first two code points of every word are packed into one integer, every adjacent pair of the
document is packed the same way, and a sorted search finds the few candidate positions, which are then
checked in Python. ASCII words only match between non-letters, so ``av`` does not fire inside ``java``.
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
        self.entries: dict[str, tuple[Entry, ...]] = {}
        merged: dict[str, dict[str, Entry]] = {}
        for label, word, weight, kind in rows:
            if label not in LEXICON_LABELS:
                raise ValueError(f"unknown lexicon label {label!r}; expected one of {', '.join(LEXICON_LABELS)}")
            folded = fold_chars(word.strip())
            if not folded:
                continue
            merged.setdefault(folded, {})[label] = Entry(label, float(weight), kind)
        self.entries = {word: tuple(by_label.values()) for word, by_label in merged.items()}
        self._filters: dict[int, np.ndarray] = {}
        self._long_words: list[str] = []
        for word in self.entries:
            if len(word) not in _HASHED_LENGTHS:
                self._long_words.append(word)
                continue
            table = self._filters.setdefault(len(word), np.zeros(_FILTER_SIZE, dtype=bool))
            table[int(_word_hash(word)) & (_FILTER_SIZE - 1)] = True

    def find(self, text: str, codes: np.ndarray | None = None) -> list[tuple[int, str]]:
        """Leftmost-longest non-overlapping lexicon words in folded ``text`` as ``(position, word)``.

        ``codes`` are the code points of ``text`` if the caller already has them.
        """
        if codes is None:
            codes = code_points(text)
        hits: list[tuple[int, int]] = []
        wide = codes.astype(np.uint32, copy=False)
        rolling = wide
        for length in range(2, min(max(self._filters, default=0), codes.size) + 1):
            if length > 1:
                rolling = rolling[:-1] * _BASE + wide[length - 1 :]
            table = self._filters.get(length)
            if table is not None:
                positions = np.flatnonzero(table[rolling & _FILTER_MASK])
                hits.extend((position, -length) for position in positions.tolist())
        for word in self._long_words:
            position = text.find(word)
            while position >= 0:
                hits.append((position, -len(word)))
                position = text.find(word, position + 1)
        hits.sort()
        found: list[tuple[int, str]] = []
        covered = 0
        for position, negative_length in hits:
            if position < covered:
                continue
            word = text[position : position - negative_length]
            if word in self.entries and _standalone(text, position, len(word)):
                found.append((position, word))
                covered = position + len(word)
        return found

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon, built once per process."""
        return _default_lexicon()

    def extended(self, extra: Iterable[tuple[str, str]]) -> Lexicon:
        """A new lexicon with the user's ``(label, word)`` pairs added at full weight."""
        rows = [(e.label, word, e.weight, e.kind) for word, entries in self.entries.items() for e in entries]
        rows.extend((label, word, USER_WEIGHT, "user") for label, word in extra)
        return Lexicon(rows)


_BASE = np.uint32(0x01000193)
_HASHED_LENGTHS = range(2, 5)
"""Lengths of most lexicon words, found by rolling hashes; the few others are found with ``str.find``."""
_FILTER_BITS = 18
_FILTER_SIZE = 1 << _FILTER_BITS
_FILTER_MASK = np.uint32(_FILTER_SIZE - 1)


def _word_hash(word: str) -> np.uint32:
    """The polynomial hash :meth:`Lexicon.find` rolls over the document, for one word."""
    value = np.zeros(1, dtype=np.uint32)
    for char in word:
        value = value * _BASE + np.uint32(ord(char))
    return value[0]


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
