"""The reprint generator: reproducible, ground truth consistent, edits real and bounded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from benchmarks.reprints import (
    EDIT_KINDS,
    generate_reprints,
    seed_paragraphs,
    split_paragraphs,
    split_sentences,
)


def _han_bigrams(text: str) -> set[str]:
    han = "".join(character for character in text if "\u4e00" <= character <= "\u9fff")
    return {han[index : index + 2] for index in range(len(han) - 1)}


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), unit=st.sampled_from(["paragraph", "document"]))
def test_truth_is_consistent_with_the_parameters(seed: int, unit: str) -> None:
    corpus = generate_reprints(seed=seed, clusters=6, copies=3, singletons=4, unit=unit)  # type: ignore[arg-type]
    assert len(corpus.texts) == len(corpus.labels) == len(corpus.edits) == len(corpus.sources) == 6 * 3 + 4
    assert all(corpus.texts)
    assert sorted(len(group) for group in corpus.clusters()) == [3] * 6
    assert len(corpus.pairs()) == 6 * 3
    for group in corpus.clusters():
        originals = [index for index in group if not corpus.edits[index]]
        assert len(originals) == 1
        assert len({corpus.sources[index] for index in group}) == 1
    for edits in corpus.edits:
        assert set(edits) <= set(EDIT_KINDS)
        assert len(edits) <= 3


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    first = generate_reprints(seed=7, clusters=5, copies=3, singletons=2)
    again = generate_reprints(seed=7, clusters=5, copies=3, singletons=2)
    other = generate_reprints(seed=8, clusters=5, copies=3, singletons=2)
    assert (first.texts, first.labels, first.edits) == (again.texts, again.labels, again.edits)
    assert first.texts != other.texts


def test_reprints_differ_from_their_original_but_stay_related() -> None:
    corpus = generate_reprints(seed=3, clusters=30, copies=4, singletons=0, min_edits=1, max_edits=2)
    original = {corpus.labels[index]: corpus.texts[index] for index, edits in enumerate(corpus.edits) if not edits}
    changed = 0
    for text, label, edits in zip(corpus.texts, corpus.labels, corpus.edits, strict=True):
        if not edits or "traditional" in edits:
            continue
        changed += text != original[label]
        source = _han_bigrams(original[label])
        assert len(_han_bigrams(text) & source) >= 0.25 * len(source), edits
    reprints = sum(1 for edits in corpus.edits if edits and "traditional" not in edits)
    assert changed >= 0.95 * reprints


def test_stories_are_distinct_from_each_other() -> None:
    corpus = generate_reprints(seed=0, clusters=0, copies=2, singletons=60)
    grams = [_han_bigrams(text) for text in corpus.texts]
    for index, first in enumerate(grams):
        for second in grams[index + 1 :]:
            assert len(first & second) / len(first | second) < 0.5


def test_every_edit_kind_is_used_and_traditional_copy_is_traditional() -> None:
    corpus = generate_reprints(seed=1, clusters=40, copies=4, singletons=0)
    used = {name for edits in corpus.edits for name in edits}
    assert used == set(EDIT_KINDS)
    traditional = [text for text, edits in zip(corpus.texts, corpus.edits, strict=True) if "traditional" in edits]
    to_simplified = OpenCC("t2s").convert
    assert traditional and all(to_simplified(text) != text for text in traditional)


def test_held_out_halves_do_not_share_stories() -> None:
    tuning = generate_reprints(seed=0, clusters=0, copies=2, singletons=40, held_out=False)
    held_out = generate_reprints(seed=0, clusters=0, copies=2, singletons=40, held_out=True)
    assert not set(tuning.texts) & set(held_out.texts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"copies": 1}, "copies"),
        ({"clusters": -1}, "clusters"),
        ({"unit": "sentence"}, "unit"),
        ({"min_edits": 3, "max_edits": 1}, "min_edits"),
        ({"clusters": 10_000}, "stories"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_reprints(**kwargs)  # type: ignore[arg-type]


def test_missing_seed_directory_raises(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileNotFoundError):
        generate_reprints(seeds_dir=tmp_path)


def test_splitters() -> None:
    assert split_sentences("甲。乙！") == ["甲。", "乙！"]
    assert split_paragraphs("一。 二。\n三") == ["一。", "二。", "三"]
    assert len(seed_paragraphs()) > 100
