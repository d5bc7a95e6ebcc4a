"""Document-level junk signals: measured on every document, reported in its metadata, and used to drop pages
that are junk as a whole.

Measured (on the non-space characters of the document's lines):

- ``han_share``: share of Han characters; ``mean_line_length``; ``char_entropy`` (bits per character);
- ``dup_line_chars``: share of characters in lines that occur more than once (Gopher, Rae et al. 2021, App. A:
  "duplicate line character fraction");
- ``top_2gram``, ``top_3gram``, ``top_4gram``: share of characters covered by the most frequent character
  n-gram (Gopher's "top n-gram character fraction", on characters rather than words: a Han character is the
  unit Chinese pipelines such as ChineseWebText and MAP-CC count in);
- ``junk_line_chars``: share of characters in lines labelled spam, ad, chrome or notice (keyword stuffing and
  pages made of ads).

Used to drop (thresholds from Gopher's repetition rules, which ChineseWebText and MAP-CC adopt for Chinese):
duplicated-line characters above 0.20, top 2/3/4-gram above 0.20/0.18/0.16, with ``MIN_CHARS`` or more
characters (a short text repeats a name without being junk); and junk-line characters at or above 0.8.
Han share, mean line length and entropy are reported only: a page in another language or script, a list of
short headlines or a table is not junk for that, and the stage keeps text on doubt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from cleanse.stages.spam.normalise import code_points, han_mask

DUP_LINE_CHARS = 0.20
TOP_NGRAM = {2: 0.20, 3: 0.18, 4: 0.16}
JUNK_LINE_CHARS = 0.8
MIN_CHARS = 100
"""Repetition rules apply from this many non-space characters on."""
SOURCE = "Gopher (Rae et al. 2021) repetition rules, on characters"


@dataclass(frozen=True)
class PageSignals:
    """Document-level measurements (see the module docstring); ``chars`` counts non-space characters."""

    chars: int
    lines: int
    han_share: float
    mean_line_length: float
    char_entropy: float
    dup_line_chars: float
    top_2gram: float
    top_3gram: float
    top_4gram: float
    junk_line_chars: float

    def to_dict(self) -> dict[str, float]:
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in asdict(self).items()}

    def junk_reasons(self) -> list[str]:
        """Why the page is junk as a whole (empty when it is not), each as ``signal value > threshold``."""
        reasons = []
        if self.junk_line_chars >= JUNK_LINE_CHARS:
            reasons.append(f"junk_line_chars {self.junk_line_chars:.2f} >= {JUNK_LINE_CHARS}")
        if self.chars >= MIN_CHARS:
            if self.dup_line_chars > DUP_LINE_CHARS:
                reasons.append(f"dup_line_chars {self.dup_line_chars:.2f} > {DUP_LINE_CHARS}")
            for n, limit in TOP_NGRAM.items():
                value = getattr(self, f"top_{n}gram")
                if value > limit:
                    reasons.append(f"top_{n}gram {value:.2f} > {limit}")
        return reasons


def _top_ngram_share(codes: np.ndarray, n: int) -> float:
    """Share of characters covered by the most frequent n-gram (occurrences times n over all characters).

    Keys are exact for two and three characters (21 bits each) and hashed past that (collisions are rare and
    can only raise the share by merging two n-grams)."""
    m = codes.size - n + 1
    if m <= 0:
        return 0.0
    keys = codes[:m].astype(np.int64)
    for k in range(1, n):
        following = codes[k : m + k].astype(np.int64)
        keys = keys * 0x110000 + following if k < 3 else (keys * 1000003) ^ following
    ordered = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    top = int(np.diff(np.append(starts, ordered.size)).max())
    return min(1.0, top * n / codes.size)


def measure(text: str, spans: list[tuple[int, int]], junk: list[bool]) -> PageSignals:
    """The signals of ``text`` whose non-empty lines are ``spans``; ``junk`` marks lines labelled junk."""
    lines = ["".join(text[start:end].split()) for start, end in spans]
    sizes = [len(line) for line in lines]
    chars = sum(sizes)
    if not chars:
        return PageSignals(0, len(lines), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    joined = "".join(lines)
    codes = code_points(joined)
    counts = Counter(lines)
    dup = sum(size for line, size in zip(lines, sizes, strict=True) if counts[line] > 1)
    _, frequencies = np.unique(codes, return_counts=True)
    p = frequencies / chars
    return PageSignals(
        chars=chars,
        lines=len(lines),
        han_share=float(han_mask(codes).sum()) / chars,
        mean_line_length=chars / len(lines),
        char_entropy=float(-(p * np.log2(p)).sum()) if p.size > 1 else 0.0,
        dup_line_chars=dup / chars,
        top_2gram=_top_ngram_share(codes, 2),
        top_3gram=_top_ngram_share(codes, 3),
        top_4gram=_top_ngram_share(codes, 4),
        junk_line_chars=sum(size for size, bad in zip(sizes, junk, strict=True) if bad) / chars,
    )
