"""Summaries, headline numbers and the ARI-against-threshold plot of the dedup quality benchmark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.dedup_quality.ladder import NORMALISATION_LADDER

TARGET_ARI = 0.95


def _default_ari(run: dict[str, Any], variant: str = "default") -> float | None:
    scores = run.get("detector", {}).get(variant, {}).get("default_threshold", {})
    return scores.get("ari") if isinstance(scores, dict) else None


def _seed_groups(by_seed: dict[str, Any], groups: dict[str, tuple[int, ...]], variant: str) -> dict[str, Any]:
    """Per seed group (tuning, unseen): the default-configuration ARI of each seed, its mean and worst."""
    out: dict[str, Any] = {}
    for group, seeds in groups.items():
        values = {str(seed): _default_ari(by_seed[str(seed)], variant) for seed in seeds if str(seed) in by_seed}
        aris = [value for value in values.values() if value is not None]
        if aris:
            out[group] = {"by_seed": values, "mean": round(float(np.mean(aris)), 4), "min": round(min(aris), 4)}
    return out


def _summary(results: dict[str, Any], groups: dict[str, tuple[int, ...]] | None = None) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for unit, by_seed in results.items():
        runs = list(by_seed.values())
        row: dict[str, Any] = {}
        aris = [ari for ari in (_default_ari(run) for run in runs) if ari is not None]
        if aris:
            row["detector_ari_mean"] = round(float(np.mean(aris)), 4)
            row["detector_ari_min"] = round(float(np.min(aris)), 4)
            if groups:
                row["detector_ari_by_seed_group"] = _seed_groups(by_seed, groups, "default")
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
                "ari_default_threshold_min": round(float(np.min(default)), 4),
                "ari_best_threshold_mean": round(float(np.mean(best)), 4),
            }
            if groups:
                row[f"detector_variant[{variant}]"]["by_seed_group"] = _seed_groups(by_seed, groups, variant)
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
            for group, scores in row.get("detector_ari_by_seed_group", {}).items():
                seeds = ", ".join(f"{seed}: {ari}" for seed, ari in scores["by_seed"].items())
                headline[f"{unit}: cleanse.find_duplicates default config, {group} seeds, ARI mean / worst"] = (
                    f"{scores['mean']} / {scores['min']} ({seeds})"
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
            headline[f"seed paragraphs + reprints, Jaccard only vs brute-force Jaccard, t={threshold}: P / R"] = (
                f"{entry['precision']} / {entry['recall']} ({entry['true_pairs']} pairs)"
            )
    rule = natural.get("edge_rule", {})
    if "precision" in rule:
        headline["seed paragraphs + reprints, default config vs the edge rule on every pair: P / R"] = (
            f"{rule['precision']} / {rule['recall']} ({rule['true_pairs']} pairs)"
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
            curves = {
                "cleanse.find_duplicates (edge rule, x = its Jaccard clause)": [
                    run["detector"]["default"]["by_threshold"] for run in runs
                ],
                **curves,
            }
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
