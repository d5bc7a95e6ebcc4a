"""Scaling of end-to-end near-duplicate detection: time and peak memory from 1k to 1M paragraphs.

Input: :func:`benchmarks.reprints.scaled_paragraphs` (corpus sentences recombined and perturbed, a fifth of
them near-duplicate reprints). Each size runs in a fresh Python process, so its peak resident memory is its
own: the process builds the paragraphs, resets the kernel's peak-RSS mark, runs the method and reports the
wall time, the resident memory of the input and the new peak.

Methods, in the same run on the same paragraphs:

* ``cleanse``: ``cleanse.find_duplicates(paragraphs)`` with its default configuration, plus (up to 100k) the
  map step (normalise, shingle, sign) and the reduce step (LSH buckets, verification, union-find) timed apart;
* ``datasketch``: the common recipe, up to 100k paragraphs: character 5-gram shingles of the raw text,
  ``MinHash.bulk`` (128 permutations), ``MinHashLSH`` at the same default threshold, candidates verified by
  estimated Jaccard, union-find;
* ``datasketch_update``: the same with per-token ``MinHash.update`` (the tutorial way), up to 10k;
* ``brute_force``: exact Jaccard of every pair sharing a shingle on the stage's normalisation, up to 10k.

The log-log slope of time (wall time, and CPU time of the measuring process, which a shared machine
disturbs less) against size is reported (1.0 is linear), over all sizes and over sizes of 10k and more,
and the curves are drawn in ``benchmarks/results/scaling.png``.

    python -m benchmarks.scaling [--quick] [--sizes 1000,10000] [--timeout 900]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, peak_rss_bytes, results_directory, utf8_size, write_result
from benchmarks.dedup_quality import connected_components

FULL_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000)
QUICK_SIZES = (1_000, 4_000)
#: Largest size each method runs at, per mode (baselines stop where they would take minutes).
SIZE_LIMITS: dict[str, dict[str, int]] = {
    "cleanse": {"full": 1_000_000, "quick": 4_000},
    "datasketch": {"full": 100_000, "quick": 1_000},
    "datasketch_update": {"full": 10_000, "quick": 1_000},
    "brute_force": {"full": 10_000, "quick": 1_000},
}
PHASES_UP_TO = 100_000
DEFAULT_THRESHOLD = 0.8
NUM_PERM = 128
SEED = 0
METHODS = tuple(SIZE_LIMITS)


def _current_rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux 4.0+), so the next peak belongs to the measured work."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _peak_rss_since_reset() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return peak_rss_bytes()


def run_cleanse(paragraphs: list[str]) -> list[list[int]]:
    import cleanse

    return cleanse.find_duplicates(paragraphs)


def run_datasketch(paragraphs: list[str], threshold: float = DEFAULT_THRESHOLD, bulk: bool = True) -> list[list[int]]:
    """The datasketch recipe: raw 5-gram shingles, ``MinHash.bulk`` (or per-token ``update`` when ``bulk`` is
    false), ``MinHashLSH``, each query's candidates verified by estimated Jaccard, union-find."""
    from datasketch import MinHash, MinHashLSH

    shingles = [
        [text[start : start + 5].encode("utf-8") for start in range(max(1, len(text) - 4))] for text in paragraphs
    ]
    if bulk:
        signatures = MinHash.bulk(shingles, num_perm=NUM_PERM)
    else:
        signatures = []
        for tokens in shingles:
            signature = MinHash(num_perm=NUM_PERM)
            for token in tokens:
                signature.update(token)
            signatures.append(signature)
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    with index.insertion_session() as session:
        for key, signature in enumerate(signatures):
            session.insert(key, signature, check_duplication=False)
    pairs = (
        (key, other)
        for key, signature in enumerate(signatures)
        for other in index.query(signature)
        if other > key and signature.jaccard(signatures[other]) >= threshold
    )
    return connected_components(len(paragraphs), pairs)


def run_datasketch_update(paragraphs: list[str]) -> list[list[int]]:
    return run_datasketch(paragraphs, bulk=False)


