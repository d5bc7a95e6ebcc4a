"""Switchable normalisations: line endings, HTML entities, invisible characters, NFC, fullwidth punctuation.

Each function returns edits against the text it is given, so the stage can log them.
Fullwidth restoration puts back the marks that NFKC folding or an ASCII keyboard took
from Chinese text (``,`` -> ``，``) but only where the mark touches Chinese: decimals,
times, URLs, code and English sentences keep their ASCII marks.
"""

from __future__ import annotations

import html
import re
import unicodedata

import regex

from cleanse.document import Edit

HTML_ENTITY = "html_entity"
INVISIBLE_CHARACTER = "invisible_character"
NFC_NORMALIZATION = "nfc_normalization"
FULLWIDTH_PUNCTUATION = "fullwidth_punctuation"
LINE_ENDING = "line_ending"

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: C0 controls but tab, line feed and carriage return; DEL and C1; zero-width and bidi marks; BOM.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb]+"
)
#: Han and the punctuation only Chinese (and Japanese) text uses; curly quotes, dashes and the ellipsis are
#: shared with English and German, so a mark beside them is not "inside Chinese".
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"
#: a letter of another script (Latin, Cyrillic, kana...): a mark touching one is in that language's run.
_FOREIGN_LETTER = r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_MARKS = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}
#: the marks to restore, found in one pass: after Chinese (a ``?`` only when not doubled nor glued to a lowercase
#: letter: that is damage, flagged elsewhere), or before Chinese unless right after ASCII punctuation (``1,000``,
#: ``12:30``, ``ok.`` keep theirs). tests/stages/encoding/test_normalize.py states the rule character by character.
_RESTORABLE_MARK = re.compile(  # the mark first, so the engine scans for it; then what is around it
    rf"[,!:;](?:(?<=[{_CJK}].)(?!{_FOREIGN_LETTER})"
    rf"|(?<![{_CJK}\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e].)(?<!{_FOREIGN_LETTER}.)(?=[{_CJK}]))"
    rf"|\?(?<=[{_CJK}].)(?![?a-z])(?!{_FOREIGN_LETTER})"
)
_PARENTHESES = re.compile(rf"\(([^()\n]{{0,80}}[{_CJK}][^()\n]{{0,80}})\)")


_CARRIAGE_RETURN = re.compile(r"\r\n?")


def normalize_line_endings(text: str) -> list[Edit]:
    """Edits turning ``\\r\\n`` and a lone ``\\r`` into ``\\n``: every later stage reads lines split at ``\\n``,
    so a page saved with old Mac or Windows line ends would otherwise be one line, or keep a stray ``\\r``.

    >>> [(e.start, e.end, e.after) for e in normalize_line_endings("甲\\r\\n乙\\r丙")]
    [(1, 3, '\\n'), (4, 5, '\\n')]
    """
    if "\r" not in text:
        return []
    return [Edit(m.start(), m.end(), "\n", LINE_ENDING) for m in _CARRIAGE_RETURN.finditer(text)]


def unescape_html_entities(text: str) -> list[Edit]:
    """Edits decoding HTML entities (``&amp;``, ``&#20013;``); unknown names stay as they are.

    >>> [e.after for e in unescape_html_entities("A&amp;B &#20013;&bogus;")]
    ['&', '中']
    """
    if "&" not in text:
        return []
    edits = []
    for match in _ENTITY.finditer(text):
        decoded = html.unescape(match.group())
        if decoded != match.group() and decoded.isprintable():
            edits.append(Edit(match.start(), match.end(), decoded, HTML_ENTITY))
    return edits


