"""Normalisation, shingles and MinHash signatures: reference agreement, datasketch compatibility, native = numpy."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.minhash import estimate_jaccard, permutations, signatures, to_lean_minhash
from cleanse.stages.dedup.normalise import NormalisedUnit, normalise_batch, normalise_unit
from cleanse.stages.dedup.shingles import hash_shingles, shingle_batch, shingle_hash, shingle_strings

MIXED = st.text(alphabet=st.sampled_from([*"城市基層党建工作，。 abcXYZ12３Ａ！\n𠀀😀", "\ud800"]), max_size=40)


def test_traditional_fullwidth_and_punctuation_fold_to_the_simplified_original() -> None:
    simplified = normalise_unit("网站首页：城市基层党建，引领基层治理。")
    assert normalise_unit("網站首頁:城市基層黨建, 引領基層治理.") == simplified
    assert normalise_unit("網站首頁：城市基層黨建，\n引領基層治理。") == simplified
    assert simplified.words is False


def test_mostly_latin_text_is_kept_as_words() -> None:
    assert normalise_unit("The BRICS summit, held in 2022!") == NormalisedUnit("the brics summit held in 2022", True)
    assert shingle_strings(normalise_unit("one two three four"), word_ngram=3) == ["one two three", "two three four"]


@given(st.lists(MIXED, max_size=8))
@settings(max_examples=60, deadline=None)
def test_batch_normalisation_equals_one_by_one(texts: list[str]) -> None:
    batch = normalise_batch(texts)
    assert [batch.unit(i) for i in range(len(texts))] == [normalise_unit(t) for t in texts]


@given(st.lists(MIXED, max_size=8), st.integers(1, 6), st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_vectorised_shingle_hashes_equal_the_reference(texts: list[str], ngram: int, word_ngram: int) -> None:
    normal = normalise_batch(texts)
    batch = hash_shingles(normal, ngram, word_ngram)
    for index in range(len(texts)):
        expected = [shingle_hash(s) for s in shingle_strings(normal.unit(index), ngram, word_ngram)]
        assert batch.unit(index).tolist() == expected


def test_short_units_get_distinct_meaningful_signatures() -> None:
    signs = signatures(shingle_batch(["党建", "治理", "党建", ""]))
    assert estimate_jaccard(signs[0], signs[2]) == 1.0
    assert estimate_jaccard(signs[0], signs[1]) == 0.0
    assert (signs[3] == np.uint32(0xFFFFFFFF)).all() and not (signs[0] == np.uint32(0xFFFFFFFF)).all()


def test_signatures_match_datasketch_with_our_hash_function(seed_paragraphs: list[tuple[str, int, str]]) -> None:
    units = [normalise_unit(p) for _, _, p in seed_paragraphs[:40]]
    signs = signatures(shingle_batch(units), num_perm=128, seed=7)
    for unit, row in zip(units, signs, strict=True):
        reference = MinHash(num_perm=128, seed=7, hashfunc=shingle_hash, scheme="affine32")
        reference.update_batch(shingle_strings(unit))
        assert reference.hashvalues.tolist() == row.tolist()
    lean = [to_lean_minhash(row, seed=7) for row in signs[:10]]
    assert isinstance(lean[0], LeanMinHash) and lean[0].hashvalues.nbytes == 512
    for i in range(9):
        assert lean[i].jaccard(lean[i + 1]) == estimate_jaccard(signs[i], signs[i + 1])


def test_permutations_are_datasketch_affine32() -> None:
    a, b = permutations(64, 3)
    reference = MinHash(num_perm=64, seed=3, scheme="affine32")
    assert a.tolist() == reference.permutations[0].tolist() and b.tolist() == reference.permutations[1].tolist()
    with pytest.raises(ValueError, match="num_perm"):
        permutations(0, 1)


@pytest.mark.parametrize("seed", [0, 1, 99, (1 << 32) - 1])
def test_permutations_are_numpys_random_draws(seed: int) -> None:
    for num_perm in (1, 128, 1024):
        generator = np.random.RandomState(seed)
        a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        found = permutations.__wrapped__(num_perm, seed)
        assert np.array_equal(found[0], a) and np.array_equal(found[1], b)


@pytest.mark.skipif(native is None, reason="compiled core not built")
def test_native_core_equals_numpy_path(seed_paragraphs: list[tuple[str, int, str]]) -> None:
    batch = shingle_batch([normalise_unit(p) for _, _, p in seed_paragraphs] + ["", "x"])
    assert np.array_equal(signatures(batch, use_native=True), signatures(batch, use_native=False))


@given(st.lists(st.sets(st.integers(0, 60), max_size=30), min_size=2, max_size=2))
@settings(max_examples=40, deadline=None)
def test_estimate_stays_near_true_jaccard(sets: list[set[int]]) -> None:
    texts = ["".join(chr(0x4E00 + v) for v in sorted(s)) for s in sets]
    first, second = (set(shingle_strings(t, ngram=1)) for t in texts)
    if not first or not second:
        return
    truth = len(first & second) / len(first | second)
    signs = signatures(shingle_batch(texts, ngram=1), num_perm=256)
    assert abs(estimate_jaccard(signs[0], signs[1]) - truth) < 0.25


@pytest.mark.skipif(native is None, reason="compiled core not built")
@given(st.lists(MIXED, max_size=10), st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_native_hashes_and_sets_equal_numpy(texts: list[str], ngram: int) -> None:
    from cleanse.stages.dedup.shingles import numpy_shingle_hashes, numpy_span_hashes, span_hashes
    from cleanse.stages.dedup.verify import ShingleSets

    normal = normalise_batch(texts)
    starts = np.arange(len(normal.codes), dtype=np.int64)
    ends = np.minimum(starts + ngram, len(normal.codes))
    assert np.array_equal(span_hashes(normal.codes, starts, ends), numpy_span_hashes(normal.codes, starts, ends))
    batch = hash_shingles(normal, ngram)
    numpy_hashes, numpy_counts = numpy_shingle_hashes(normal, np.cumsum(normal.lengths) - normal.lengths, ngram, 3)
    assert np.array_equal(batch.hashes, numpy_hashes) and np.array_equal(batch.counts(), numpy_counts)
    native_sets, numpy_sets = ShingleSets.from_batch(batch), ShingleSets.from_batch_numpy(batch)
    assert np.array_equal(native_sets.values, numpy_sets.values)
    assert np.array_equal(native_sets.offsets, numpy_sets.offsets)


def test_pure_numpy_path_finds_the_same_clusters(
    seed_paragraphs: list[tuple[str, int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleanse.stages.dedup import find_duplicates, minhash, shingles, verify

    texts = [p for _, _, p in seed_paragraphs] * 2
    expected = find_duplicates(texts, threshold=0.7)
    for module in (minhash, shingles, verify):
        monkeypatch.setattr(module, "native", None)
    assert find_duplicates(texts, threshold=0.7) == expected


def test_shipped_fold_table_matches_its_build_script() -> None:
    from cleanse.data.dedup import build_fold_table  # type: ignore[import-not-found]

    script = build_fold_table.opencc_characters()
    from cleanse.stages.dedup.normalise import _tables

    fold, han = _tables(True)
    for char in "網站首頁ＡＢ，。 \u3000\t臺灣乾隆😀𠀀Éa":
        expected = 0 if build_fold_table.is_removed(char) else ord(build_fold_table.fold_char(char, script))
        assert int(fold[ord(char)]) == expected, char
    assert han[ord("網")] and han[ord("𠀀")] and not han[ord("a")]
