"""Regenerate the encoding stage's tables: a character bigram model and the pinyin readings.

Run from the repository root with jieba, pypinyin and opencc-python-reimplemented installed::

    pip install jieba==0.42.1 pypinyin==0.55.0 opencc-python-reimplemented==0.1.7
    python -m cleanse.data.encoding.build_tables

``charlm.npz`` holds character unigram and bigram log-probabilities counted inside the
words of jieba's ``dict.txt`` (MIT), each word weighted by its frequency, and for each
character how likely it is to start a word and to end one (word boundaries carry the
transitions between words and into punctuation); every word is
also converted to Traditional Chinese with OpenCC's ``s2t``, ``s2tw`` and ``s2hk`` data (Apache-2.0) and counted
again, so the model knows both scripts. ``pinyin.tsv.gz`` lists the tone-marked readings
of every Han character in pypinyin's ``pinyin_dict`` (MIT). ``script_chars.txt`` lists, from
OpenCC's ``STCharacters.txt``, the characters only Simplified text uses (first line) and
only Traditional text uses (second line), so a repair can keep to the script around it.
"""

from __future__ import annotations

import gzip
import math
import os
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MIN_BIGRAM_COUNT = 1
#: OpenCC conversions counted besides the Simplified original: standard, Taiwan (為 著 裡) and Hong Kong forms.
TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2hk")
ID_BITS = 15


def _jieba_words() -> list[tuple[str, int]]:
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    words = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                words.append((parts[0], int(parts[1])))
    return words


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def _count(words: list[tuple[str, int]]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    from opencc import OpenCC

    converters = [OpenCC(config) for config in TRADITIONAL_CONFIGS]
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for word, freq in words:
        if not all(_is_han(c) for c in word):
            continue
        forms = {word, *(converter.convert(word) for converter in converters)}
        for form in forms:
            starts[form[0]] += freq
            ends[form[-1]] += freq
            for char in form:
                unigrams[char] += freq
            for left, right in zip(form, form[1:], strict=False):
                bigrams[left + right] += freq
    return unigrams, bigrams, starts, ends


def build_language_model() -> None:
    unigrams, bigrams, starts, ends = _count(_jieba_words())
    chars = sorted(unigrams, key=ord)
    if len(chars) >= 1 << ID_BITS:
        raise ValueError(f"{len(chars)} characters do not fit {ID_BITS}-bit ids")
    index = {c: i for i, c in enumerate(chars)}
    total = sum(unigrams.values())
    unigram_logp = np.array([math.log(unigrams[c] / total) for c in chars], dtype=np.float32)
    word_total = sum(starts.values())
    start_logp = np.array([math.log((starts[c] + 0.5) / word_total) for c in chars], dtype=np.float32)
    end_logp = np.array([math.log((ends[c] + 0.5) / (unigrams[c] + 1.0)) for c in chars], dtype=np.float32)
    keys, logps = [], []
    for pair, count in bigrams.items():
        if count < MIN_BIGRAM_COUNT:
            continue
        left, right = pair[0], pair[1]
        keys.append((index[left] << ID_BITS) | index[right])
        logps.append(math.log(count / unigrams[left]))
    order = np.argsort(np.array(keys, dtype=np.int32), kind="stable")
    np.savez_compressed(
        HERE / "charlm.npz",
        codepoints=np.array([ord(c) for c in chars], dtype=np.uint32),
        unigram=unigram_logp.astype(np.float16),
        word_start=start_logp.astype(np.float16),
        word_end=end_logp.astype(np.float16),
        bigram_keys=np.array(keys, dtype=np.int32)[order],
        bigram=np.array(logps, dtype=np.float32)[order].astype(np.float16),
    )
    print(f"charlm.npz: {len(chars)} characters, {len(keys)} bigrams")


def build_pinyin() -> None:
    from pypinyin.pinyin_dict import pinyin_dict

    rows = []
    for code in sorted(pinyin_dict):
        char = chr(code)
        if _is_han(char):
            rows.append(f"{char}\t{pinyin_dict[code]}\n")
    with gzip.open(HERE / "pinyin.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("".join(rows))
    print(f"pinyin.tsv.gz: {len(rows)} characters")


def build_script_characters() -> None:
    """Characters only Simplified text uses, and characters only Traditional text uses (OpenCC's table)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "STCharacters.txt"
    simplified, traditional, sources, unchanged = set(), set(), set(), set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\n").partition("\t")
            sources.add(source)
            for target in targets.split():
                if target == source:
                    unchanged.add(source)  # also its own Traditional form (同, 系, 千): both scripts use it
                else:
                    simplified.add(source)
                    traditional.add(target)
    simplified_only = sorted(simplified - traditional - unchanged)
    traditional_only = sorted(traditional - sources)
    (HERE / "script_chars.txt").write_text(
        "".join(simplified_only) + "\n" + "".join(traditional_only) + "\n", encoding="utf-8"
    )
    print(f"script_chars.txt: {len(simplified_only)} simplified-only, {len(traditional_only)} traditional-only")


def main() -> None:
    build_language_model()
    build_pinyin()
    build_script_characters()


if __name__ == "__main__":
    main()
