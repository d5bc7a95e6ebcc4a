"""Run the benchmark suite and write ``SUMMARY.md`` next to the result files.

    python -m benchmarks                  # full run, under 30 minutes on 2 cores
    python -m benchmarks --quick          # CI smoke run, under 3 minutes; results in benchmarks/results/quick/
    python -m benchmarks --only scaling,dedup_quality
    python -m benchmarks --summary-only   # rebuild SUMMARY.md from the result files already there

Each benchmark runs as ``python -m benchmarks.<name> [--quick]`` in its own process, with a time limit, so a
missing, failing or slow benchmark is reported in the summary and the suite goes on. The exit code is 0 when
every benchmark ran (targets missed are reported, not errors), 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS_DIR, ROOT, machine_info, write_result

#: The suite, in running order: benchmark module name and the issue whose claims it measures.
SUITE: tuple[tuple[str, int], ...] = (
    ("pipeline_overhead", 3),
    ("encoding", 4),
    ("script", 5),
    ("spam", 6),
    ("splice", 7),
    ("minhash", 8),
    ("dedup_scale", 8),
    ("dedup_quality", 9),
    ("scaling", 9),
    ("pipeline", 9),
    ("ray_local", 10),
)
#: Benchmarks the quick (CI) run leaves out: starting Ray alone takes a large share of its budget.
FULL_RUN_ONLY = frozenset({"ray_local"})
#: Optional packages a benchmark needs (the extras that bring them); without them it is skipped, not failed.
NEEDS: dict[str, tuple[tuple[str, ...], str]] = {"ray_local": (("ray", "redis"), "cleanse[ray,redis]")}


@dataclass(frozen=True)
class Target:
    """One claim of an issue: where its number sits in a result file and the bound it must meet.

    A path is keys joined by ``|`` (keys may hold dots); ``A / B`` divides two paths and ``len:P`` counts
    the items of a list. The first path that resolves to a number is used.
    """

    issue: int
    benchmark: str
    claim: str
    paths: tuple[str, ...]
    bound: float
    direction: str  # ">=" or "<="
    unit: str = ""


def _t(issue: int, benchmark: str, claim: str, path: str, bound: float, direction: str, unit: str = "") -> Target:
    return Target(issue, benchmark, claim, tuple(path.split(" or ")), bound, direction, unit)


_TRADITIONAL_RATIO = "speed|ratios|stage_tw2s_vs_reimplemented or speed|ratios|stage_traditional_vs_reimplemented"
_IDENTICAL_OUTPUT = "speed|identical_to_official|stage_tw2s or speed|identical_to_official|stage_on_traditional"
TARGETS: tuple[Target, ...] = (
    _t(3, "pipeline_overhead", "identity pipeline throughput", "pipeline_mb_per_s", 50, ">=", " MB/s"),
    _t(4, "encoding", "lossless kinds, exact recovery", "lossless_recovery", 0.99, ">="),
    _t(4, "encoding", "misaligned, decoder back in step", "misaligned_resynced_recovery", 0.9, ">="),
    _t(4, "encoding", "misaligned, last trail byte lost", "misaligned_lost_trail_recovery", 0.6, ">="),
    _t(4, "encoding", "clean text, speed vs ftfy.fix_text", "speed|clean_speedup_vs_ftfy", 4, ">=", "x"),
    _t(4, "encoding", "damaged text throughput, CPU time", "speed|damaged_cleanse_mb_per_s_cpu", 1, ">=", " MB/s"),
    _t(4, "encoding", "damaged text throughput, wall time", "speed|damaged_cleanse_mb_per_s", 1, ">=", " MB/s"),
    _t(5, "script", "OpenCC test cases passed", "golden_cases|cleanse|passed / golden_cases|cleanse|total", 0.99, ">="),
    _t(5, "script", "detection, Simplified", "detection|simplified|accuracy", 0.99, ">="),
    _t(5, "script", "detection, Traditional", "detection|traditional|accuracy", 0.99, ">="),
    _t(5, "script", "detection, mixed", "detection|mixed|accuracy", 0.99, ">="),
    _t(5, "script", "Simplified detect-and-skip", "speed|simplified/stage_detect_and_skip|mb_s", 30, ">=", " MB/s"),
    _t(
        5,
        "script",
        "Traditional vs reimplementation",
        _TRADITIONAL_RATIO,
        10,
        ">=",
        "x",
    ),
    _t(
        5,
        "script",
        "output identical to official OpenCC",
        _IDENTICAL_OUTPUT,
        1,
        ">=",
    ),
    _t(6, "spam", "drop precision on gold lines", "quality|drop_precision", 0.97, ">="),
    _t(6, "spam", "drop recall on gold lines", "quality|drop_recall", 0.95, ">="),
    _t(6, "spam", "article lines dropped", "len:quality|article_lines_taken_out", 0, "<="),
    _t(6, "spam", "whole stage throughput, CPU time", "mb_s_cpu|spam_stage", 10, ">=", " MB/s"),
    _t(6, "spam", "whole stage throughput, wall time", "mb_s_wall|spam_stage", 10, ">=", " MB/s"),
    _t(6, "spam", "label_lines throughput, CPU time", "mb_s_cpu|label_lines", 10, ">=", " MB/s"),
    _t(6, "spam", "label_lines throughput, wall time", "mb_s_wall|label_lines or label_lines_mb_s", 10, ">=", " MB/s"),
    _t(7, "splice", "boundary F1 with cues", "quality|splice|cues|f1", 0.9, ">="),
    _t(7, "splice", "boundary F1 without cues", "quality|splice|no_cues|f1", 0.7, ">="),
    _t(7, "splice", "Pk overall", "quality|splice|overall|pk", 0.15, "<="),
    _t(7, "splice", "throughput, wall time", "speed|stage_mb_s_wall", 2, ">=", " MB/s"),
    _t(7, "splice", "throughput, CPU time", "speed|stage_mb_s_cpu", 2, ">=", " MB/s"),
    _t(14, "splice", "boundary F1 with cues, unseen half", "quality|splice|cues|f1", 0.92, ">="),
    _t(14, "splice", "clean articles (test half) keeping >= 95%", "articles|test|clean|share_keeping_95", 0.98, ">="),
    _t(14, "splice", "clean articles (test half), least kept", "articles|test|clean|min_kept", 0.85, ">="),
    _t(8, "minhash", "signatures vs datasketch MinHash.bulk", "speedup_vs_datasketch", 10, ">=", "x"),
    _t(8, "minhash", "signatures vs rensa", "ratio_vs_rensa", 0.5, ">=", "x"),
    _t(8, "dedup_scale", "1M paragraphs end to end, time", "largest|seconds", 120, "<=", " s"),
    _t(8, "dedup_scale", "1M paragraphs end to end, peak RSS", "largest|peak_rss_mib", 2048, "<=", " MiB"),
    _t(8, "dedup_scale", "time vs size, log-log slope (1 = linear)", "time_slope", 1.15, "<="),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.5, recall",
        "natural_repeats|by_threshold|0.5|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.5, precision",
        "natural_repeats|by_threshold|0.5|precision",
        0.99,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.7, recall",
        "natural_repeats|by_threshold|0.7|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.7, precision",
        "natural_repeats|by_threshold|0.7|precision",
        0.99,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.8, recall",
        "natural_repeats|by_threshold|0.8|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.8, precision",
        "natural_repeats|by_threshold|0.8|precision",
        0.99,
        ">=",
    ),
    _t(9, "dedup_quality", "reprint clusters, ARI, default config (worst seed, unit)", "detector_ari_min", 0.95, ">="),
    _t(
        9,
        "dedup_quality",
        "reprint clusters, ARI, streaming stage keep=first (worst seed, paragraphs)",
        "summary|paragraph|detector_variant[stage streaming (keep=first)]|ari_default_threshold_min",
        0.95,
        ">=",
    ),
    _t(9, "suite", "full suite, wall time (this machine, shared)", "full_seconds", 1800, "<=", " s"),
    _t(9, "suite", "quick suite, wall time (this machine, shared)", "quick_seconds", 180, "<=", " s"),
    _t(9, "scaling", "1M paragraphs end to end, time", "run_1m|seconds", 120, "<=", " s"),
    _t(9, "scaling", "1M paragraphs end to end, peak RSS", "run_1m|peak_rss_mb", 2048, "<=", " MiB"),
    _t(
        9,
        "scaling",
        "wall time vs size, log-log slope, 10k+ (shared machine)",
        "time_slope|cleanse|sizes_10k_and_up",
        1.15,
        "<=",
    ),
    _t(
        9,
        "scaling",
        "CPU time vs size, log-log slope, 10k+ (1 = linear)",
        "cpu_time_slope|cleanse|sizes_10k_and_up",
        1.15,
        "<=",
    ),
    _t(10, "ray_local", "default pipeline, Ray 2 workers vs local: identical output", "identical_output", 1, ">="),
)


def lookup(record: Any, path: str) -> Any:
    """The value at ``path`` (keys joined by ``|``) of nested dicts, or ``None``.

    >>> lookup({"a": {"0.5": 2}}, "a|0.5"), lookup({"a": 1}, "a|c")
    (2, None)
    """
    value = record
    for key in path.split("|"):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def measure_path(record: Any, path: str) -> float | None:
    """The number a target path names: a plain path, ``A / B`` or ``len:P`` (see :class:`Target`).

    >>> measure_path({"a": 3, "b": {"c": 4}}, "a / b|c"), measure_path({"x": [1, 2]}, "len:x")
    (0.75, 2.0)
    """
    if " / " in path:
        top, bottom = (measure_path(record, part) for part in path.split(" / ", 1))
        return top / bottom if top is not None and bottom else None
    if path.startswith("len:"):
        items = lookup(record, path[4:])
        return float(len(items)) if isinstance(items, (list, tuple, dict)) else None
    value = lookup(record, path)
    return float(value) if isinstance(value, (int, float)) else None


def verdict(value: float, target: Target) -> str:
    """``meets`` or ``MISSES by ...`` (absolute and relative to the bound).

    >>> verdict(0.9, Target(9, "x", "c", ("v",), 0.95, ">="))
    'MISSES by 0.05 (5.3%)'
    """
    gap = target.bound - value if target.direction == ">=" else value - target.bound
    if gap <= 0:
        return "meets"
    return f"MISSES by {gap:.3g}{target.unit} ({100 * gap / abs(target.bound):.1f}%)"


def _load(results: Path, name: str, fallback: Path | None = RESULTS_DIR) -> dict[str, Any] | None:
    """The result file of ``name`` (or ``name_quick``) in ``results``, else in ``benchmarks/results`` (for
    scripts that ignore ``$CLEANSE_BENCH_RESULTS``); the summary prints each file's own ``measured_at``."""
    candidates = [
        directory / f"{name}{suffix}.json"
        for directory in dict.fromkeys(d for d in (results, fallback) if d is not None)
        for suffix in ("", "_quick")
    ]
    for path in candidates:
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                return None
            if isinstance(loaded, dict):
                loaded.setdefault("_file", str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
                return loaded
    return None


def _suite_record(results: Path) -> dict[str, Any] | None:
    """The suite's own timings: this run's ``suite.json``, with the other mode's wall time added from its
    directory (the full run's results hold ``quick/``), so one summary shows both suite targets."""
    record = _load(results, "suite", None)
    other = _load(results / "quick", "suite", None) if results.name != "quick" else _load(results.parent, "suite", None)
    if other is None:
        return record
    merged = dict(record or {})
    for key in ("quick_seconds", "full_seconds"):
        if key not in merged and key in other:
            merged[key] = other[key]
    return merged


def _headline(record: dict[str, Any]) -> list[str]:
    """The record's ``headline`` mapping when it has one, else its top-level numbers, flags and short strings."""
    headline = record.get("headline")
    source: dict[str, Any] = headline if isinstance(headline, dict) else record
    shown = []
    for key, value in source.items():
        if key in ("benchmark", "measured_at", "environment", "quick", "_file"):
            continue
        if isinstance(value, (bool, int, float)):
            shown.append(f"`{key}` = {value}")
        elif isinstance(value, str) and len(value) <= 100:
            shown.append(f"`{key}`: {value}")
    return shown


def write_summary(
    results: Path, runs: dict[str, dict[str, Any]], quick: bool, fallback: Path | None = RESULTS_DIR
) -> Path:
    """Write ``SUMMARY.md``: the targets table, then each benchmark's status and headline numbers."""
    environment = machine_info()
    lines = [
        "# Benchmark summary" + (" (quick run)" if quick else ""),
        "",
        f"Commit `{environment['commit']}`{' (uncommitted changes)' if environment['dirty'] else ''}, "
        f"{environment['cores_usable']} cores, {environment['memory_gb']} GB, Python {environment['python']}, "
        f"written {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Each result file under this directory "
        "records its own commit, machine and library versions. Reproduce: `python -m benchmarks"
        + (" --quick" if quick else "")
        + "`.",
        "",
        "## Targets",
        "",
        "| issue | benchmark | claim | measured | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    records = {
        name: _load(results, name, fallback if runs.get(name, {}).get("status", "ok") == "ok" else None)
        for name, _ in SUITE
    }
    records["suite"] = _suite_record(results)
    for target in TARGETS:
        record = records.get(target.benchmark)
        values = [measure_path(record, path) for path in target.paths]
        value = next((item for item in values if item is not None), None)
        bound = f"{target.direction} {target.bound:g}{target.unit}"
        if record is None:
            measured, outcome = "-", "not measured (no result file)"
        elif value is None:
            measured, outcome = "-", "not in the result file"
        else:
            measured, outcome = f"{value:.4g}{target.unit}", verdict(value, target)
        lines.append(f"| {target.issue} | {target.benchmark} | {target.claim} | {measured} | {bound} | {outcome} |")
    lines += ["", "## Benchmarks", ""]
    for name, issue in SUITE:
        run = runs.get(name, {})
        record = records[name]
        status = run.get("status", "not run" if record is None else "result file from an earlier run")
        took = f", {run['seconds']} s wall, {run.get('cpu_seconds', '?')} s CPU" if "seconds" in run else ""
        lines.append(f"### {name} (issue {issue}): {status}{took}")
        lines.append("")
        if run.get("detail") and status != "ok":
            lines += [f"{run['detail']}", ""]
        if record is not None:
            flag = record.get("meets_target")
            if isinstance(flag, bool):
                lines += [f"Own verdict: {'meets its target' if flag else '**misses its target**'}.", ""]
            if not isinstance(record.get("environment"), dict):
                lines += ["**This result file does not record its commit and machine.**", ""]
            lines += [f"- {item}" for item in _headline(record)]
            lines += [f"- file: `{record['_file']}`, measured {record.get('measured_at', 'at an unknown time')}", ""]
    for picture in sorted(results.glob("*.png")):
        lines += [f"![{picture.stem}]({picture.name})", ""]
    path = results / "SUMMARY.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


QUICK_BUDGET_SECONDS = 160.0
QUICK_TIMEOUT_SECONDS = 45.0
FULL_TIMEOUT_SECONDS = 1500.0


def _takes_quick_flag(name: str) -> bool:
    spec = importlib.util.find_spec(f"benchmarks.{name}")
    if spec is None or spec.origin is None:
        return False
    return "--quick" in Path(spec.origin).read_text(encoding="utf-8")


def run_one(name: str, quick: bool, timeout: float, results: Path) -> dict[str, Any]:
    """Run ``benchmarks.<name>`` in a child process; return its status, duration and error tail."""
    if importlib.util.find_spec(f"benchmarks.{name}") is None:
        return {"status": "missing", "seconds": 0.0, "detail": f"benchmarks/{name}.py does not exist yet"}
    if quick and name in FULL_RUN_ONLY:
        return {"status": "skipped", "seconds": 0.0, "detail": "full run only (python -m benchmarks)"}
    packages, extra = NEEDS.get(name, ((), ""))
    absent = [package for package in packages if importlib.util.find_spec(package) is None]
    if absent:
        return {"status": "skipped", "seconds": 0.0, "detail": f"needs {', '.join(absent)}: pip install '{extra}'"}
    command = [sys.executable, "-m", f"benchmarks.{name}"]
    if quick and _takes_quick_flag(name):
        command.append("--quick")
    environment = {**os.environ, "CLEANSE_BENCH_RESULTS": str(results), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    cpu_before = _children_cpu_seconds()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": round(timeout, 1), "detail": f"stopped after {timeout:.0f} s"}
    seconds = round(time.perf_counter() - start, 1)
    cpu = round(_children_cpu_seconds() - cpu_before, 1)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:]) or "no error output"
        return {"status": "failed", "seconds": seconds, "cpu_seconds": cpu, "detail": f"exit {done.returncode}: {tail}"}
    return {"status": "ok", "seconds": seconds, "cpu_seconds": cpu, "command": " ".join(command[1:])}


