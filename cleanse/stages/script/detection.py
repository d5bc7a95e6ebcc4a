"""Tell Simplified from Traditional Chinese by counting characters that exist in only one script.

The evidence comes from OpenCC's own character dictionaries: a character that Traditional-to-Simplified
conversion always changes, and that no conversion can produce as Simplified output, is Traditional-only
(``後``, ``國``); the mirror set is Simplified-only. ``后`` is not one: it is a Traditional candidate
too (皇后), and regional standard forms (Taiwan ``群``, Hong Kong ``台``) count as Traditional.
A numpy lookup array classifies every code point of a text at once, and cumulative sums give the
counts of every paragraph without a Python loop over characters.

Japanese is told apart by positive evidence only: kana, or a Japanese shinjitai form (県, 広, 覚, from
OpenCC's ``JPShinjitaiCharacters.txt``) that no Chinese dictionary of OpenCC uses. Such a line is Japanese,
not Traditional Chinese, and is never converted. Kanji-only Japanese (a name such as 山田 真綾) carries no
such evidence and cannot be told from Traditional Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from cleanse.stages.script.dictionaries import load_candidates, read_data_file

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"
MIXED = "mixed"
NONE = "none"
LABELS = (SIMPLIFIED, TRADITIONAL, MIXED, NONE)
"""Every label; a label's position is its code in :attr:`ParagraphCounts.label_codes`."""

MIXED_SHARE = 0.05
"""A paragraph is mixed when the minority script holds at least this share of the evidence..."""
MIXED_MINIMUM = 2
"""...and at least this many characters (one stray character is a quotation or a name, not a mix)."""

_OTHER, _HAN, _TRADITIONAL_ONLY, _SIMPLIFIED_ONLY, _JAPANESE_ONLY, _KANA = 0, 1, 2, 3, 4, 5
_KANA_RANGES = (
    (0x3041, 0x3096),  # hiragana letters (not the shared marks U+3099-309C)
    (0x309D, 0x309F),
    (0x30A1, 0x30FA),  # katakana letters (not U+30FB ・ nor U+30FC ー, used in Chinese text too)
    (0x30FD, 0x30FF),
    (0x31F0, 0x31FF),
    (0xFF66, 0xFF6F),  # halfwidth katakana (not the halfwidth prolonged sound mark)
    (0xFF71, 0xFF9D),
)
_CHINESE_PHRASE_FILES = (
    "STPhrases.txt",
    "TSPhrases.txt",
    "TWPhrases.txt",
    "HKPhrases.txt",
    "TWVariantsPhrases.txt",
    "HKVariantsPhrases.txt",
)
_CHINESE_CHARACTER_FILES = (
    "TSCharacters.txt",
    "STCharacters.txt",
    "TWVariants.txt",
    "HKVariants.txt",
    "TWVariantsRev.txt",
    "HKVariantsRev.txt",
)
_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)


class ScriptVerdict(str):
    """A script label that compares equal to its string, carrying the evidence counts.

    >>> verdict = detect_script("這是繁體中文")
    >>> verdict == "traditional", verdict.label, verdict.traditional, verdict.simplified
    (True, 'traditional', 2, 0)
    >>> detect_script("Hello, world") == "none"
    True
    """

    label: str
    han: int
    traditional: int
    simplified: int

    def __new__(cls, label: str, han: int = 0, traditional: int = 0, simplified: int = 0) -> ScriptVerdict:
        if label not in LABELS:
            raise ValueError(f"script label must be one of {LABELS}, got {label!r}")
        verdict = super().__new__(cls, label)
        verdict.label = label
        verdict.han = han
        verdict.traditional = traditional
        verdict.simplified = simplified
        return verdict

    def __repr__(self) -> str:
        return (
            f"ScriptVerdict({self.label!r}, han={self.han}, traditional={self.traditional}, "
            f"simplified={self.simplified})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (ScriptVerdict, (self.label, self.han, self.traditional, self.simplified))

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "han": self.han, "traditional": self.traditional, "simplified": self.simplified}


