"""Category lexicons: the shipped word lists plus the user's, compiled into one matcher.

Each label has a file ``cleanse/data/spam/<label>.tsv`` of ``word<TAB>weight<TAB>kind<TAB>source`` rows (the source
says whether the word was written for cleanse or occurs in the seeds; see ``SOURCES.md``). Words are folded like the
text (see :mod:`.normalise`), so lists are written once in Simplified Chinese. Matching is leftmost-longest and
non-overlapping, like one alternation of all words, but done with numpy: a table of the characters that start a word
picks candidate positions in one gather, and hashed tables of words' first two and three characters thin them to
about one per match; only those are checked in Python, against the words that open with that pair, longest first.
ASCII words only match between non-letters, so ``av`` does not fire inside ``java``. Each word also carries its
label weights as one row of a matrix, so per-line sums are numpy reductions (see :mod:`.features`).

When the optional compiled core (``_native/_scan.c``, built by ``pip install``) is there, the candidate filter and
the check of each candidate run in C in one pass, with the same results; the tests compare both paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanse.stages.spam._native import native
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
        self.line_rows = _line_rows(self.words, self.entries)
        """One row per word id: weight per label (``LEXICON_LABELS`` order), then 1.0 per label the word has,
        then its ``LINE_SUM_COLUMNS``; summing rows gives a line's lexicon evidence in one reduction."""
        self.evidence_entries: list[tuple[tuple[str, str], ...]] = [
            tuple((entry.label, entry.kind) for entry in self.entries[word] if entry.label != "article")
            for word in self.words
        ]
        """Per word id, the ``(label, kind)`` of its entries that count as evidence (all but reporting cues)."""
        self._word_ids = {word: word_id for word_id, word in enumerate(self.words)}
        self._needs_boundary = frozenset(w for w in self.words if _is_ascii_letter(w[0]) or _is_ascii_letter(w[-1]))
        self._starts_word = np.zeros(_TABLE_SIZE, dtype=bool)
        self._opening_pairs = np.zeros(_PAIR_TABLE_SIZE, dtype=bool)
        self._pair_words = np.zeros(_PAIR_TABLE_SIZE, dtype=bool)
        self._opening_triples = np.zeros(_PAIR_TABLE_SIZE, dtype=bool)
        self._single = np.zeros(_TABLE_SIZE, dtype=bool)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            first = _table_code(word[0])
            self._starts_word[first] = True
            if len(word) == 1:
                self._single[first] = True
                continue
            pair = _pair_hash(np.int64(first), np.int64(_table_code(word[1])))
            self._opening_pairs[pair] = True
            if len(word) == 2:
                self._pair_words[pair] = True
            else:
                self._opening_triples[_triple_hash(pair, np.int64(_table_code(word[2])))] = True
            lengths.setdefault(word[:2], set()).add(len(word))
        singles = {word for word in self.words if len(word) == 1}
        self._lengths_by_pair = {
            pair: tuple(sorted(found | ({1} if pair[0] in singles else set()), reverse=True))
            for pair, found in lengths.items()
        }
        self._single_words = frozenset(singles)
        self._native_tables = _native_tables(self.words, self._needs_boundary) if native is not None else None
        self._native_filters = (
            tuple(
                np.packbits(table, bitorder="little")
                for table in (
                    self._starts_word,
                    self._opening_pairs,
                    self._pair_words,
                    self._opening_triples,
                    self._single,
                )
            )
            if native is not None
            else None
        )
        """The candidate filter's tables packed one bit per entry for the compiled core (a fifth of its cache)."""

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
        if codes.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if (
            native is not None
            and self._native_tables is not None
            and self._native_filters is not None
            and codes.dtype == np.uint32
            and codes.flags.c_contiguous
        ):
            found, found_ids = native.find(codes, *self._native_filters, *self._native_tables)
            return np.frombuffer(found, dtype=np.int64), np.frombuffer(found_ids, dtype=np.int64)
        positions: list[int] = []
        ids: list[int] = []
        add_position, add_id = positions.append, ids.append
        covered = 0
        word_id_of, lengths_of, needs_boundary = self._word_ids.get, self._lengths_by_pair.get, self._needs_boundary
        single_words = self._single_words
        for position in self._candidates(codes):
            if position < covered:
                continue
            lengths = lengths_of(text[position : position + 2])
            if lengths is None:
                if text[position] not in single_words:
                    continue
                lengths = (1,)
            for length in lengths:
                word = text[position : position + length]
                word_id = word_id_of(word)
                if word_id is None or (word in needs_boundary and not _standalone(text, position, len(word))):
                    continue
                add_position(position)
                add_id(word_id)
                covered = position + len(word)
                break
        return np.array(positions, dtype=np.int64), np.array(ids, dtype=np.int64)

    def _candidates(self, codes: np.ndarray) -> list[int]:
        """Positions that may start a word: the character starts one, and the hashed pair (and, for words of
        three or more characters, the triple) opens one, or the character is a one-character word. Found by
        the compiled core when it was built (one pass), else by numpy (some twenty array passes)."""
        if (
            native is not None
            and self._native_filters is not None
            and codes.dtype == np.uint32
            and codes.flags.c_contiguous
        ):
            found: list[int] = native.candidates(codes, *self._native_filters)
            return found
        chars = np.minimum(codes, _TABLE_SIZE - 1).astype(np.int64)
        candidates = np.flatnonzero(self._starts_word.take(chars))
        firsts = chars.take(candidates)
        seconds = chars.take(candidates + 1, mode="clip")
        pairs = _pair_hash(firsts, seconds)
        opening = self._opening_pairs.take(pairs)
        thirds = chars.take(candidates + 2, mode="clip")
        opening &= self._pair_words.take(pairs) | self._opening_triples.take(_triple_hash(pairs, thirds))
        opening |= self._single.take(firsts)
        positions: list[int] = candidates[opening].tolist()
        return positions

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon, built once per process."""
        return _default_lexicon()

    def extended(self, extra: Iterable[tuple[str, str]]) -> Lexicon:
        """A new lexicon with the user's ``(label, word)`` pairs added at full weight."""
        rows = [(e.label, word, e.weight, e.kind) for word, entries in self.entries.items() for e in entries]
        rows.extend((label, word, USER_WEIGHT, "user") for label, word in extra)
        return Lexicon(rows)


