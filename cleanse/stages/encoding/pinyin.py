"""Strip pinyin annotations glued after Han characters: ``網(wǎng)站`` -> ``網站``.

Some converters annotate characters with their reading in ASCII parentheses. An
annotation is removed only when the syllable is a reading of the character right before
it (readings from pypinyin's table, shipped in ``cleanse/data/encoding/pinyin.tsv.gz``),
so real parentheses such as ``(試行)``, ``(上接1版)`` or ``(2021)`` stay.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import regex

from cleanse.document import Edit

PINYIN_ANNOTATION = "pinyin_annotation"
_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
_ANNOTATION = regex.compile(rf"(?<=\p{{Han}})\(([a-z{_TONE_LETTERS}]{{1,7}})\)")


@lru_cache(maxsize=1)
def readings() -> dict[str, frozenset[str]]:
    """Each Han character's tone-marked readings, loaded once per process."""
    source = resources.files("cleanse").joinpath("data/encoding/pinyin.tsv.gz")
    with resources.as_file(source) as path, gzip.open(path, "rt", encoding="utf-8") as handle:
        table = {}
        for line in handle:
            char, _, values = line.rstrip("\n").partition("\t")
            table[char] = frozenset(values.split(","))
    return table


def strip_pinyin_annotations(text: str) -> list[Edit]:
    """Edits removing ``(syllable)`` after a Han character that the syllable is a reading of.

    >>> [(e.start, e.end, e.after) for e in strip_pinyin_annotations("網(wǎng)站(試行)")]
    [(1, 7, '')]
    """
    if "(" not in text:
        return []
    table = readings()
    edits = []
    for match in _ANNOTATION.finditer(text):
        syllable = match.group(1)
        char = text[match.start() - 1]
        if syllable in table.get(char, ()):
            edits.append(Edit(match.start(), match.end(), "", PINYIN_ANNOTATION, evidence=(char, syllable)))
    return edits