@dataclass(frozen=True, slots=True)
class ParagraphCounts:
    """Evidence for each line of a text: spans and counts as parallel arrays."""

    starts: np.ndarray
    ends: np.ndarray
    han: np.ndarray
    traditional: np.ndarray
    simplified: np.ndarray
    label_codes: np.ndarray
    japanese: np.ndarray
    """Per line, kana and Japanese-only character forms: positive evidence that the line is Japanese."""

    @property
    def labels(self) -> list[str]:
        """The label of every line."""
        return [LABELS[code] for code in self.label_codes.tolist()]

    def lines_labelled(self, *labels: str) -> np.ndarray:
        """Indices of the lines whose label is one of ``labels``."""
        wanted = np.zeros(len(LABELS), dtype=bool)
        wanted[[LABELS.index(label) for label in labels]] = True
        return np.flatnonzero(wanted[self.label_codes])

    def verdict(self, index: int) -> ScriptVerdict:
        han, traditional, simplified = int(self.han[index]), int(self.traditional[index]), int(self.simplified[index])
        return ScriptVerdict(LABELS[int(self.label_codes[index])], han, traditional, simplified)


def label_for(han: int, traditional: int, simplified: int) -> str:
    """The label the counts support; Han text without evidence reads the same in both scripts.

    Such text is reported as Simplified: converting it to Simplified changes nothing at the character
    level, and the stage still converts it when the target is Traditional.
    """
    if han == 0:
        return NONE
    minority = min(traditional, simplified)
    if minority >= MIXED_MINIMUM and minority >= MIXED_SHARE * (traditional + simplified):
        return MIXED
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    to_simplified = load_candidates("TSCharacters.txt")
    to_traditional = load_candidates("STCharacters.txt")
    valid_simplified = {value for values in to_simplified.values() for value in values}
    valid_traditional = {value for values in to_traditional.values() for value in values}
    for regional in ("TWVariants.txt", "HKVariants.txt"):
        valid_traditional.update(value for values in load_candidates(regional).values() for value in values)
    traditional_only = {key for key, values in to_simplified.items() if key not in values} - valid_simplified
    traditional_only -= _simplified_only_beyond_bmp(to_simplified)
    simplified_only = {key for key, values in to_traditional.items() if key not in values} - valid_traditional
    classes = np.zeros(0x110000, dtype=np.uint8)  # every code point, so lookups need no bounds check
    for low, high in _HAN_RANGES:
        classes[low : high + 1] = _HAN
    classes[[ord(c) for c in traditional_only - simplified_only]] = _TRADITIONAL_ONLY
    classes[[ord(c) for c in simplified_only - traditional_only]] = _SIMPLIFIED_ONLY
    classes[[ord(c) for c in japanese_only_forms()]] = _JAPANESE_ONLY
    for low, high in _KANA_RANGES:
        classes[low : high + 1] = _KANA
    return classes


def _simplified_only_beyond_bmp(to_simplified: dict[str, tuple[str, ...]]) -> set[str]:
    """Characters (暐, 頔) whose every Simplified form lies beyond the BMP (𬀩, 𬱖, CJK Extension E, 2015).

    Simplified text keeps writing them as they are, notably in names, since few fonts show the new forms; so
    they are no evidence that a line is Traditional. A line converted on other evidence still converts them.
    """
    return {
        key
        for key, values in to_simplified.items()
        if len(key) == 1 and ord(key) < 0x10000 and all(ord(value[0]) >= 0x10000 for value in values)
    }


@lru_cache(maxsize=1)
def japanese_only_forms() -> frozenset[str]:
    """Japanese shinjitai forms (県, 広, 覚) that no Chinese character or phrase dictionary of OpenCC holds.

    A form Chinese also writes (研, 予, 概, 欠) occurs in those dictionaries and is not evidence.
    """
    chinese = chinese_dictionary_characters()
    shinjitai = load_candidates("JPShinjitaiCharacters.txt")
    return (
        frozenset(form for form, traditional in shinjitai.items() if len(form) == 1 and form not in traditional)
        - chinese
    )


def chinese_dictionary_characters() -> set[str]:
    """Every character of every key and candidate in OpenCC's Chinese dictionaries (plus the separators).

    Read as whole files with comment lines removed: a set over the text runs at C speed, where parsing
    every entry of the phrase files took most of the stage's start-up.
    """
    characters: set[str] = set()
    for name in _CHINESE_CHARACTER_FILES + _CHINESE_PHRASE_FILES:
        characters.update(_COMMENT_LINE.sub("", read_data_file(name)))
    return characters


