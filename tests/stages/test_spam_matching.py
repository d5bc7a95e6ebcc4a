"""The fast paths of the spam labeller against plain reference versions of what they compute.

The lexicon matcher, the pinyin-gloss finder and the advertorial pre-check are built for speed (hash tables,
numpy windows, a prefix-sum bound); each is checked here against the obvious slow implementation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.stages.spam import patterns
from cleanse.stages.spam.context import SWITCH_COST, _best_segment_sum, _viterbi_runs
from cleanse.stages.spam.features import may_hold_url
from cleanse.stages.spam.lexicon import Lexicon
from cleanse.stages.spam.normalise import _TONED, PINYIN_GLOSS, _gloss_spans, code_points, fold

LEXICON = Lexicon.default()
WORDS = sorted(LEXICON.entries)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _reference_find(text: str) -> list[tuple[int, str]]:
    """Leftmost-longest, non-overlapping, ASCII words not glued to ASCII letters: a scan over every position."""

    def letter(position: int) -> bool:
        return 0 <= position < len(text) and text[position].isascii() and text[position].isalpha()

    found = []
    position = 0
    longest = max(len(word) for word in WORDS)
    while position < len(text):
        for length in range(min(longest, len(text) - position), 0, -1):
            word = text[position : position + length]
            if word not in LEXICON.entries:
                continue
            glued = (letter(position) and letter(position - 1)) or (
                letter(position + length - 1) and letter(position + length)
            )
            if not glued:
                found.append((position, word))
                position += length - 1
                break
        position += 1
    return found


_PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda word: word[: max(1, len(word) - 1)]),
    st.sampled_from(["a", "java", " ", "的", "|", ",", "\U0001f600", "\uffff", "網站", "x1"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_lexicon_find_is_leftmost_longest(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert LEXICON.find(text) == _reference_find(text)


def test_lexicon_find_on_folded_seeds() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        folded = fold(path.read_text(encoding="utf-8")).text
        assert LEXICON.find(folded) == _reference_find(folded)


_GLOSS_ALPHABET = list("网站首a b()zü〇々豈⺀x1") + list(_TONED) + ["("] * 3 + [")"] * 3


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_GLOSS_ALPHABET), max_size=30).map("".join))
def test_gloss_spans_match_the_regex(text: str) -> None:
    opens, closes = _gloss_spans(text, code_points(text))
    expected = [(m.start(), m.end() - 1) for m in PINYIN_GLOSS.finditer(text)]
    assert list(zip(opens.tolist(), closes.tolist(), strict=True)) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.floats(min_value=-8, max_value=8, allow_nan=False), min_size=1, max_size=12))
def test_viterbi_is_skipped_only_when_it_finds_no_run(emissions: list[float]) -> None:
    if _best_segment_sum(np.array(emissions)) < SWITCH_COST - 1e-9:
        assert _viterbi_runs(emissions) == []


_URL_PIECES = st.one_of(
    st.sampled_from(["http://", "https://", "www", ".", "com", "cn", "w", "a.b", "1.30", "ftp:", "/", ":"]),
    st.text(st.sampled_from("abw.:/-1 新闻,"), max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_URL_PIECES, max_size=10))
def test_url_precheck_never_skips_a_url(pieces: list[str]) -> None:
    text = "".join(pieces)
    if patterns.URL.search(text) is not None:
        assert may_hold_url(text, code_points(text))


def test_url_precheck_skips_text_without_url_shapes() -> None:
    assert not may_hold_url("定价:1.30元。新闻", code_points("定价:1.30元。新闻"))
    assert may_hold_url("访问 www.1", code_points("访问 www.1"))
