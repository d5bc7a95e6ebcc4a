"""Chinese near-duplicate detection inside datatrove and data-juicer: the peers' own MinHash beside cleanse's step.

    python -m benchmarks.integrations [--quick]

Input: :func:`benchmarks.reprints.generate_reprints` paragraph clusters (seed stories reprinted with edits:
sentences dropped, added or reordered, characters substituted, Traditional script, punctuation and width,
site furniture, truncation). The truth is the generator's: which texts are copies of one story, never
cleanse's output. Every method runs inside its tool's own executor on the same JSONL files, at the same
Jaccard threshold (0.5):

- datatrove ``MinhashDedupSignature``/``Buckets``/``Cluster``/``Filter`` (``LocalPipelineExecutor``):
  its default ``MinhashConfig`` (word 5-grams, 14 buckets x 8 hashes) with ``language="zh"`` (needs spaCy
  and jieba; skipped without them), and a character 5-gram configuration (25 x 5, about threshold 0.5);
  clusters read back from ``minhash_cluster_id``;
- cleanse in datatrove: ``cleanse.integrations.datatrove.Deduplicate`` (signatures, clusters, filter);
- data-juicer ``document_minhash_deduplicator`` (``tokenization: character``, ``window_size: 5``,
  ``jaccard_threshold: 0.5``) through ``DefaultExecutor``; its clusters are read from the union-find it
  builds (the class is wrapped to keep a reference, nothing else changes);
- cleanse in data-juicer: ``cleanse_minhash_deduplicator`` (``mark_only``: duplicates carry the kept id);
- cleanse ``find_duplicates`` called directly, for the cost of the executors around it.

Needs ``pip install "cleanse[integrations-bench]"`` (the three extras, plus tokenizers, which
``datatrove.pipeline.dedup`` imports, and spaCy with jieba for datatrove's ``zh`` tokenizer); rows whose
packages are missing are listed as skipped. With xxhash 4 (which ``datasets`` allows and datatrove's
``str`` input does not), datatrove's MinHash hashes shingles with its sha1 option; the record says which.

Scores are pair precision and recall against the generator's clusters. CPU time is this process's plus its
children's (all executors run with one worker, in process), around the whole executor run, I/O included.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import itertools
import json
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks.common import package_versions, write_result
from benchmarks.reprints import generate_reprints

THRESHOLD = 0.5
Method = Callable[[Path, list[dict[str, str]]], list[list[str]]]
TASKS = 2
#: The reprint corpus of each seed, and how many seeds (one corpus is small: the generator's filler runs out).
FULL = ({"clusters": 60, "copies": 5, "singletons": 40}, 10)
QUICK = ({"clusters": 30, "copies": 4, "singletons": 20}, 1)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _measured(run: Callable[[], list[list[str]]]) -> dict[str, Any]:
    cpu, wall = _cpu(), time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        clusters = run()
    return {"clusters": clusters, "cpu_seconds": _cpu() - cpu, "wall_seconds": time.perf_counter() - wall}


def pairs_of(clusters: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Every unordered pair inside each cluster, as sorted id tuples."""
    found: set[tuple[str, str]] = set()
    for cluster in clusters:
        found.update(tuple(sorted(pair)) for pair in itertools.combinations(sorted(set(cluster)), 2))  # type: ignore[misc]
    return found


