"""Where URLs can be in folded text: a cheap test that skips the URL pattern on text without a URL shape, and
the lines it needs to run on when there is one.

Every ``patterns.URL`` match holds ``://``, or an ASCII dot with ``w`` before it or a letter after it, and no
match crosses a line break: looking for those few characters costs far less than running the pattern, which
the regex engine tries at every position.
"""

from __future__ import annotations

import numpy as np

_DOT, _W, _A, _Z = (ord(char) for char in ".waz")
FEW_DOTS = 32
"""Up to this many dots are checked one by one; more (tables of decimals) in one array pass."""


def may_hold_url(text: str, codes: np.ndarray) -> bool:
    """False when ``patterns.URL`` cannot match folded ``text``: no ``://`` and no ASCII dot between two
    characters with ``w`` before it or a letter after it. A few substring searches and a look at each dot (or
    one array pass when there are many), instead of a search per top-level domain.
    """
    if "/" in text and "://" in text:
        return True
    if "." not in text:
        return False
    if text.count(".") <= FEW_DOTS:
        last = len(text) - 1
        position = text.find(".", 1)
        while 0 < position < last:
            if "a" <= text[position + 1] <= "z" or text[position - 1] == "w":
                return True
            position = text.find(".", position + 1)
        return False
    dots = np.flatnonzero(codes[1:-1] == _DOT) + 1
    if not dots.size:
        return False
    after = codes[dots + 1]
    return bool(np.any(((after >= _A) & (after <= _Z)) | (codes[dots - 1] == _W)))


def url_lines(text: str, codes: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of folded ``text`` that holds a ``://`` or a dot that may belong to a URL
    (see :func:`may_hold_url`), without its newline.

    Every ``patterns.URL`` match holds one of these and none crosses a line break, so matching these lines
    alone finds the same matches as a scan of the whole text, which costs a tenth of a microsecond per
    character in the regex engine.
    """
    candidates: list[int] = []
    position = text.find("://")
    while position >= 0:
        candidates.append(position)
        position = text.find("://", position + 1)
    dots = text.count(".")
    if dots and dots <= FEW_DOTS:
        last = len(text) - 1
        position = text.find(".", 1)
        while 0 < position < last:
            if "a" <= text[position + 1] <= "z" or text[position - 1] == "w":
                candidates.append(position)
            position = text.find(".", position + 1)
    elif dots:
        at = np.flatnonzero(codes[1:-1] == _DOT) + 1
        after = codes[at + 1]
        candidates.extend(at[((after >= _A) & (after <= _Z)) | (codes[at - 1] == _W)].tolist())
    lines: dict[int, int] = {}
    for position in sorted(candidates):
        start = text.rfind("\n", 0, position) + 1
        if start not in lines:
            end = text.find("\n", position)
            lines[start] = len(text) if end < 0 else end
    return list(lines.items())
