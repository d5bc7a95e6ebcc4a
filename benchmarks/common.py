"""Shared helpers of the benchmark scripts: machine description, timing, peak memory, result files.

Every result file records where it was measured (commit, cores, memory, library versions), because a number
without its machine cannot be compared. Timings on a shared machine are noisy: scripts report ratios against a
baseline run in the same process on the same input, and :func:`best_of` keeps the fastest of a few runs.

>>> timing = best_of(lambda: sum(range(1000)), repeat=3)
>>> timing.runs, timing.best <= timing.median
(3, True)
>>> round(throughput_mb_s(2_000_000, 0.5), 1)
4.0
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"

#: Distributions whose versions every result records (absent ones are recorded as ``None``).
TRACKED_PACKAGES = (
    "cleanse",
    "numpy",
    "regex",
    "datasketch",
    "rensa",
    "ftfy",
    "opencc-python-reimplemented",
    "opencc",
    "chardet",
    "scipy",
    "matplotlib",
)

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one callable; ``value`` is the last run's return value."""

    best: float
    median: float
    runs: int
    value: Any = None


def best_of(function: Callable[[], T], repeat: int = 3, warmup: int = 0) -> Timing:
    """Run ``function`` ``warmup`` times untimed, then ``repeat`` times timed; garbage collection is paused."""
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, got {repeat}")
    for _ in range(warmup):
        function()
    seconds = []
    value: Any = None
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            value = function()
            seconds.append(time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return Timing(min(seconds), statistics.median(seconds), repeat, value)


def throughput_mb_s(size_bytes: float, seconds: float) -> float:
    """Megabytes (10**6 bytes) per second; ``inf`` for a zero duration."""
    return size_bytes / 1e6 / seconds if seconds > 0 else float("inf")


def utf8_size(texts: Any) -> int:
    """Total UTF-8 size in bytes of a string or an iterable of strings."""
    if isinstance(texts, str):
        return len(texts.encode("utf-8"))
    return sum(len(text.encode("utf-8")) for text in texts)


def traced_peak(function: Callable[[], T]) -> tuple[T, int]:
    """Run ``function`` under ``tracemalloc``; return its value and the peak of Python and numpy allocations.

    Slower than an untraced run, so never time the same call; use it for memory only.
    """
    gc.collect()
    tracemalloc.start()
    try:
        value = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (``ru_maxrss``; kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _total_memory_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def commit_info() -> dict[str, Any]:
    """The commit the benchmark code ran at, and whether tracked files had uncommitted changes.

    Result files under ``benchmarks/results/`` do not count: a suite run rewrites them as it goes, and they are
    what it measures, not what it runs.
    """
    status = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results")
    return {"commit": _git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def package_versions(names: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution in ``names``, ``None`` when it is not installed."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def machine_info() -> dict[str, Any]:
    """Where a result was measured: commit, CPU cores, memory, platform, Python, library versions and whether
    cleanse's compiled cores or its numpy paths ran."""
    memory = _total_memory_bytes()
    return {
        **commit_info(),
        "cores_usable": _usable_cores(),
        "cores_total": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1) if memory else None,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "packages": package_versions(),
        "compiled_cores": _compiled_cores(),
    }


def _compiled_cores() -> dict[str, bool] | None:
    """Which compiled cores loaded (``False``: the slower numpy path ran); ``None`` if cleanse is not importable."""
    try:
        from cleanse.native import core_status
    except ImportError:
        return None
    return core_status()


def write_result(name: str, payload: Mapping[str, Any], directory: Path | None = None) -> Path:
    """Write ``payload`` to ``<directory>/<name>.json`` with the machine description and a UTC timestamp.

    ``directory`` defaults to ``benchmarks/results`` (or ``$CLEANSE_BENCH_RESULTS`` when set, which the suite
    runner uses for throw-away quick runs). The record says whether it came from a quick run (``quick``, taken
    from the payload, else from ``--quick`` on the command line), so a summary never shows it as a full-size
    claim. Returns the path written.
    """
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"result name must be a plain file stem, got {name!r}")
    target = directory or Path(os.environ.get("CLEANSE_BENCH_RESULTS", RESULTS_DIR))
    target.mkdir(parents=True, exist_ok=True)
    record = {
        "benchmark": name,
        "quick": "--quick" in sys.argv[1:],
        **payload,
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "environment": machine_info(),
    }
    path = target / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8")
    return path


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a result file")


def results_directory() -> Path:
    """The directory result files go to in this process (see :func:`write_result`)."""
    return Path(os.environ.get("CLEANSE_BENCH_RESULTS", RESULTS_DIR))
