"""The line screen of the Latin-script mojibake fixer finds the lines a plain per-line search finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.stages.encoding.latin_mojibake import _FTFY_SCREEN, _lines_with_hits, fix_latin_mojibake


def _lines_by_search(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        if _FTFY_SCREEN.search(line):
            spans.append((start, start + len(line)))
        start += len(line)
    return spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中文aé·Ã©\n\r\u2028 ", max_size=30))
def test_lines_with_hits_are_the_lines_a_search_of_each_finds(text: str) -> None:
    hit = _FTFY_SCREEN.search(text)
    assert (list(_lines_with_hits(text, hit)) if hit else []) == _lines_by_search(text)


def test_a_middle_dot_alone_sends_no_line_to_ftfy() -> None:
    assert _FTFY_SCREEN.search("约翰·史密斯说") is None
    assert fix_latin_mojibake("约翰·史密斯说\ncafÃ© ok") != []
