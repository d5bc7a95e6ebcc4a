"""Document-level junk signals: measured on every document, reported in its metadata, and used to drop pages
that are junk as a whole.

Repetition is judged on the text folded as the lexicons see it (width, case, Traditional -> Simplified
characters, see ``normalise``), so that converting the script does not change a page's verdict (``clean`` is
idempotent: a page kept in mixed script is not dropped once converted). Measured on the document's lines
without their edge whitespace (``chars``) or on their letters only
(``letters``: Han characters and other letters; n-grams are counted within runs of letters, so digits,
punctuation and spaces break them and a table of figures or dates does not read as one n-gram repeated):

- ``han_share``: share of Han characters; ``mean_line_length``; ``char_entropy`` (bits per letter);
- ``dup_line_chars``: share of characters in lines that occur more than once (Gopher, Rae et al. 2021, App. A:
  "duplicate line character fraction"), and ``dup_junk_chars``, the same for repeated lines that are not prose
  (labelled junk, or without sentence punctuation): an article repeated whole is left to de-duplication;
- ``top_2gram``, ``top_3gram``, ``top_4gram``: share of letters covered by the most frequent n-gram of letters
  (Gopher's "top n-gram character fraction", on characters rather than words: a Han character is the unit
  Chinese pipelines such as ChineseWebText and MAP-CC count in);
- ``junk_line_chars``: share of characters in lines labelled spam, ad, chrome or notice (keyword stuffing and
  pages made of ads).

Used to drop, with Gopher's thresholds (Rae et al. 2021, appendix A; Chinese pipelines such as ChineseWebText and
MAP-CC filter with rules of the same kind, counting characters): characters of repeated non-prose lines above 0.20,
top 2/3/4-gram above 0.20/0.18/0.16, with ``MIN_CHARS`` or more characters (letters for the n-grams; a short text
repeats a name without being junk) and, for the n-grams, the top n-gram seen ``MIN_REPEATS`` times or more (a
short news lead names its topic a few times and covers a large share of its letters with it).
The n-gram rules apply only when Han characters are at least ``HAN_UNIT_SHARE``
of the letters: a Han character is a unit like Gopher's word, but a letter of an alphabet is not, and a page of
Swedish or Armenian names repeats letter 4-grams (``-sson``, ``-յան``) without being junk. Han share, mean line
length, entropy and junk-line characters are reported only: a page in another language or script, a list of short
headlines or a table is not junk for that, and a short article under a large ad block keeps its article once the
junk lines are cut (the stage drops a page left without article text, and one mostly of keyword spam, on its own).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from functools import lru_cache
from types import ModuleType

import numpy as np
import regex

from cleanse.stages.spam._native import native
from cleanse.stages.spam.normalise import LUT_SIZE, code_points, fold_lut, from_code_points, han_mask, han_table

DUP_LINE_CHARS = 0.20
TOP_NGRAM = {2: 0.20, 3: 0.18, 4: 0.16}
MIN_CHARS = 100
"""Repetition rules apply from this many characters on (letters, for the n-gram rules)."""
MIN_REPEATS = 8
"""An n-gram rule also needs its n-gram this many times: a short lead that names its topic five times in 120
characters covers 17% of them with it, while a keyword-stuffed page repeats its keyword far more often."""
HAN_UNIT_SHARE = 0.5
"""The character n-gram rules need at least this share of the letters to be Han (see the module docstring)."""
_SENTENCE_END = regex.compile(r"[。！？!?]")
SOURCE = "Gopher (Rae et al. 2021) repetition rules, on characters"


@dataclass(frozen=True)
class PageSignals:
    """Document-level measurements (see the module docstring)."""

    chars: int
    letters: int
    lines: int
    han_share: float
    mean_line_length: float
    char_entropy: float
    dup_line_chars: float
    dup_junk_chars: float
    top_2gram: float
    top_3gram: float
    top_4gram: float
    junk_line_chars: float

    def to_dict(self) -> dict[str, float]:
        return {name: round(getattr(self, name), 4) for name in _FIELDS}

    def junk_reasons(self) -> list[str]:
        """Why the page is junk as a whole (empty when it is not), each as ``signal value > threshold``."""
        reasons = []
        if self.chars >= MIN_CHARS and self.dup_junk_chars > DUP_LINE_CHARS:
            reasons.append(f"dup_junk_chars {self.dup_junk_chars:.2f} > {DUP_LINE_CHARS}")
        if self.letters >= MIN_CHARS and self.han_share * self.chars >= HAN_UNIT_SHARE * self.letters:
            for n, limit in TOP_NGRAM.items():
                value = getattr(self, f"top_{n}gram")
                if value > limit and value * self.letters / n >= MIN_REPEATS - 0.5:
                    reasons.append(f"top_{n}gram {value:.2f} > {limit}")
        return reasons


_FIELDS = tuple(field.name for field in fields(PageSignals))


@lru_cache(maxsize=1)
def _letter_table() -> np.ndarray:
    """1 for code points below U+30000 that are letters (``str.isalpha``: Han, kana, Hangul, Latin, Cyrillic...),
    0 for the rest; code points past the table count as letters (rare Han extensions)."""
    table = np.fromiter((chr(code).isalpha() for code in range(0x30000)), dtype=np.uint8, count=0x30000)
    table[-1] = 1
    return table


def _top_count(keys: np.ndarray) -> int:
    """How often the most frequent value of ``keys`` occurs (one sort)."""
    ordered = np.sort(keys)
    bounds = np.flatnonzero(ordered[1:] != ordered[:-1])
    if not bounds.size:
        return int(ordered.size)
    return int(max(bounds[0] + 1, ordered.size - 1 - bounds[-1], int(np.diff(bounds).max(initial=0))))


def ngram_stats(codes: np.ndarray, max_n: int = 4) -> tuple[float, list[int]]:
    """The character entropy of ``codes`` in bits, and how often the most frequent n-gram occurs for
    n = 2 .. ``max_n``: one pass per n in the compiled core when it was built, else one sort per n here.

    Code point 0 separates runs: no n-gram holds it and it is not counted for the entropy. Keys here are exact
    for two and three characters (21 bits each) and hashed past that (a collision can only merge two n-grams);
    the compiled core compares n-grams by content. The tests compare both paths."""
    if not codes.any():
        return 0.0, [0] * (max_n - 1)
    if native is not None and codes.dtype == np.uint32 and codes.flags.c_contiguous:
        entropy, *tops = native.ngram_stats(codes, max_n)
        return entropy, tops
    ordered = np.sort(codes[codes != 0])
    bounds = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1], [True])))
    p = np.diff(bounds) / ordered.size
    entropy = float(-(p * np.log2(p)).sum())
    counts = []
    for n in range(2, max_n + 1):
        m = codes.size - n + 1
        if m <= 0:
            counts.append(0)
            continue
        keys = codes[:m].astype(np.int64)
        whole = codes[:m] != 0
        for k in range(1, n):
            following = codes[k : m + k].astype(np.int64)
            whole &= following != 0
            keys = keys * 0x110000 + following if k < 3 else (keys * 1000003) ^ following
        counts.append(_top_count(keys[whole]) if whole.any() else 0)
    return entropy, counts


def _repeated(lines: list[str], sizes: list[int], codes: np.ndarray, folded: np.ndarray) -> list[bool]:
    """Whether each line occurs more than once once folded (``folded``: the code points of the lines'
    concatenation, ``codes`` folded). The fold maps one character to one, so only lines of a length another
    line shares can repeat; only those are compared."""
    same_size = Counter(sizes)
    maybe = [i for i, size in enumerate(sizes) if same_size[size] > 1]
    repeated = [False] * len(lines)
    if not maybe:
        return repeated
    if np.array_equal(codes, folded):
        keys = {i: lines[i] for i in maybe}
    else:
        bounds = np.cumsum([0, *sizes]).tolist()
        keys = {i: from_code_points(folded[bounds[i] : bounds[i + 1]]) for i in maybe}
    counts = Counter(keys.values())
    for i, key in keys.items():
        repeated[i] = counts[key] > 1
    return repeated


def measure(text: str, spans: list[tuple[int, int]], junk: list[bool]) -> PageSignals:
    """The signals of ``text`` whose non-empty lines are ``spans``; ``junk`` marks lines labelled junk.
    Line lengths count the line without its edge whitespace.

    The compiled core, when it was built, measures everything in one pass over the characters (the per-document
    cost of the numpy path is mostly the fixed cost of its array calls); the tests compare both paths."""
    if native is not None:
        return _measure_compiled(native, text, spans, junk)
    return _measure_numpy(text, spans, junk)


def _measure_compiled(core: ModuleType, text: str, spans: list[tuple[int, int]], junk: list[bool]) -> PageSignals:
    chars, han, dup, dup_junk, junk_chars, letters, entropy, top2, top3, top4 = core.page_counts(
        text, spans, junk, fold_lut(), _letter_table(), han_table()
    )
    if not chars:
        return PageSignals(0, 0, len(spans), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    if han < 0:
        han = int(han_mask(code_points("".join(text[start:end].strip() for start, end in spans))).sum())
    letter_count = max(letters, 1)
    return PageSignals(
        chars=chars,
        lines=len(spans),
        han_share=float(han) / chars,
        mean_line_length=chars / len(spans),
        char_entropy=abs(entropy),
        dup_line_chars=dup / chars,
        dup_junk_chars=dup_junk / chars,
        letters=letters,
        top_2gram=min(1.0, top2 * 2 / letter_count),
        top_3gram=min(1.0, top3 * 3 / letter_count),
        top_4gram=min(1.0, top4 * 4 / letter_count),
        junk_line_chars=junk_chars / chars,
    )


def _measure_numpy(text: str, spans: list[tuple[int, int]], junk: list[bool]) -> PageSignals:
    lines = [text[start:end].strip() for start, end in spans]
    sizes = [len(line) for line in lines]
    chars = sum(sizes)
    if not chars:
        return PageSignals(0, 0, len(lines), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    joined = "".join(lines)
    codes = code_points(joined)
    folded = np.where(codes < LUT_SIZE, fold_lut().take(codes, mode="clip"), codes)
    letters = folded * _letter_table().take(folded, mode="clip")
    repeated = _repeated(lines, sizes, codes, folded)
    dup = sum(size for size, again in zip(sizes, repeated, strict=True) if again)
    dup_junk = sum(
        size
        for line, size, again, bad in zip(lines, sizes, repeated, junk, strict=True)
        if again and (bad or _SENTENCE_END.search(line) is None)
    )
    entropy, (top2, top3, top4) = ngram_stats(letters, 4)
    letter_count = max(int(np.count_nonzero(letters)), 1)
    return PageSignals(
        chars=chars,
        lines=len(lines),
        han_share=float(han_mask(codes).sum()) / chars,
        mean_line_length=chars / len(lines),
        char_entropy=abs(entropy),
        dup_line_chars=dup / chars,
        dup_junk_chars=dup_junk / chars,
        letters=int(np.count_nonzero(letters)),
        top_2gram=min(1.0, top2 * 2 / letter_count),
        top_3gram=min(1.0, top3 * 3 / letter_count),
        top_4gram=min(1.0, top4 * 4 / letter_count),
        junk_line_chars=sum(size for size, bad in zip(sizes, junk, strict=True) if bad) / chars,
    )
