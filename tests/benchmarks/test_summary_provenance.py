"""A summary row is a verdict only on the commit it names: stale files, failed runs and quick runs say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import benchmarks.__main__ as runner
from benchmarks.summary import hard_misses, target_rows, write_summary
from benchmarks.targets import SUITE, all_targets, load_hard_targets

HEAD = {"commit": "a" * 40, "dirty": False}
OLD = "e9d3512" + "0" * 33


def _write(directory: Path, name: str, payload: dict, commit: str = HEAD["commit"], dirty: bool = False) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    record = {**payload, "measured_at": "2026-01-01T00:00:00+00:00", "environment": {"commit": commit, "dirty": dirty}}
    (directory / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")


GOOD_ENCODING = {"quick": False, "lossless_recovery": 0.995}


def _row(rows, benchmark: str, claim: str):
    return next(row for row in rows if row.target.benchmark == benchmark and row.target.claim == claim)


def test_a_file_from_another_commit_or_a_dirty_tree_is_stale(tmp_path: Path) -> None:
    _write(tmp_path, "encoding", GOOD_ENCODING, commit=OLD, dirty=True)
    row = _row(target_rows(tmp_path, {}, False, HEAD), "encoding", "lossless kinds, exact recovery")
    assert row.outcome.startswith("stale, measured at e9d3512 with uncommitted changes") and not row.met
    _write(tmp_path, "encoding", GOOD_ENCODING, dirty=True)
    row = _row(target_rows(tmp_path, {}, False, HEAD), "encoding", "lossless kinds, exact recovery")
    assert row.outcome.startswith("stale, measured at aaaaaaa with uncommitted changes")
    _write(tmp_path, "encoding", GOOD_ENCODING)
    assert _row(target_rows(tmp_path, {}, False, HEAD), "encoding", "lossless kinds, exact recovery").met
    dirty_head = {**HEAD, "dirty": True}
    assert not _row(target_rows(tmp_path, {}, False, dirty_head), "encoding", "lossless kinds, exact recovery").met


def test_a_failed_benchmark_is_a_failed_row_never_the_last_good_file(tmp_path: Path) -> None:
    _write(tmp_path, "encoding", GOOD_ENCODING)
    failed = {"encoding": {"status": "failed", "seconds": 1.0, "detail": "exit 1: Traceback"}}
    rows = target_rows(tmp_path, failed, False, HEAD)
    row = _row(rows, "encoding", "lossless kinds, exact recovery")
    assert (row.measured, row.outcome) == ("-", "FAILED (failed: exit 1: Traceback)")
    text = write_summary(tmp_path, failed, quick=False, head=HEAD).read_text(encoding="utf-8")
    assert "| 0.995 |" not in text and "### encoding (issue 4): FAILED (failed: exit 1: Traceback)" in text
    ok_but_silent = {"encoding": {"status": "ok", "seconds": 1.0, "started_at": "2026-06-01T00:00:00+00:00"}}
    row = _row(target_rows(tmp_path, ok_but_silent, False, HEAD), "encoding", "lossless kinds, exact recovery")
    assert row.outcome.startswith("FAILED (the run wrote no result")


def test_a_skipped_benchmark_is_a_missing_row(tmp_path: Path) -> None:
    _write(tmp_path, "ray_local", {"quick": False, "identical_output": True})
    skipped = {"ray_local": {"status": "skipped", "seconds": 0.0, "detail": "needs ray"}}
    claim = next(t.claim for t in all_targets() if t.benchmark == "ray_local")
    row = _row(target_rows(tmp_path, skipped, False, HEAD), "ray_local", claim)
    assert row.outcome == "missing (skipped: needs ray)"


def test_quick_mode_reports_only_what_it_measured_under_quick_labels(tmp_path: Path) -> None:
    _write(tmp_path, "dedup_scale", {"quick": True, "largest": {"seconds": 3.0, "peak_rss_mib": 200}, "time_slope": 1})
    _write(tmp_path.parent / "full", "splice", {"quick": False, "quality": {"splice": {"cues": {"f1": 0.9531}}}})
    text = write_summary(tmp_path, {}, quick=True, head=HEAD).read_text(encoding="utf-8")
    assert "| quick: 1M paragraphs end to end, time | - | <= 120 s | full run only |" in text
    assert "| quick: time vs size, log-log slope (1 = linear) | 1 | <= 1.15 | meets |" in text
    assert "0.9531" not in text  # another directory's full-run file is never read
    assert "| quick: boundary F1 with cues | - | >= 0.9 | not measured (no result file) |" in text
    full = write_summary(tmp_path, {}, quick=False, head=HEAD).read_text(encoding="utf-8")
    assert "| 1M paragraphs end to end, time | - | <= 120 s | not measured (quick-run result file) |" in full


def test_summary_only_after_a_partial_run_marks_every_row_not_measured_on_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files left by earlier runs at other commits: not one row of the rebuilt summary is a verdict."""
    for name, _ in SUITE:
        _write(tmp_path, name, {"quick": False, "lossless_recovery": 1.0, "pipeline_mb_per_s": 999}, commit=OLD)
    monkeypatch.setattr(runner, "run_one", lambda name, quick, timeout, results: _fake_ok(results, name))
    assert runner.main(["--only", "encoding", "--results", str(tmp_path)]) == 0
    assert runner.main(["--summary-only", "--results", str(tmp_path)]) == 0
    rows = target_rows(tmp_path, json.loads((tmp_path / "suite.json").read_text())["runs"], False)
    verdicts = [row for row in rows if row.met]
    assert all(row.target.benchmark == "encoding" for row in verdicts) or _head_is_dirty()
    stale = [row for row in rows if row.target.benchmark == "pipeline_overhead"]
    assert stale and all(row.outcome.startswith("stale, measured at e9d3512") for row in stale)
    text = (tmp_path / "SUMMARY.md").read_text(encoding="utf-8")
    assert "| identity pipeline throughput | 999 MB/s | >= 50 MB/s | stale, measured at e9d3512" in text


