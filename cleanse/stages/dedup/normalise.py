"""Normalisation before hashing, so trivial differences do not hide a reprint.

A unit is folded to one script (Traditional characters to Simplified), one width (fullwidth ASCII
to ASCII) and lower case; punctuation, symbols, whitespace and control characters are removed. A
Traditional copy, a copy with ASCII punctuation and a copy with other line breaks all normalise to
the same string as their original.

Text that is mostly Latin letters or digits (Han characters fewer than half of what is left) is
kept as words joined by one space, so it can be shingled by words; each Han character is a word.

The fold is one lookup table over code points applied with numpy to a whole batch of units (no
per-character Python loop). Its script part is the Traditional to Simplified character dictionary
of OpenCC (first candidate). Both sides of a comparison go through the same table, so it only has
to be consistent, not a perfect phrase-level conversion; ``script_fold="phrases"`` first converts
with :func:`cleanse.to_simplified` (OpenCC's phrase-level t2s until the script stage is real),
which is much slower and rarely changes a verdict.

>>> normalise_unit("「網站」首頁，第Ｂ版！")
NormalisedUnit(text='网站首页第b版', words=False)
>>> normalise_unit("Hello, World -- 2024 edition")
NormalisedUnit(text='hello world 2024 edition', words=True)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import regex

ScriptFold = Literal["characters", "phrases", "none"]
SCRIPT_FOLDS: tuple[str, ...] = ("characters", "phrases", "none")
REMOVED = 0  # the fold table maps removed characters to code point 0 (NUL itself is removed too)
SPACE = 0x20
_BMP = 0x10000
_HAN = regex.compile(r"\p{Han}")
_WORD = regex.compile(r"\p{Han}|[^\p{Han} ]+")


class NormalisedUnit(NamedTuple):
    """The normalised text of a unit and whether it is shingled by words (mostly Latin/digits)."""

    text: str
    words: bool


@dataclass(frozen=True)
class NormalisedBatch:
    """Normalised code points of many units, concatenated; unit ``i`` has ``lengths[i]`` of them."""

    codes: np.ndarray  # uint32
    lengths: np.ndarray  # int64
    words: np.ndarray  # bool, True for units shingled by words (their codes hold words joined by spaces)

    @property
    def units(self) -> int:
        return len(self.lengths)

    def unit(self, index: int) -> NormalisedUnit:
        start = int(self.lengths[:index].sum())
        codes = self.codes[start : start + int(self.lengths[index])]
        return NormalisedUnit(codes.astype("<u4").tobytes().decode("utf-32-le"), bool(self.words[index]))


def _is_removed(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PSZ" or category in ("Cc", "Cf") or char.isspace()


def _fold_char(char: str, script: dict[str, str]) -> str:
    char = script.get(char, char)
    if 0xFF01 <= ord(char) <= 0xFF5E:
        char = chr(ord(char) - 0xFEE0)
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _opencc_characters() -> dict[str, str]:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc-python-reimplemented is a dependency
        return {}
    path = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        first = targets.split()[0] if targets.split() else ""
        if len(source) == 1 and len(first) == 1:
            table[source] = first
    return table


@lru_cache(maxsize=2)
def _tables(fold_script: bool) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """(fold table over the BMP, Han flags over the BMP, script dictionary) built once per process."""
    script = _opencc_characters() if fold_script else {}
    fold = np.arange(_BMP, dtype=np.uint32)
    han = np.zeros(_BMP, dtype=bool)
    for code in range(_BMP):
        char = chr(code)
        if _is_removed(char):
            fold[code] = REMOVED
            continue
        folded = _fold_char(char, script)
        fold[code] = ord(folded)
        han[code] = _HAN.match(char) is not None
    return fold, han, script


def _fold_codes(codes: np.ndarray, fold_script: bool) -> tuple[np.ndarray, np.ndarray]:
    """Folded code points (0 where removed) and Han flags, for BMP and astral code points alike."""
    fold, han, script = _tables(fold_script)
    bmp = codes < _BMP
    if bmp.all():
        return fold[codes], han[codes]
    folded = fold[np.where(bmp, codes, 0)]
    is_han = han[np.where(bmp, codes, 0)]
    astral = np.unique(codes[~bmp])
    chars = [chr(int(c)) for c in astral]
    mapped = np.array([REMOVED if _is_removed(c) else ord(_fold_char(c, script)) for c in chars], dtype=np.uint32)
    astral_han = np.array([_HAN.match(c) is not None for c in chars], dtype=bool)
    where = np.searchsorted(astral, codes[~bmp])
    folded[~bmp] = mapped[where]
    is_han[~bmp] = astral_han[where]
    return folded, is_han


@lru_cache(maxsize=1)
def _phrase_converter() -> Callable[[str], str]:
    """``cleanse.to_simplified`` once the script stage provides it, else OpenCC's t2s (phrase level)."""
    from cleanse.stages import script

    converter = getattr(script, "to_simplified", None)
    if callable(converter):
        return converter  # type: ignore[no-any-return]
    import opencc

    return opencc.OpenCC("t2s").convert  # type: ignore[no-any-return]


