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


def test_story_splitting_patterns_of_the_corpus_loader() -> None:
    from benchmarks.splice import _CLOSING_DATELINE, _DATELINE, _PHOTO, _PHOTO_NOTE, bare

    assert _DATELINE.match("据新华社东京１月１３日电东京股市今天上涨。")
    assert _DATELINE.match("本报北京一月九日讯记者王明报道：会议今天开幕。")
    assert bare("本报北京一月九日讯记者王明报道：会议今天开幕。") == "会议今天开幕。"
    assert _CLOSING_DATELINE.search("谢谢！（新华社北京１２月３１日电）")
    assert _PHOTO_NOTE.sub("", "体育是公益事业（附图片１张）") == "体育是公益事业"
    assert _PHOTO.search("图片：")
    assert _PHOTO.search("１月９日，大臣莫勒姆（左）在监狱会见代表。")
    assert not _PHOTO.search("体育是公益事业")
