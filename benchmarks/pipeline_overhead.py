"""Pipeline machinery cost: identity stages over the seeds replicated to 100 MB.

Claim (issue #3): with identity stages the machinery (decode, documents, change-log plumbing,
statistics, JSONL writing) runs at 50 MB/s or more, so stages, not plumbing, are the cost.
Baseline in the same run: a bare loop doing only what any pipeline must (UTF-8 decode, one
``json.dumps`` per document, one write), so the ratio shows what the machinery adds.

    python -m benchmarks.pipeline_overhead [--mb 100] [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from cleanse import Pipeline
from cleanse.document import Document
from cleanse.io import OutputWriter
from cleanse.stages.base import CorpusStage, DocumentStage

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


class Identity(DocumentStage):
    name = "identity"

    def process(self, doc: Document) -> Document:
        return doc


class PassThrough(CorpusStage):
    name = "passthrough"

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        yield from docs


def replicated_seeds(megabytes: float) -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    target = int(megabytes * 1_000_000)
    out: list[bytes] = []
    total = 0
    while total < target:
        for data in seeds:
            out.append(data)
            total += len(data)
    return out


def run_pipeline(blobs: list[bytes], out_dir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the machinery with identity stages."""
    pipeline = Pipeline([Identity(), Identity(), Identity(), Identity(), PassThrough()])
    docs = (Document.from_bytes(b, id=str(i)) for i, b in enumerate(blobs))
    start, cpu = time.perf_counter(), time.process_time()
    with OutputWriter(out_dir) as writer:
        for doc in pipeline.run(docs):
            writer.write(doc)
    elapsed = (time.perf_counter() - start, time.process_time() - cpu)
    if not (pipeline.stats.balanced and pipeline.stats.kept == len(blobs)):
        raise RuntimeError("identity pipeline lost documents")
    return elapsed


def run_baseline(blobs: list[bytes], out_dir: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    with (out_dir / "plain.jsonl").open("w", encoding="utf-8") as handle:
        for i, blob in enumerate(blobs):
            handle.write(json.dumps({"id": str(i), "text": blob.decode("utf-8")}, ensure_ascii=False))
            handle.write("\n")
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of the replicated input in MB")
    parser.add_argument("--quick", action="store_true", help="20 MB instead of 100 MB")
    args = parser.parse_args(argv)
    megabytes = 20.0 if args.quick else args.mb
    blobs = replicated_seeds(megabytes)
    size_mb = sum(map(len, blobs)) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        baseline = [min(t) for t in zip(*(run_baseline(blobs, Path(tmp)) for _ in range(3)), strict=True)]
        machinery = [min(t) for t in zip(*(run_pipeline(blobs, Path(tmp) / f"run{i}") for i in range(3)), strict=True)]
    cpu_rate = size_mb / machinery[1]
    result = {
        "benchmark": "pipeline_overhead",
        "input_mb": round(size_mb, 1),
        "documents": len(blobs),
        "pipeline_mb_per_s": round(cpu_rate, 1),
        "pipeline_wall_mb_per_s": round(size_mb / machinery[0], 1),
        "baseline": "bare loop: utf-8 decode + json.dumps + write",
        "baseline_mb_per_s": round(size_mb / baseline[1], 1),
        "baseline_wall_mb_per_s": round(size_mb / baseline[0], 1),
        "ratio_pipeline_to_baseline": round(baseline[1] / machinery[1], 3),
        "measured_on": "CPU time of this process (the machine is shared); wall time alongside",
        "target_mb_per_s": 50,
        "meets_target": cpu_rate >= 50,
    }
    try:
        from benchmarks.common import write_result
    except ImportError:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "pipeline_overhead.json").write_text(json.dumps(result, indent=2), "utf-8")
    else:
        write_result("pipeline_overhead", result)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
