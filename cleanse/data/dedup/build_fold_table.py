"""Build ``fold_table.npz``: the code point fold the dedup stage applies before hashing.

Run from the repository root: ``python cleanse/data/dedup/build_fold_table.py``. It reads OpenCC's
``TSCharacters.txt`` from the installed ``opencc-python-reimplemented`` and the Unicode character
database of the running Python (``unicodedata``) and of the ``regex`` module (``\\p{Han}``), and writes:

- ``sources`` / ``targets`` (uint32): every code point whose fold is not itself, and its fold; target 0
  means the character is removed (general category P*, S*, Z*, Cc or Cf, or whitespace);
- ``han_starts`` / ``han_ends`` (uint32): the ranges of code points with script Han.

Folding maps Traditional characters to Simplified (OpenCC's first candidate), fullwidth ASCII to
ASCII, and letters to lower case when that is one code point. A fixed table keeps signatures equal
across Python versions, whose Unicode databases differ.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import regex

HERE = Path(__file__).resolve().parent
TABLE = HERE / "fold_table.npz"
LAST_CODE = 0x110000
_HAN = regex.compile(r"\p{Han}")


def opencc_characters() -> dict[str, str]:
    """Traditional -> Simplified single characters (first candidate) from OpenCC's TSCharacters.txt."""
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(source) == 1 and candidates and len(candidates[0]) == 1:
            table[source] = candidates[0]
    return table


def is_removed(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PSZ" or category in ("Cc", "Cf") or char.isspace()


def fold_char(char: str, script: dict[str, str]) -> str:
    char = script.get(char, char)
    if 0xFF01 <= ord(char) <= 0xFF5E:
        char = chr(ord(char) - 0xFEE0)
    lower = char.lower()
    return lower if len(lower) == 1 else char


def build() -> dict[str, Any]:
    script = opencc_characters()
    sources, targets, han = [], [], np.zeros(LAST_CODE, dtype=bool)
    for code in range(LAST_CODE):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        han[code] = _HAN.match(char) is not None
        target = 0 if is_removed(char) else ord(fold_char(char, script))
        if target != code:
            sources.append(code)
            targets.append(target)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], han, [False])).astype(np.int8)))
    return {
        "sources": np.array(sources, dtype=np.uint32),
        "targets": np.array(targets, dtype=np.uint32),
        "han_starts": edges[0::2].astype(np.uint32),
        "han_ends": edges[1::2].astype(np.uint32),
    }


def main() -> None:
    arrays = build()
    np.savez_compressed(TABLE, **arrays)
    print(
        f"wrote {TABLE}: {len(arrays['sources'])} folded code points, {len(arrays['han_starts'])} Han ranges "
        f"(Python {sys.version.split()[0]}, Unicode {unicodedata.unidata_version}, regex {regex.__version__})"
    )


if __name__ == "__main__":
    main()
