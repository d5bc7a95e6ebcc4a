"""Fold text before matching: width, case, dashes, Traditional -> Simplified, glued pinyin.

Lexicons are written once, in Simplified Chinese with ASCII punctuation; the matcher sees every document
through the same fold, so ``網站首頁`` finds ``网站首页`` and ``聲明:`` finds ``声明:``. All folds but one are
character for character (``str.translate``), so offsets in the folded text are offsets in the original. The
exception is glued pinyin (``網(wǎng)站``, left by some converters), which is cut out; :class:`Folded` keeps
the map back to the original offsets for that case.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import regex

from cleanse.stages.spam._native import native

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_GLOSS = regex.compile(rf"(?<=\p{{Han}})\((?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\)")
"""A tone-marked pinyin syllable in round brackets glued to the Han character it glosses."""


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    table[0x00A0] = " "
    for upper in range(ord("A"), ord("Z") + 1):
        table[upper] = chr(upper + 32)
    for dash in "—–―－‐‑":
        table[ord(dash)] = "-"
    for bar in "｜│丨":
        table[ord(bar)] = "|"
    for angle in "〉›»＞":
        table[ord(angle)] = ">"
    table[ord("「")] = "“"
    table[ord("」")] = "”"
    source = data_file("t2s_chars.tsv")
    for line in source.splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    for code in range(0xFF01, 0xFF5F):  # fullwidth capitals fold to lower case too
        if "A" <= chr(code - 0xFEE0) <= "Z":
            table[code] = chr(code - 0xFEE0 + 32)
    return table


def data_file(name: str) -> str:
    """The text of a file shipped in ``cleanse/data/spam/``."""
    return resources.files("cleanse").joinpath(f"data/spam/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """The character fold, built once per process from ``cleanse/data/spam/t2s_chars.tsv``."""
    return _build_fold_table()


LUT_SIZE = 0x30000
"""Code points below this go through the fold lookup table; the rest (rare planes) stay as they are."""


@lru_cache(maxsize=1)
def fold_lut() -> np.ndarray:
    """The fold as a code-point lookup table, so a whole document folds with one numpy gather."""
    lut = np.arange(LUT_SIZE, dtype=np.uint32)
    for code, replacement in fold_table().items():
        if code < LUT_SIZE:
            lut[code] = ord(replacement)
    return lut


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a ``uint32`` array (lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    return codecs.utf_32_le_decode(np.ascontiguousarray(codes, dtype=np.uint32).data, "surrogatepass", True)[0]


@dataclass(frozen=True)
class Folded:
    """Folded text, its code points, and (when characters were cut) each folded character's original offset."""

    text: str
    original_length: int
    to_original: np.ndarray | None = None
    codes: np.ndarray | None = None

    def original_offset(self, position: int) -> int:
        """Map an offset in the folded text back to the original text."""
        if self.to_original is None:
            return position
        if position >= len(self.text):
            return self.original_length
        return int(self.to_original[position])


def fold_chars(text: str) -> str:
    """Fold width, case, dashes and Traditional characters; same length as ``text``.

    >>> fold_chars("網站首頁｜ＡＢＣ：")
    '网站首页|abc:'
    """
    return text.translate(fold_table())


_PINYIN_LETTER, _TONE_MARKED = 1, 2
_PINYIN_LUT_SIZE = 0x250
_MAX_GLOSS = 8


def _build_pinyin_lut() -> np.ndarray:
    lut = np.zeros(_PINYIN_LUT_SIZE, dtype=np.uint8)
    for char in "abcdefghijklmnopqrstuvwxyzü" + _TONED:
        lut[ord(char)] |= _PINYIN_LETTER
    for char in _TONED:
        lut[ord(char)] |= _TONE_MARKED
    return lut


_PINYIN_LUT = _build_pinyin_lut()
_NO_POSITIONS = np.zeros(0, dtype=np.int64)
_NO_POSITIONS.flags.writeable = False
_NOT_HAN = regex.compile(r"\P{Han}")
_HAN_RUN = regex.compile(r"\p{Han}+")
HAN_TABLE_SIZE = 0x40000
"""Code points below this are looked up in the Han table; text with any beyond goes through the regex."""


