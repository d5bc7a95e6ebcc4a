"""Run the benchmark suite and write ``SUMMARY.md`` next to the result files.

    python -m benchmarks                  # full run, under 30 minutes on 2 cores
    python -m benchmarks --quick          # CI smoke run, under 3 minutes; results in benchmarks/results/quick/
    python -m benchmarks --quick --budget 480 --results /tmp/q --hard   # CI: exit 1 if a hard target is not met
    python -m benchmarks --only scaling,dedup_quality
    python -m benchmarks --summary-only   # rebuild SUMMARY.md from the result files already there

Each benchmark runs as ``python -m benchmarks.<name> [--quick]`` in its own process, with a time limit, so a
missing, failing or slow benchmark is reported in the summary and the suite goes on. A row of the summary is a
verdict only for a result measured on the commit it names (see :mod:`benchmarks.summary`). The exit code is 1
when a benchmark did not run, or, with ``--hard``, when a hard target (``benchmarks/hard_targets.toml``) is
missed, failed or not measured on this commit; other targets missed are reported, not errors.
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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS_DIR, ROOT, commit_info, write_result
from benchmarks.summary import hard_misses, target_rows, write_summary
from benchmarks.targets import (
    FULL_RUN_ONLY,
    NEEDS,
    SUITE,
    TARGETS,
    Target,
    load_hard_targets,
    lookup,
    measure_path,
    verdict,
)

__all__ = [
    "FULL_RUN_ONLY",
    "NEEDS",
    "SUITE",
    "TARGETS",
    "Target",
    "load_hard_targets",
    "lookup",
    "main",
    "measure_path",
    "run_one",
    "verdict",
    "write_summary",
]

QUICK_BUDGET_SECONDS = 160.0
QUICK_TIMEOUT_SECONDS = 45.0
FULL_TIMEOUT_SECONDS = 1500.0
#: Full-run limits above the default: the fuzz run checks 1M inputs (about 20 min on 2 quiet cores).
FULL_TIMEOUT_OVERRIDES: dict[str, float] = {"fuzz": 3000.0}


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
    started_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    start = time.perf_counter()
    cpu_before = _children_cpu_seconds()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {
            "status": "timeout",
            "seconds": round(timeout, 1),
            "started_at": started_at,
            "detail": f"stopped after {timeout:.0f} s",
        }
    seconds = round(time.perf_counter() - start, 1)
    cpu = round(_children_cpu_seconds() - cpu_before, 1)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:]) or "no error output"
        return {
            "status": "failed",
            "seconds": seconds,
            "cpu_seconds": cpu,
            "started_at": started_at,
            "detail": f"exit {done.returncode}: {tail}",
        }
    return {
        "status": "ok",
        "seconds": seconds,
        "cpu_seconds": cpu,
        "started_at": started_at,
        "command": " ".join(command[1:]),
    }


def _children_cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by finished child processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _previous_runs(results: Path) -> dict[str, dict[str, Any]]:
    suite_file = results / "suite.json"
    if not suite_file.exists():
        return {}
    try:
        runs = json.loads(suite_file.read_text(encoding="utf-8")).get("runs", {})
    except (OSError, json.JSONDecodeError):
        return {}
    return runs if isinstance(runs, dict) else {}


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m benchmarks``."""
    parser = argparse.ArgumentParser(description="Run the cleanse benchmark suite and write SUMMARY.md.")
    parser.add_argument("--quick", action="store_true", help="CI smoke run (under 3 minutes)")
    parser.add_argument("--only", help="comma-separated benchmark names (default: the whole suite)")
    parser.add_argument("--results", type=Path, help="directory for result files (default depends on mode)")
    parser.add_argument("--summary-only", action="store_true", help="only rebuild SUMMARY.md")
    parser.add_argument(
        "--hard", action="store_true", help="exit 1 unless every hard target is met on this commit (CI)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=QUICK_BUDGET_SECONDS,
        help=f"quick run: seconds for the whole suite (default {QUICK_BUDGET_SECONDS:.0f}; CI on a shared "
        "machine gives more); each benchmark's limit grows in proportion",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    results = args.results or (RESULTS_DIR / "quick" if args.quick else RESULTS_DIR)
    results = results.resolve()
    load_hard_targets()  # a malformed hard-target file stops the run before any benchmark
    names = [name for name, _ in SUITE]
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"unknown benchmark(s) {', '.join(unknown)}; the suite has {', '.join(names)}")
        names = wanted
    runs = _previous_runs(results)
    ran: dict[str, dict[str, Any]] = {}
    if not args.summary_only:
        started = time.perf_counter()
        commit = commit_info()
        for name in names:
            elapsed = time.perf_counter() - started
            remaining = args.budget - elapsed
            to_run = [n for n in names[len(ran) :] if not (args.quick and n in FULL_RUN_ONLY)] or [name]
            fair_share = 2 * remaining / len(to_run)  # a slow one may take twice its share
            cap = QUICK_TIMEOUT_SECONDS * args.budget / QUICK_BUDGET_SECONDS
            full_timeout = FULL_TIMEOUT_OVERRIDES.get(name, FULL_TIMEOUT_SECONDS)
            timeout = max(5.0, min(cap, fair_share, remaining)) if args.quick else full_timeout
            run = {**run_one(name, args.quick, timeout, results), **commit}
            ran[name] = runs[name] = run
            print(
                f"{name:20s} {run['status']:8s} {run['seconds']:7.1f} s {run.get('cpu_seconds', 0):7.1f} s CPU",
                flush=True,
            )
        seconds = round(time.perf_counter() - started, 1)
        cpu = round(sum(run.get("cpu_seconds", 0.0) for run in ran.values()), 1)
        mode = "quick" if args.quick else "full"
        whole = {f"{mode}_seconds": seconds, f"{mode}_cpu_seconds": cpu} if not args.only else {}
        write_result("suite", {"quick": args.quick, **whole, "runs": runs}, directory=results)
    path = write_summary(results, runs, quick=args.quick)
    print(f"wrote {path}")
    status = 0 if all(run["status"] in ("ok", "skipped") for run in ran.values()) else 1
    if args.hard:
        misses = hard_misses(target_rows(results, runs, args.quick))
        for row in misses:
            print(f"hard target not met: {row.target.benchmark}: {row.target.claim}: {row.outcome}", file=sys.stderr)
        status = status or (1 if misses else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
