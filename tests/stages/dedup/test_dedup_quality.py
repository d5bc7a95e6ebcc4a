"""Found pairs against brute-force exact Jaccard on the same shingles: seeds' paragraphs plus reprints.

Issue 8's quality claim: at t = 0.5, 0.7 and 0.8, recall >= 0.98 and precision >= 0.99. The reprints
come from the seeded generator of issue 9 (:mod:`benchmarks.reprints`), two generator seeds.
"""

from __future__ import annotations

import pytest

from benchmarks.reprints import generate_reprints, seed_paragraphs
from cleanse.stages.dedup.evaluate import brute_force_pairs, compare_with_brute_force


@pytest.fixture(scope="module", params=[0, 1])
def corpus(request: pytest.FixtureRequest) -> list[str]:
    reprints = generate_reprints(seed=request.param, clusters=60, copies=5, singletons=40)
    return [text for _, text in seed_paragraphs()] + reprints.texts


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8])
def test_found_pairs_match_brute_force(corpus: list[str], threshold: float) -> None:
    score = compare_with_brute_force(corpus, threshold)
    print(
        f"t={threshold}: truth={score.truth} found={score.found} recall={score.recall:.4f} "
        f"precision={score.precision:.4f}"
    )
    assert score.truth > 100
    assert score.recall >= 0.98
    assert score.precision >= 0.99


def test_brute_force_itself_is_exact() -> None:
    texts = ["甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚子", "天地玄黄宇宙洪荒"]
    assert brute_force_pairs(texts, 0.5) == {(0, 1)}  # 4 shingles, 3 shared: 3 / 5 = 0.6
    assert brute_force_pairs(texts, 0.7) == set()


def test_the_precision_check_can_fail_when_the_detector_shingles_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The truth is built from shingle strings, not the detector's hashes: a detector whose shingle hashes
    collide (here: cut to 6 bits) finds pairs the truth does not have, and precision drops below 1."""
    import dataclasses

    import cleanse.stages.dedup.batch as batch

    real = batch.hash_shingles

    def colliding(*args, **kwargs):  # type: ignore[no-untyped-def]
        shingles = real(*args, **kwargs)
        return dataclasses.replace(shingles, hashes=shingles.hashes & 0x3F)

    texts = [text for _, text in seed_paragraphs()][:150]
    assert compare_with_brute_force(texts, 0.5).precision == 1.0
    monkeypatch.setattr(batch, "hash_shingles", colliding)
    assert compare_with_brute_force(texts, 0.5).precision < 1.0
