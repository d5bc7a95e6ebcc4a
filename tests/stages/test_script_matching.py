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


def _reference_run(matcher: _Matcher, text: str) -> str:
    """Conversion assembled from the walk's phrases and the character table, piece by piece."""
    characters = matcher.table.apply(text)
    pieces, cursor = [], 0
    for at, end, value in _walk(matcher, text):
        pieces += [characters[cursor:at], value]
        cursor = end
    return "".join([*pieces, characters[cursor:]])


@pytest.mark.parametrize("config", ["s2t", "t2s", "s2twp", "tw2s", "s2hk"])
def test_conversion_in_place_equals_the_piecewise_assembly(config):
    converter = get_converter(config)
    for number, matcher in enumerate(converter.steps):
        for text in _texts(matcher, seed=100 + number):
            assert matcher.run(text, convert=True, mark=None) == _reference_run(matcher, text), text


def test_text_ending_inside_a_key_and_tiny_texts():
    matcher = get_converter("s2t").steps[0]
    for text in ("", "a", "中", "中国", "发展中", "\x00中国"):
        assert matcher._matches(text) == _walk(matcher, text)


@pytest.mark.parametrize("config", ["s2t", "t2s", "s2twp", "tw2s", "s2hk"])
def test_text_with_urls_converts_as_piece_by_piece(config):
    """Pages with URLs are converted in one call with the pieces joined by a separator; the result must be
    the piecewise conversion (URLs and e-mail addresses untouched)."""
    from cleanse.stages.script import stage

    converter = get_converter(config)
    rng = random.Random(7)
    keys = sorted(key for level in converter.steps[0].levels for key in level.phrases)
    for _ in range(30):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append("".join(rng.choice(keys) for _ in range(rng.randint(0, 6))))
            parts.append(rng.choice([" http://example.com/a?b=中国 ", " mail@example.org ", "", "，"]))
        text = "".join(parts)
        spans = stage._unprotected(text, 0, len(text))
        expected, cursor = [], 0
        for start, end in spans:
            expected += [text[cursor:start], converter.convert(text[start:end])]
            cursor = end
        expected.append(text[cursor:])
        assert stage.convert_text(text, config) == "".join(expected)


def test_piece_separators_are_in_no_dictionary():
    from cleanse.stages.script import stage

    for config in ("s2t", "t2s", "s2twp", "tw2s", "s2hk", "s2tw", "hk2s"):
        converter = get_converter(config)
        for matcher in converter.steps:
            entries = [(k, v) for level in matcher.levels for k, v in level.phrases.items()]
            entries += [(chr(code), value) for code, value in matcher.table.mapping.items()]
            for separator in stage._PIECE_SEPARATORS:
                assert not any(separator in key or separator in value for key, value in entries)
                assert ord(separator) not in converter.normalization.mapping
