"""Which script (Simplified or Traditional) the text around a repair is in.

A repair should keep to the script around it: a Traditional paragraph does not gain a
Simplified-only character from a misaligned byte. The character sets come from OpenCC's
table (``cleanse/data/encoding/script_chars.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np

from cleanse.stages.encoding._lm import codepoints

Script = Literal["simplified", "traditional", "unknown"]
#: a character of the other script than its surroundings costs this many nats.
WRONG_SCRIPT_PENALTY = 4.0
_MIN_EVIDENCE = 3


_OUTSIDE = 0x10000  # the table slot of code points outside the BMP: none of them is script-specific


@dataclass(frozen=True, slots=True)
class _Members:
    """A set of characters: a flag per BMP code point, a sorted array for the rest."""

    bmp: np.ndarray
    beyond: np.ndarray

    def __call__(self, codes: np.ndarray) -> np.ndarray:
        if not len(codes):
            return np.zeros(0, dtype=bool)
        if int(codes.max()) < _OUTSIDE:
            return self.bmp[codes]  # type: ignore[no-any-return]
        return self.bmp[np.minimum(codes, _OUTSIDE)] | np.isin(codes, self.beyond)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _script_tables() -> tuple[_Members, _Members]:
    """The characters only Simplified text uses, and those only Traditional text uses."""
    source = resources.files("cleanse").joinpath("data/encoding/script_chars.txt")
    simplified, traditional = source.read_text(encoding="utf-8").splitlines()[:2]
    tables = []
    for chars in (simplified, traditional):
        codes = codepoints(chars)
        bmp = np.zeros(_OUTSIDE + 1, dtype=bool)
        bmp[codes[codes < _OUTSIDE]] = True
        tables.append(_Members(bmp, codes[codes >= _OUTSIDE]))
    return tables[0], tables[1]


def _members(table: _Members, codes: np.ndarray) -> np.ndarray:
    return table(codes)


def script_of(text: str) -> Script:
    """The script the text is clearly in, or "unknown"."""
    return script_and_strangers(codepoints(text))[0]


def script_and_strangers(codes: np.ndarray) -> tuple[Script, np.ndarray]:
    """The script of the characters, and which of them belong only to the other script (none if "unknown")."""
    simplified, traditional = _script_tables()
    simp_mask = _members(simplified, codes)
    trad_mask = _members(traditional, codes)
    simp, trad = int(simp_mask.sum()), int(trad_mask.sum())
    if trad >= _MIN_EVIDENCE and trad > 3 * simp:
        return "traditional", simp_mask
    if simp >= _MIN_EVIDENCE and simp > 3 * trad:
        return "simplified", trad_mask
    return "unknown", np.zeros(len(codes), dtype=bool)


def strangers_by_line(codes: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Which of ``codes[positions]`` belong only to the other script than the rest of their line.

    Judged line by line, as :func:`context_on_line` judges a repair: the script stage converts
    lines to one script and the splice stage drops lines, and neither may change what counts
    as out of place on a line they leave as it is.
    """
    out = np.zeros(len(positions), dtype=bool)
    if not len(positions):
        return out
    chosen = codes[positions]
    simplified, traditional = _script_tables()
    simp_mask, trad_mask = _members(simplified, chosen), _members(traditional, chosen)
    # only characters of one script can be strangers, or count as evidence: lines are found for those alone
    specific = np.flatnonzero(simp_mask | trad_mask)
    if not len(specific):
        return out
    simp_mask, trad_mask = simp_mask[specific], trad_mask[specific]
    lines = np.searchsorted(np.flatnonzero(codes == 0x0A), positions[specific], side="right")
    count = int(lines[-1]) + 1
    simp = np.bincount(lines, weights=simp_mask, minlength=count)
    trad = np.bincount(lines, weights=trad_mask, minlength=count)
    traditional_line = (trad >= _MIN_EVIDENCE) & (trad > 3 * simp)
    simplified_line = (simp >= _MIN_EVIDENCE) & (simp > 3 * trad)
    out[specific] = (traditional_line[lines] & simp_mask) | (simplified_line[lines] & trad_mask)
    return out


def wrong_script_penalty(codes: np.ndarray, script: Script) -> np.ndarray:
    """A negative log-probability for each character that belongs to the other script only."""
    if script == "unknown":
        return np.zeros(len(codes), dtype=np.float64)
    simplified, traditional = _script_tables()
    other = simplified if script == "traditional" else traditional
    return np.where(_members(other, np.asarray(codes, dtype=np.int64)), -WRONG_SCRIPT_PENALTY, 0.0)


def context_on_line(text: str, start: int, end: int, reach: int) -> tuple[str, str]:
    """Up to ``reach`` characters each side of ``text[start:end]``, not beyond its own line.

    The script around a repair is judged on its line only: later stages drop lines (furniture, ads) and
    convert other lines' script, and a decision that leaned on them would change when cleaning again.
    """
    line_start = text.rfind("\n", max(0, start - reach), start) + 1 or max(0, start - reach)
    line_end = text.find("\n", end, end + reach)
    if line_end < 0:
        line_end = min(len(text), end + reach)
    return text[max(line_start, start - reach, 0) : start], text[end:line_end]
