"""The metrics of benchmarks/splice.py (boundary matching, Pk, WindowDiff) on hand-checked cases."""

from __future__ import annotations

import pytest

from benchmarks.splice import Sample, boundary_counts, pk_windowdiff, predict_splice, predict_texttiling


def test_boundary_matching_within_one_paragraph() -> None:
    assert boundary_counts([3, 8], [4, 8]) == (2, 2, 2)
    assert boundary_counts([3], [5]) == (0, 1, 1)
    assert boundary_counts([3], [2, 3, 4]) == (1, 3, 1)  # one gold boundary matches one prediction


def test_pk_and_windowdiff() -> None:
    assert pk_windowdiff([5], [5], 10)[:2] == (0.0, 0.0)
    pk, wd, windows = pk_windowdiff([5], [], 10)
    assert windows == 8 and pk == pytest.approx(2 / 8) and wd == pytest.approx(2 / 8)
    pk, wd, _ = pk_windowdiff([], [2, 3], 10)
    assert wd >= pk > 0


def test_predictions_map_to_body_paragraph_indices() -> None:
    lines = [
        "乡村道路修到了家门口",
        "今天，全县的乡村道路全部通车，村民出行更方便了。",
        "乡村道路让村民的生活更方便了。",
        "(上接2版)",
        "银行利率调整以后，银行贷款增加了很多。",
        "银行表示贷款利率还会继续调整。",
    ]
    sample = Sample("appended", "cross", True, lines, body=[1, 2, 4, 5], gold=[2])
    assert predict_splice(sample) == [2]
    assert all(0 < b < 4 for b in predict_texttiling(sample))