def remove_invisible_characters(text: str) -> list[Edit]:
    """Edits removing control characters, zero-width and bidi marks (tabs and line breaks stay).

    Joiners between two letters of another script (the zero-width non-joiner of Persian
    ``آن‌ها``, the joiners of Indic scripts) are part of the word's spelling, and bidi marks
    on a line with Hebrew or Arabic letters set its direction: both stay.

    >>> [(e.start, e.end) for e in remove_invisible_characters("中\\u200b文\\x00")]
    [(1, 2), (3, 4)]
    >>> remove_invisible_characters("آن\\u200cها")
    []
    """
    edits = []
    for match in _INVISIBLE.finditer(text):
        if _JOINERS.fullmatch(match.group()) and _between_foreign_letters(text, match.start(), match.end()):
            continue
        if _BIDI_MARKS.fullmatch(match.group()) and _on_rtl_line(text, match.start()):
            continue
        edits.append(Edit(match.start(), match.end(), "", INVISIBLE_CHARACTER))
    return edits


_JOINERS = re.compile("[\u200c\u200d]+")
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]+")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LETTER_OR_MARK = re.compile(rf"{_FOREIGN_LETTER}|[\u0300-\u036f\u0900-\u0dff]")


def _between_foreign_letters(text: str, start: int, end: int) -> bool:
    return (
        start > 0
        and end < len(text)
        and bool(_LETTER_OR_MARK.match(text[start - 1]))
        and bool(_LETTER_OR_MARK.match(text[end]))
    )


def _on_rtl_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return bool(_RTL_LETTER.search(text, line_start, len(text) if line_end < 0 else line_end))


def normalize_nfc(text: str) -> list[Edit]:
    """Edits composing decomposed characters (``e`` + combining acute -> ``é``); most text is NFC and only checked.

    Only compositions are made: NFC also replaces singletons (CJK compatibility
    ideographs such as U+F900, the ohm sign) and decomposes composition exclusions
    (Devanagari ``ज़`` U+095B), which would change correct text for no gain.

    >>> [e.after for e in normalize_nfc("Cafe\u0301 \u095b")]
    ['é']
    """
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    for match in _CLUSTER.finditer(text):
        cluster = match.group()
        if len(cluster) > 1 and not unicodedata.is_normalized("NFC", cluster):
            composed = unicodedata.normalize("NFC", cluster)
            if len(composed) < len(cluster):
                edits.append(Edit(match.start(), match.end(), composed, NFC_NORMALIZATION))
    return edits


#: a character with the combining marks after it: the unit NFC composes.
_CLUSTER = regex.compile(r"\P{M}\p{M}+")


def restore_fullwidth_punctuation(text: str) -> list[Edit]:
    """Edits turning ASCII ``, ? ! : ;`` and parentheses into fullwidth ones inside Chinese text.

    A restored mark is Chinese punctuation itself, so a mark right after it is restored too (``中文?:`` ->
    ``中文？：`` in one pass, not two): every edit is one character for one, so the passes until nothing
    changes all index the same text, and cleaning the result again changes nothing.

    >>> [e.after for e in restore_fullwidth_punctuation("你好,世界(试行)。At 12:30, ok.")]
    ['，', '（', '）']
    >>> [e.after for e in restore_fullwidth_punctuation("中文?:")]
    ['？', '：']
    """
    return [Edit(position, position + 1, mark, FULLWIDTH_PUNCTUATION) for position, mark in fullwidth_marks(text)]


def fullwidth_marks(text: str) -> list[tuple[int, str]]:
    """:func:`restore_fullwidth_punctuation` as (position, fullwidth mark) pairs, in order.

    Chinese text restores a mark every few dozen characters: thousands per page, each one
    character for one. Pairs, not :class:`Edit` objects, keep that cheap; the repair plan
    logs them as they are (see ``repair.EditRows``). After the first pass the rule only needs
    judging again where a restored mark changed what a mark sees: beside it (``（站）,`` once
    ``）`` is back), across a line break (that rule is cheap to run again), or in an enclosing
    parenthesis pair (then a whole pass runs again).
    """
    found, parentheses = _marks_once(text)
    if not parentheses and not _TWO_ASCII_MARKS.search(text):
        return found  # no mark can be beside a restored one: the common case, already in order
    marks = dict(found)
    current = _substituted(text, found)
    while found:
        if "(" in current and _PARENTHESES.search(current):
            found, _ = _marks_once(current)
        else:
            found = _restorable_again(current, found)
        marks.update(found)
        current = _substituted(current, found)
    return sorted(marks.items())