def run_brute_force(paragraphs: list[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Exact Jaccard of every pair sharing a shingle, on the dedup stage's normalisation and 5-grams."""
    from benchmarks.dedup_quality import NORMALISATION_LADDER, brute_force_clusters, exact_jaccard_pairs, shingle_sets

    sets = shingle_sets(paragraphs, NORMALISATION_LADDER["dedup stage normalise_unit"])
    return brute_force_clusters(exact_jaccard_pairs(sets), len(paragraphs), threshold)


def cleanse_phases(paragraphs: list[str]) -> dict[str, float] | None:
    """Seconds of the map step (normalise, shingle, sign, band keys) and of the reduce step (LSH buckets,
    verification, union-find), through the dedup package's batch functions; ``None`` if they are absent."""
    try:
        from cleanse.stages.dedup.batch import cluster_units, sketch_units
        from cleanse.stages.dedup.options import DedupOptions
    except ImportError:
        return None
    options = DedupOptions()
    start = time.perf_counter()
    sketches = sketch_units(paragraphs, options)
    middle = time.perf_counter()
    cluster_units(sketches, options.threshold)
    end = time.perf_counter()
    return {"signatures_seconds": round(middle - start, 4), "lsh_and_clustering_seconds": round(end - middle, 4)}


def measure(method: str, size: int, seed: int = SEED) -> dict[str, Any]:
    """Build ``size`` paragraphs, run ``method`` once, return time and memory (run it in a fresh process)."""
    from benchmarks.reprints import scaled_paragraphs

    paragraphs = scaled_paragraphs(size, seed=seed)
    runner = {
        "cleanse": run_cleanse,
        "datasketch": run_datasketch,
        "datasketch_update": run_datasketch_update,
        "brute_force": run_brute_force,
    }[method]
    warmup_start = time.perf_counter()
    runner(paragraphs[:20])  # one-off set-up (tables, permutations) is not part of the scaling curve
    warmup = time.perf_counter() - warmup_start
    input_rss = _current_rss_bytes()
    reset = _reset_peak_rss()
    start, cpu_start = time.perf_counter(), time.process_time()
    clusters = runner(paragraphs)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak = _peak_rss_since_reset()
    megabytes = utf8_size(paragraphs) / 1e6
    phases = cleanse_phases(paragraphs) if method == "cleanse" and size <= PHASES_UP_TO else None
    return {
        **(phases or {}),
        "method": method,
        "paragraphs": size,
        "input_mb": round(megabytes, 2),
        "seconds": round(seconds, 4),
        "cpu_seconds": round(cpu_seconds, 4),
        "warmup_seconds": round(warmup, 4),
        "mb_per_s": round(megabytes / seconds, 3) if seconds > 0 else None,
        "peak_rss_mb": round(peak / 2**20, 1),
        "input_rss_mb": round(input_rss / 2**20, 1) if input_rss else None,
        "peak_is_since_input": reset,
        "clusters": len(clusters),
        "paragraphs_in_clusters": sum(len(cluster) for cluster in clusters),
    }


def _measure_in_child(method: str, size: int, timeout: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.scaling", "--child", method, str(size)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"method": method, "paragraphs": size, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"method": method, "paragraphs": size, "error": f"exit {done.returncode}: {last}"}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def loglog_slope(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """Least-squares slope of log(value) against log(size); ``None`` with fewer than two points.

    >>> loglog_slope([1e3, 1e4, 1e5], [0.1, 1.0, 10.0])
    1.0
    """
    pairs = [(math.log10(size), math.log10(value)) for size, value in zip(sizes, values, strict=True) if value > 0]
    if len(pairs) < 2:
        return None
    x, y = np.array(pairs).T
    return round(float(np.polyfit(x, y, 1)[0]), 3)


def _slopes(rows: list[dict[str, Any]], key: str) -> dict[str, float | None]:
    good = [row for row in rows if key in row]
    large = [row for row in good if row["paragraphs"] >= 10_000]
    return {
        "all_sizes": loglog_slope([row["paragraphs"] for row in good], [row[key] for row in good]),
        "sizes_10k_and_up": loglog_slope([row["paragraphs"] for row in large], [row[key] for row in large]),
    }


def _headline(series: dict[str, list[dict[str, Any]]], ratios: dict[str, dict[str, float]]) -> dict[str, Any]:
    headline: dict[str, Any] = {}
    for row in series["cleanse"]:
        if "seconds" in row:
            headline[f"cleanse {row['paragraphs']:,} paragraphs"] = (
                f"{row['seconds']} s, {row['mb_per_s']} MB/s, peak {row['peak_rss_mb']} MiB"
            )
        else:
            headline[f"cleanse {row['paragraphs']:,} paragraphs"] = row.get("error", "failed")
    for method, rows in series.items():
        slopes = _slopes(rows, "seconds")
        headline[f"time slope {method} (all sizes / 10k and up)"] = " / ".join(map(str, slopes.values()))
    for baseline, by_size in ratios.items():
        size, ratio = max(by_size.items(), key=lambda item: int(item[0]))
        headline[f"speed-up vs {baseline} at {int(size):,}"] = ratio
    return headline


def plot(series: dict[str, list[dict[str, Any]]], path: Path) -> str | None:
    """Draw time and peak memory against size on log-log axes; return an error string if matplotlib is absent."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 'matplotlib is not installed (pip install -e ".[bench]")'
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for method, rows in series.items():
        good = [row for row in rows if "seconds" in row]
        if not good:
            continue
        sizes = [row["paragraphs"] for row in good]
        left.plot(sizes, [row["seconds"] for row in good], marker="o", label=method)
        right.plot(sizes, [row["peak_rss_mb"] for row in good], marker="o", label=method)
    all_sizes = sorted({row["paragraphs"] for rows in series.values() for row in rows if "seconds" in row})
    cleanse_rows = [row for row in series.get("cleanse", []) if "seconds" in row]
    if all_sizes and cleanse_rows:
        first = cleanse_rows[0]
        reference = [first["seconds"] * size / first["paragraphs"] for size in all_sizes]
        left.plot(all_sizes, reference, linestyle=":", color="grey", label="linear (slope 1)")
    for axis, label in ((left, "wall time (s)"), (right, "peak resident memory (MiB)")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("paragraphs")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.suptitle("Near-duplicate detection: scaling with corpus size")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return None


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} only (CI smoke run)")
    parser.add_argument("--sizes", help="comma-separated paragraph counts, overriding the defaults")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per size and method")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        method, size = args.child
        if method not in METHODS:
            parser.error(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
        print(json.dumps(measure(method, int(size))))
        return {}
    mode = "quick" if args.quick else "full"
    sizes = (
        [int(value) for value in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else FULL_SIZES)
    )
    series: dict[str, list[dict[str, Any]]] = {method: [] for method in METHODS}
    for method in METHODS:
        limit = SIZE_LIMITS[method][mode] if not args.sizes or method != "cleanse" else max(sizes)
        for size in sizes:
            if size > limit:
                continue
            row = _measure_in_child(method, size, args.timeout)
            series[method].append(row)
            print(json.dumps(row))
            if "error" in row:
                break  # larger sizes would fail or time out too
    ratios: dict[str, dict[str, float]] = {}
    for baseline in METHODS[1:]:
        for row in series[baseline]:
            match = [
                mine for mine in series["cleanse"] if mine["paragraphs"] == row["paragraphs"] and "seconds" in mine
            ]
            if match and "seconds" in row:
                ratios.setdefault(baseline, {})[str(row["paragraphs"])] = round(row["seconds"] / match[0]["seconds"], 2)
    png = results_directory() / "scaling.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    plot_error = plot(series, png)
    cleanse_rows = [row for row in series["cleanse"] if "seconds" in row]
    largest = cleanse_rows[-1] if cleanse_rows else None
    payload: dict[str, Any] = {
        "quick": args.quick,
        "input": "benchmarks.reprints.scaled_paragraphs(size, seed=0): one-line paragraphs, a fifth near-duplicates",
        "baselines": {
            "datasketch": "raw char 5-grams, MinHash.bulk(128), MinHashLSH(0.8), verified, union-find",
            "datasketch_update": "the same with per-token MinHash.update instead of MinHash.bulk",
            "brute_force": "exact Jaccard >= 0.8 of every pair sharing a shingle, same normalisation, union-find",
        },
        "sizes": sizes,
        "series": series,
        "time_slope": {method: _slopes(rows, "seconds") for method, rows in series.items()},
        "cpu_time_slope": {method: _slopes(rows, "cpu_seconds") for method, rows in series.items()},
        "memory_slope": {method: _slopes(rows, "peak_rss_mb") for method, rows in series.items()},
        "speedup_vs_baselines": ratios,
        "largest_cleanse_run": largest,
        "run_1m": next((row for row in cleanse_rows if row["paragraphs"] == 1_000_000), None),
        "headline": _headline(series, ratios),
        "plot": None if plot_error else png.name,
        "plot_error": plot_error,
    }
    path = write_result("scaling", payload)
    shown = ("time_slope", "cpu_time_slope", "memory_slope", "speedup_vs_baselines")
    print(json.dumps({key: payload[key] for key in shown}, indent=2))
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
