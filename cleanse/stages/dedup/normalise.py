"""Normalisation before hashing, so trivial differences do not hide a reprint.

A unit is folded to one script (Traditional characters to Simplified), one width (fullwidth ASCII
to ASCII) and lower case; punctuation, symbols, whitespace and control characters are removed. A
Traditional copy, a copy with ASCII punctuation and a copy with other line breaks all normalise to
the same string as their original.

Text that is mostly Latin letters or digits (Han characters fewer than half of what is left) is
kept as words joined by one space, so it can be shingled by words; each Han character is a word.

The fold is one lookup table over code points applied with numpy to a whole batch of units (no
per-character Python loop), shipped as ``cleanse/data/dedup/fold_table.npz`` (see its SOURCES.md) so
signatures do not change with the Python version's Unicode database; nothing is read from OpenCC at
run time. Its script part is OpenCC's Traditional to Simplified character dictionary (first
candidate), taken when the table was built. Both sides of a comparison go through the same table, so
it only has to be consistent, not a perfect phrase-level conversion; ``script_fold="phrases"`` first
converts with the script stage's :func:`cleanse.stages.script.to_simplified` (OpenCC 1.4.2 phrase
dictionaries, Taiwan standard by default), which is much slower.

>>> normalise_unit("「網站」首頁，第Ｂ版！")
NormalisedUnit(text='网站首页第b版', words=False)
>>> normalise_unit("Hello, World -- 2024 edition")
NormalisedUnit(text='hello world 2024 edition', words=True)
"""

from __future__ import annotations

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
LAST_CODE = 0x110000
FOLD_TABLE = Path(__file__).resolve().parents[2] / "data" / "dedup" / "fold_table.npz"
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
        return NormalisedUnit(decode_codes(codes), bool(self.words[index]))


def encode_codes(text: str) -> np.ndarray:
    """The code points of ``text`` as uint32 (lone surrogates kept as they are, never an error)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def decode_codes(codes: np.ndarray) -> str:
    """The inverse of :func:`encode_codes`."""
    return np.asarray(codes, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=2)
def _tables(fold_script: bool) -> tuple[np.ndarray, np.ndarray]:
    """(fold table, Han flags) over all code points, from the shipped ``fold_table.npz``.

    Without the script fold, Han characters keep their code point (width, case and removal still apply).
    """
    with np.load(FOLD_TABLE, allow_pickle=False) as data:
        sources, targets = data["sources"], data["targets"]
        han_starts, han_ends = data["han_starts"], data["han_ends"]
    fold = np.arange(LAST_CODE, dtype=np.uint32)
    fold[sources] = targets
    han = np.zeros(LAST_CODE, dtype=bool)
    for start, end in zip(han_starts.tolist(), han_ends.tolist(), strict=True):
        han[start:end] = True
    if not fold_script:
        folded_han = han[sources] & (targets != REMOVED)
        fold[sources[folded_han]] = sources[folded_han]
    return fold, han


def _fold_codes(codes: np.ndarray, fold_script: bool) -> tuple[np.ndarray, np.ndarray]:
    """Folded code points (0 where removed) and Han flags."""
    fold, han = _tables(fold_script)
    return fold[codes], han[codes]


def _phrase_converter() -> Callable[[str], str]:
    """The script stage's phrase-level Traditional-to-Simplified conversion."""
    from cleanse.stages.script import to_simplified

    return to_simplified


def normalise_batch(texts: Sequence[str], script_fold: ScriptFold = "characters") -> NormalisedBatch:
    """Normalise many units at once (see the module docstring); the hot path of signature computation."""
    check_script_fold(script_fold)
    if script_fold == "phrases":
        convert = _phrase_converter()
        texts = [convert(t) for t in texts]
    raw_lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    codes = encode_codes("".join(texts))
    folded, is_han = _fold_codes(codes, script_fold != "none")
    kept = folded != REMOVED
    bounds = np.concatenate(([0], np.cumsum(raw_lengths)))
    counter = np.int32 if len(kept) < 2**31 - 1 else np.int64  # a bool cumsum into int64 is ~10x slower
    kept_prefix = np.concatenate(([0], np.cumsum(kept, dtype=counter))).astype(np.int64)
    han_prefix = np.concatenate(([0], np.cumsum(is_han & kept, dtype=counter)))
    lengths = kept_prefix[bounds[1:]] - kept_prefix[bounds[:-1]]
    han_counts = han_prefix[bounds[1:]].astype(np.int64) - han_prefix[bounds[:-1]]
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
        spaced = decode_codes(np.where(kept[lo:hi], folded[lo:hi], SPACE))
        pieces[index] = encode_codes(" ".join(_WORD.findall(spaced)))
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
