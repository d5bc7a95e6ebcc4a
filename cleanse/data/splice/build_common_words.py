"""Regenerate ``common_words.txt``: the most frequent two-character words of jieba's dictionary.

The splice stage uses the list to tell whether a paragraph that ends without punctuation
continues into the next one (``确`` + ``保`` forms a common word across the break; a
heading and the paragraph after it rarely do). Run from the repository root with jieba
installed (``pip install jieba``)::

    python -m cleanse.data.splice.build_common_words
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import regex

WORD_COUNT = 40_000
HAN_PAIR = regex.compile(r"^\p{Han}{2}$")
OUTPUT = Path(__file__).with_name("common_words.txt")


def build(limit: int = WORD_COUNT) -> list[str]:
    """The ``limit`` most frequent two-Han-character words of jieba's ``dict.txt``, most frequent first."""
    source = importlib.resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    scored: list[tuple[int, str]] = []
    for line in source.splitlines():
        fields = line.split()
        if len(fields) >= 2 and HAN_PAIR.match(fields[0]):
            scored.append((int(fields[1]), fields[0]))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in scored[:limit]]


def main() -> None:
    words = build()
    header = "# Most frequent two-character words of jieba 0.42.1 dict.txt (MIT). See SOURCES.md.\n"
    OUTPUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {OUTPUT}")


if __name__ == "__main__":
    main()
