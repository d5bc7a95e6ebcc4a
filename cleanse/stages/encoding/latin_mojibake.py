"""Repair text read as Latin-1 or cp1252: Chinese bytes (``ÖÐÎÄ``, ``ä¸­æ–‡``) and Latin-script mojibake.

GBK, Big5 or UTF-8 bytes read as Latin-1/cp1252 show as runs of Latin-1 letters; the run
is encoded back and decoded with each codec, well-formed UTF-8 being decisive, and the
character model chooses between GBK and Big5. Latin-script mojibake with no Chinese in
it (``cafÃ©``) is left to ftfy, configured so Chinese text is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import regex

from cleanse.document import Edit
from cleanse.stages.encoding._lm import CharLanguageModel, language_model
from cleanse.stages.encoding.mojibake import _HAN, CJK_MOJIBAKE, MIN_REPAIRED_LOGP

LATIN_MOJIBAKE = "latin_mojibake"
#: the flag on a Latin-1 span that may be one misread Chinese character but has too little evidence to rewrite.
POSSIBLE_LATIN1_MOJIBAKE = "possible_latin1_mojibake"
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
#: a maximal run of Latin-range characters (each maybe with an ASCII trail byte) holding at least one of U+0080-U+00FF;
#: runs of cp1252 specials alone (“”—… in every Chinese text) never match.
_LATIN_RUN = regex.compile(
    rf"(?:[{_CP1252_SPECIALS}][\x40-\x7e]?)*[\u0080-\u00ff][\x40-\x7e]?(?:[\u0080-\u00ff{_CP1252_SPECIALS}][\x40-\x7e]?)*"
)
_LATIN_SCREEN = re.compile("[\u0080-\u00ff]")
#: the characters Latin-script mojibake shows (see fix_latin_mojibake); not the middle dot alone, which every
#: Chinese text uses in transliterated names (约翰·史密斯) and which no mojibake ftfy undoes is made of by itself
_FTFY_SCREEN = re.compile(
    "[\u0080-\u00b6\u00b8-\u024f\u0370-\u04ff\u2500-\u257f\u221a\u2260-\u2265\u2020\u2021\u2030\u20ac\u2122]"
)
#: a reading of fullwidth or CJK punctuation only (``——``, ``（``): the marks GBK and Big5 put beside digits.
_CJK_MARKS_ONLY = regex.compile(
    "[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7]+"
)
_LETTER = regex.compile(r"[^\P{L}\p{Han}]")
_LATIN_RUN_CLASS = rf"[\x40-\x7e\u0080-\u00ff{_CP1252_SPECIALS}]*"
_LATIN_RUN_REACH = regex.compile(_LATIN_RUN_CLASS)
_LATIN_RUN_REACH_BACK = regex.compile(rf"(?r){_LATIN_RUN_CLASS}")
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def fix_latin_range_mojibake(text: str, min_gain: float = 4.0, lm: CharLanguageModel | None = None) -> list[Edit]:
    """Edits for Chinese read as Latin-1/cp1252 (GBK, Big5 or UTF-8 bytes shown as ``ÖÐÎÄ``/``ä¸­æ–‡``).

    >>> [e.after for e in fix_latin_range_mojibake("他说ÖÐÎÄ很好")]
    ['中文']
    """
    return latin_range_repairs(text, min_gain, lm)[0]


def latin_range_repairs(
    text: str, min_gain: float = 4.0, lm: CharLanguageModel | None = None
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Edits for Chinese read as Latin-1/cp1252, and the spans whose reading is left in doubt (to flag).

    Well-formed UTF-8 is decisive; between GBK and Big5 readings the language model
    chooses. A reading is taken only if it reads like Chinese (``MIN_REPAIRED_LOGP`` per
    character) and beats the Latin text by ``min_gain``; all readings are scored in one
    batch. A *weak* reading, one Han character from two Latin-1 characters (``×£``,
    ``É®``, ``Äê``) or a run with a single Latin-1 character (``·m``, ``¦~``), is what clean
    text with symbols looks like too: it is taken only beside other damage, that is within
    ``SUPPORT_DISTANCE`` characters of a strong reading or in a cluster of
    ``MIN_WEAK_CLUSTER`` weak ones on a line of Chinese (``2022Äê4ÔÂ20ÈÕ``); otherwise, on a
    line with Chinese, its span is returned to be flagged, never rewritten.
    """
    if not _LATIN_SCREEN.search(text):
        return [], []
    model = lm or language_model()
    runs = list(_latin_runs(text))
    options = [
        (start, stop, codec, repaired) for start, end in runs for stop, codec, repaired in _readings(text, start, end)
    ]
    if not options:
        return [], []
    contexts = [
        (text[start - 1] if start else "", text[stop] if stop < len(text) else "") for start, stop, _, _ in options
    ]
    befores, afters = [before for before, _ in contexts], [after for _, after in contexts]
    repaired_scores, plain = model.score_in_context(befores, [repaired for _, _, _, repaired in options], afters)
    damaged_scores = model.score_many(
        [
            before + text[start:stop] + after
            for (before, after), (start, stop, _, _) in zip(contexts, options, strict=True)
        ]
    )
    best: dict[int, tuple[float, int, str, str]] = {}
    for index, (start, stop, codec, repaired) in enumerate(options):
        if plain[index] / len(repaired) < MIN_REPAIRED_LOGP or not _credible(text, start, stop, repaired):
            continue
        gain = float(repaired_scores[index] - damaged_scores[index])
        if gain >= min_gain and (start not in best or gain > best[start][0]):
            best[start] = (gain, stop, repaired, codec)
    chosen = sorted(best.items())
    weak = [_weak(text, start, stop, repaired, codec) for start, (_, stop, repaired, codec) in chosen]
    strong_spans = [
        (start, stop) for (start, (_, stop, _, _)), is_weak in zip(chosen, weak, strict=True) if not is_weak
    ]
    weak_spans = [(start, stop) for (start, (_, stop, _, _)), is_weak in zip(chosen, weak, strict=True) if is_weak]
    edits, doubts = [], []
    for (start, (gain, stop, repaired, codec)), is_weak in zip(chosen, weak, strict=True):
        if is_weak and not _supported(text, start, stop, strong_spans, weak_spans):
            if _line_has_han(text, start, stop):
                doubts.append((start, stop))
            continue
        edits.append(Edit(start, stop, repaired, CJK_MOJIBAKE, round(gain, 2), (f"{codec} read as latin-1",)))
    return edits, doubts


