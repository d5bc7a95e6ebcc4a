"""Near-duplicate quality: found clusters against the truth of generated reprints and the seeds' repeats.

For each generated corpus (:mod:`benchmarks.reprints`, paragraph and document units, several seeds) this
reports, per threshold, pair precision, recall and F1 and the adjusted Rand index (ARI) of the clusters of

* ``cleanse.find_duplicates`` (the detector under test, default configuration and each threshold);
* brute-force exact Jaccard on character 5-grams after each step of a normalisation ladder: none (raw text),
  punctuation and whitespace removed, width and case folded, script folded (Traditional to Simplified), and
  the dedup stage's own ``normalise_unit``, so the table shows what each normalisation step adds;
* and, per edit kind, the share of reprints put in their original's cluster.

It also scores the detector against brute force on the seeds' own paragraphs (natural repeats) plus a
generated corpus: the pairs it finds and verifies against pairs whose exact Jaccard, computed here on
character 5-gram strings of the normalised text (not the detector's hashed shingles), is at least t.

Target (issue 9): ARI >= 0.95 with the default configuration. For reference, MinHash on NEWS-COPY (English
reprints) reaches ARI 0.73 to 0.78 in published runs. The edge rule's parameters were chosen looking at
generator seeds 0-2 (:data:`TUNING_SEEDS`); seeds 3-7 (:data:`UNSEEN_SEEDS`) were not looked at while
tuning and are reported separately, per seed: the claim rests on them. ``--quick`` runs one seed of each.

    python -m benchmarks.dedup_quality [--quick]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from benchmarks.common import results_directory, write_result
from benchmarks.dedup_quality.evaluate import (
    CORPORA,
    NATURAL_THRESHOLDS,
    NORMALISATION_SWITCHES,
    detector,
    detector_variants,
    evaluate_corpus,
    evaluate_natural_repeats,
)
from benchmarks.dedup_quality.ladder import (
    NGRAM,
    NORMALISATION_LADDER,
    brute_force_clusters,
    shingle_sets,
)
from benchmarks.dedup_quality.metrics import (
    adjusted_rand_index,
    connected_components,
    labels_from_clusters,
    pair_scores,
    pairs_of,
    recall_by_edit,
    score_clusters,
)
from benchmarks.dedup_quality.report import TARGET_ARI, _headline, _natural_headline, _summary, plot_ari
from benchmarks.reprints import generate_reprints
from cleanse.stages.dedup.evaluate import exact_jaccard_pairs

__all__ = [
    "CORPORA",
    "NATURAL_THRESHOLDS",
    "NGRAM",
    "NORMALISATION_LADDER",
    "NORMALISATION_SWITCHES",
    "QUICK_THRESHOLDS",
    "SEEDS",
    "SEED_GROUPS",
    "TARGET_ARI",
    "THRESHOLDS",
    "TUNING_SEEDS",
    "UNSEEN_SEEDS",
    "adjusted_rand_index",
    "brute_force_clusters",
    "connected_components",
    "detector",
    "detector_variants",
    "evaluate_corpus",
    "evaluate_natural_repeats",
    "exact_jaccard_pairs",
    "labels_from_clusters",
    "main",
    "pair_scores",
    "pairs_of",
    "plot_ari",
    "recall_by_edit",
    "score_clusters",
    "shingle_sets",
]

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


QUICK_THRESHOLDS = (0.3, 0.5, 0.8)


TUNING_SEEDS = (0, 1, 2)


UNSEEN_SEEDS = (3, 4, 5, 6, 7)


SEEDS = TUNING_SEEDS + UNSEEN_SEEDS


SEED_GROUPS = {"tuning": TUNING_SEEDS, "unseen": UNSEEN_SEEDS}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two seeds and three thresholds (CI smoke run)")
    args = parser.parse_args(argv)
    seeds = (TUNING_SEEDS[0], UNSEEN_SEEDS[0]) if args.quick else SEEDS
    groups = {name: tuple(seed for seed in members if seed in seeds) for name, members in SEED_GROUPS.items()}
    thresholds = QUICK_THRESHOLDS if args.quick else THRESHOLDS
    find, unavailable = detector()
    results: dict[str, Any] = {}
    for unit, params in CORPORA.items():
        results[unit] = {
            str(seed): evaluate_corpus(generate_reprints(seed=seed, **params), thresholds, find) for seed in seeds
        }
    summary = _summary(results, groups)
    natural = evaluate_natural_repeats(find)
    aris = [row["detector_ari_min"] for row in summary.values() if "detector_ari_min" in row]
    payload: dict[str, Any] = {
        "quick": args.quick,
        "seeds": list(seeds),
        "seed_groups": {name: list(members) for name, members in groups.items()},
        "thresholds": list(thresholds),
        "ngram": NGRAM,
        "corpora": CORPORA,
        "target_ari": TARGET_ARI,
        "detector_ari_min": min(aris) if aris else None,
        "meets_target": bool(aris) and min(aris) >= TARGET_ARI,
        "detector_unavailable": unavailable,
        "summary": summary,
        "headline": _headline(summary, unavailable) | _natural_headline(natural),
        "natural_repeats": natural,
        "reprints": results,
    }
    picture = results_directory() / "dedup_quality.png"
    picture.parent.mkdir(parents=True, exist_ok=True)
    plot_error = plot_ari(results, picture)
    payload["plot"] = None if plot_error else picture.name
    payload["plot_error"] = plot_error
    path = write_result("dedup_quality", payload)
    print(
        json.dumps(
            {
                "summary": summary,
                "headline": _headline(summary, unavailable) | _natural_headline(natural),
                "natural_repeats": payload["natural_repeats"],
                "meets_target": payload["meets_target"],
                "detector_unavailable": unavailable,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"wrote {path}")
    return payload


if __name__ == "__main__":
    main()
