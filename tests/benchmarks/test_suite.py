"""The suite runner's summary: targets looked up, verdicts with the gap, missing benchmarks reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.__main__ import NEEDS, SUITE, TARGETS, Target, lookup, run_one, verdict, write_summary


def test_verdict_states_the_gap_in_both_directions() -> None:
    at_least = Target(9, "x", "c", ("v",), 0.95, ">=")
    at_most = Target(8, "x", "c", ("v",), 120, "<=", " s")
    assert verdict(0.96, at_least) == "meets"
    assert verdict(0.76, at_least) == "MISSES by 0.19 (20.0%)"
    assert verdict(100, at_most) == "meets"
    assert verdict(150, at_most) == "MISSES by 30 s (25.0%)"


def test_lookup_follows_dotted_paths() -> None:
    assert lookup({"a": {"b": {"0.5": 3}}}, "a|b|0.5") == 3
    assert lookup({"a": [1]}, "a|b") is None
    assert lookup(None, "a") is None


def test_every_target_names_a_benchmark_of_the_suite() -> None:
    names = {name for name, _ in SUITE} | {"suite"}
    assert all(target.benchmark in names for target in TARGETS)


def test_missing_benchmark_is_reported_not_raised(tmp_path: Path) -> None:
    outcome = run_one("no_such_benchmark", quick=True, timeout=5, results=tmp_path)
    assert outcome["status"] == "missing"


def test_full_run_only_benchmarks_and_missing_extras_are_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = run_one("ray_local", quick=True, timeout=5, results=tmp_path)
    assert (quick["status"], quick["detail"]) == ("skipped", "full run only (python -m benchmarks)")
    monkeypatch.setitem(NEEDS, "ray_local", (("no_such_package_for_cleanse",), "cleanse[ray]"))
    full = run_one("ray_local", quick=False, timeout=5, results=tmp_path)
    assert full["status"] == "skipped"
    assert "no_such_package_for_cleanse" in full["detail"] and "cleanse[ray]" in full["detail"]


HEAD = {"commit": "1" * 40, "dirty": False}


def _record(path: Path, payload: dict, commit: str = HEAD["commit"], dirty: bool = False) -> None:
    path.write_text(json.dumps({**payload, "environment": {"commit": commit, "dirty": dirty}}), encoding="utf-8")


def test_summary_reports_met_missed_and_missing_targets(tmp_path: Path) -> None:
    _record(
        tmp_path / "dedup_quality.json",
        {"detector_ari_min": 0.9, "meets_target": False, "headline": {"paragraph ARI": 0.9}},
    )
    _record(tmp_path / "scaling.json", {"run_1m": {"seconds": 80.0, "peak_rss_mb": 900.0}, "time_slope": {}})
    runs = {
        "dedup_quality": {"status": "ok", "seconds": 1.0},
        "encoding": {"status": "failed", "seconds": 2.0, "detail": "exit 1: boom"},
    }
    text = write_summary(tmp_path, runs, quick=False, head=HEAD).read_text(encoding="utf-8")
    assert (
        "| 9 | dedup_quality | reprint clusters, ARI, default config (worst seed, unit) | 0.9 | >= 0.95 "
        "| MISSES by 0.05" in text
    )
    assert "| 80 s | <= 120 s | meets |" in text
    assert "| 4 | encoding | lossless kinds, exact recovery | - | >= 0.99 | FAILED (failed: exit 1: boom) |" in text
    assert "| 5 | script | detection, Simplified | - | >= 0.99 | not measured (no result file) |" in text
    assert "**misses its target**" in text and "`paragraph ARI` = 0.9" in text


def test_the_benchmark_command_of_ci_parses() -> None:
    """.ci/run's `python -m benchmarks ...` line uses options the runner has."""
    import shlex

    from benchmarks.__main__ import build_parser

    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.split("||")[0] for line in script.splitlines() if line.startswith("python -m benchmarks ")]
    assert lines, ".ci/run runs the benchmark suite"
    args = build_parser().parse_args(shlex.split(lines[0])[3:])
    assert args.quick and args.hard and args.results is not None
