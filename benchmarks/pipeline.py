"""Throughput of each cleaning stage and of the whole pipeline, against a naive ftfy + OpenCC chain.

Input: the five seed files, decoded, replicated to ``--mb`` megabytes (the mix users meet: mostly Simplified
news, one Traditional page with encoding damage, ads and spliced stories). Baselines run in the same process
on the same texts:

* the naive chain a user would write today: ``ftfy.fix_text`` then opencc-python-reimplemented's
  ``OpenCC("t2s").convert`` on every document;
* per stage, its nearest peer where one exists: ``ftfy.fix_text`` for encoding repair, OpenCC's ``t2s`` for
  script conversion (spam labelling and splice splitting have no peer that does the same job).

Ratios are ``baseline seconds / measured seconds`` (above 1 means faster than the baseline). The stage
targets of issues 4 to 7 are measured by each stage's own benchmark; they are listed here next to the
numbers on this mixed input for orientation.

    python -m benchmarks.pipeline [--quick] [--mb 5]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import ROOT, best_of, throughput_mb_s, utf8_size, write_result

Runner = Callable[[Sequence[str]], object]

#: Stage speed targets from the stage issues (MB/s, or a ratio to the named peer), for orientation only.
STAGE_TARGETS: dict[str, str] = {
    "encoding": "issue 4: >= 4x ftfy.fix_text on clean text, >= 1 MB/s on damaged text (benchmarks/encoding.py)",
    "script": "issue 5: >= 30 MB/s on Simplified, >= 10x OpenCC reimplementation on Traditional",
    "spam": "issue 6: >= 10 MB/s on the seeds replicated (benchmarks/spam.py)",
    "splice": "issue 7: >= 2 MB/s on the seeds replicated (benchmarks/splice.py)",
}


def seed_texts(megabytes: float) -> list[str]:
    """The decoded seed files, repeated until their UTF-8 size reaches ``megabytes``."""
    seeds = [path.read_text(encoding="utf-8", errors="replace") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    if not seeds:
        raise FileNotFoundError(f"no seed files in {ROOT / 'seeds'}")
    texts: list[str] = []
    total = 0
    while total < megabytes * 1e6:
        for text in seeds:
            texts.append(text)
            total += utf8_size(text)
    return texts


def naive_chain() -> Runner:
    """``ftfy.fix_text`` then OpenCC ``t2s`` on every text: the baseline a user would write."""
    import ftfy
    from opencc import OpenCC

    convert = OpenCC("t2s").convert

    def run(texts: Sequence[str]) -> object:
        return [convert(ftfy.fix_text(text)) for text in texts]

    return run


def ftfy_only() -> Runner:
    import ftfy

    return lambda texts: [ftfy.fix_text(text) for text in texts]


def opencc_only() -> Runner:
    from opencc import OpenCC

    convert = OpenCC("t2s").convert
    return lambda texts: [convert(text) for text in texts]


def helper(name: str) -> Runner:
    """Map one of cleanse's one-call helpers over the texts."""
    import cleanse

    function = getattr(cleanse, name)
    return lambda texts: [function(text) for text in texts]


def whole_pipeline(jobs: int) -> Runner:
    """``Pipeline.default()`` over documents built from the texts, drained, with ``jobs`` processes."""
    from cleanse import Pipeline
    from cleanse.document import Document

    def run(texts: Sequence[str]) -> object:
        documents = (Document.from_text(text, id=str(index)) for index, text in enumerate(texts))
        return sum(1 for _ in Pipeline.default().run(documents, jobs=jobs))

    return run


#: name -> (factory of the runner, the peer's name or None)
MEASURED: dict[str, tuple[Callable[[], Runner], str | None]] = {
    "encoding (cleanse.repair_encoding)": (lambda: helper("repair_encoding"), "ftfy.fix_text"),
    "script (cleanse.to_simplified)": (lambda: helper("to_simplified"), "OpenCC t2s"),
    "spam (cleanse.label_lines)": (lambda: helper("label_lines"), None),
    "splice (cleanse.split_articles)": (lambda: helper("split_articles"), None),
    "per-document chain (cleanse.clean)": (lambda: helper("clean"), None),
    "whole pipeline, jobs=1 (Pipeline.default)": (lambda: whole_pipeline(1), None),
    "whole pipeline, jobs=2 (Pipeline.default)": (lambda: whole_pipeline(2), None),
}
PEERS: dict[str, Callable[[], Runner]] = {"ftfy.fix_text": ftfy_only, "OpenCC t2s": opencc_only}
SLOW_SECONDS = 20.0
NAIVE = "naive chain (ftfy.fix_text + OpenCC t2s)"


def _time(factory: Callable[[], Runner], texts: Sequence[str], repeat: int) -> dict[str, Any]:
    try:
        runner = factory()
        runner(texts[:5])  # warm-up: converters, tables and lexicons load once per process
        timing = best_of(lambda: runner(texts), repeat=1)
        if repeat > 1 and timing.best < SLOW_SECONDS:  # a second run only where it is cheap
            timing = min(timing, best_of(lambda: runner(texts), repeat=repeat - 1), key=lambda item: item.best)
    except Exception as error:  # noqa: BLE001 - one broken stage is reported, the benchmark goes on
        return {"error": f"{type(error).__name__}: {error}"}
    size = utf8_size(texts)
    return {"seconds": round(timing.best, 4), "mb_per_s": round(throughput_mb_s(size, timing.best), 3)}


def _headline_entry(row: dict[str, Any]) -> str:
    if "mb_per_s" not in row:
        return str(row.get("error", "failed"))
    ratios = [f"x{value} {key.removeprefix('ratio_')}" for key, value in row.items() if key.startswith("ratio_")]
    return ", ".join([f"{row['mb_per_s']} MB/s", *ratios])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the replicated seeds in MB")
    parser.add_argument("--quick", action="store_true", help="0.1 MB, one repetition, no jobs=2 run (CI smoke run)")
    args = parser.parse_args(argv)
    megabytes = 0.1 if args.quick else args.mb
    repeat = 1 if args.quick else 2
    texts = seed_texts(megabytes)
    naive = _time(naive_chain, texts, repeat)
    peers = {name: _time(factory, texts, repeat) for name, factory in PEERS.items()}
    rows: dict[str, dict[str, Any]] = {NAIVE: naive, **peers}
    for name, (factory, peer) in MEASURED.items():
        if args.quick and "jobs=2" in name:
            continue  # process start-up dominates on a tiny input
        row = _time(factory, texts, repeat)
        if "seconds" in row and "seconds" in naive:
            row["ratio_vs_naive_chain"] = round(naive["seconds"] / row["seconds"], 3)
        if peer and "seconds" in row and "seconds" in peers[peer]:
            row[f"ratio_vs_{peer}"] = round(peers[peer]["seconds"] / row["seconds"], 3)
        rows[name] = row
        print(json.dumps({name: row}, ensure_ascii=False))
    payload = {
        "quick": args.quick,
        "input": f"the five seed files replicated to {utf8_size(texts) / 1e6:.1f} MB ({len(texts)} documents)",
        "baseline": NAIVE,
        "ratio_meaning": "baseline seconds / measured seconds; above 1 is faster than the baseline",
        "results": rows,
        "headline": {name: _headline_entry(row) for name, row in rows.items()},
        "stage_targets": STAGE_TARGETS,
    }
    path = write_result("pipeline", payload)
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