_TABLE_SIZE = 1 << 16
"""Characters outside the Basic Multilingual Plane share the last slot of the character tables."""
_PAIR_TABLE_SIZE = 1 << 16
LINE_SUM_COLUMNS = ("reporting", "advertorial", "property", "promotion", "strong_direct_ad")
"""Per-word numbers that are summed per line besides the label weights (see :attr:`Lexicon.line_rows`)."""


def _table_code(char: str) -> int:
    return min(ord(char), _TABLE_SIZE - 1)


def _pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A 16-bit hash of two character codes (``int64``), for the table of words' opening pairs."""
    return (first * 40503 + second) & (_PAIR_TABLE_SIZE - 1)


def _triple_hash(pair: np.ndarray, third: np.ndarray) -> np.ndarray:
    """A 16-bit hash of a pair hash and a third character code, for the table of words' first three characters."""
    return (pair * 40503 + third) & (_PAIR_TABLE_SIZE - 1)


def _line_rows(words: list[str], entries: dict[str, tuple[Entry, ...]]) -> np.ndarray:
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
    return np.hstack((weights, present.astype(np.float64), sums))


def _native_tables(words: list[str], needs_boundary: frozenset[str]) -> tuple[np.ndarray, ...]:
    """The word tables of the compiled matcher (see ``_native/_scan.c``): words of two or more characters
    sorted by their first two code points, longest first, with their code points, ids and boundary flags;
    then the one-character words."""
    ids = {word: word_id for word_id, word in enumerate(words)}
    longer = sorted((w for w in words if len(w) >= 2), key=lambda w: (ord(w[0]) << 21 | ord(w[1]), -len(w)))
    singles = [w for w in words if len(w) == 1]
    return (
        np.array([ord(w[0]) << 21 | ord(w[1]) for w in longer], dtype=np.int64),
        np.cumsum([0] + [len(w) for w in longer], dtype=np.int64),
        code_points("".join(longer)),
        np.array([ids[w] for w in longer], dtype=np.int64),
        np.array([w in needs_boundary for w in longer], dtype=np.uint8),
        code_points("".join(singles)),
        np.array([ids[w] for w in singles], dtype=np.int64),
        np.array([w in needs_boundary for w in singles], dtype=np.uint8),
    )


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _standalone(text: str, position: int, length: int) -> bool:
    """An ASCII word must not be glued to ASCII letters on either side."""
    end = position + length
    if _is_ascii_letter(text[position]) and position > 0 and _is_ascii_letter(text[position - 1]):
        return False
    return not (_is_ascii_letter(text[end - 1]) and end < len(text) and _is_ascii_letter(text[end]))


SOURCES = ("cleanse", "seeds")
"""Where a label-lexicon word comes from (the ``source`` column; see ``cleanse/data/spam/SOURCES.md``)."""


def read_rows(label: str) -> list[tuple[str, str, float, str, str]]:
    """The rows of ``<label>.tsv`` as ``(label, word, weight, kind, source)``."""
    rows = []
    for number, line in enumerate(data_file(f"{label}.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[3] not in SOURCES:
            raise ValueError(f"{label}.tsv line {number}: expected word, weight, kind and a source in {SOURCES}")
        rows.append((label, fields[0], float(fields[1]), fields[2], fields[3]))
    return rows


def _read_rows(label: str) -> list[tuple[str, str, float, str]]:
    return [(label, word, weight, kind) for label, word, weight, kind, _ in read_rows(label)]


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
