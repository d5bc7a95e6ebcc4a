"""The detector under test, its ablations, and the scoring of one generated corpus and of the seeds' repeats."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from benchmarks.dedup_quality.ladder import (
    NORMALISATION_LADDER,
    _stage_normalise,
    brute_force_clusters,
    shingle_sets,
)
from benchmarks.dedup_quality.metrics import Clusters, pair_scores, pairs_of, recall_by_edit, score_clusters
from benchmarks.reprints import ReprintCorpus, generate_reprints, seed_paragraphs
from cleanse.stages.dedup.evaluate import exact_jaccard_pairs

CORPORA: dict[str, dict[str, Any]] = {
    "paragraph": {"unit": "paragraph", "clusters": 50, "copies": 4, "singletons": 30},
    "document": {"unit": "document", "clusters": 25, "copies": 4, "singletons": 15},
}


NATURAL_THRESHOLDS = (0.5, 0.7, 0.8)


#: Detector options that switch one ingredient off (script folding, the reprint clause of the edge rule),
#: tried when the dedup options define them.
NORMALISATION_SWITCHES: dict[str, object] = {"script_fold": "none", "reprint_containment": 0.0}


STREAMING = "stage streaming (keep=first)"


Detector = Callable[..., Clusters]


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


def streaming_clusters(texts: Sequence[str], threshold: float = 0.5, **options: object) -> Clusters:
    """The reprint groups of the dedup stage's report in streaming mode (``keep="first"``), one document
    per text: ``report()["reprint_groups"]``, every group listed (stars over every direct relation of the
    run, kept documents and removed duplicates alike; see docs/dedup.md)."""
    from cleanse.document import Document
    from cleanse.stages.dedup import NearDupDetector

    options = {"report_clusters": max(len(texts), 1)} | options
    stage = NearDupDetector(threshold=threshold, level="documents", keep="first", **options)
    docs = [Document.from_text(text, id=str(number)) for number, text in enumerate(texts)]
    for _ in stage.run(docs):
        pass
    return report_groups(stage.report()["reprint_groups"]["groups"])


def report_groups(rows: Sequence[dict[str, Any]]) -> Clusters:
    """The groups of the report (units named by their position); ``ValueError`` when one lists fewer
    members than its size."""
    groups = []
    for row in rows:
        if len(row["members"]) != row["size"]:
            raise ValueError(f"group of {row['representative']!r} lists {len(row['members'])} of its members only")
        groups.append(sorted(int(unit) for unit in row["members"]))
    return sorted(groups)


def detector_variants(find: Detector) -> dict[str, tuple[Detector, dict[str, object]]]:
    """The public call with its defaults, one call per switch in :data:`NORMALISATION_SWITCHES` that the
    dedup options define (made through the stage's own ``find_duplicates``, which takes overrides), and
    the stage's streaming mode with its defaults."""
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
    variants[STREAMING] = (streaming_clusters, {})
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


def _pair_finder() -> Detector | None:
    """``cleanse.stages.dedup.find_pairs`` (verified LSH pairs) when the dedup stage has it."""
    try:
        from cleanse.stages import dedup
    except ImportError:
        return None
    return getattr(dedup, "find_pairs", None)


def evaluate_natural_repeats(find: Detector | None, seed: int = 0) -> dict[str, Any]:
    """The detector against brute force on seed paragraphs plus reprints.

    ``by_threshold``: the pairs the detector finds and verifies (``find_pairs``, bands chosen for t itself:
    ``reprint_containment=0``) against every pair whose exact Jaccard is >= t. The truth is computed here
    (:func:`exact_jaccard_pairs` on character 5-gram strings of the stage's normalised text), not with the
    detector's hashed shingles, so precision below 1 would be a real disagreement. ``edge_rule``: the
    default ``find_duplicates`` clusters against the stars of the default edge rule applied exactly to
    every pair (what LSH candidates may miss).
    """
    paragraphs = [text for _, text in seed_paragraphs()]
    texts = paragraphs + generate_reprints(seed=seed, **CORPORA["paragraph"]).texts
    try:
        jaccards = exact_jaccard_pairs(shingle_sets(texts, _stage_normalise))
    except ImportError as error:
        return {"error": f"dedup normalisation unavailable: {error}"}
    report: dict[str, Any] = {"seed_paragraphs": len(paragraphs), "texts": len(texts), "by_threshold": {}}
    find_pairs = _pair_finder()
    for threshold in NATURAL_THRESHOLDS:
        truth = {pair for pair, value in jaccards.items() if value >= threshold - 1e-9}
        entry: dict[str, Any] = {"brute_force_pairs": len(truth)}
        if find_pairs is not None:
            try:
                found = {(i, j) for i, j, _ in find_pairs(list(texts), threshold=threshold, reprint_containment=0.0)}
            except (TypeError, ValueError) as error:
                entry["error"] = f"{type(error).__name__}: {error}"
            else:
                entry.update(_rounded(pair_scores(found, truth)))
        report["by_threshold"][str(threshold)] = entry
    if find is not None:
        try:
            from cleanse.stages.dedup.evaluate import brute_force_clusters as rule_brute_force
        except ImportError:
            return report
        found, _, failure = _call(find, texts)
        truth = rule_brute_force(texts)
        report["edge_rule"] = (
            _rounded(pair_scores(pairs_of(found), pairs_of(truth))) if found is not None else {"error": failure}
        )
    return report