def _children_cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by finished child processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the cleanse benchmark suite and write SUMMARY.md.")
    parser.add_argument("--quick", action="store_true", help="CI smoke run (under 3 minutes)")
    parser.add_argument("--only", help="comma-separated benchmark names (default: the whole suite)")
    parser.add_argument("--results", type=Path, help="directory for result files (default depends on mode)")
    parser.add_argument("--summary-only", action="store_true", help="only rebuild SUMMARY.md")
    args = parser.parse_args(argv)
    results = args.results or (RESULTS_DIR / "quick" if args.quick else RESULTS_DIR)
    results = results.resolve()
    names = [name for name, _ in SUITE]
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"unknown benchmark(s) {', '.join(unknown)}; the suite has {', '.join(names)}")
        names = wanted
    runs: dict[str, dict[str, Any]] = {}
    if not args.summary_only:
        started = time.perf_counter()
        for name in names:
            elapsed = time.perf_counter() - started
            remaining = QUICK_BUDGET_SECONDS - elapsed
            fair_share = 2 * remaining / (len(names) - len(runs))  # a slow one may take twice its share
            timeout = (
                max(5.0, min(QUICK_TIMEOUT_SECONDS, fair_share, remaining)) if args.quick else FULL_TIMEOUT_SECONDS
            )
            runs[name] = run_one(name, args.quick, timeout, results)
            run = runs[name]
            print(
                f"{name:20s} {run['status']:8s} {run['seconds']:7.1f} s {run.get('cpu_seconds', 0):7.1f} s CPU",
                flush=True,
            )
        seconds = round(time.perf_counter() - started, 1)
        cpu = round(sum(run.get("cpu_seconds", 0.0) for run in runs.values()), 1)
        mode = "quick" if args.quick else "full"
        write_result(
            "suite",
            {"quick": args.quick, f"{mode}_seconds": seconds, f"{mode}_cpu_seconds": cpu, "runs": runs},
            directory=results,
        )
    else:
        suite_file = results / "suite.json"
        if suite_file.exists():
            runs = json.loads(suite_file.read_text(encoding="utf-8")).get("runs", {})
    path = write_summary(results, runs, quick=args.quick)
    print(f"wrote {path}")
    return 0 if all(run["status"] in ("ok", "skipped") for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