def _write_shards(rows: list[dict[str, str]], folder: Path) -> None:
    folder.mkdir(parents=True)
    size = -(-len(rows) // TASKS)
    for shard in range(TASKS):
        with open(folder / f"part-{shard}.jsonl", "w", encoding="utf-8") as handle:
            for row in rows[shard * size : (shard + 1) * size]:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return rows


def _datatrove_hashing() -> Any:
    """datatrove's default shingle hash (xxhash 64-bit) when its xxhash<4 pin holds; xxhash 4 takes bytes
    only, and datatrove passes str, so then its other built-in hash (sha1, 64-bit) is used."""
    from importlib.metadata import version

    from datatrove.utils.hashing import HashConfig

    major = int(version("xxhash").split(".")[0]) if _available("xxhash") else 0
    return HashConfig() if 0 < major < 4 else HashConfig(hash_fc="sha1")


# -- datatrove -------------------------------------------------------------------------------------------


def _character_tokenizer() -> Any:
    from datatrove.utils.word_tokenizers import WordTokenizer

    class CharacterTokenizer(WordTokenizer):
        """One token per non-space character: datatrove's word n-grams become character n-grams."""

        def word_tokenize(self, text: str) -> list[str]:
            return [character for character in text if not character.isspace()]

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    return CharacterTokenizer("zh")


def datatrove_minhash(work: Path, config: Any, language: Any) -> list[list[str]]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashDedupBuckets
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    def run(steps: list[Any], tasks: int, name: str) -> None:
        LocalPipelineExecutor(steps, tasks=tasks, workers=1, logging_dir=str(work / "logs" / name)).run()

    reader = JsonlReader(str(work / "input"))
    run([reader, MinhashDedupSignature(str(work / "sigs"), config=config, language=language)], TASKS, "sigs")
    run([MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=config)], config.num_buckets, "buckets")
    run([MinhashDedupCluster(str(work / "buckets"), str(work / "remove"), config=config, save_cluster_id=True)], 1, "c")
    kept, removed = str(work / "kept"), str(work / "removed")
    run(
        [
            JsonlReader(str(work / "input")),
            MinhashDedupFilter(
                str(work / "remove"), exclusion_writer=JsonlWriter(removed, compression=None), load_cluster_ids=True
            ),
            JsonlWriter(kept, compression=None),
        ],
        TASKS,
        "filter",
    )
    members: dict[int, list[str]] = {}
    for row in _read_jsonl(work / "kept") + _read_jsonl(work / "removed"):
        cluster = row["metadata"].get("minhash_cluster_id", -1)
        if cluster != -1:
            members.setdefault(cluster, []).append(row["id"])
    return [group for group in members.values() if len(group) > 1]


def datatrove_cleanse(work: Path) -> list[list[str]]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleanse.integrations.datatrove import Deduplicate

    dedup = Deduplicate(str(work / "dedup"), {"threshold": THRESHOLD})
    logs = work / "logs"
    LocalPipelineExecutor(
        [JsonlReader(str(work / "input")), dedup.signatures()], tasks=TASKS, workers=1, logging_dir=str(logs / "s")
    ).run()
    LocalPipelineExecutor([dedup.clusters()], tasks=1, workers=1, logging_dir=str(logs / "c")).run()
    LocalPipelineExecutor(
        [JsonlReader(str(work / "input")), dedup.filter(), JsonlWriter(str(work / "kept"), compression=None)],
        tasks=TASKS,
        workers=1,
        logging_dir=str(logs / "f"),
    ).run()
    return json.loads((work / "dedup" / "clusters" / "clusters.json").read_text("utf-8"))


# -- data-juicer -----------------------------------------------------------------------------------------


