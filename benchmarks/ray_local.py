"""Local engine vs Ray with 2 workers on the same input; dedup memory per worker; Redis round trips per lookup.

Claims (issue #10): the Ray path writes the local path's output; how its wall time compares with the local
engine's on one machine (ratio, same process, same documents); the dedup step's memory per worker when its
input is split across workers, next to the local stage's; and what the batched Redis index costs per look-up
against the one-command-per-read storage it replaced.

Input: the seeds plus generated reprint documents (``benchmarks.reprints``), then new documents until the
input reaches ``--megabytes``, each made of one paragraph from each of three to five cleaned base documents:
most are not near-duplicates of a whole document, while their paragraphs repeat, so the paragraph and
sentence levels have most of the work. Both engines run the default pipeline (dedup ``level="both"``).

Timing: ``local`` (jobs=1) is the baseline; ``local jobs=2`` and Ray with ``--workers`` workers on a local Ray
of ``--cpus`` CPUs run the same documents in this process. Ray's start and a first run on the small base
corpus (worker processes starting, imports) are reported apart; the timed Ray run reuses those workers.

Memory: on a smaller input (``--memory-megabytes``, already cleaned), the local dedup stage's peak of traced
allocations (``tracemalloc``), and for each split of the dedup input into ``--splits`` partitions, every
Ray task's own traced peak and the bytes it received (:class:`cleanse.engines.shuffle.TaskMemory`): what a
worker holds for dedup, apart from Ray's runtime.

    python -m benchmarks.ray_local [--megabytes 20] [--memory-megabytes 4] [--splits 1,2,4,8] [--quick]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import traced_peak, write_result
from benchmarks.reprints import generate_reprints
from cleanse import Pipeline
from cleanse.document import Document
from cleanse.io import read_text_files
from cleanse.stages.dedup import NearDupDetector

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


def base_corpus() -> list[Document]:
    reprints = generate_reprints(seed=10, clusters=24, copies=4, singletons=16, unit="document")
    docs = list(read_text_files(ROOT / "seeds"))
    return docs + [Document.from_text(text, id=f"reprint-{i}") for i, text in enumerate(reprints.texts)]


def _size(docs: list[Document]) -> int:
    return sum(len(d.raw) if d.raw is not None else len((d.text or "").encode("utf-8")) for d in docs)


def corpus(megabytes: float, seed: int = 10) -> list[Document]:
    """The base corpus, then documents of paragraphs drawn from several base documents, to ``megabytes``."""
    base = base_corpus()
    cleaned = [d for d in Pipeline(Pipeline.default().document_stages).run(_copies(base)) if d.kept]
    paragraphs = [[p for p in (d.text or "").split("\n") if p.strip()] for d in cleaned]
    rng = random.Random(seed)
    docs, size, replica = list(base), _size(base), 0
    while size < megabytes * MB:
        replica += 1
        for number in range(len(paragraphs)):
            sources = rng.sample(paragraphs, rng.randint(3, 5))
            kept = [rng.choice(source) for source in sources]
            doc = Document.from_text("\n".join(kept), id=f"r{replica}-{number}")
            docs.append(doc)
            size += len((doc.text or "").encode("utf-8"))
    return docs


def _copies(docs: list[Document]) -> list[Document]:
    return [Document.from_record(d.to_record()) for d in docs]


def timed(run: Any) -> tuple[list[Document], float]:
    started = time.perf_counter()
    docs = list(run())
    return docs, time.perf_counter() - started


def dedup_memory(cleaned: list[Document], splits: list[int]) -> dict[str, Any]:
    """The local stage's traced peak, and per split the Ray dedup tasks' traced peaks and inputs."""
    from cleanse.engines.ray_dedup import deduplicate
    from cleanse.engines.ray_engine import RayOptions, to_dataset
    from cleanse.engines.shuffle import Steps

    _, local_peak = traced_peak(lambda: list(NearDupDetector().run(_copies(cleaned))))
    runs = []
    for partitions in splits:
        dataset, _ = to_dataset(_copies(cleaned), RayOptions())
        steps = Steps(trace=True)
        started = time.perf_counter()
        deduplicate(dataset.materialize(), NearDupDetector(), partitions, steps).materialize()
        seconds = time.perf_counter() - started
        tasks = steps.memory_report()
        by_step: dict[str, list[Any]] = defaultdict(list)
        by_worker: dict[int, int] = defaultdict(int)
        for task in tasks:
            by_step[task.step].append(task)
            by_worker[task.pid] = max(by_worker[task.pid], task.peak_bytes + task.input_bytes)
        runs.append(
            {
                "partitions": partitions,
                "tasks": len(tasks),
                "seconds_traced": round(seconds, 2),
                "max_task_peak_mb": round(max(t.peak_bytes for t in tasks) / MB, 2),
                "max_task_peak_plus_input_mb": round(max(t.peak_bytes + t.input_bytes for t in tasks) / MB, 2),
                "per_worker_max_mb": sorted((round(v / MB, 2) for v in by_worker.values()), reverse=True),
                "per_step": {
                    step: {
                        "tasks": len(group),
                        "max_peak_mb": round(max(t.peak_bytes for t in group) / MB, 3),
                        "max_input_mb": round(max(t.input_bytes for t in group) / MB, 3),
                    }
                    for step, group in by_step.items()
                },
            }
        )
    return {
        "input_documents": len(cleaned),
        "input_mb": round(_size(cleaned) / MB, 2),
        "local_dedup_traced_peak_mb": round(local_peak / MB, 2),
        "ray_splits": runs,
    }


def dedup_step_seconds(cleaned: list[Document], partitions: int) -> dict[str, Any]:
    """The dedup stage alone on cleaned documents: local stage vs the distributed steps (untraced)."""
    from cleanse.engines.ray_dedup import deduplicate
    from cleanse.engines.ray_engine import RayOptions, to_dataset
    from cleanse.engines.shuffle import Steps

    _, local_seconds = timed(lambda: NearDupDetector().run(_copies(cleaned)))
    dataset, _ = to_dataset(_copies(cleaned), RayOptions())
    dataset = dataset.materialize()
    steps = Steps()
    started = time.perf_counter()
    deduplicate(dataset, NearDupDetector(), partitions, steps).materialize()
    ray_seconds = time.perf_counter() - started
    names = {m.step for m in steps.memory_report()}
    return {
        "local_seconds": round(local_seconds, 2),
        "ray_seconds": round(ray_seconds, 2),
        "ratio_ray_over_local": round(ray_seconds / local_seconds, 2),
        "ray_tasks": len(steps.memory),
        "ray_distinct_steps": len(names),
        "partitions": partitions,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0, help="input size of the timed runs")
    parser.add_argument("--memory-megabytes", type=float, default=4.0, help="input size of the memory runs")
    parser.add_argument("--splits", default="1,2,4,8", help="partitions of the dedup input in the memory runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--skip-redis", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a small input, for a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.megabytes, args.memory_megabytes, args.splits = 0.5, 0.3, "1,2"
    splits = [int(s) for s in args.splits.split(",")]
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    from cleanse.engines import RayOptions, connect, run_ray

    docs = corpus(args.megabytes)
    size = _size(docs)
    print(f"{len(docs)} documents, {size / MB:.1f} MB", flush=True)
    local_docs, local_seconds = timed(lambda: Pipeline.default().run(_copies(docs)))
    print(f"local jobs=1: {local_seconds:.1f} s", flush=True)
    local_jobs_docs, local_jobs_seconds = timed(lambda: Pipeline.default().run(_copies(docs), jobs=args.workers))
    print(f"local jobs={args.workers}: {local_jobs_seconds:.1f} s", flush=True)
    started = time.perf_counter()
    connect(RayOptions(num_cpus=args.cpus))
    ray_start_seconds = time.perf_counter() - started
    base = base_corpus()
    _, first_seconds = timed(lambda: run_ray(Pipeline.default(), _copies(base), workers=args.workers))
    ray_docs, ray_seconds = timed(lambda: run_ray(Pipeline.default(), _copies(docs), workers=args.workers))
    print(f"ray: {ray_seconds:.1f} s", flush=True)
    expected = [d.to_json() for d in local_docs]
    ray_lines = [d.to_json() for d in ray_docs]
    jobs_lines = [d.to_json() for d in local_jobs_docs]
    identical = ray_lines == expected
    differing = sum(a != b for a, b in zip(ray_lines, expected, strict=False)) + abs(len(ray_lines) - len(expected))

    cleaned = [d for d in Pipeline(Pipeline.default().document_stages).run(_copies(docs)) if d.kept]
    step = dedup_step_seconds(cleaned, 2 * args.workers)
    print(f"dedup step alone: {step}", flush=True)
    memory_docs = [d for d in cleaned if _size([d])]
    memory_docs = memory_docs[: max(1, int(len(memory_docs) * min(1.0, args.memory_megabytes * MB / size)))]
    memory = dedup_memory(memory_docs, splits)

    redis = None if args.skip_redis else redis_round_trips(base)
    statuses = defaultdict(int)
    for d in local_docs:
        statuses[d.status] += 1
    result = {
        "input": {"documents": len(docs), "megabytes": round(size / MB, 2), "statuses": dict(statuses)},
        "baseline": "local engine, jobs=1, default pipeline (dedup level both), same documents, same process",
        "local_seconds": round(local_seconds, 2),
        "local_jobs_seconds": round(local_jobs_seconds, 2),
        "ray_start_seconds": round(ray_start_seconds, 2),
        "ray_first_run_small_seconds": round(first_seconds, 2),
        "ray_seconds": round(ray_seconds, 2),
        "ratio_ray_over_local": round(ray_seconds / local_seconds, 2),
        "ratio_local_over_ray": round(local_seconds / ray_seconds, 2),
        "ratio_local_jobs_over_local": round(local_jobs_seconds / local_seconds, 2),
        "local_mb_per_s": round(size / MB / local_seconds, 3),
        "ray_mb_per_s": round(size / MB / ray_seconds, 3),
        "identical_output": identical,
        "ray_documents_differing_from_local": differing,
        "local_jobs_identical_to_local": jobs_lines == expected,
        "workers": args.workers,
        "cpus": args.cpus,
        "dedup_step": step,
        "memory": memory,
        "redis": redis,
    }
    print(f"Ray output identical to local: {identical}")
    print(
        f"ray {args.workers} workers: {ray_seconds:.1f} s (ray/local {ray_seconds / local_seconds:.2f}); "
        f"start {ray_start_seconds:.1f} s, first small run {first_seconds:.1f} s"
    )
    print(f"dedup memory: local {memory['local_dedup_traced_peak_mb']} MB traced peak on {memory['input_mb']} MB")
    for run in memory["ray_splits"]:
        print(f"  {run['partitions']} partitions: max task {run['max_task_peak_plus_input_mb']} MB (peak + input)")
    if redis:
        print(f"redis: {redis}")
    write_result("ray_local", result)
    return result


def per_command_storage() -> type:
    """The Redis storage as it was before batching (commit 88d08ad): one command per bucket and per field read."""
    from cleanse.engines.redis_storage import RedisStorage
    from cleanse.stages.dedup.storage import IndexStorage

    class PerCommandStorage(RedisStorage):
        def buckets(self, keys: np.ndarray) -> np.ndarray:
            return IndexStorage.buckets(self, keys)

        def _hash(self, field: str, entries: Any) -> list[Any]:
            ids = np.asarray(entries, dtype=np.int64).tolist()
            return self._call(self.client.hmget, self._key(field), ids) if ids else []

        def alive(self, entries: np.ndarray) -> np.ndarray:
            ids = np.asarray(entries, dtype=np.int64).tolist()
            return np.array(self._call(self.client.smismember, self._key("alive"), ids) if ids else [], dtype=bool)

        def signatures(self, entries: np.ndarray) -> np.ndarray:
            values = b"".join(self._hash("signs", entries))
            return np.frombuffer(values, dtype=np.uint32).reshape(-1, self.num_perm)

        def sizes(self, entries: np.ndarray) -> np.ndarray:
            return np.array([int(v) for v in self._hash("sizes", entries)], dtype=np.int64)

        def entry_name(self, entry: int) -> str:
            return str(self._hash("names", [entry])[0].decode("utf-8"))

        def entry_cluster(self, entry: int) -> int:
            return int(self._hash("clusters", [entry])[0])

        def entry_id(self, name: str) -> int | None:
            value = self._call(self.client.hget, self._key("ids"), name)
            return None if value is None else int(value)

        def add_entry(self, name: str, signature: np.ndarray, added: float, cluster: int, size: int = 0) -> int:
            if self.entry_id(name) is not None:
                raise ValueError(f"the index already holds an entry named {name!r}")
            entry = int(self._call(self.client.incr, self._key("next"))) - 1
            pipe = self.client.pipeline(transaction=True)
            fields = {"signs": np.asarray(signature, dtype=np.uint32).tobytes(), "names": name, "sizes": int(size)}
            fields |= {"clusters": entry if cluster < 0 else cluster, "added": repr(float(added))}
            for field, value in fields.items():
                pipe.hset(self._key(field), entry, value)
            pipe.hset(self._key("ids"), name, entry)
            pipe.sadd(self._key("alive"), entry)
            self._call(pipe.execute)
            return entry

    return PerCommandStorage


def _count_lookups(stage: NearDupDetector) -> list[int]:
    counter = [0]
    for index in (stage.documents, stage.paragraphs, stage.sentences):
        for name in ("query", "query_covers", "query_containment"):
            method = getattr(index, name)

            def counted(*args: Any, _method: Any = method, **kwargs: Any) -> Any:
                counter[0] += 1
                return _method(*args, **kwargs)

            setattr(index, name, counted)
    return counter


def redis_round_trips(docs: list[Document]) -> dict[str, Any] | None:
    """Round trips per index look-up and documents per second: batched storage vs one command per read."""
    if shutil.which("redis-server") is None:
        return None
    from cleanse.engines.redis_storage import RoundTrips, connect_redis, shared_run, use_redis_index

    cleaned = [d for d in Pipeline(Pipeline.default().document_stages).run(_copies(docs)) if d.kept]
    server, url = start_redis()
    out: dict[str, Any] = {"documents": len(cleaned), "baseline": "per-command storage (before batching)"}
    try:
        client = connect_redis(url)
        for label, options in (("documents", {"level": "documents"}), ("default_both_levels", {})):
            expected = [d.to_json() for d in NearDupDetector(**options).run(_copies(cleaned))]
            results = {}
            for kind in ("per_command", "batched"):
                stage = NearDupDetector(**options)
                use_redis_index(stage, client, namespace=f"bench:{label}:{kind}")
                if kind == "per_command":
                    storage = per_command_storage()
                    for index in (stage.documents, stage.paragraphs, stage.sentences):
                        index.storage = storage(client, index.storage.namespace, index.num_perm)
                lookups = _count_lookups(stage)
                with RoundTrips(client) as trips:
                    found, seconds = timed(lambda stage=stage: shared_run(stage, _copies(cleaned), batch_size=32))
                results[kind] = {
                    "seconds": round(seconds, 2),
                    "documents_per_s": round(len(cleaned) / seconds, 1),
                    "lookups": lookups[0],
                    "round_trips": trips.count,
                    "round_trips_per_lookup": round(trips.count / max(lookups[0], 1), 2),
                    "same_output_as_memory_index": [d.to_json() for d in found] == expected,
                }
            results["throughput_ratio_batched_over_per_command"] = round(
                results["batched"]["documents_per_s"] / results["per_command"]["documents_per_s"], 2
            )
            out[label] = results
    finally:
        server.terminate()
        server.wait(timeout=10)
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return server, f"redis://127.0.0.1:{port}/0"


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
