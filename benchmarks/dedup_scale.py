"""Near-duplicate detection at scale: one million paragraphs end to end, time and peak memory, 4 sizes.

The corpus is the seed paragraphs replicated with perturbations (a few characters substituted,
deleted or inserted, a sentence dropped, punctuation changed, some copies left exact), so it holds
both exact and near duplicates in realistic proportions. Each size runs in a fresh subprocess: the
corpus is generated untimed, then ``find_duplicates`` runs end to end (normalise, shingle, sign,
band, group, verify, union-find) and the child reports its wall time, CPU time (less sensitive to other
processes on a shared machine) and peak RSS (input included).

Baseline, in the same run: datasketch's ``MinHash.bulk`` plus ``MinHashLSH`` inserts and queries
on the first 10,000 paragraphs of the same corpus (verification not included); the ratio compares
microseconds per paragraph. Growth: the log-log slope of time against size (1.0 is linear).

Two configurations run at every size: ``default`` (``find_duplicates(texts)``: threshold 0.5 with the
reprint clause, LSH bands for Jaccard 0.3) and ``jaccard_0.8`` (``threshold=0.8, reprint_containment=0``,
the call this benchmark timed before the reprint clause existed), so the cost of the default's wider
candidate search is a ratio measured in the same run.

Targets (issue 8): 1M paragraphs in <= 120 s on 2 cores, peak RSS <= 2 GiB, linear growth.

    python -m benchmarks.dedup_scale [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from typing import Any

import numpy as np

from benchmarks.common import ROOT, peak_rss_bytes, write_result
from benchmarks.reprints import seed_paragraphs

SIZES = (125_000, 250_000, 500_000, 1_000_000)
QUICK_SIZES = (10_000, 20_000, 40_000, 80_000)
BASELINE_PARAGRAPHS = 10_000
TARGET_SECONDS = 120.0
TARGET_PEAK_MIB = 2048.0
THRESHOLD = 0.8
CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "jaccard_0.8": {"threshold": THRESHOLD, "reprint_containment": 0.0},
}
_PUNCTUATION = "，。、；：！？"


def perturbed_corpus(size: int, seed: int = 0) -> list[str]:
    """``size`` paragraphs: seed paragraphs, a third exact copies, the rest lightly edited."""
    rng = random.Random(seed)
    originals = [text for _, text in seed_paragraphs() if len(text) >= 8]
    alphabet = sorted({char for text in originals for char in text if "\u4e00" <= char <= "\u9fff"})
    out = []
    for _ in range(size):
        text = rng.choice(originals)
        roll = rng.random()
        if roll < 0.33:
            out.append(text)
            continue
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            kind = rng.random()
            if kind < 0.4:
                chars[position] = rng.choice(alphabet)
            elif kind < 0.7:
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        edited = "".join(chars)
        if roll > 0.9:
            edited = edited.translate(str.maketrans(_PUNCTUATION, ",.,;:!?"))
        out.append(edited)
    return out


def run_child(size: int, config: str = "default") -> dict[str, Any]:
    """In this process: generate ``size`` paragraphs, time ``find_duplicates`` with one of :data:`CONFIGS`,
    report time and peak RSS."""
    from cleanse.stages.dedup import find_duplicates

    texts = perturbed_corpus(size)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    cpu_start, start = time.process_time(), time.perf_counter()
    clusters = find_duplicates(texts, **CONFIGS[config])
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "config": config,
        "paragraphs": size,
        "megabytes": round(megabytes, 1),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "peak_rss_mib": round(peak_rss_bytes() / 2**20, 1),
        "clusters": len(clusters),
        "clustered_paragraphs": sum(len(c) for c in clusters),
        "us_per_paragraph": round(1e6 * seconds / size, 2),
    }


def run_baseline(size: int) -> dict[str, Any]:
    """datasketch MinHash.bulk + MinHashLSH (insert and query) on ``size`` paragraphs of the same corpus."""
    from datasketch import MinHash, MinHashLSH

    from cleanse.stages.dedup.normalise import normalise_unit
    from cleanse.stages.dedup.shingles import shingle_strings

    texts = perturbed_corpus(size)
    cpu_start, start = time.process_time(), time.perf_counter()
    shingles = [[s.encode("utf-8") for s in shingle_strings(normalise_unit(t))] or [b""] for t in texts]
    sketches = MinHash.bulk(shingles, num_perm=128)
    index = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    for number, sketch in enumerate(sketches):
        index.query(sketch)
        index.insert(number, sketch)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "paragraphs": size,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "us_per_paragraph": round(1e6 * seconds / size, 2),
        "cpu_us_per_paragraph": round(1e6 * cpu_seconds / size, 2),
    }


def _child(function: str, *arguments: object) -> dict[str, Any]:
    call = ", ".join(repr(argument) for argument in arguments)
    code = f"import json, benchmarks.dedup_scale as m; print(json.dumps(m.{function}({call})))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    baseline = _child("run_baseline", min(BASELINE_PARAGRAPHS, sizes[0]))
    print(f"baseline datasketch bulk+LSH: {baseline}")
    runs, previous = [], []
    for size in sizes:
        runs.append(_child("run_child", size, "default"))
        previous.append(_child("run_child", size, "jaccard_0.8"))
        print(runs[-1], previous[-1], sep="\n")
    sizes_log = np.log([r["paragraphs"] for r in runs])
    slope = float(np.polyfit(sizes_log, np.log([r["seconds"] for r in runs]), 1)[0])
    cpu_slope = float(np.polyfit(sizes_log, np.log([r["cpu_seconds"] for r in runs]), 1)[0])
    largest = runs[-1]
    payload = {
        "quick": args.quick,
        "configs": CONFIGS,
        "runs": runs,
        "largest": largest,
        "previous_config_runs": previous,
        "default_vs_previous_config": {
            "cpu_seconds_ratio_by_size": [
                round(r["cpu_seconds"] / max(p["cpu_seconds"], 1e-9), 3) for r, p in zip(runs, previous, strict=True)
            ],
            "seconds_ratio_by_size": [
                round(r["seconds"] / max(p["seconds"], 1e-9), 3) for r, p in zip(runs, previous, strict=True)
            ],
            "peak_rss_ratio_largest": round(largest["peak_rss_mib"] / max(previous[-1]["peak_rss_mib"], 1e-9), 3),
        },
        "time_slope": round(slope, 3),
        "cpu_time_slope": round(cpu_slope, 3),
        "baseline": {"name": "datasketch MinHash.bulk + MinHashLSH insert/query", **baseline},
        "speedup_vs_baseline_per_paragraph": round(baseline["us_per_paragraph"] / largest["us_per_paragraph"], 1),
        "cpu_speedup_vs_baseline_per_paragraph": round(
            baseline["cpu_us_per_paragraph"] / (1e6 * largest["cpu_seconds"] / largest["paragraphs"]), 1
        ),
        "meets": {
            "seconds": largest["seconds"] <= TARGET_SECONDS,
            "peak_rss": largest["peak_rss_mib"] <= TARGET_PEAK_MIB,
        },
    }
    speedup = payload["speedup_vs_baseline_per_paragraph"]
    print(f"time slope {slope:.3f} (cpu {cpu_slope:.3f}); {speedup}x faster per paragraph than the baseline")
    print(f"wrote {write_result('dedup_scale', payload)}")
    return payload


if __name__ == "__main__":
    main()
