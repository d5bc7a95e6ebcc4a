"""The vectorised phrase search takes exactly the phrases forward maximum matching takes."""

from __future__ import annotations

import random

import pytest

from cleanse.stages.script.converter import _Matcher, get_converter


def _walk(matcher: _Matcher, text: str) -> list[tuple[int, int, str]]:
    """Forward maximum matching the slow, obvious way: try every position."""
    found = []
    at = 0
    while at < len(text):
        match = matcher.longest_match(text, at)
        if match is None:
            at += 1
            continue
        found.append((at, match[0], match[1]))
        at = match[0]
    return found


def _texts(matcher: _Matcher, seed: int) -> list[str]:
    """Runs of dictionary keys, their prefixes and stray characters glued together: overlaps everywhere."""
    rng = random.Random(seed)
    keys = sorted(key for level in matcher.levels for key in level.phrases)
    texts = []
    for _ in range(40):
        pieces = []
        for _ in range(rng.randint(1, 30)):
            key = rng.choice(keys)
            choice = rng.random()
            if choice < 0.5:
                pieces.append(key)
            elif choice < 0.8:
                pieces.append(key[: rng.randint(1, len(key))])
            else:
                pieces.append(rng.choice("的了是，。 a1\n中国发展後來"))
        texts.append("".join(pieces))
    return texts


@pytest.mark.parametrize("config", ["s2t", "t2s", "s2twp", "tw2s", "s2hk"])
def test_vectorised_matches_equal_the_position_by_position_walk(config):
    converter = get_converter(config)
    for number, matcher in enumerate(converter.steps):
        for text in _texts(matcher, seed=number):
            assert matcher._matches(text) == _walk(matcher, text), text


def test_text_ending_inside_a_key_and_tiny_texts():
    matcher = get_converter("s2t").steps[0]
    for text in ("", "a", "中", "中国", "发展中", "\x00中国"):
        assert matcher._matches(text) == _walk(matcher, text)