def normalise_batch(texts: Sequence[str], script_fold: ScriptFold = "characters") -> NormalisedBatch:
    """Normalise many units at once (see the module docstring); the hot path of signature computation."""
    check_script_fold(script_fold)
    if script_fold == "phrases":
        convert = _phrase_converter()
        texts = [convert(t) for t in texts]
    raw_lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    folded, is_han = _fold_codes(codes, script_fold != "none")
    kept = folded != REMOVED
    bounds = np.concatenate(([0], np.cumsum(raw_lengths)))
    kept_prefix = np.concatenate(([0], np.cumsum(kept)))
    han_prefix = np.concatenate(([0], np.cumsum(is_han & kept)))
    lengths = kept_prefix[bounds[1:]] - kept_prefix[bounds[:-1]]
    han_counts = han_prefix[bounds[1:]] - han_prefix[bounds[:-1]]
    words = han_counts * 2 < lengths
    if not words.any():
        return NormalisedBatch(folded[kept], lengths.astype(np.int64), words)
    return _with_word_units(texts, folded, kept, bounds, lengths, words)


def _with_word_units(
    texts: Sequence[str],
    folded: np.ndarray,
    kept: np.ndarray,
    bounds: np.ndarray,
    lengths: np.ndarray,
    words: np.ndarray,
) -> NormalisedBatch:
    """Assemble the batch when some units are shingled by words (only those units loop in Python)."""
    word_units = np.flatnonzero(words)
    pieces = {}
    for index in word_units.tolist():
        lo, hi = int(bounds[index]), int(bounds[index + 1])
        spaced = np.where(kept[lo:hi], folded[lo:hi], SPACE).astype("<u4").tobytes().decode("utf-32-le")
        pieces[index] = np.frombuffer(" ".join(_WORD.findall(spaced)).encode("utf-32-le"), dtype=np.uint32)
        lengths[index] = len(pieces[index])
    in_char_unit = np.repeat(~words, np.diff(bounds))
    out = np.empty(int(lengths.sum()), dtype=np.uint32)
    out[np.repeat(~words, lengths)] = folded[kept & in_char_unit]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    for index, piece in pieces.items():
        out[starts[index] : starts[index] + len(piece)] = piece
    return NormalisedBatch(out, lengths.astype(np.int64), words)


def normalise_unit(text: str, script_fold: ScriptFold = "characters") -> NormalisedUnit:
    """Normalise one unit (paragraph, sentence or document); the same table as :func:`normalise_batch`."""
    return normalise_batch([text], script_fold).unit(0)


def check_script_fold(value: str) -> None:
    """Raise ``ValueError`` naming the value unless it is one of :data:`SCRIPT_FOLDS`."""
    if value not in SCRIPT_FOLDS:
        raise ValueError(f"script_fold must be one of {', '.join(SCRIPT_FOLDS)}, got {value!r}")
