"""The compiled dedup core never reads or writes outside its buffers: odd inputs give the numpy path's answer
or a ValueError (a word unit of spaces once made ``shingle_hashes`` write one value past ``out``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.normalise import NormalisedBatch, NormalisedUnit, encode_codes
from cleanse.stages.dedup.shingles import BASE, numpy_shingle_hashes, shingle_batch

pytestmark = pytest.mark.skipif(native is None, reason="compiled core not built")

SPACED_WORDS = st.text(alphabet=st.sampled_from(" ab网"), max_size=12)


def _numpy_hashes(units: list[NormalisedUnit], word_ngram: int) -> tuple[np.ndarray, np.ndarray]:
    codes = encode_codes("".join(u.text for u in units))
    lengths = np.array([len(u.text) for u in units], dtype=np.int64)
    batch = NormalisedBatch(codes, lengths, np.array([u.words for u in units], dtype=bool))
    return numpy_shingle_hashes(batch, np.cumsum(lengths) - lengths, 5, word_ngram)


@given(st.lists(st.tuples(SPACED_WORDS, st.booleans()), min_size=1, max_size=6), st.integers(1, 4))
@settings(max_examples=150, deadline=None)
def test_word_units_with_any_spacing_match_numpy(units: list[tuple[str, bool]], word_ngram: int) -> None:
    normal = [NormalisedUnit(text, words) for text, words in units]
    batch = shingle_batch(normal, word_ngram=word_ngram)
    hashes, counts = _numpy_hashes(normal, word_ngram)
    assert np.array_equal(batch.hashes, hashes)
    assert np.array_equal(batch.counts(), counts)


def test_a_word_unit_of_spaces_has_no_shingles() -> None:
    batch = shingle_batch([NormalisedUnit(" ", True)], word_ngram=1)
    assert batch.hashes.size == 0 and batch.counts().tolist() == [0]


def test_negative_unit_length_is_an_error() -> None:
    assert native is not None
    codes = encode_codes("abcd")
    out = np.empty(4, dtype=np.uint32)
    counts = np.empty(2, dtype=np.int64)
    lengths = np.array([-1, 5], dtype=np.int64)
    with pytest.raises(ValueError, match="negative"):
        native.shingle_hashes(codes, lengths, np.zeros(2, dtype=np.uint8), out, counts, 2, 1, BASE)


def test_intersections_reject_offsets_past_the_values() -> None:
    assert native is not None
    values = np.arange(4, dtype=np.uint32)
    offsets = np.array([0, 2, 1 << 40], dtype=np.int64)
    out = np.zeros(1, dtype=np.int64)
    with pytest.raises(ValueError, match="offsets"):
        native.intersections(values, offsets, np.array([0]), np.array([1]), out)