def _fake_ok(results: Path, name: str) -> dict:
    """What a benchmark that ran on this checkout leaves: a fresh result file and an ok status."""
    from benchmarks.common import write_result

    write_result(name, {"quick": False, "lossless_recovery": 1.0}, directory=results)
    return {"status": "ok", "seconds": 0.1, "started_at": "2000-01-01T00:00:00+00:00"}


def _head_is_dirty() -> bool:
    from benchmarks.common import commit_info

    return bool(commit_info()["dirty"])


def test_a_deliberately_failed_benchmark_fails_the_run_and_shows_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "script", {"quick": True, "golden_cases": {"cleanse": {"passed": 10, "total": 10}}})

    def crash(name: str, quick: bool, timeout: float, results: Path) -> dict:
        return {"status": "failed", "seconds": 0.2, "detail": "exit 1: RuntimeError: deliberately broken"}

    monkeypatch.setattr(runner, "run_one", crash)
    assert runner.main(["--quick", "--only", "script", "--results", str(tmp_path)]) == 1
    text = (tmp_path / "SUMMARY.md").read_text(encoding="utf-8")
    assert "### script (issue 5): FAILED (failed: exit 1: RuntimeError: deliberately broken)" in text
    assert "| **hard:** quick: OpenCC test cases passed | - | >= 1 | FAILED (failed: exit 1: RuntimeError" in text


def test_hard_targets_file_names_suite_benchmarks_and_the_required_promises() -> None:
    hard = load_hard_targets()
    names = {name for name, _ in SUITE}
    assert hard and all(target.benchmark in names and target.hard for target in hard)
    claims = " ".join(target.claim for target in hard)
    for promise in ("no-harm", "accounting", "replay", "README", "OpenCC"):
        assert promise in claims


def test_hard_target_not_measured_is_a_miss(tmp_path: Path) -> None:
    misses = hard_misses(target_rows(tmp_path, {}, True, HEAD))
    assert {row.target.claim for row in misses} == {target.claim for target in load_hard_targets()}


def test_hard_flag_exits_1_when_a_hard_target_is_missed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "run_one", lambda *args: {"status": "ok", "seconds": 0.0})
    assert runner.main(["--quick", "--summary-only", "--results", str(tmp_path)]) == 0
    assert runner.main(["--quick", "--summary-only", "--results", str(tmp_path), "--hard"]) == 1
