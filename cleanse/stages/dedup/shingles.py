"""Shingles as 32-bit hashes, computed for a whole batch of units at once.

Han text is shingled by character n-grams, mostly-Latin text by word n-grams. A unit shorter
than one shingle is a single shingle of its whole text, so two different short units still get
different signatures (not one shared empty signature). A unit that normalises to nothing has no
shingles.

Every shingle is a span of the concatenated normalised text, and its hash is a polynomial hash
of the span's code points modulo 2**64, folded to 32 bits. The polynomial is evaluated for all
spans together from one prefix sum (the code points weighted by inverse powers of the odd base),
so there is no per-character Python loop. :func:`shingle_hash` computes the same value for one
shingle string, which makes it a ``hashfunc`` for ``datasketch.MinHash``.

>>> batch = shingle_batch(["abcdef", "ab"], ngram=5)
>>> [len(batch.unit(i)) for i in range(batch.units)]
[2, 1]
>>> int(batch.unit(0)[0]) == shingle_hash("abcde")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.normalise import SPACE, NormalisedBatch, NormalisedUnit, encode_codes

BASE = 0x100000001B3  # odd, so it is invertible modulo 2**64
UNIT_BASE = 0x9E3779B97F4A7C15  # a second odd base: whole-unit hashes are two 32-bit hashes side by side
_MASK64 = (1 << 64) - 1
_POWER_BLOCK = 1 << 16


def shingle_hash(shingle: str | bytes, base: int = BASE) -> int:
    """The 32-bit hash of one shingle string (bytes are read as UTF-8); matches :func:`shingle_batch`.

    >>> shingle_hash("党建引领") == shingle_hash("党建引领".encode("utf-8"))
    True
    """
    text = shingle.decode("utf-8") if isinstance(shingle, (bytes, bytearray)) else shingle
    value = 0
    for char in text:
        value = (value * base + ord(char)) & _MASK64
    return (value ^ (value >> 32)) & 0xFFFFFFFF


def shingle_strings(unit: NormalisedUnit | str, ngram: int = 5, word_ngram: int = 3) -> list[str]:
    """The shingles of one normalised unit as strings (for tests, datasketch and explanations).

    >>> shingle_strings("abcdef", ngram=5)
    ['abcde', 'bcdef']
    >>> shingle_strings(NormalisedUnit("to be or not", True), word_ngram=3)
    ['to be or', 'be or not']
    """
    unit = unit if isinstance(unit, NormalisedUnit) else NormalisedUnit(unit, False)
    if not unit.text:
        return []
    if unit.words:
        words = unit.text.split(" ")
        if len(words) <= word_ngram:
            return [unit.text]
        return [" ".join(words[i : i + word_ngram]) for i in range(len(words) - word_ngram + 1)]
    if len(unit.text) <= ngram:
        return [unit.text]
    return [unit.text[i : i + ngram] for i in range(len(unit.text) - ngram + 1)]


@dataclass(frozen=True)
class ShingleBatch:
    """The shingle hashes of many units: unit ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``.

    ``unit_hashes`` holds one 64-bit hash of each whole normalised unit (plus its length), the key
    of the exact fast path: identical units have identical unit hashes.
    """

    hashes: np.ndarray  # uint32, concatenated per unit
    offsets: np.ndarray  # int64, length units + 1
    unit_hashes: np.ndarray  # uint64, one per unit
    lengths: np.ndarray  # int64, normalised length of each unit in code points

    @property
    def units(self) -> int:
        return len(self.offsets) - 1

    def unit(self, index: int) -> np.ndarray:
        return self.hashes[self.offsets[index] : self.offsets[index + 1]]

    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)


@lru_cache(maxsize=8)
def _powers(base: int, size: int) -> np.ndarray:
    """``base ** k mod 2**64`` for k < size, as uint64 (computed by doubling blocks, no Python loop per k)."""
    powers = np.empty(size, dtype=np.uint64)
    powers[0] = 1
    filled = 1
    with np.errstate(over="ignore"):
        while filled < size:
            step = min(filled, size - filled)
            factor = np.uint64(pow(base, filled, 1 << 64))
            powers[filled : filled + step] = powers[:step] * factor
            filled += step
    return powers


def _power_table(base: int, size: int) -> np.ndarray:
    rounded = max(_POWER_BLOCK, 1 << (max(size, 1) - 1).bit_length())
    return _powers(base, rounded)[:size]


def _char_spans(lengths: np.ndarray, starts: np.ndarray, ngram: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    counts = np.where(lengths >= ngram, lengths - ngram + 1, np.minimum(lengths, 1))
    unit_of = np.repeat(np.arange(len(lengths)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    span_starts = np.repeat(starts, counts) + (np.arange(int(counts.sum())) - first)
    span_ends = span_starts + np.repeat(np.minimum(lengths, ngram), counts)
    return span_starts, span_ends, unit_of


def shingle_batch(units: Sequence[NormalisedUnit | str], ngram: int = 5, word_ngram: int = 3) -> ShingleBatch:
    """Hash the shingles of already normalised units (plain strings are Han-mode units)."""
    normal = [u if isinstance(u, NormalisedUnit) else NormalisedUnit(u, False) for u in units]
    codes = encode_codes("".join(u.text for u in normal))
    lengths = np.fromiter((len(u.text) for u in normal), dtype=np.int64, count=len(normal))
    words = np.fromiter((u.words for u in normal), dtype=bool, count=len(normal))
    return hash_shingles(NormalisedBatch(codes, lengths, words), ngram, word_ngram)


def hash_shingles(batch: NormalisedBatch, ngram: int = 5, word_ngram: int = 3) -> ShingleBatch:
    """Hash the shingles of every unit of a normalised batch (the per-unit map step, vectorised)."""
    if ngram < 1 or word_ngram < 1:
        raise ValueError(f"ngram and word_ngram must be at least 1, got {ngram} and {word_ngram}")
    lengths = np.ascontiguousarray(batch.lengths, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64) if len(lengths) else lengths
    codes = np.ascontiguousarray(batch.codes, dtype=np.uint32)
    if native is not None:
        out = np.empty(int(lengths.sum()), dtype=np.uint32)
        counts = np.empty(len(lengths), dtype=np.int64)
        words = np.ascontiguousarray(batch.words, dtype=np.uint8)
        native.shingle_hashes(codes, lengths, words, out, counts, ngram, word_ngram, BASE)
        hashes = out[: int(counts.sum())]
    else:
        hashes, counts = numpy_shingle_hashes(batch, starts, ngram, word_ngram)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    unit_hashes = (span_hashes(codes, starts, starts + lengths, BASE).astype(np.uint64) << np.uint64(32)) | (
        span_hashes(codes, starts, starts + lengths, UNIT_BASE).astype(np.uint64)
    )
    return ShingleBatch(hashes, offsets, unit_hashes ^ lengths.astype(np.uint64), lengths)


def numpy_shingle_hashes(
    batch: NormalisedBatch, starts: np.ndarray, ngram: int, word_ngram: int
) -> tuple[np.ndarray, np.ndarray]:
    """The numpy path of :func:`hash_shingles`: spans of every shingle, then their hashes (and counts)."""
    lengths = batch.lengths.astype(np.int64)
    span_starts, span_ends, unit_of = _char_spans(np.where(batch.words, 0, lengths), starts, ngram)
    if batch.words.any():
        word_starts, word_ends, word_unit_of = _word_spans(batch, starts, lengths, word_ngram)
        unit_of = np.concatenate((unit_of, word_unit_of))
        order = np.argsort(unit_of, kind="stable")
        unit_of = unit_of[order]
        span_starts = np.concatenate((span_starts, word_starts))[order]
        span_ends = np.concatenate((span_ends, word_ends))[order]
    hashes = numpy_span_hashes(batch.codes, span_starts, span_ends, BASE)
    return hashes, np.bincount(unit_of, minlength=len(lengths)).astype(np.int64)


def _word_spans(
    batch: NormalisedBatch, starts: np.ndarray, lengths: np.ndarray, word_ngram: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spans of ``word_ngram`` consecutive words in every word unit, all units at once."""
    codes = batch.codes
    is_word = np.repeat(batch.words, lengths) & (codes != SPACE)
    unit_start = np.zeros(len(codes) + 1, dtype=bool)
    unit_start[starts[lengths > 0]] = True
    unit_start[len(codes)] = True
    previous_space = np.concatenate(([True], codes[:-1] == SPACE)) | unit_start[:-1]
    next_space = np.concatenate((codes[1:] == SPACE, [True])) | unit_start[1:]
    token_starts = np.flatnonzero(is_word & previous_space)
    token_ends = np.flatnonzero(is_word & next_space) + 1
    token_unit = np.searchsorted(starts, token_starts, side="right") - 1
    per_unit = np.bincount(token_unit, minlength=len(lengths))
    counts = np.where(per_unit >= word_ngram, per_unit - word_ngram + 1, np.minimum(per_unit, 1))
    first_token = np.concatenate(([0], np.cumsum(per_unit)[:-1]))
    unit_of = np.repeat(np.arange(len(lengths)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    first = np.repeat(first_token, counts) + within
    last = first + np.repeat(np.minimum(per_unit, word_ngram), counts) - 1
    return token_starts[first], token_ends[last], unit_of


def span_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int = BASE) -> np.ndarray:
    """The 32-bit hash of each span ``codes[start:end]`` (as :func:`shingle_hash` with ``base``).

    The compiled core loops over the spans; the numpy path evaluates every polynomial at once from one
    prefix sum of the code points weighted by inverse powers of the (odd) base.
    """
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    ends = np.ascontiguousarray(ends, dtype=np.int64)
    if native is not None:
        out = np.empty(len(starts), dtype=np.uint32)
        native.span_hashes(np.ascontiguousarray(codes, dtype=np.uint32), starts, ends, out, base)
        return out
    return numpy_span_hashes(codes, starts, ends, base)


def numpy_span_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int = BASE) -> np.ndarray:
    """The numpy path of :func:`span_hashes` (kept, and tested equal to the compiled one)."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint32)
    inverse = pow(base, -1, 1 << 64)
    with np.errstate(over="ignore"):
        weighted = codes.astype(np.uint64) * _power_table(inverse, len(codes))
        prefix = np.empty(len(codes) + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(weighted, out=prefix[1:])
        powers = _power_table(base, int(max(int(ends.max()), 1)))
        values = (prefix[ends] - prefix[starts]) * powers[np.maximum(ends - 1, 0)]
    return (values ^ (values >> np.uint64(32))).astype(np.uint32)
