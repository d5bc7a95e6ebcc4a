"""Regenerate ``t2s_chars.tsv``: the one-character Traditional -> Simplified fold the spam matcher uses.

Run ``python cleanse/data/spam/build_fold_table.py`` with ``opencc-python-reimplemented`` installed (a
dependency of cleanse). Only one-to-one character mappings are kept (the first candidate of each entry), so
folding is a length-preserving ``str.translate`` and offsets in the folded text equal offsets in the original.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "t2s_chars.tsv"


def build() -> int:
    import opencc  # type: ignore[import-untyped]

    source = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    rows: list[str] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        traditional, _, candidates = line.partition("\t")
        simplified = candidates.split(" ")[0] if candidates else ""
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            rows.append(f"{traditional}\t{simplified}")
    header = "# Traditional -> Simplified, one character each; from OpenCC TSCharacters.txt (Apache-2.0)\n"
    OUTPUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {build()} mappings to {OUTPUT}")
