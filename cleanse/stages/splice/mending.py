"""Layout breaks: paragraphs that a page layout cut in the middle of a sentence.

A paragraph that ends without sentence punctuation and is followed (possibly after a
photo caption or other page furniture) by one that goes on with the same sentence was
broken by the layout and is re-joined. A heading also ends without punctuation, so the
decision weighs evidence: the first part is long or contains clause punctuation, the
second part opens with a clause fragment, a common word spans the break. A heading
(short, no clause punctuation) is never glued to the text after it.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import replace

import regex

from cleanse.stages.splice.layout import HEADING_MAX_CHARS, Line, classify, core_text, ends_sentence

MEND_THRESHOLD = 2
_CLAUSE = regex.compile(r"[，,、；;]")
_SENTENCE_INSIDE = regex.compile(r"[。！？!?][”」’]?\p{Han}")
_OPENS_WITH_FRAGMENT = regex.compile(r"^\p{Han}{1,3}[，,、；;)）”」]|^[，,、；;)）”」]")
_OPENS_NEW_PARAGRAPH = regex.compile(
    r"^(?:[“「『《【\[（(]|——|[一二三四五六七八九十]+、|\d+[、.．]|(?:\d{2,4}|[０-９]{2,4})年|\d{1,2}月\d{1,2}日)"
)
_HAN = regex.compile(r"\p{Han}")
#: a short line opening with a section number and holding no clause of its own is a sub-heading
_NUMBERED_HEADING = regex.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十百]+[章节])"
    r"[^，,；;。！？!?]*$"
)
_NO_JOIN_ENDINGS = ("——", "—", "──", ":", "：")
#: a line that is one closed bracket (``（Ａ、Ｂ）`` pointing to photos, ``（摘自……）``) is a complete note
_BRACKETED_LINE = regex.compile(r"^[（(【\[][^（()）【】\[\]]*[）)】\]]$")


@functools.lru_cache(maxsize=1)
def common_words_by_rank() -> tuple[str, ...]:
    """The shipped common two-character words, most frequent first (see ``cleanse/data/splice/SOURCES.md``)."""
    data = importlib.resources.files("cleanse.data").joinpath("splice").joinpath("common_words.txt")
    words = data.read_text(encoding="utf-8").split("\n")
    return tuple(word for word in words if len(word) == 2 and not word.startswith("#"))


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The shipped common two-character words as a set."""
    return frozenset(common_words_by_rank())


def word_spans_break(left: str, right: str) -> bool:
    """True when the last character of ``left`` and the first of ``right`` form a common word."""
    left = left.rstrip()
    right = right.lstrip()
    if not left or not right:
        return False
    return (left[-1] + right[0]) in common_words()


def mend_score(first: Line, second: Line) -> int:
    """Evidence that ``second`` continues the sentence ``first`` leaves open (higher is surer).

    Returns ``-1`` when the pair must not be joined at all (``first`` ends a sentence, is
    a marked-up heading or a lead-in ending in a dash).
    """
    left = first.core
    right = second.core
    if first.ends_sentence or first.markup_heading or second.markup_heading or second.opens_with_dateline:
        return -1
    if left.endswith(_NO_JOIN_ENDINGS) or first.text.endswith("  "):
        return -1
    if len(left) <= HEADING_MAX_CHARS and _NUMBERED_HEADING.match(left):  # 一、基本情况 / （二）主要做法
        return -1
    if _BRACKETED_LINE.match(left):
        return -1
    if len(right) <= HEADING_MAX_CHARS and _NUMBERED_HEADING.match(right):  # nor glued onto the text before it
        return -1
    score = 0
    if first.han > HEADING_MAX_CHARS:
        score += 2
    if _SENTENCE_INSIDE.search(left):
        score += 2
    if _CLAUSE.search(left):
        score += 1
    if _OPENS_WITH_FRAGMENT.match(right):
        score += 1
    if _HAN.match(left[-1]) and _HAN.match(right[0]) and word_spans_break(left, right):
        score += 1
    if _OPENS_NEW_PARAGRAPH.match(right):
        score -= 1
    return score


def should_mend(first: Line, second: Line) -> bool:
    """True when the break between ``first`` and ``second`` is a layout break to re-join."""
    return mend_score(first, second) >= MEND_THRESHOLD


def joiner(first: Line, second: Line) -> str:
    """What goes between the two parts when re-joined: a space between two Latin words, else nothing."""
    left = first.text.rstrip()
    right = second.text.lstrip()
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return " "
    return ""


def joined(first: Line, second: Line) -> Line:
    """The line ``first`` and ``second`` make once re-joined, as a second pass over the mended text reads it.

    A chain of breaks is judged link by link on what is already joined, so that the first pass mends what a
    second pass would (``clean`` stays a fixed point)."""
    text = first.text.rstrip() + joiner(first, second) + second.text.lstrip()
    core = core_text(text)
    return replace(
        first,
        end=second.end,
        text=text,
        core=core,
        kind=classify(core, first.markup_heading),
        ends_sentence=ends_sentence(core),
        han=first.han + second.han,
    )
