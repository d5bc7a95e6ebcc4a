"""Seed paragraphs for the dedup tests, and the repository root on ``sys.path`` for ``benchmarks``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def seed_paragraphs() -> list[tuple[str, int, str]]:
    """``(seed stem, line number, paragraph)`` for every non-blank line of every seed file."""
    found = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for number, line in enumerate(path.read_text("utf-8").split("\n")):
            if line.strip():
                found.append((path.stem[:3], number, line.strip()))
    return found
