"""Near-duplicate quality: found clusters against the truth of generated reprints and the seeds' repeats.

For each generated corpus (:mod:`benchmarks.reprints`, paragraph and document units, several seeds) this
reports, per threshold, pair precision, recall and F1 and the adjusted Rand index (ARI) of the clusters of

* ``cleanse.find_duplicates`` (the detector under test, default configuration and each threshold);
* brute-force exact Jaccard on character 5-grams after each step of a normalisation ladder: none (raw text),
  punctuation and whitespace removed, width and case folded, script folded (Traditional to Simplified), and
  the dedup stage's own ``normalise_unit``, so the table shows what each normalisation step adds;
* and, per edit kind, the share of reprints put in their original's cluster.

It also scores the detector against brute force on the seeds' own paragraphs (natural repeats) plus a
generated corpus: found pairs against pairs whose exact Jaccard on the same shingles is at least t.

Target (issue 9): ARI >= 0.95 with the default configuration. For reference, MinHash on NEWS-COPY (English
reprints) reaches ARI 0.73 to 0.78 in published runs.

    python -m benchmarks.dedup_quality [--quick]
"""

from __future__ import annotations

import argparse
import inspect
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import regex

from benchmarks.common import results_directory, write_result
from benchmarks.reprints import EDIT_KINDS, ReprintCorpus, generate_reprints, seed_paragraphs

TARGET_ARI = 0.95
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
QUICK_THRESHOLDS = (0.3, 0.5, 0.8)
NATURAL_THRESHOLDS = (0.5, 0.7, 0.8)
SEEDS = (0, 1, 2)
NGRAM = 5
CORPORA: dict[str, dict[str, Any]] = {
    "paragraph": {"unit": "paragraph", "clusters": 50, "copies": 4, "singletons": 30},
    "document": {"unit": "document", "clusters": 25, "copies": 4, "singletons": 15},
}
#: Detector options that switch one ingredient off (script folding, containment), tried when accepted.
NORMALISATION_SWITCHES: dict[str, object] = {"script_fold": "none", "containment_threshold": 0.0}

Clusters = list[list[int]]
Detector = Callable[..., Clusters]

_PUNCTUATION_AND_SPACE = regex.compile(r"[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]+")
_WIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}


# --- metrics ---------------------------------------------------------------------------------------------


def pairs_of(clusters: Iterable[Sequence[int]]) -> set[tuple[int, int]]:
    """All pairs ``(i, j)``, ``i < j``, that share a cluster.

    >>> sorted(pairs_of([[2, 0, 1]]))
    [(0, 1), (0, 2), (1, 2)]
    """
    found: set[tuple[int, int]] = set()
    for cluster in clusters:
        members = sorted(cluster)
        found.update((a, b) for position, a in enumerate(members) for b in members[position + 1 :])
    return found


def labels_from_clusters(clusters: Iterable[Sequence[int]], size: int) -> np.ndarray:
    """One label per index: its cluster's number, or a label of its own when it is in no cluster.

    Raises ``ValueError`` for an index out of range or in two clusters (not a partition).

    >>> labels_from_clusters([[1, 3]], 4).tolist()
    [1, 0, 2, 0]
    """
    labels = np.full(size, -1, dtype=np.int64)
    for number, cluster in enumerate(clusters):
        for index in cluster:
            if not 0 <= index < size:
                raise ValueError(f"cluster {number} holds index {index}, outside 0..{size - 1}")
            if labels[index] != -1:
                raise ValueError(f"index {index} is in two clusters; a clustering must be a partition")
            labels[index] = number
    alone = labels == -1
    labels[alone] = np.arange(int(alone.sum())) + int(labels.max()) + 1
    return labels


def pair_scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    """Precision, recall and F1 of ``found`` pairs against ``truth`` (1.0 for an empty side).

    >>> pair_scores({(0, 1), (2, 3)}, {(0, 1)})["precision"]
    0.5
    """
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "found_pairs": len(found), "true_pairs": len(truth)}


