"""``SUMMARY.md``: every target's verdict, from results measured on the commit the summary names.

A row is a verdict on this commit only when its result file was written by this commit's code with no
uncommitted changes (result files themselves excepted); otherwise it says ``stale, measured at X``. A benchmark
that failed, timed out or was skipped in the run is a failed or missing row, whatever older file lies around. A
quick run's numbers carry quick labels, and claims about a size only the full run measures are left out of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, commit_info, machine_info
from benchmarks.targets import SPLITS, SUITE, Target, all_targets, measure_path, verdict

MEETS = "meets"


@dataclass(frozen=True)
class Row:
    """One target's line: the number shown, the outcome, and whether it is a verdict on this commit."""

    target: Target
    measured: str
    outcome: str

    @property
    def met(self) -> bool:
        return self.outcome == MEETS


def load_record(results: Path, name: str, quick: bool) -> dict[str, Any] | None:
    """The result file of ``name`` in ``results`` (``name_quick.json`` first in a quick run); no other directory
    is consulted, so a benchmark that wrote nothing here has no record."""
    suffixes = ("_quick", "") if quick else ("", "_quick")
    for suffix in suffixes:
        path = results / f"{name}{suffix}.json"
        if not path.exists():
            continue
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if isinstance(loaded, dict):
            loaded.setdefault("_file", str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
            return loaded
    return None


def provenance(record: Mapping[str, Any], head: Mapping[str, Any]) -> str | None:
    """``None`` when ``record`` was measured on ``head``'s commit with a clean tree, else why it is stale.

    >>> head = {"commit": "abc1234ff", "dirty": False}
    >>> provenance({"environment": {"commit": "abc1234ff", "dirty": False}}, head) is None
    True
    >>> provenance({"environment": {"commit": "e9d3512aa", "dirty": True}}, head)
    'stale, measured at e9d3512 with uncommitted changes'
    >>> provenance({"environment": {"commit": "abc1234ff", "dirty": True}}, head)
    'stale, measured at abc1234 with uncommitted changes'
    >>> provenance({}, head)
    'stale, measured at an unrecorded commit'
    """
    environment = record.get("environment")
    commit = environment.get("commit") if isinstance(environment, dict) else None
    if not commit:
        return "stale, measured at an unrecorded commit"
    dirty = environment.get("dirty") if isinstance(environment, dict) else None
    if commit == head.get("commit") and dirty is False and head.get("dirty") is False:
        return None
    suffix = " with uncommitted changes" if dirty else (" (dirty state unknown)" if dirty is None else "")
    if commit == head.get("commit") and not dirty and head.get("dirty"):
        suffix = ", summary written with uncommitted changes"
    return f"stale, measured at {commit[:7]}{suffix}"


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def run_problem(run: Mapping[str, Any] | None, record: Mapping[str, Any] | None) -> str | None:
    """Why this run gives no verdict: it failed, timed out, was skipped, or wrote no result during the run."""
    if not run:
        return None
    status = run.get("status", "ok")
    detail = f": {run['detail']}" if run.get("detail") else ""
    if status in ("failed", "timeout", "missing"):
        return f"FAILED ({status}{detail})"
    if status == "skipped":
        return f"missing (skipped{detail})"
    started = _parse_time(run.get("started_at"))
    measured = _parse_time(record.get("measured_at")) if record else None
    if record is None:
        return "FAILED (the run wrote no result file)"
    if started and measured and measured < started:
        return f"FAILED (the run wrote no result; the file is from {record.get('measured_at')})"
    return None


def mode_mismatch(record: Mapping[str, Any], quick: bool) -> str | None:
    """Why a quick run's record cannot answer a full-run claim, else ``None`` (a benchmark without a quick mode
    measures its full size in a quick run too, and that answers the quick row).

    >>> mode_mismatch({"quick": True}, quick=False), mode_mismatch({"quick": False}, quick=True)
    ('not measured (quick-run result file)', None)
    """
    if record.get("quick") is True and not quick:
        return "not measured (quick-run result file)"
    return None


def evaluate(
    target: Target,
    record: Mapping[str, Any] | None,
    run: Mapping[str, Any] | None,
    head: Mapping[str, Any],
    quick: bool,
) -> Row:
    """The row of ``target``: failed, missing, stale or a verdict, never a number from another commit unmarked."""
    if quick and target.full_size:
        return Row(target, "-", "full run only")
    problem = run_problem(run, record)
    if problem:
        return Row(target, "-", problem)
    if record is None:
        return Row(target, "-", "not measured (no result file)")
    mismatch = mode_mismatch(record, quick)
    if mismatch:
        return Row(target, "-", mismatch)
    values = [measure_path(record, path) for path in target.paths]
    value = next((item for item in values if item is not None), None)
    if value is None:
        return Row(target, "-", "not in the result file")
    measured = f"{value:.4g}{target.unit}"
    stale = provenance(record, head)
    if stale:
        return Row(target, measured, f"{stale} (then: {verdict(value, target)})")
    return Row(target, measured, verdict(value, target))


def _suite_records(results: Path, quick: bool) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """This mode's ``suite.json`` and the other mode's (the full run's directory holds ``quick/``)."""
    own = load_record(results, "suite", quick)
    other_dir = results.parent if results.name == "quick" else results / "quick"
    other = load_record(other_dir, "suite", not quick)
    return own, other


def target_rows(
    results: Path, runs: Mapping[str, Mapping[str, Any]], quick: bool, head: Mapping[str, Any] | None = None
) -> list[Row]:
    """Every target's row for the result files in ``results`` and the runs of this suite invocation."""
    head = head or commit_info()
    records = {name: load_record(results, name, quick) for name, _ in SUITE}
    own_suite, other_suite = _suite_records(results, quick)
    rows = []
    for target in all_targets():
        if target.benchmark == "suite":
            wants_quick = target.paths[0].startswith("quick_")
            record = own_suite if wants_quick == quick else other_suite
            if record is not None and wants_quick != quick:
                record = {**record, "quick": quick}  # the other mode's suite time is shown as what it is
            rows.append(evaluate(target, record, None, head, quick))
            continue
        rows.append(evaluate(target, records.get(target.benchmark), runs.get(target.benchmark), head, quick))
    return rows


def hard_misses(rows: list[Row]) -> list[Row]:
    """The hard targets that are not met on this commit (missed, failed, not measured or stale)."""
    return [row for row in rows if row.target.hard and not row.met]


def _split_cell(record: Mapping[str, Any] | None, paths: tuple[str, ...], head: Mapping[str, Any], empty: str) -> str:
    if record is None:
        return "not measured (no result file)"
    value = next((v for v in (measure_path(record, p) for p in paths) if v is not None), None)
    if value is None:
        return empty
    stale = provenance(record, head)
    return f"{value:.4g}" + (f" ({stale})" if stale else "")


def split_lines(
    results: Path, runs: Mapping[str, Mapping[str, Any]], quick: bool, head: Mapping[str, Any]
) -> list[str]:
    """The development-set / test-set table: per stage, the figure on the gold that tuned it and on its test set."""
    lines = [
        "## Development set and test set",
        "",
        "The development set is the gold a stage was tuned on (in-sample); the test set was built afterwards from "
        "other sources and never tuned on.",
        "",
        "| stage | benchmark | figure | development set | test set |",
        "|---|---|---|---|---|",
    ]
    for split in SPLITS:
        record = load_record(results, split.benchmark, quick)
        problem = run_problem(runs.get(split.benchmark), record) or (record and mode_mismatch(record, quick))
        if problem:
            dev = test = problem
        else:
            dev = _split_cell(record, split.dev_paths, head, "not reported")
            test = _split_cell(record, split.test_paths, head, "no test set yet")
        label = f"quick: {split.metric}" if quick else split.metric
        lines.append(f"| {split.stage} | {split.benchmark} | {label} | {dev} | {test} |")
    return lines + [""]


def _headline(record: Mapping[str, Any]) -> list[str]:
    """The record's ``headline`` mapping when it has one, else its top-level numbers, flags and short strings."""
    headline = record.get("headline")
    source: Mapping[str, Any] = headline if isinstance(headline, dict) else record
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
    results: Path, runs: Mapping[str, Mapping[str, Any]], quick: bool, head: Mapping[str, Any] | None = None
) -> Path:
    """Write ``results/SUMMARY.md``: targets, development/test figures, then each benchmark's status and numbers.

    ``head`` is the commit the summary names (default: this checkout's, with its dirty flag).
    """
    environment = {**machine_info(), **(head or {})}
    head = {"commit": environment["commit"], "dirty": environment["dirty"]}
    commit = environment["commit"] or "unknown"
    rows = target_rows(results, runs, quick, head)
    misses = hard_misses(rows)
    mode = (
        " (quick run: small inputs; its numbers are not the full-size claims, and size claims are left out)"
        if quick
        else ""
    )
    lines = [
        "# Benchmark summary" + mode,
        "",
        f"Commit `{commit}`{' (uncommitted changes: no row is a verdict on it)' if environment['dirty'] else ''}, "
        f"{environment['cores_usable']} cores, {environment['memory_gb']} GB, Python {environment['python']}, "
        f"written {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. A row is a verdict on this commit only when "
        "its result file was measured on it; otherwise it says `stale, measured at X`. Reproduce: "
        "`python -m benchmarks" + (" --quick" if quick else "") + "`.",
        "",
        f"Hard targets (`benchmarks/hard_targets.toml`, enforced by CI): {len(misses)} not met"
        + (": " + "; ".join(row.target.claim for row in misses) if misses else "")
        + ".",
        "",
        "## Targets",
        "",
        "| issue | benchmark | claim | measured | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        target = row.target
        claim = ("**hard:** " if target.hard else "") + (f"quick: {target.claim}" if quick else target.claim)
        bound = f"{target.direction} {target.bound:g}{target.unit}"
        lines.append(f"| {target.issue} | {target.benchmark} | {claim} | {row.measured} | {bound} | {row.outcome} |")
    lines += ["", *split_lines(results, runs, quick, head), "## Benchmarks", ""]
    for name, issue in SUITE:
        run = runs.get(name, {})
        record = load_record(results, name, quick)
        problem = run_problem(run, record) or (record and mode_mismatch(record, quick))
        status = problem or run.get("status") or ("not run" if record is None else "result file from an earlier run")
        took = f", {run['seconds']} s wall, {run.get('cpu_seconds', '?')} s CPU" if "seconds" in run else ""
        lines += [f"### {name} (issue {issue}): {status}{took}", ""]
        if problem or record is None:
            continue
        stale = provenance(record, head)
        if stale:
            lines += [f"**{stale}**: not a verdict on this commit.", ""]
        flag = record.get("meets_target")
        if isinstance(flag, bool):
            lines += [f"Own verdict: {'meets its target' if flag else '**misses its target**'}.", ""]
        lines += [f"- {item}" for item in _headline(record)]
        lines += [f"- file: `{record['_file']}`, measured {record.get('measured_at', 'at an unknown time')}", ""]
    for picture in sorted(results.glob("*.png")):
        lines += [f"![{picture.stem}]({picture.name})", ""]
    path = results / "SUMMARY.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
