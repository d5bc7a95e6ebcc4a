"""Double-byte code tables: which byte pairs decode to which character, per codec.

The misaligned-run repair needs, for a known trail byte, every lead byte that would make
a character (and the reverse). Decoding all 32,000 pairs once per codec gives a
``(256, 256)`` table of code points, ``-1`` where the pair does not decode to one
character and ``-2`` where it decodes to the Private Use Area (user-defined rows: what a
decoder shows for them is as good as lost).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import regex

INVALID = -1
PRIVATE = -2
DOUBLE_BYTE_CODECS = ("gb18030", "big5")


@lru_cache(maxsize=4)
def pair_table(codec: str) -> np.ndarray:
    """``table[lead, trail]``: the code point the pair decodes to, or INVALID / PRIVATE."""
    table = np.full((256, 256), INVALID, dtype=np.int32)
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) != 1:
                continue
            code = ord(text)
            table[lead, trail] = PRIVATE if 0xE000 <= code <= 0xF8FF else code
    return table


@lru_cache(maxsize=65536)
def encode_char(char: str, codec: str) -> bytes | None:
    """The bytes of one character in ``codec``, or None if it has no encoding there."""
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=4)
def folded_forms(codec: str) -> tuple[regex.Pattern[str], dict[str, bytes]]:
    """What NFKC made of the codec's characters that fold to several characters (``…`` to ``...``, ``㈠`` to ``(一)``).

    Returns a pattern matching any such folded form (longest first) and, per form, the
    bytes of the character it came from. Forms of letters and digits only (``ⅱ`` to ``ii``)
    are left out: fullwidth letters and digits explain those far more often.
    """
    table = pair_table(codec)
    forms: dict[str, bytes] = {}
    for lead, trail in zip(*np.nonzero(table > 0), strict=True):
        folded = unicodedata.normalize("NFKC", chr(int(table[lead, trail])))
        if len(folded) > 1 and not folded[0].isspace() and not (folded.isascii() and folded.isalnum()):
            forms.setdefault(folded, bytes((int(lead), int(trail))))
    alternatives = sorted(forms, key=len, reverse=True)
    pattern = "|".join(regex.escape(form) + ("(?![0-9])" if form[-1] in ".0123456789" else "") for form in alternatives)
    return regex.compile(pattern), forms


@lru_cache(maxsize=4)
def alphanumeric_folds(codec: str) -> tuple[regex.Pattern[str], dict[str, str]]:
    """The codec's symbols NFKC folds to ASCII letters or digits only (``⑦`` to ``7``, ``Ⅻ`` to ``XII``), by fold.

    :func:`folded_forms` leaves these out, since fullwidth letters and digits explain such text
    far more often; a misaligned run still makes them (GBK's ``、`` ends in the lead byte of
    that row, so ``、`` and the next character read out of step as ``⑦``), and the repair tries
    them as a second reading. Returns a pattern matching a whole such fold (longest first) and,
    per fold, the symbol. Fullwidth forms themselves are left out.
    """
    table = pair_table(codec)
    symbols: dict[str, str] = {}
    for code in sorted(int(code) for code in np.unique(table[table > 0])):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code) and folded.isascii() and folded.isalnum() and not 0xFF01 <= code <= 0xFF5E:
            symbols.setdefault(folded, chr(code))
    alternatives = "|".join(regex.escape(form) for form in sorted(symbols, key=len, reverse=True))
    # a whole token: no letter or digit before it; after it none, or a single letter that ends the run (a trail byte)
    pattern = regex.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?=[^0-9A-Za-z]|[\x40-\x7e][^\x00-\x7f])")
    return pattern, symbols