@lru_cache(maxsize=1)
def han_table() -> np.ndarray:
    """Whether each code point below ``HAN_TABLE_SIZE`` is ``\\p{Han}`` to the regex module, read off the regex
    itself once per process (a few milliseconds), so the table and the regex cannot disagree."""
    table = np.zeros(HAN_TABLE_SIZE, dtype=bool)
    for run in _HAN_RUN.finditer("".join(map(chr, range(HAN_TABLE_SIZE)))):
        table[run.start() : run.end()] = True
    return table


def han_mask(codes: np.ndarray) -> np.ndarray:
    """Which code points are Han (``\\p{Han}``): one table gather instead of a regex substitution, which
    costs a call per non-Han character."""
    if codes.size and int(codes.max()) >= HAN_TABLE_SIZE:
        return code_points(_NOT_HAN.sub("\x00", from_code_points(codes))) != 0
    return han_table().take(codes)


def _gloss_spans(folded: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``PINYIN_GLOSS`` matches, as the positions of each opening and closing bracket, found with numpy.

    A gloss is a ``(`` after a Han character, one to eight pinyin letters with at least one tone mark, and
    the next ``)``. Brackets are paired with ``searchsorted``; the letters between are checked as one small
    window matrix; only the characters before candidate brackets go through the Han test. The compiled core,
    when it was built, finds the same brackets in one pass.
    """
    if native is not None and codes.dtype == np.uint32 and codes.flags.c_contiguous:
        found_opens, found_closes = native.gloss_brackets(codes, _PINYIN_LUT)
        if not found_opens:
            return _NO_POSITIONS, _NO_POSITIONS
        opens, ends = np.array(found_opens, dtype=np.int64), np.array(found_closes, dtype=np.int64)
        han = han_mask(codes[opens - 1])
        return opens[han], ends[han]
    opens = np.flatnonzero(codes == ord("("))
    closes = np.flatnonzero(codes == ord(")"))
    opens = opens[opens > 0]
    following = np.searchsorted(closes, opens)
    paired = following < closes.size
    opens, ends = opens[paired], closes[following[paired]]
    width = ends - opens - 1
    short = (width >= 1) & (width <= _MAX_GLOSS)
    opens, ends, width = opens[short], ends[short], width[short]
    offsets = np.arange(1, _MAX_GLOSS + 1)
    window = np.minimum(opens[:, None] + offsets, codes.size - 1)
    kinds = _PINYIN_LUT[np.minimum(codes[window], _PINYIN_LUT_SIZE - 1)]
    inside = offsets <= width[:, None]
    glossy = np.all(((kinds & _PINYIN_LETTER) > 0) | ~inside, axis=1) & np.any(
        ((kinds & _TONE_MARKED) > 0) & inside, axis=1
    )
    opens, ends = opens[glossy], ends[glossy]
    han = han_mask(codes[opens - 1])
    return opens[han], ends[han]


def fold(text: str) -> Folded:
    """Fold ``text`` for matching and cut glued pinyin glosses, keeping the offset map.

    >>> folded = fold("網(wǎng)站首頁")
    >>> folded.text, folded.original_offset(2)
    ('网站首页', 8)
    """
    raw = code_points(text)
    lut = fold_lut()
    if raw.size and int(raw.max()) >= LUT_SIZE:
        codes = np.where(raw < LUT_SIZE, lut[np.minimum(raw, LUT_SIZE - 1)], raw)
    else:
        codes = lut.take(raw)
    folded = from_code_points(codes)
    if "(" not in folded:
        return Folded(folded, len(text), None, codes)
    if native is None and PINYIN_GLOSS.search(folded) is None:
        return Folded(folded, len(text), None, codes)
    opens, closes = _gloss_spans(folded, codes)
    if not opens.size:
        return Folded(folded, len(text), None, codes)
    size = len(folded) + 1
    edges = np.bincount(opens, minlength=size) - np.bincount(closes + 1, minlength=size)
    keep = np.cumsum(edges[:-1]) == 0
    kept = codes[keep]
    return Folded(from_code_points(kept), len(text), np.flatnonzero(keep), kept)