#: how near (in characters) other damage must be for a weak reading to be taken.
SUPPORT_DISTANCE = 12
#: weak readings this many in a row (each within SUPPORT_DISTANCE of the next) support each other.
MIN_WEAK_CLUSTER = 3


def _weak(text: str, start: int, stop: int, repaired: str, codec: str) -> bool:
    """One Han character from two Latin-1 characters, or a run with a single Latin-1 character: little evidence."""
    if _non_ascii_count(text, start, stop) < 2:
        return True
    return codec != "utf-8" and len(repaired) == 1 and bool(_HAN.match(repaired))


def _supported(text: str, start: int, stop: int, strong: list[tuple[int, int]], weak: list[tuple[int, int]]) -> bool:
    """Whether other damage on the same line is near: a strong reading, or enough weak ones in a cluster."""
    line_start, line_end = _line_bounds(text, start, stop)
    near = [
        (s, e)
        for s, e in strong
        if line_start <= s and e <= line_end and s - SUPPORT_DISTANCE <= stop and start <= e + SUPPORT_DISTANCE
    ]
    if near:
        return True
    cluster = [(start, stop)]
    index = weak.index((start, stop))
    for step in (-1, 1):
        position = index + step
        edge = cluster[0] if step < 0 else cluster[-1]
        while 0 <= position < len(weak):
            s, e = weak[position]
            gap = edge[0] - e if step < 0 else s - edge[1]
            if gap > SUPPORT_DISTANCE or s < line_start or e > line_end:
                break
            edge = (s, e)
            cluster.insert(0, edge) if step < 0 else cluster.append(edge)
            position += step
    # a cluster of weak readings is evidence on a line of Chinese only: ``$Ì¶6Ì¶3Ì¶`` in English is ftfy's
    return len(cluster) >= MIN_WEAK_CLUSTER and _line_has_han(text, start, stop)


def _line_bounds(text: str, start: int, stop: int) -> tuple[int, int]:
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line_end = min((i for i in (text.find("\n", stop), text.find("\r", stop)) if i >= 0), default=len(text))
    return line_start, line_end


def _line_has_han(text: str, start: int, stop: int) -> bool:
    line_start, line_end = _line_bounds(text, start, stop)
    return bool(_HAN.search(text, line_start, start) or _HAN.search(text, stop, line_end))


def _non_ascii_count(text: str, start: int, end: int) -> int:
    return sum(1 for char in text[start:end] if not char.isascii())


def _credible(text: str, start: int, stop: int, repaired: str) -> bool:
    """Whether a Chinese reading of a Latin-range span could be one at all.

    Chinese is not put inside a word of another script (a letter on both sides:
    ``Progresƒ´vie``), and readings of punctuation only (``¡ª¡ª`` for ``——``, ``£¨`` for
    ``（``) are taken only on a line that holds Chinese.
    """
    before = text[start - 1] if start else ""
    after = text[stop] if stop < len(text) else ""
    if _LETTER.match(before) and _LETTER.match(after):
        return False
    if _HAN.search(repaired):
        return True
    return _line_has_han(text, start, stop)