def _restorable_again(text: str, restored: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """What another pass of the mark rules finds, judged only where ``restored`` changed what a mark sees.

    The rule looks one character each side of a mark, so only a neighbour of a restored mark
    can have changed its verdict; the rule across line breaks looks further and is run again whole.
    """
    last = len(text) - 1
    found = {}
    for position, _ in restored:
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour <= last and text[neighbour] in _MARKS and _RESTORABLE_MARK.match(text, neighbour):
                found[neighbour] = _MARKS[text[neighbour]]
    if "\n" in text:
        found.update(_across_line_breaks(text))
    return sorted(found.items())


def _substituted(text: str, marks: list[tuple[int, str]]) -> str:
    """``text`` with each one-character replacement made (positions in order)."""
    if not marks:
        return text
    pieces = []
    cursor = 0
    for position, mark in marks:
        pieces.append(text[cursor:position])
        pieces.append(mark)
        cursor = position + 1
    pieces.append(text[cursor:])
    return "".join(pieces)


#: two ASCII marks side by side, or with only a line break between: a restored mark (ASCII before) can make
#: another restorable only as one of such a pair
_TWO_ASCII_MARKS = re.compile("[,!:;?()](?:[ \t\u3000]*\n\\s*)?[,!:;?()]")


def _restore_fullwidth_once(text: str) -> tuple[list[Edit], bool]:
    """One pass of the rule: the edits, and whether any parenthesis pair was restored."""
    found, parentheses = _marks_once(text)
    return [Edit(position, position + 1, mark, FULLWIDTH_PUNCTUATION) for position, mark in found], parentheses


def _marks_once(text: str) -> tuple[list[tuple[int, str]], bool]:
    """One pass of the rule as (position, mark) pairs, and whether any parenthesis pair was restored."""
    marks = [(match.start(), _MARKS[match.group()]) for match in _RESTORABLE_MARK.finditer(text)]
    across = _across_line_breaks(text) if "\n" in text else []
    parentheses = list(_PARENTHESES.finditer(text)) if "(" in text else []
    if not parentheses and not across:
        return marks, False  # found in order, and marks never overlap
    found = dict(marks)
    found.update(across)
    for match in parentheses:
        found[match.start()] = "（"
        found[match.end() - 1] = "）"
    return sorted(found.items()), bool(parentheses)


#: a mark first or last on its line, with the neighbour it would have if the line break were mended away
#: (a ``?`` only before a space or line end: before a letter it is as likely a lost lead byte, left for the
#: misaligned-run flag)
_MARK_AFTER_BREAK = re.compile(r"\n\s*([,!:;]|\?(?!\S))")
_MARK_BEFORE_BREAK = re.compile(r"([,!:;])[ \t\u3000]*\n\s*(?=(\S))")


def _across_line_breaks(text: str) -> list[tuple[int, str]]:
    """Marks the rule restores once a line break beside them is mended (the splice stage joins broken lines).

    ``保障\n\n:`` is ``保障:`` after the lines are joined, where the colon is inside Chinese:
    judging the mark as it would stand joined makes the first pass reach what a second one would.
    """
    edits: list[tuple[int, str]] = []
    for match in _MARK_AFTER_BREAK.finditer(text):
        mark = match.start(1)
        left_end = match.start()
        while left_end and text[left_end - 1] in " \t\u3000":
            left_end -= 1
        left = text[left_end - 1] if left_end else ""
        joined = left + text[mark : mark + 2]
        if left and not left.isspace() and _RESTORABLE_MARK.match(joined, 1):
            edits.append((mark, _MARKS[text[mark]]))
    for match in _MARK_BEFORE_BREAK.finditer(text):
        mark = match.start(1)
        joined = text[max(0, mark - 1) : mark + 1] + match.group(2)
        if _RESTORABLE_MARK.match(joined, len(joined) - 2):
            edits.append((mark, _MARKS[text[mark]]))
    return edits
