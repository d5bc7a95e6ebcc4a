"""Find damage that no repair explains, so it can be flagged with its span.

Replacement characters (U+FFFD), ``锟斤拷`` (UTF-8 replacement bytes read as GBK), runs
of ``烫``/``屯`` (uninitialised memory printed as GBK) and ``?`` runs inside Chinese text
are never guessed at: they are reported so later stages and users can decide.
"""

from __future__ import annotations

import regex

REPLACEMENT_CHARACTER = "replacement_character"
REPLACEMENT_BYTES_AS_GBK = "replacement_bytes_read_as_gbk"
UNINITIALISED_MEMORY = "uninitialised_memory"
UNEXPLAINED_QUESTION_MARKS = "unexplained_question_marks"

#: each pattern with a string every one of its matches holds: a text without it is not searched
_DAMAGE = (
    (regex.compile("\ufffd+"), "\ufffd", REPLACEMENT_CHARACTER),
    (regex.compile("(?:锟斤拷)+锟?|锟斤|斤拷"), "斤", REPLACEMENT_BYTES_AS_GBK),
    (regex.compile("烫{3,}|屯{3,}"), "", UNINITIALISED_MEMORY),
    (regex.compile(r"(?<=\p{Han}|[，。、“”])\?{2,}|\?{2,}(?=\p{Han})"), "??", UNEXPLAINED_QUESTION_MARKS),
    (regex.compile(r"(?<=\p{Han})\?[a-z\u00e0-\u01dc]+\)?"), "?", UNEXPLAINED_QUESTION_MARKS),
)


def find_damage(text: str) -> list[tuple[int, int, str]]:
    """Spans of unrecoverable damage with their reasons, in text order.

    >>> find_damage("好\\ufffd\\ufffd锟斤拷锟斤拷")
    [(1, 3, 'replacement_character'), (3, 9, 'replacement_bytes_read_as_gbk')]
    """
    spans: list[tuple[int, int, str]] = []
    for pattern, held, reason in _DAMAGE:
        if held in text:
            spans.extend((m.start(), m.end(), reason) for m in pattern.finditer(text))
    return sorted(spans)