def _readings(text: str, start: int, end: int) -> list[tuple[int, str, str]]:
    """Chinese readings of a Latin-range run: (end, codec, text); UTF-8, when well formed, is the only one."""
    found: list[tuple[int, str, str]] = []
    for stop in _trimmed_ends(text, start, end):
        data = _latin_bytes(text[start:stop])
        if data is None:
            continue
        for codec in ("utf-8", "gb18030", "big5"):
            try:
                repaired = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if codec == "utf-8" and (max(repaired) >= "\u0800" or _latin_word(text, start, stop, repaired)):
                # well-formed UTF-8 is decisive when it has 3-byte sequences or makes a Latin word: then
                # without Chinese it is ftfy's job
                return [(stop, codec, repaired)] if _HAN.search(repaired) else []
            if _HAN.search(repaired) or _CJK_MARKS_ONLY.fullmatch(repaired):
                found.append((stop, codec, repaired))
        if found:
            return found
    return found


def _latin_word(text: str, start: int, stop: int, repaired: str) -> bool:
    """Whether a UTF-8 reading is Latin letters glued to ASCII letters (``cafÃ©`` -> ``café``)."""
    before = text[start - 1] if start else ""
    after = text[stop] if stop < len(text) else ""
    touches_letter = (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
    return touches_letter and max(repaired) <= "\u024f"


def _trimmed_ends(text: str, start: int, end: int) -> Iterator[int]:
    """The run's end, then without the last one or two characters when they are ASCII or cp1252 marks.

    The run pattern may have taken a real ASCII letter after the damage, or a curly quote
    or dash of the surrounding text.
    """
    yield end
    for trimmed in (end - 1, end - 2):
        if trimmed - start >= 2 and (text[trimmed].isascii() or text[trimmed] in _CP1252_SPECIALS):
            yield trimmed
        else:
            break


def _latin_bytes(span: str) -> bytes | None:
    for codec in ("latin-1", "sloppy-windows-1252"):
        try:
            return span.encode(codec)
        except UnicodeEncodeError:
            continue
    return None


def fix_latin_mojibake(text: str) -> list[Edit]:
    """Line edits from ftfy for Latin-script mojibake (``cafÃ©``), with quotes and widths left alone.

    Lines with a character of the ranges mojibake of other single-byte code pages shows in
    (Latin-1 and Latin Extended, Greek and Cyrillic for cp1253/cp1251, Mac Roman's ``√``
    and ``≤``, cp437's box drawing) go to ftfy; Chinese lines without them are not looked at.
    """
    hit = _FTFY_SCREEN.search(text)
    if hit is None:
        return []
    edits = []
    for start, end in _lines_with_hits(text, hit):
        line = text[start:end]
        fixed = ftfy.fix_text(line, _FTFY_CONFIG)
        if fixed != line:
            edits.append(Edit(start, end, fixed, LATIN_MOJIBAKE, evidence=("ftfy",)))
    return edits


#: line breaks ``str.splitlines`` knows besides ``\n``
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines_with_hits(text: str, hit: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The spans of the lines (``str.splitlines`` with their ends) that hold a character the screen finds.

    Found from screen hit to screen hit: a Chinese text with one ``·`` in a name costs one
    line, not a search of each of its lines.
    """
    if _OTHER_LINE_BREAKS.search(text):
        start = 0
        for line in text.splitlines(keepends=True):
            if _FTFY_SCREEN.search(line):
                yield start, start + len(line)
            start += len(line)
        return
    found: re.Match[str] | None = hit
    while found is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.start()) + 1 or len(text)
        yield start, end
        found = _FTFY_SCREEN.search(text, end)


def _latin_runs(text: str) -> Iterator[tuple[int, int]]:
    """The spans ``_LATIN_RUN`` finds in ``text``, looked for only around characters of U+0080-U+00FF.

    Each hit is widened over characters a run can hold; a run cannot cross the first
    character outside them, so matching inside the widened span finds the same runs.
    """
    position = 0
    while (hit := _LATIN_SCREEN.search(text, position)) is not None:
        start = _LATIN_RUN_REACH_BACK.match(text, 0, hit.start()).start()  # type: ignore[union-attr]
        end = _LATIN_RUN_REACH.match(text, hit.end()).end()  # type: ignore[union-attr]
        for match in _LATIN_RUN.finditer(text, start, end):
            yield match.start(), match.end()
        position = end
