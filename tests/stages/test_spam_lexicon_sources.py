"""Every lexicon row carries its source, and the rows marked ``seeds`` are exactly the words found in the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanse.stages.spam.lexicon import LEXICON_LABELS, SOURCES, read_rows
from cleanse.stages.spam.normalise import fold_chars
from cleanse.stages.spam.signals import CATEGORIES
from cleanse.stages.spam.signals import read_rows as read_signal_rows

ROOT = Path(__file__).resolve().parents[2]
SEEDS = fold_chars("\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))))
PUBLIC = {"cleanse", "ldnoobw", "konsheng"}


@pytest.mark.parametrize("label", LEXICON_LABELS)
def test_seed_words_are_marked_and_only_they(label: str) -> None:
    rows = read_rows(label)
    assert rows
    for _, word, _, _, source in rows:
        assert source in SOURCES
        assert (fold_chars(word.strip()) in SEEDS) == (source == "seeds"), (label, word, source)


def test_signal_rows_name_known_sources_and_categories() -> None:
    rows = read_signal_rows()
    assert len(rows) > 1000
    sources = set()
    for word, weight, category, source in rows:
        assert category in CATEGORIES, word
        assert 0 < weight <= 1
        parts = set(source.split(";"))
        assert parts <= PUBLIC, (word, source)
        sources |= parts
    assert sources == PUBLIC
    assert {category for _, _, category, _ in rows} == set(CATEGORIES)
