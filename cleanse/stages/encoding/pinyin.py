"""Strip pinyin annotations glued after Han characters: ``網(wǎng)站`` -> ``網站``, ``要求(yāo qiú)`` -> ``要求``.

Some converters annotate characters or words with their reading in ASCII parentheses.
An annotation of ``n`` space-separated syllables is removed only when each syllable is a
reading of the corresponding one of the ``n`` Han characters right before it (readings
from pypinyin's table, shipped in ``cleanse/data/encoding/pinyin.tsv.gz``), so real
parentheses such as ``(試行)``, ``(上接1版)``, ``(li hao)`` after other characters or
``(2021)`` stay; and only when the text holds at least two such annotations: a single
gloss (``王明(wáng míng)``) is the writer's, not a converter's.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import regex

from cleanse.document import Edit

PINYIN_ANNOTATION = "pinyin_annotation"
_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
MAX_SYLLABLES = 8
#: annotations that read their characters, in one text, before any is taken for a converter's.
MIN_ANNOTATIONS = 2
_SYLLABLE = rf"[a-z{_TONE_LETTERS}]{{1,7}}"
_ANNOTATION = regex.compile(rf"(?<=\p{{Han}})\(({_SYLLABLE}(?: {_SYLLABLE}){{0,{MAX_SYLLABLES - 1}}})\)")


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
    """Edits removing ``(syllables)`` after as many Han characters, each syllable a reading of its character.

    >>> [(e.start, e.end, e.after) for e in strip_pinyin_annotations("網(wǎng)站(試行)，創(chuàng)新")]
    [(1, 7, ''), (14, 22, '')]
    >>> [(e.start, e.end) for e in strip_pinyin_annotations("提出要求(yāo qiú),再说(hǎo),网(wǎng)")]
    [(4, 13), (23, 29)]
    >>> strip_pinyin_annotations("本报记者王明(wáng míng)报道")  # one gloss: a writer's, kept
    []
    """
    if "(" not in text:
        return []
    table = readings()
    edits = []
    for match in _ANNOTATION.finditer(text):
        syllables = match.group(1).split(" ")
        annotated = text[max(0, match.start() - len(syllables)) : match.start()]
        if len(annotated) == len(syllables) and all(
            syllable in table.get(char, ()) for char, syllable in zip(annotated, syllables, strict=True)
        ):
            edits.append(Edit(match.start(), match.end(), "", PINYIN_ANNOTATION, evidence=(annotated, match.group(1))))
    # a converter annotates many characters; a writer glosses one name or word, and the gloss is text
    return edits if len(edits) >= MIN_ANNOTATIONS else []