def _pair_count(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def adjusted_rand_index(truth: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings (1.0 identical, about 0 for chance).

    From the contingency table with numpy; the same value as ``sklearn.metrics.adjusted_rand_score``.

    >>> round(adjusted_rand_index([0, 0, 0, 1, 1, 2], [0, 0, 2, 1, 1, 3]), 4)
    0.5946
    """
    first, second = np.asarray(truth), np.asarray(predicted)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError(f"labelings must be 1-d and of equal length, got {first.shape} and {second.shape}")
    size = len(first)
    if size < 2:
        return 1.0
    _, first_ids = np.unique(first, return_inverse=True)
    _, second_ids = np.unique(second, return_inverse=True)
    _, cell_counts = np.unique(
        first_ids.astype(np.int64) * (int(second_ids.max()) + 1) + second_ids, return_counts=True
    )
    index = _pair_count(cell_counts)
    rows, columns = _pair_count(np.bincount(first_ids)), _pair_count(np.bincount(second_ids))
    expected = rows * columns / (size * (size - 1) / 2)
    maximum = (rows + columns) / 2
    if maximum == expected:  # both all singletons, or both one cluster: identical by convention
        return 1.0
    return float((index - expected) / (maximum - expected))


def connected_components(size: int, pairs: Iterable[tuple[int, int]]) -> Clusters:
    """Clusters of two or more joined by ``pairs`` (union-find with path halving).

    >>> connected_components(5, [(0, 1), (1, 4)])
    [[0, 1, 4]]
    """
    parent = list(range(size))

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second in pairs:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for item in range(size):
        groups.setdefault(root(item), []).append(item)
    return sorted(group for group in groups.values() if len(group) > 1)


def score_clusters(found: Clusters, corpus_labels: Sequence[int]) -> dict[str, float]:
    """Pair scores, ARI and the share of true clusters reported exactly, for ``found`` against the labels."""
    truth_clusters = _clusters_from_labels(corpus_labels)
    scores = pair_scores(pairs_of(found), pairs_of(truth_clusters))
    scores["ari"] = adjusted_rand_index(corpus_labels, labels_from_clusters(found, len(corpus_labels)))
    found_sets = {frozenset(cluster) for cluster in found}
    exact = sum(frozenset(cluster) in found_sets for cluster in truth_clusters)
    scores["exact_clusters"] = exact / len(truth_clusters) if truth_clusters else 1.0
    return scores


def _clusters_from_labels(labels: Sequence[int]) -> Clusters:
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    return sorted(group for group in members.values() if len(group) > 1)


def recall_by_edit(found: Clusters, corpus: ReprintCorpus) -> dict[str, float]:
    """Per edit kind, the share of reprints carrying it that share a found cluster with their original."""
    cluster_of = {index: number for number, cluster in enumerate(found) for index in cluster}
    original = {corpus.labels[index]: index for index, edits in enumerate(corpus.edits) if not edits}
    hits: dict[str, list[bool]] = {name: [] for name in EDIT_KINDS}
    for index, edits in enumerate(corpus.edits):
        source = original[corpus.labels[index]]
        joined = index in cluster_of and cluster_of[index] == cluster_of.get(source)
        for name in edits:
            hits[name].append(joined)
    return {name: round(sum(values) / len(values), 4) for name, values in hits.items() if values}


# --- brute force on a normalisation ladder -----------------------------------------------------------------


def _strip(text: str) -> str:
    return _PUNCTUATION_AND_SPACE.sub("", text)


def _fold_width(text: str) -> str:
    return _strip(text.translate(_WIDTH).lower())


@lru_cache(maxsize=1)
def _opencc_t2s() -> Callable[[str], str]:
    from opencc import OpenCC

    convert: Callable[[str], str] = OpenCC("t2s").convert
    return convert


def _fold_script(text: str) -> str:
    return _fold_width(_opencc_t2s()(text))


def _stage_normalise(text: str) -> str:
    from cleanse.stages.dedup.normalise import normalise_unit

    return normalise_unit(text).text


#: Cumulative normalisation steps of the brute-force ladder, in order.
NORMALISATION_LADDER: dict[str, Callable[[str], str]] = {
    "none (raw text)": lambda text: text,
    "+ punctuation and whitespace removed": _strip,
    "+ width and case folded": _fold_width,
    "+ script folded (Traditional to Simplified)": _fold_script,
    "dedup stage normalise_unit": _stage_normalise,
}


def shingle_sets(texts: Sequence[str], normalise: Callable[[str], str], ngram: int = NGRAM) -> list[frozenset[str]]:
    """Character ``ngram``-grams of each normalised text (a text shorter than ``ngram`` is one shingle)."""
    sets = []
    for text in texts:
        unit = normalise(text)
        spans = range(max(1, len(unit) - ngram + 1)) if unit else range(0)
        sets.append(frozenset(unit[start : start + ngram] for start in spans))
    return sets


def exact_jaccard_pairs(sets: Sequence[frozenset[str]]) -> dict[tuple[int, int], float]:
    """Exact Jaccard of every pair sharing a shingle (all other pairs have Jaccard 0), via an inverted index."""
    postings: dict[str, list[int]] = {}
    for index, shingles in enumerate(sets):
        for shingle in shingles:
            postings.setdefault(shingle, []).append(index)
    shared: dict[tuple[int, int], int] = {}
    for members in postings.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                shared[(first, second)] = shared.get((first, second), 0) + 1
    return {pair: count / (len(sets[pair[0]]) + len(sets[pair[1]]) - count) for pair, count in shared.items()}


def brute_force_clusters(jaccards: dict[tuple[int, int], float], size: int, threshold: float) -> Clusters:
    """Connected components of the pairs whose exact Jaccard is at least ``threshold``."""
    return connected_components(size, (pair for pair, value in jaccards.items() if value >= threshold))


# --- the detector under test ------------------------------------------------------------------------------


def detector() -> tuple[Detector | None, str | None]:
    """``cleanse.find_duplicates`` when it works on a tiny input, else ``None`` and the error it raised."""
    import cleanse

    try:
        cleanse.find_duplicates(["甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚辛"])
    except (AttributeError, ImportError, NotImplementedError, TypeError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"
    return cleanse.find_duplicates, None


def _stage_finder() -> Detector | None:
    """``cleanse.stages.dedup.find_duplicates`` when it takes option overrides (the public helper does not)."""
    try:
        from cleanse.stages import dedup
    except ImportError:
        return None
    find = getattr(dedup, "find_duplicates", None)
    if find is None:
        return None
    kinds = [parameter.kind for parameter in inspect.signature(find).parameters.values()]
    return find if inspect.Parameter.VAR_KEYWORD in kinds else None  # type: ignore[no-any-return]


def detector_variants(find: Detector) -> dict[str, tuple[Detector, dict[str, object]]]:
    """The public call with its defaults, plus one call per switch in :data:`NORMALISATION_SWITCHES` that the
    dedup options define, made through the stage's own ``find_duplicates`` (which takes overrides)."""
    variants: dict[str, tuple[Detector, dict[str, object]]] = {"default": (find, {})}
    stage_find = _stage_finder()
    if stage_find is None:
        return variants
    try:
        from cleanse.stages.dedup.options import DedupOptions
    except ImportError:
        return variants
    known = {field.name for field in fields(DedupOptions)}
    for name, value in NORMALISATION_SWITCHES.items():
        if name in known:
            variants[f"{name}={value}"] = (stage_find, {name: value})
    return variants


def _call(find: Detector, texts: Sequence[str], **options: object) -> tuple[Clusters | None, float, str | None]:
    start = time.perf_counter()
    try:
        found = find(list(texts), **options)
    except (TypeError, ValueError) as error:
        return None, 0.0, f"{type(error).__name__}: {error}"
    return [sorted(cluster) for cluster in found], time.perf_counter() - start, None


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in scores.items()}


def evaluate_corpus(corpus: ReprintCorpus, thresholds: Sequence[float], find: Detector | None) -> dict[str, Any]:
    """Every score of one generated corpus: detector per threshold, brute-force ladder, per-edit recall."""
    report: dict[str, Any] = {"texts": len(corpus.texts), "true_clusters": len(corpus.clusters())}
    ladder: dict[str, Any] = {}
    for step, normalise in NORMALISATION_LADDER.items():
        jaccards = exact_jaccard_pairs(shingle_sets(corpus.texts, normalise))
        per_threshold = {}
        for threshold in thresholds:
            found = brute_force_clusters(jaccards, len(corpus.texts), threshold)
            per_threshold[str(threshold)] = _rounded(score_clusters(found, corpus.labels))
        best = max(per_threshold, key=lambda key: per_threshold[key]["ari"])
        ladder[step] = {
            "by_threshold": per_threshold,
            "best_threshold": float(best),
            "best_ari": per_threshold[best]["ari"],
        }
    report["brute_force_exact_jaccard"] = ladder
    if find is None:
        return report
    detected: dict[str, Any] = {}
    for name, (variant, options) in detector_variants(find).items():
        default_found, seconds, failure = _call(variant, corpus.texts, **options)
        if default_found is None:
            detected[name] = {"error": failure}
            continue
        found = default_found
        entry: dict[str, Any] = {"default_threshold": _rounded(score_clusters(found, corpus.labels))}
        entry["default_threshold"]["seconds"] = round(seconds, 3)
        entry["recall_by_edit"] = recall_by_edit(found, corpus)
        entry["by_threshold"] = {}
        for threshold in thresholds:
            found_at, _, failure = _call(variant, corpus.texts, threshold=threshold, **options)
            entry["by_threshold"][str(threshold)] = (
                _rounded(score_clusters(found_at, corpus.labels)) if found_at is not None else {"error": failure}
            )
        detected[name] = entry
    report["detector"] = detected
    return report


def evaluate_natural_repeats(find: Detector | None, seed: int = 0) -> dict[str, Any]:
    """The detector against brute force (same normalisation and shingles) on seed paragraphs plus reprints."""
    paragraphs = [text for _, text in seed_paragraphs()]
    texts = paragraphs + generate_reprints(seed=seed, **CORPORA["paragraph"]).texts
    try:
        jaccards = exact_jaccard_pairs(shingle_sets(texts, _stage_normalise))
    except ImportError as error:
        return {"error": f"dedup normalisation unavailable: {error}"}
    report: dict[str, Any] = {"seed_paragraphs": len(paragraphs), "texts": len(texts), "by_threshold": {}}
    for threshold in NATURAL_THRESHOLDS:
        truth = brute_force_clusters(jaccards, len(texts), threshold)
        entry: dict[str, Any] = {"brute_force_clusters": len(truth), "brute_force_pairs": len(pairs_of(truth))}
        if find is not None:
            found, _, failure = _call(find, texts, threshold=threshold)
            entry.update(
                _rounded(pair_scores(pairs_of(found), pairs_of(truth))) if found is not None else {"error": failure}
            )
        report["by_threshold"][str(threshold)] = entry
    return report


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for unit, by_seed in results.items():
        runs = list(by_seed.values())
        row: dict[str, Any] = {}
        aris = [
            run["detector"]["default"]["default_threshold"]["ari"]
            for run in runs
            if "ari" in run.get("detector", {}).get("default", {}).get("default_threshold", {})
        ]
        if aris:
            row["detector_ari_mean"] = round(float(np.mean(aris)), 4)
            row["detector_ari_min"] = round(float(np.min(aris)), 4)
            curves = [run["detector"]["default"]["by_threshold"] for run in runs]
            by_threshold = {
                threshold: [curve[threshold] for curve in curves if "ari" in curve.get(threshold, {})]
                for threshold in curves[0]
            }
            row["detector_by_threshold_mean"] = {
                threshold: {
                    metric: round(float(np.mean([scores[metric] for scores in values])), 4)
                    for metric in ("ari", "precision", "recall", "f1")
                }
                for threshold, values in by_threshold.items()
                if values
            }
        for variant in runs[0].get("detector", {}):
            entries = [run["detector"][variant] for run in runs if "by_threshold" in run["detector"].get(variant, {})]
            if not entries or variant == "default" and not aris:
                continue
            best = [max(scores.get("ari", 0.0) for scores in entry["by_threshold"].values()) for entry in entries]
            default = [entry["default_threshold"]["ari"] for entry in entries]
            row[f"detector_variant[{variant}]"] = {
                "ari_default_threshold_mean": round(float(np.mean(default)), 4),
                "ari_best_threshold_mean": round(float(np.mean(best)), 4),
            }
        for step in NORMALISATION_LADDER:
            row[f"brute_force_best_ari[{step}]"] = round(
                float(np.mean([run["brute_force_exact_jaccard"][step]["best_ari"] for run in runs])), 4
            )
        summary[unit] = row
    return summary


def _headline(summary: dict[str, Any], unavailable: str | None) -> dict[str, Any]:
    headline: dict[str, Any] = {}
    if unavailable:
        headline["detector"] = f"unavailable: {unavailable}"
    for unit, row in summary.items():
        if "detector_ari_mean" in row:
            headline[f"{unit}: cleanse.find_duplicates default config, ARI (mean / worst seed)"] = (
                f"{row['detector_ari_mean']} / {row['detector_ari_min']}"
            )
            for threshold, scores in row["detector_by_threshold_mean"].items():
                headline[f"{unit}: cleanse.find_duplicates threshold={threshold}, ARI / P / R (mean)"] = (
                    f"{scores['ari']} / {scores['precision']} / {scores['recall']}"
                )
        for key, value in row.items():
            if key.startswith("detector_variant["):
                headline[f"{unit}: cleanse {key[len('detector_variant[') : -1]}, ARI default / best threshold"] = (
                    f"{value['ari_default_threshold_mean']} / {value['ari_best_threshold_mean']}"
                )
        for step in NORMALISATION_LADDER:
            headline[f"{unit}: exact Jaccard, best threshold, {step}"] = row[f"brute_force_best_ari[{step}]"]
    return headline


def _natural_headline(natural: dict[str, Any]) -> dict[str, Any]:
    headline: dict[str, Any] = {}
    for threshold, entry in natural.get("by_threshold", {}).items():
        if "precision" in entry:
            headline[f"seed paragraphs + reprints vs brute force, t={threshold}: P / R"] = (
                f"{entry['precision']} / {entry['recall']} ({entry['true_pairs']} pairs)"
            )
    return headline


def plot_ari(results: dict[str, Any], path: Path) -> str | None:
    """ARI against threshold for the detector and each brute-force normalisation step, one panel per unit
    (mean over seeds); returns an error string when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 'matplotlib is not installed (pip install -e ".[bench]")'
    figure, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4.2), squeeze=False)
    for axis, (unit, by_seed) in zip(axes[0], results.items(), strict=True):
        runs = list(by_seed.values())
        curves: dict[str, list[dict[str, Any]]] = {
            step: [run["brute_force_exact_jaccard"][step]["by_threshold"] for run in runs]
            for step in NORMALISATION_LADDER
        }
        if all("detector" in run and "by_threshold" in run["detector"].get("default", {}) for run in runs):
            curves = {"cleanse.find_duplicates": [run["detector"]["default"]["by_threshold"] for run in runs], **curves}
        for name, per_seed in curves.items():
            thresholds = sorted(per_seed[0], key=float)
            means = [float(np.mean([seed[key].get("ari", np.nan) for seed in per_seed])) for key in thresholds]
            style = {"linewidth": 2.5, "color": "black"} if name.startswith("cleanse") else {"linestyle": "--"}
            axis.plot([float(key) for key in thresholds], means, marker="o", label=name, **style)
        axis.axhline(TARGET_ARI, color="red", linewidth=0.8, label=f"target ARI {TARGET_ARI}")
        axis.set_title(f"{unit} reprint clusters")
        axis.set_xlabel("Jaccard threshold")
        axis.set_ylabel("adjusted Rand index (mean over seeds)")
        axis.set_ylim(0, 1.02)
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7, loc="lower left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return None


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed and three thresholds (CI smoke run)")
    args = parser.parse_args(argv)
    seeds = SEEDS[:1] if args.quick else SEEDS
    thresholds = QUICK_THRESHOLDS if args.quick else THRESHOLDS
    find, unavailable = detector()
    results: dict[str, Any] = {}
    for unit, params in CORPORA.items():
        results[unit] = {
            str(seed): evaluate_corpus(generate_reprints(seed=seed, **params), thresholds, find) for seed in seeds
        }
    summary = _summary(results)
    natural = evaluate_natural_repeats(find)
    aris = [row["detector_ari_min"] for row in summary.values() if "detector_ari_min" in row]
    payload: dict[str, Any] = {
        "quick": args.quick,
        "seeds": list(seeds),
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
