"""The quality metrics and the brute-force baseline of the dedup benchmark."""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.dedup_quality import (
    NORMALISATION_LADDER,
    adjusted_rand_index,
    brute_force_clusters,
    connected_components,
    exact_jaccard_pairs,
    labels_from_clusters,
    pair_scores,
    pairs_of,
    recall_by_edit,
    score_clusters,
    shingle_sets,
)
from benchmarks.reprints import generate_reprints

labelings = st.lists(st.integers(0, 5), min_size=2, max_size=30)


def _ari_by_pair_counting(truth: list[int], predicted: list[int]) -> float:
    """The textbook definition, from explicit pair counts: independent of the contingency-table code."""
    size = len(truth)
    together_truth = {(i, j) for i, j in combinations(range(size), 2) if truth[i] == truth[j]}
    together_predicted = {(i, j) for i, j in combinations(range(size), 2) if predicted[i] == predicted[j]}
    both = len(together_truth & together_predicted)
    expected = len(together_truth) * len(together_predicted) / comb(size, 2)
    maximum = (len(together_truth) + len(together_predicted)) / 2
    return 1.0 if maximum == expected else (both - expected) / (maximum - expected)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), truth=labelings)
def test_ari_matches_the_pair_counting_definition(data: st.DataObject, truth: list[int]) -> None:
    predicted = data.draw(st.lists(st.integers(0, 5), min_size=len(truth), max_size=len(truth)))
    assert adjusted_rand_index(truth, predicted) == pytest.approx(_ari_by_pair_counting(truth, predicted))


@settings(max_examples=30, deadline=None)
@given(truth=labelings)
def test_ari_is_one_for_a_relabelled_copy_and_symmetric(truth: list[int]) -> None:
    relabelled = [label * 7 + 3 for label in truth]
    assert adjusted_rand_index(truth, relabelled) == pytest.approx(1.0)
    shuffled = truth[::-1]
    assert adjusted_rand_index(truth, shuffled) == pytest.approx(adjusted_rand_index(shuffled, truth))


def test_ari_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="equal length"):
        adjusted_rand_index([0, 1], [0, 1, 2])


def test_labels_from_clusters_checks_the_partition() -> None:
    assert labels_from_clusters([[0, 2]], 3).tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match="two clusters"):
        labels_from_clusters([[0, 1], [1, 2]], 3)
    with pytest.raises(ValueError, match="outside"):
        labels_from_clusters([[0, 9]], 3)


def test_pair_scores_and_components() -> None:
    scores = pair_scores({(0, 1), (1, 2)}, {(0, 1), (3, 4)})
    assert (scores["precision"], scores["recall"], scores["f1"]) == (0.5, 0.5, 0.5)
    assert pair_scores(set(), set())["f1"] == 1.0
    assert connected_components(6, [(0, 1), (2, 1), (4, 5)]) == [[0, 1, 2], [4, 5]]
    assert pairs_of([[0, 1, 2]]) == {(0, 1), (0, 2), (1, 2)}


def test_exact_jaccard_matches_direct_set_arithmetic() -> None:
    texts = ["甲乙丙丁戊己庚", "甲乙丙丁戊己辛", "子丑寅卯辰巳午", "甲乙"]
    sets = shingle_sets(texts, NORMALISATION_LADDER["none (raw text)"], ngram=3)
    jaccards = exact_jaccard_pairs(sets)
    for (first, second), value in jaccards.items():
        assert value == pytest.approx(len(sets[first] & sets[second]) / len(sets[first] | sets[second]))
    assert (0, 2) not in jaccards  # nothing shared
    assert brute_force_clusters(jaccards, 4, 0.5) == [[0, 1]]


def test_perfect_and_empty_answers_score_as_expected() -> None:
    corpus = generate_reprints(seed=2, clusters=8, copies=3, singletons=5)
    perfect = score_clusters(corpus.clusters(), corpus.labels)
    assert perfect["ari"] == pytest.approx(1.0) and perfect["f1"] == 1.0 and perfect["exact_clusters"] == 1.0
    nothing = score_clusters([], corpus.labels)
    assert nothing["recall"] == 0.0 and nothing["ari"] == pytest.approx(0.0)
    assert set(recall_by_edit(corpus.clusters(), corpus).values()) == {1.0}
    assert set(recall_by_edit([], corpus).values()) == {0.0}


def test_normalisation_ladder_folds_what_it_says() -> None:
    text = "黨建，引領　ＡＢ"
    assert NORMALISATION_LADDER["+ punctuation and whitespace removed"](text) == "黨建引領ＡＢ"
    assert NORMALISATION_LADDER["+ width and case folded"](text) == "黨建引領ab"
    assert NORMALISATION_LADDER["+ script folded (Traditional to Simplified)"](text) == "党建引领ab"


def test_brute_force_on_generated_reprints_separates_clusters_with_full_normalisation() -> None:
    corpus = generate_reprints(seed=0, clusters=20, copies=4, singletons=10)
    sets = shingle_sets(corpus.texts, NORMALISATION_LADDER["+ script folded (Traditional to Simplified)"])
    found = brute_force_clusters(exact_jaccard_pairs(sets), len(corpus.texts), 0.3)
    assert score_clusters(found, corpus.labels)["ari"] > 0.9
    raw = shingle_sets(corpus.texts, NORMALISATION_LADDER["none (raw text)"])
    raw_found = brute_force_clusters(exact_jaccard_pairs(raw), len(corpus.texts), 0.3)
    assert score_clusters(raw_found, corpus.labels)["ari"] < score_clusters(found, corpus.labels)["ari"]
    assert np.isfinite(score_clusters(raw_found, corpus.labels)["ari"])


def test_streaming_variant_and_seed_groups_are_reported() -> None:
    from benchmarks.dedup_quality.evaluate import STREAMING, detector, detector_variants, streaming_clusters
    from benchmarks.dedup_quality.report import _summary

    corpus = generate_reprints(seed=4, clusters=6, copies=3, singletons=4)
    streamed = streaming_clusters(corpus.texts)
    assert score_clusters(streamed, corpus.labels)["ari"] > 0.8
    find, _ = detector()
    assert find is not None and STREAMING in detector_variants(find)
    assert "reprint_containment=0.0" in detector_variants(find)
    scores = {"precision": 1.0, "recall": 0.8, "f1": 0.9}
    run = {"detector": {"default": {"default_threshold": {"ari": 0.9}, "by_threshold": {"0.5": {"ari": 0.9} | scores}}}}
    other = {
        "detector": {"default": {"default_threshold": {"ari": 0.7}, "by_threshold": {"0.5": {"ari": 0.7} | scores}}}
    }
    ladder = {step: {"best_ari": 0.5} for step in NORMALISATION_LADDER}
    results = {
        "paragraph": {
            "0": run | {"brute_force_exact_jaccard": ladder},
            "3": other | {"brute_force_exact_jaccard": ladder},
        }
    }
    row = _summary(results, {"tuning": (0,), "unseen": (3,)})["paragraph"]
    assert row["detector_ari_by_seed_group"]["unseen"] == {"by_seed": {"3": 0.7}, "mean": 0.7, "min": 0.7}
    assert row["detector_ari_min"] == 0.7
