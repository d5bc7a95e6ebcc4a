"""Local engine vs Ray with 2 workers on the same input, and the dedup step's memory per worker.

Claims (issue #10): the Ray path gives the local path's kept set and clusters; how its wall time compares
with the local engine's on one machine (the ratio, Ray's fixed cost included); and, when the dedup input
is split across workers, how much memory each worker needs against the local stage holding the whole index.

Input: the seeds plus generated reprint clusters (``benchmarks.reprints``, unit "document"). Both engines
run the default chain with ``dedup.level = "documents"`` (what the Ray path distributes), in this process,
on the same documents. Ray runs on a local Ray started here with ``--cpus`` CPUs and ``--workers`` workers;
the first Ray run includes starting the worker processes (cold), the second reuses them (warm).

Memory: the local number is the dedup stage's peak of traced allocations (``tracemalloc``) over the
already-cleaned documents; the Ray numbers are each Ray worker process's peak resident set (``VmHWM`` from
``/proc``) after a dedup-only run in a fresh Ray, next to the resident set of an idle worker, so the
difference is what the dedup steps added to one worker.

    python -m benchmarks.ray_local [--clusters 24] [--copies 4] [--singletons 16] [--workers 2] [--quick]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.common import traced_peak, write_result
from benchmarks.reprints import generate_reprints
from cleanse import Pipeline
from cleanse.document import Document
from cleanse.io import read_text_files
from cleanse.stages.dedup import NearDupDetector

ROOT = Path(__file__).resolve().parent.parent
DEDUP = {"level": "documents"}


def corpus(clusters: int, copies: int, singletons: int) -> list[Document]:
    reprints = generate_reprints(seed=10, clusters=clusters, copies=copies, singletons=singletons, unit="document")
    docs = list(read_text_files(ROOT / "seeds"))
    return docs + [Document.from_text(text, id=f"reprint-{i}") for i, text in enumerate(reprints.texts)]


def outcome(docs: list[Document]) -> tuple[list[Any], list[Any]]:
    kept = sorted((d.id, d.text) for d in docs if d.status == "kept")
    clusters = sorted((d.id, d.duplicate_of, d.status_reason) for d in docs if d.status == "duplicate")
    return kept, clusters


def timed(run: Any) -> tuple[list[Document], float]:
    started = time.perf_counter()
    docs = list(run())
    return docs, time.perf_counter() - started


def ray_worker_memory() -> dict[int, dict[str, int]]:
    """Resident set now and at its peak, in bytes, of every Ray worker process of this machine."""
    found: dict[int, dict[str, int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            cmdline = (status.parent / "cmdline").read_bytes()
            if b"default_worker.py" not in cmdline and not cmdline.startswith(b"ray::"):
                continue
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        found[int(status.parent.name)] = {
            "rss": int(fields["VmRSS"].split()[0]) * 1024,
            "peak": int(fields["VmHWM"].split()[0]) * 1024,
        }
    return found


def memory_per_worker(cleaned: list[Document], cpus: int, workers: int) -> dict[str, Any]:
    """Dedup-only runs: the local stage's traced peak, and each Ray worker's peak in a fresh Ray."""
    import ray

    from cleanse.engines import RayOptions, connect, run_ray

    def local() -> list[Document]:
        return list(Pipeline([NearDupDetector(**DEDUP)]).run(_copies(cleaned)))

    _, local_peak = traced_peak(local)
    ray.shutdown()
    connect(RayOptions(num_cpus=cpus))
    time.sleep(2.0)
    idle = ray_worker_memory()
    list(run_ray(Pipeline([NearDupDetector(**DEDUP)]), _copies(cleaned), workers=workers))
    after = ray_worker_memory()
    ray.shutdown()
    idle_rss = max((m["rss"] for m in idle.values()), default=0)
    peaks = sorted((m["peak"] for m in after.values()), reverse=True)
    mb = 2**20
    return {
        "local_dedup_traced_peak_mb": round(local_peak / mb, 2),
        "ray_idle_worker_rss_mb": round(idle_rss / mb, 1),
        "ray_worker_peak_rss_mb": [round(p / mb, 1) for p in peaks],
        "ray_worker_peak_over_idle_mb": [round((p - idle_rss) / mb, 1) for p in peaks],
        "ray_workers_seen": len(after),
    }


def _copies(docs: list[Document]) -> list[Document]:
    return [Document.from_record(d.to_record()) for d in docs]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=24)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--singletons", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="a small input, for a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.clusters, args.copies, args.singletons = 6, 3, 4
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    from cleanse.engines import RayOptions, connect, run_ray

    docs = corpus(args.clusters, args.copies, args.singletons)
    size = sum(len(d.raw or (d.text or "").encode("utf-8")) for d in docs)
    local_docs, local_seconds = timed(lambda: Pipeline.default(dedup=DEDUP).run(_copies(docs)))
    local_jobs_docs, local_jobs_seconds = timed(
        lambda: Pipeline.default(dedup=DEDUP).run(_copies(docs), jobs=args.workers)
    )
    started = time.perf_counter()
    connect(RayOptions(num_cpus=args.cpus))
    ray_start_seconds = time.perf_counter() - started
    cold_docs, cold_seconds = timed(lambda: run_ray(Pipeline.default(dedup=DEDUP), _copies(docs), workers=args.workers))
    warm_docs, warm_seconds = timed(lambda: run_ray(Pipeline.default(dedup=DEDUP), _copies(docs), workers=args.workers))
    identical = outcome(local_docs) == outcome(cold_docs) == outcome(warm_docs) == outcome(local_jobs_docs)

    cleaned = [d for d in Pipeline(Pipeline.default().document_stages).run(_copies(docs)) if d.kept]
    memory = memory_per_worker(cleaned, args.cpus, args.workers)

    result = {
        "input": {"documents": len(docs), "bytes": size, "duplicates_found": len(outcome(local_docs)[1])},
        "baseline": "local engine, jobs=1, same documents, same process",
        "local_seconds": round(local_seconds, 2),
        "local_jobs_seconds": round(local_jobs_seconds, 2),
        "ray_start_seconds": round(ray_start_seconds, 2),
        "ray_cold_seconds": round(cold_seconds, 2),
        "ray_warm_seconds": round(warm_seconds, 2),
        "ratio_ray_warm_over_local": round(warm_seconds / local_seconds, 2),
        "ratio_ray_cold_over_local": round(cold_seconds / local_seconds, 2),
        "ratio_local_jobs_over_local": round(local_jobs_seconds / local_seconds, 2),
        "identical_kept_and_clusters": identical,
        "workers": args.workers,
        "cpus": args.cpus,
        "memory": memory,
    }
    print(f"{len(docs)} documents, {size / 2**20:.2f} MB; identical kept sets and clusters: {identical}")
    print(f"local jobs=1: {local_seconds:.1f} s   local jobs={args.workers}: {local_jobs_seconds:.1f} s")
    print(
        f"ray {args.workers} workers: cold {cold_seconds:.1f} s, warm {warm_seconds:.1f} s "
        f"(ratio warm/local {warm_seconds / local_seconds:.2f}, start-up {ray_start_seconds:.1f} s)"
    )
    print(
        f"dedup memory: local traced peak {memory['local_dedup_traced_peak_mb']} MB; ray worker peaks "
        f"{memory['ray_worker_peak_rss_mb']} MB (idle worker {memory['ray_idle_worker_rss_mb']} MB)"
    )
    write_result("ray_local", result)
    return result


if __name__ == "__main__":
    main()