_COMMENT_LINE = re.compile(r"^#.*$", re.MULTILINE)


_FIELD_BITS = 21
_FIELD_MASK = (1 << _FIELD_BITS) - 1


_PACKED = np.array([0, 1, 1 + (1 << _FIELD_BITS), 1 + (1 << 2 * _FIELD_BITS), 1, 0], dtype=np.int64)
"""Per class, the three counts (Han, Traditional-only, Simplified-only) packed into one integer:
summing packed weights counts all three at once; each field holds up to 2**21 - 1 characters."""


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _han_mask(classes: np.ndarray) -> np.ndarray:
    return (classes != _OTHER) & (classes != _KANA)


def _code_classes(text: str) -> np.ndarray:
    return _classes()[_codes(text)]


def paragraph_counts(text: str) -> ParagraphCounts:
    """Counts for every line of ``text`` (split on ``\\n``), computed in one vectorised pass."""
    if not isinstance(text, str):
        raise TypeError(f"script detection takes str, not {type(text).__name__}")
    codes = _codes(text)
    newlines = np.flatnonzero(codes == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(codes)]))
    classes = _classes()[codes]
    if len(codes) <= _FIELD_MASK:
        # Each line's sum runs to the next line's start; the line break between them weighs nothing.
        filled = starts[starts < len(codes)]
        packed = np.zeros(len(starts), dtype=np.int64)
        if len(filled):
            packed[: len(filled)] = np.add.reduceat(_PACKED[classes], filled)
        han = packed & _FIELD_MASK
        traditional = (packed >> _FIELD_BITS) & _FIELD_MASK
        simplified = packed >> 2 * _FIELD_BITS
    else:
        counts = []
        for hits in (_han_mask(classes), classes == _TRADITIONAL_ONLY, classes == _SIMPLIFIED_ONLY):
            cumulative = np.concatenate(([0], np.cumsum(hits, dtype=np.int64)))
            counts.append(cumulative[ends] - cumulative[starts])
        han, traditional, simplified = counts
    japanese = _japanese_counts(classes, starts, ends)
    labels = _label_codes(han, traditional, simplified)
    return ParagraphCounts(starts, ends, han, traditional, simplified, labels, japanese)


def _japanese_counts(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Kana and Japanese-only forms per line; one comparison when the text has none (the usual case)."""
    hits = classes >= _JAPANESE_ONLY
    if not hits.any():
        return np.zeros(len(starts), dtype=np.int64)
    cumulative = np.concatenate(([0], np.cumsum(hits, dtype=np.int64)))
    return cumulative[ends] - cumulative[starts]


def _label_codes(han: np.ndarray, traditional: np.ndarray, simplified: np.ndarray) -> np.ndarray:
    """:func:`label_for` over arrays of counts, as indices into :data:`LABELS`."""
    minority = np.minimum(traditional, simplified)
    mixed = (minority >= MIXED_MINIMUM) & (minority >= MIXED_SHARE * (traditional + simplified))
    codes = np.where(traditional > simplified, 1, 0)
    codes = np.where(mixed, 2, codes)
    return np.where(han == 0, 3, codes).astype(np.uint8)


def detect_script(text: str) -> ScriptVerdict:
    """Label ``text`` as "simplified", "traditional", "mixed" or "none" (no Han characters).

    The result is a ``str`` equal to its label with the counts as attributes: ``han`` (Han
    characters), ``traditional`` and ``simplified`` (characters found only in that script).

    >>> detect_script("后来发展了")
    ScriptVerdict('simplified', han=5, traditional=0, simplified=2)
    """
    if not isinstance(text, str):
        raise TypeError(f"detect_script() takes str, not {type(text).__name__}")
    if text.isascii():
        return ScriptVerdict(NONE)
    classes = _code_classes(text)
    han = int(np.count_nonzero(_han_mask(classes)))
    traditional = int(np.count_nonzero(classes == _TRADITIONAL_ONLY))
    simplified = int(np.count_nonzero(classes == _SIMPLIFIED_ONLY))
    return ScriptVerdict(label_for(han, traditional, simplified), han, traditional, simplified)