def _dj_recipe(work: Path, rows: list[dict[str, str]], process: str) -> list[dict[str, Any]]:
    from data_juicer.config import init_configs
    from data_juicer.core import DefaultExecutor

    work = work / "data-juicer"
    work.mkdir(parents=True)
    with open(work / "input.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    recipe = work / "recipe.yaml"
    recipe.write_text(
        f"project_name: cleanse-bench\ndataset_path: {work / 'input.jsonl'}\n"
        f"export_path: {work / 'out' / 'result.jsonl'}\nwork_dir: {work / 'work'}\nnp: 1\n"
        f"keep_stats_in_res_ds: true\nprocess:{process}",
        encoding="utf-8",
    )
    try:
        DefaultExecutor(init_configs(["--config", str(recipe)])).run()
    finally:
        from loguru import logger

        logger.remove()  # data-juicer's file sinks point into the scratch folder, removed after the run
    return [json.loads(line) for line in (work / "out" / "result.jsonl").read_text("utf-8").splitlines()]


def data_juicer_minhash(work: Path, rows: list[dict[str, str]]) -> list[list[str]]:
    from data_juicer.ops.deduplicator import document_minhash_deduplicator as module

    found: list[Any] = []
    original = module.UnionFind

    class RecordingUnionFind(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            found.append(self)

    module.UnionFind = RecordingUnionFind
    try:
        _dj_recipe(
            work,
            rows,
            f"""
  - document_minhash_deduplicator:
      tokenization: character
      window_size: 5
      jaccard_threshold: {THRESHOLD}
""",
        )
    finally:
        module.UnionFind = original
    members: dict[int, list[str]] = {}
    union = found[-1]
    for index in list(union.parent):
        members.setdefault(union.find(index), []).append(rows[index]["id"])
    return [group for group in members.values() if len(group) > 1]


def data_juicer_cleanse(work: Path, rows: list[dict[str, str]]) -> list[list[str]]:
    import cleanse.integrations.data_juicer  # noqa: F401  (registers the operators)

    result = _dj_recipe(
        work,
        rows,
        f"""
  - cleanse_minhash_deduplicator:
      threshold: {THRESHOLD}
      id_key: id
      mark_only: true
""",
    )
    members: dict[str, list[str]] = {}
    for row in result:
        kept = row["__dj__stats__"].get("cleanse_duplicate_of") or row["id"]
        members.setdefault(kept, []).append(row["id"])
    return [group for group in members.values() if len(group) > 1]


def cleanse_direct(rows: list[dict[str, str]]) -> list[list[str]]:
    import cleanse

    return [[rows[i]["id"] for i in group] for group in cleanse.find_duplicates([r["text"] for r in rows], THRESHOLD)]


# -- the run ---------------------------------------------------------------------------------------------


def _available(*modules: str) -> bool:
    return all(importlib.util.find_spec(module) is not None for module in modules)


def _methods() -> tuple[dict[str, Method], dict[str, str]]:
    """The methods whose packages are installed, and why the others are skipped."""
    methods: dict[str, Method] = {"cleanse find_duplicates (no executor)": lambda _, rows: cleanse_direct(rows)}
    skipped: dict[str, str] = {}
    if _available("datatrove", "orjson", "tokenizers"):  # datatrove.pipeline.dedup imports tokenizers
        from datatrove.pipeline.dedup.minhash import MinhashConfig

        hashing = _datatrove_hashing()
        if _available("spacy", "jieba"):
            default = MinhashConfig(hash_config=hashing)
            methods["datatrove MinHash, default config, language=zh (word 5-grams, 14x8)"] = lambda work, _: (
                datatrove_minhash(work, default, "zh")
            )
        else:
            skipped["datatrove MinHash, default config, language=zh"] = (
                'needs spacy, jieba: "cleanse[integrations-bench]"'
            )
        characters = MinhashConfig(n_grams=5, num_buckets=25, hashes_per_bucket=5, hash_config=hashing)
        methods["datatrove MinHash, character 5-grams (25x5)"] = lambda work, _: datatrove_minhash(
            work, characters, _character_tokenizer()
        )
    else:
        skipped["datatrove MinHash"] = 'needs datatrove and tokenizers: pip install "cleanse[integrations-bench]"'
    if _available("datatrove", "orjson"):
        methods["cleanse Deduplicate in datatrove"] = lambda work, _: datatrove_cleanse(work)
    else:
        skipped["cleanse Deduplicate in datatrove"] = 'needs pip install "cleanse[datatrove]"'
    if _available("data_juicer"):
        methods["data-juicer document_minhash_deduplicator (character 5-grams)"] = data_juicer_minhash
        methods["cleanse_minhash_deduplicator in data-juicer"] = data_juicer_cleanse
    else:
        skipped["data-juicer"] = 'needs pip install "cleanse[data-juicer]"'
    return methods, skipped


def run(quick: bool = False, seed: int = 0) -> dict[str, Any]:
    """Every method on each seed's corpus in turn; counts and CPU time summed over the corpora.

    Corpora are scored one by one, not joined: joined corpora reuse the generator's filler sentences
    across different stories, which links texts that are not copies.
    """
    params, count = QUICK if quick else FULL
    seeds = range(seed, seed + count)
    methods, skipped = _methods()
    totals: dict[str, dict[str, Any]] = {name: {"predicted": 0, "hits": 0, "cpu": 0.0, "wall": 0.0} for name in methods}
    texts = true_pairs = 0
    cleanse_direct([{"id": "0", "text": "春季植树造林活动综述"}] * 2)  # warm up: imports, compiled core
    with tempfile.TemporaryDirectory(prefix="cleanse-integrations-") as scratch:
        for corpus_seed in seeds:
            corpus = generate_reprints(seed=corpus_seed, unit="paragraph", **params)  # type: ignore[arg-type]
            rows = [{"id": str(i), "text": text} for i, text in enumerate(corpus.texts)]
            truth = pairs_of([str(i), str(j)] for i, j in corpus.pairs())  # ids ordered as pairs_of orders them
            texts, true_pairs = texts + len(rows), true_pairs + len(truth)
            for number, (name, method) in enumerate(methods.items()):
                total = totals[name]
                if "error" in total:
                    continue
                work = Path(scratch) / f"s{corpus_seed}-m{number}"
                _write_shards(rows, work / "input")
                try:
                    measured = _measured(lambda method=method, work=work, rows=rows: method(work, rows))  # type: ignore[misc]
                except Exception as exc:  # a failed method is a failed row, never a missing one
                    total["error"] = f"seed {corpus_seed}: {type(exc).__name__}: {exc}"
                    continue
                predicted = pairs_of(measured["clusters"])
                total["predicted"] += len(predicted)
                total["hits"] += len(predicted & truth)
                total["cpu"] += measured["cpu_seconds"]
                total["wall"] += measured["wall_seconds"]
    results: dict[str, Any] = {}
    for name, total in totals.items():
        if "error" in total:
            results[name] = {"error": total["error"]}
            continue
        results[name] = {
            "recall": total["hits"] / true_pairs if true_pairs else 1.0,
            "precision": total["hits"] / total["predicted"] if total["predicted"] else 1.0,
            "predicted_pairs": total["predicted"],
            "true_pairs_found": total["hits"],
            "cpu_seconds": round(total["cpu"], 3),
            "wall_seconds": round(total["wall"], 3),
        }
    return {
        "quick": quick,
        "threshold": THRESHOLD,
        "input": f"benchmarks.reprints.generate_reprints(seed=s, unit='paragraph', **{params}) for s in {seeds}",
        "truth": "the generator's clusters (copies of one story), corpus by corpus",
        "texts": texts,
        "true_pairs": true_pairs,
        "tasks": TASKS,
        "datatrove_hash": str(_datatrove_hashing()) if _available("datatrove") else None,
        "peer_versions": package_versions(("datatrove", "py-data-juicer", "datasets", "spacy", "jieba", "xxhash")),
        "methods": results,
        "skipped": skipped,
    }


def table(record: dict[str, Any]) -> str:
    lines = [
        f"{record['texts']} paragraphs, {record['true_pairs']} true pairs, threshold {record['threshold']}",
        "| method | recall | precision | CPU s | wall s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in record["methods"].items():
        if "error" in row:
            lines.append(f"| {name} | failed: {row['error']} | | | |")
        else:
            lines.append(
                f"| {name} | {row['recall']:.3f} | {row['precision']:.3f} | {row['cpu_seconds']:.2f} "
                f"| {row['wall_seconds']:.2f} |"
            )
    lines += [f"| {name} | skipped: {reason} | | | |" for name, reason in record["skipped"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller corpus (CI smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    record = run(quick=args.quick, seed=args.seed)
    path = write_result("integrations", record)
    print(table(record))
    print(f"written to {path}")
    return record


if __name__ == "__main__":
    main()
