"""Double-byte code tables: which byte pairs decode to which character, per codec.

The misaligned-run repair needs, for a known trail byte, every lead byte that would make
a character (and the reverse). Decoding all 32,000 pairs once per codec gives a
``(256, 256)`` table of code points, ``-1`` where the pair does not decode to one
character and ``-2`` where it decodes to the Private Use Area (user-defined rows: what a
decoder shows for them is as good as lost).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

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


def encode_char(char: str, codec: str) -> bytes | None:
    """The bytes of one character in ``codec``, or None if it has no encoding there."""
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return None
