"""Category lexicons: the shipped word lists plus the user's, compiled into one matcher.

Each label has a file ``cleanse/data/spam/<label>.tsv`` of ``word<TAB>weight[<TAB>kind]`` rows, written for
cleanse. Words are folded like the text (see :mod:`.normalise`), so lists are written once in Simplified
Chinese. All words of all labels go into one alternation, longest first, so a document is scanned once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from cleanse.stages.spam.normalise import data_file, fold_chars

LEXICON_LABELS = ("spam", "ad", "chrome", "notice", "credit", "caption", "furniture")
USER_WEIGHT = 1.0
ADVERTORIAL_KINDS = frozenset({"promo", "property"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon word as seen by one label."""

    label: str
    weight: float
    kind: str


class Lexicon:
    """Words by label, matched in one pass over folded text.

    >>> lexicon = Lexicon.default()
    >>> [(m.group(), [e.label for e in lexicon.entries[m.group()]]) for m in lexicon.pattern.finditer("网站首页")]
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
        words = sorted(self.entries, key=lambda w: (-len(w), w))
        self.pattern = regex.compile("|".join(regex.escape(w) for w in words) or r"(?!)")

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon, built once per process."""
        return _default_lexicon()

    def extended(self, extra: Iterable[tuple[str, str]]) -> Lexicon:
        """A new lexicon with the user's ``(label, word)`` pairs added at full weight."""
        rows = [(e.label, word, e.weight, e.kind) for word, entries in self.entries.items() for e in entries]
        rows.extend((label, word, USER_WEIGHT, "user") for label, word in extra)
        return Lexicon(rows)


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


@lru_cache(maxsize=32)
def lexicon_with(extra: tuple[tuple[str, str], ...]) -> Lexicon:
    """The shipped lexicon extended with the user's words (cached per distinct extension)."""
    return _default_lexicon().extended(extra) if extra else _default_lexicon()


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single-character and compound surnames, for recognising standalone name lines."""
    words = [w for line in data_file("surnames.txt").splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)
