"""What the suite measures and what each number must reach: the benchmarks, the issues' targets, the hard
targets CI enforces (``benchmarks/hard_targets.toml``) and the development-set / test-set figures per stage.

A target names where its number sits in a result file; the summary (:mod:`benchmarks.summary`) looks it up.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HARD_TARGETS_FILE = Path(__file__).resolve().parent / "hard_targets.toml"

#: The suite, in running order: benchmark module name and the issue whose claims it measures.
SUITE: tuple[tuple[str, int], ...] = (
    ("no_harm", 20),
    ("pipeline_overhead", 3),
    ("encoding", 4),
    ("script", 5),
    ("spam", 6),
    ("splice", 7),
    ("minhash", 8),
    ("dedup_scale", 8),
    ("dedup_quality", 9),
    ("dedup_digests", 15),
    ("spam_eval", 18),
    ("scaling", 9),
    ("pipeline", 9),
    ("ray_local", 10),
    ("main_job", 16),
    ("integrations", 17),
    ("fuzz", 14),
)
#: Benchmarks the quick (CI) run leaves out: starting Ray alone takes a large share of its budget.
FULL_RUN_ONLY = frozenset({"ray_local", "integrations"})
#: Optional packages a benchmark needs (the extras that bring them); without them it is skipped, not failed.
NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "ray_local": (("ray", "redis"), "cleanse[ray,redis]"),
    "integrations": (("datatrove", "data_juicer", "datasets"), "cleanse[integrations-bench]"),
}


@dataclass(frozen=True)
class Target:
    """One claim of an issue: where its number sits in a result file and the bound it must meet.

    A path is keys joined by ``|`` (keys may hold dots); ``A / B`` divides two paths and ``len:P`` counts
    the items of a list. The first path that resolves to a number is used.
    """

    issue: int
    benchmark: str
    claim: str
    paths: tuple[str, ...]
    bound: float
    direction: str  # ">=" or "<="
    unit: str = ""
    #: The claim names an input size only the full run measures (a quick run's number is not that claim).
    full_size: bool = False
    #: A miss fails CI (listed in ``benchmarks/hard_targets.toml``).
    hard: bool = False


def _t(
    issue: int,
    benchmark: str,
    claim: str,
    path: str,
    bound: float,
    direction: str,
    unit: str = "",
    full_size: bool = False,
) -> Target:
    return Target(issue, benchmark, claim, tuple(path.split(" or ")), bound, direction, unit, full_size)


# Dedup precision is measured against the reprint generator's clusters (truth by construction), not against
# brute-force Jaccard on the same shingles: the detector re-checks every candidate pair's exact Jaccard, so
# precision against brute force is 1 by construction and cannot fail. Recall against brute force can.
_TRADITIONAL_RATIO = "speed|ratios|stage_tw2s_vs_reimplemented or speed|ratios|stage_traditional_vs_reimplemented"
_IDENTICAL_OUTPUT = "speed|identical_to_official|stage_tw2s or speed|identical_to_official|stage_on_traditional"
TARGETS: tuple[Target, ...] = (
    _t(
        20,
        "no_harm",
        "news stories (People's Daily, unseen half) kept unchanged",
        "news_stories|unchanged_fraction",
        1,
        ">=",
    ),
    _t(3, "pipeline_overhead", "identity pipeline throughput", "pipeline_mb_per_s", 50, ">=", " MB/s"),
    _t(4, "encoding", "lossless kinds, exact recovery", "lossless_recovery", 0.99, ">="),
    _t(4, "encoding", "misaligned, decoder back in step", "misaligned_resynced_recovery", 0.9, ">="),
    _t(4, "encoding", "misaligned, last trail byte lost", "misaligned_lost_trail_recovery", 0.6, ">="),
    _t(4, "encoding", "clean text, speed vs ftfy.fix_text", "speed|clean_speedup_vs_ftfy", 4, ">=", "x"),
    _t(4, "encoding", "damaged text throughput, CPU time", "speed|damaged_cleanse_mb_per_s_cpu", 1, ">=", " MB/s"),
    _t(4, "encoding", "damaged text throughput, wall time", "speed|damaged_cleanse_mb_per_s", 1, ">=", " MB/s"),
    _t(5, "script", "OpenCC test cases passed", "golden_cases|cleanse|passed / golden_cases|cleanse|total", 1, ">="),
    _t(5, "script", "detection, Simplified", "detection|simplified|accuracy", 0.99, ">="),
    _t(5, "script", "detection, Traditional", "detection|traditional|accuracy", 0.99, ">="),
    _t(5, "script", "detection, mixed", "detection|mixed|accuracy", 0.99, ">="),
    _t(5, "script", "Simplified detect-and-skip", "speed|simplified/stage_detect_and_skip|mb_s", 30, ">=", " MB/s"),
    _t(
        5,
        "script",
        "Traditional vs reimplementation",
        _TRADITIONAL_RATIO,
        10,
        ">=",
        "x",
    ),
    _t(
        5,
        "script",
        "output identical to official OpenCC",
        _IDENTICAL_OUTPUT,
        1,
        ">=",
    ),
    _t(6, "spam", "drop precision on gold lines", "quality|drop_precision", 0.97, ">="),
    _t(6, "spam", "drop recall on gold lines", "quality|drop_recall", 0.95, ">="),
    _t(6, "spam", "article lines dropped", "len:quality|article_lines_taken_out", 0, "<="),
    _t(6, "spam", "whole stage throughput, CPU time", "mb_s_cpu|spam_stage", 10, ">=", " MB/s"),
    _t(6, "spam", "whole stage throughput, wall time", "mb_s_wall|spam_stage", 10, ">=", " MB/s"),
    _t(6, "spam", "label_lines throughput, CPU time", "mb_s_cpu|label_lines", 10, ">=", " MB/s"),
    _t(6, "spam", "label_lines throughput, wall time", "mb_s_wall|label_lines or label_lines_mb_s", 10, ">=", " MB/s"),
    _t(7, "splice", "boundary F1 with cues", "quality|splice|cues|f1", 0.9, ">="),
    _t(7, "splice", "boundary F1 without cues", "quality|splice|no_cues|f1", 0.7, ">="),
    _t(7, "splice", "Pk overall", "quality|splice|overall|pk", 0.15, "<="),
    _t(7, "splice", "throughput, wall time", "speed|stage_mb_s_wall", 2, ">=", " MB/s"),
    _t(7, "splice", "throughput, CPU time", "speed|stage_mb_s_cpu", 2, ">=", " MB/s"),
    _t(14, "encoding", "no-harm strings harmed (37 languages and scripts)", "no_harm|harmed_tune", 0, "<="),
    _t(14, "encoding", "no-harm strings harmed, held-out half", "no_harm|harmed_test", 0, "<="),
    _t(14, "encoding", "ftfy's no-harm cases passed", "no_harm|ftfy|no_harm_passed", 48, ">="),
    _t(14, "encoding", "ftfy's fix cases passed", "no_harm|ftfy|fixes_passed", 100, ">="),
    _t(14, "encoding", "lossless kinds, exact recovery", "lossless_recovery", 0.995, ">="),
    _t(14, "encoding", "misaligned in-step runs, one-char included", "misaligned_resynced_recovery", 0.85, ">="),
    _t(14, "encoding", "misaligned, last trail byte lost", "misaligned_lost_trail_recovery", 0.6, ">="),
    _t(14, "encoding", "clean text, speed vs ftfy.fix_text", "speed|clean_speedup_vs_ftfy", 4, ">=", "x"),
    _t(14, "fuzz", "fuzzed inputs checked", "inputs", 1_000_000, ">=", full_size=True),
    _t(14, "fuzz", "fuzz: clean(clean(x)) != clean(x)", "failures|idempotent", 0, "<="),
    _t(14, "fuzz", "fuzz: a stage failed (stage_error)", "failures|stage_error", 0, "<="),
    _t(14, "fuzz", "fuzz: change log does not replay to the output", "failures|replay", 0, "<="),
    _t(14, "fuzz", "fuzz: clean raised", "failures|exception", 0, "<="),
    _t(14, "splice", "boundary F1 with cues, unseen half", "quality|splice|cues|f1", 0.92, ">="),
    _t(14, "splice", "clean articles (test half) keeping >= 95%", "articles|test|clean|share_keeping_95", 0.98, ">="),
    _t(14, "splice", "clean articles (test half), least kept", "articles|test|clean|min_kept", 0.85, ">="),
    _t(8, "minhash", "signatures vs datasketch MinHash.bulk", "speedup_vs_datasketch", 10, ">=", "x"),
    _t(8, "minhash", "signatures vs rensa", "ratio_vs_rensa", 0.5, ">=", "x"),
    _t(8, "dedup_scale", "1M paragraphs end to end, time", "largest|seconds", 120, "<=", " s", full_size=True),
    _t(
        8,
        "dedup_scale",
        "1M paragraphs end to end, peak RSS",
        "largest|peak_rss_mib",
        2048,
        "<=",
        " MiB",
        full_size=True,
    ),
    _t(8, "dedup_scale", "time vs size, log-log slope (1 = linear)", "time_slope", 1.15, "<="),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.5, recall",
        "natural_repeats|by_threshold|0.5|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "reprints vs generated truth t=0.5, precision (mean over seeds)",
        "summary|paragraph|detector_by_threshold_mean|0.5|precision",
        0.99,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.7, recall",
        "natural_repeats|by_threshold|0.7|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "reprints vs generated truth t=0.7, precision (mean over seeds)",
        "summary|paragraph|detector_by_threshold_mean|0.7|precision",
        0.99,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "seeds + reprints vs brute force t=0.8, recall",
        "natural_repeats|by_threshold|0.8|recall",
        0.98,
        ">=",
    ),
    _t(
        8,
        "dedup_quality",
        "reprints vs generated truth t=0.8, precision (mean over seeds)",
        "summary|paragraph|detector_by_threshold_mean|0.8|precision",
        0.99,
        ">=",
    ),
    _t(9, "dedup_quality", "reprint clusters, ARI, default config (worst seed, unit)", "detector_ari_min", 0.95, ">="),
    _t(
        9,
        "dedup_quality",
        "reprint clusters, ARI, streaming stage keep=first (worst seed, paragraphs)",
        "summary|paragraph|detector_variant[stage streaming (keep=first)]|ari_default_threshold_min",
        0.95,
        ">=",
    ),
    _t(15, "dedup_digests", "digest bundles, paragraphs lost (every order)", "paragraphs_lost", 0, "<="),
    _t(15, "dedup_digests", "digest bundles, clusters chaining unrelated inputs", "chained_clusters", 0, "<="),
    _t(18, "spam_eval", "held-out half (test3): junk line precision", "lines|junk_precision", 0.97, ">="),
    _t(18, "spam_eval", "held-out half (test3): junk line recall", "lines|junk_recall", 0.95, ">="),
    _t(
        18,
        "spam_eval",
        "held-out half (test3): junk kinds below recall 0.95",
        "len:lines|categories_below_recall",
        0,
        "<=",
    ),
    _t(
        18,
        "spam_eval",
        "held-out half (test3): article lines dropped, share",
        "lines|article_dropped_share",
        0.005,
        "<=",
    ),
    _t(18, "spam_eval", "clean pages dropped by page signals", "len:pages|clean_dropped", 0, "<="),
    _t(18, "spam_eval", "junk pages dropped by page signals, share", "pages|junk_dropped_share", 0.95, ">="),
    _t(9, "suite", "full suite, wall time (this machine, shared)", "full_seconds", 1800, "<=", " s", full_size=True),
    _t(9, "suite", "quick suite, wall time (this machine, shared)", "quick_seconds", 180, "<=", " s"),
    _t(9, "scaling", "1M paragraphs end to end, time", "run_1m|seconds", 120, "<=", " s", full_size=True),
    _t(9, "scaling", "1M paragraphs end to end, peak RSS", "run_1m|peak_rss_mb", 2048, "<=", " MiB", full_size=True),
    _t(
        9,
        "scaling",
        "wall time vs size, log-log slope, 10k+ (shared machine)",
        "time_slope|cleanse|sizes_10k_and_up",
        1.15,
        "<=",
    ),
    _t(
        9,
        "scaling",
        "CPU time vs size, log-log slope, 10k+ (1 = linear)",
        "cpu_time_slope|cleanse|sizes_10k_and_up",
        1.15,
        "<=",
    ),
    _t(10, "ray_local", "default pipeline, Ray 2 workers vs local: identical output", "identical_output", 1, ">="),
    _t(16, "main_job", "seeds: compact output / input bytes", "results|output_size|seeds|compact|ratio", 1.5, "<="),
    _t(16, "main_job", "news: compact output / input bytes", "results|output_size|news|compact|ratio", 1.5, "<="),
    _t(16, "main_job", "import cleanse (importtime)", "results|import|importtime_cumulative_s", 0.3, "<=", " s"),
    _t(16, "main_job", "whole pipeline vs ftfy, CPU", "results|pipeline_vs_ftfy|ratio_vs_ftfy", 1.0, ">=", "x"),
    _t(16, "main_job", "jobs 1 -> 2 wall speed-up (quiet machine)", "results|jobs|speedup", 1.7, ">=", "x"),
    _t(16, "main_job", "dedup stage throughput, CPU", "results|dedup|stage_mb_per_cpu_s", 15, ">=", " MB/s"),
    _t(16, "main_job", "GBK/Big5 decoding vs chardet, CPU", "results|legacy_decoding|ratio_vs_chardet", 1.0, ">=", "x"),
    _t(16, "script", "s2t vs official OpenCC", "speed|ratios|s2t_vs_official", 1.0, ">=", "x"),
)


def load_hard_targets(path: Path = HARD_TARGETS_FILE) -> tuple[Target, ...]:
    """The hard targets: each ``[[target]]`` of the TOML file (issue, benchmark, claim, path, bound, direction).

    A hard target that is missed, or that no result of the run measured, fails CI.
    """
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    hard = []
    for entry in table.get("target", []):
        target = _t(
            int(entry["issue"]),
            str(entry["benchmark"]),
            str(entry["claim"]),
            str(entry["path"]),
            float(entry["bound"]),
            str(entry["direction"]),
            str(entry.get("unit", "")),
        )
        if target.direction not in (">=", "<="):
            raise ValueError(f"{path}: direction must be '>=' or '<=', got {target.direction!r}")
        hard.append(replace(target, hard=True))
    return tuple(hard)


def all_targets(hard: tuple[Target, ...] | None = None) -> tuple[Target, ...]:
    """The issues' targets with the hard ones marked, then the hard targets no issue row already states."""
    hard = load_hard_targets() if hard is None else hard
    keys = {(t.benchmark, t.paths): t for t in hard}
    marked = tuple(replace(t, hard=True) if (t.benchmark, t.paths) in keys else t for t in TARGETS)
    present = {(t.benchmark, t.paths) for t in marked}
    return marked + tuple(t for t in hard if (t.benchmark, t.paths) not in present)


@dataclass(frozen=True)
class SplitFigure:
    """One stage's quality figure on its development set (the gold that tuned it) and on its test set (built
    afterwards from other sources, never tuned on). Paths as in :class:`Target`; the first that resolves wins.

    Benchmarks report a test set as ``sets|test|<metric>`` (and may report the development set as
    ``sets|dev|<metric>``); older result files name the development figure at their own path.
    """

    stage: str
    benchmark: str
    metric: str
    dev_paths: tuple[str, ...]
    test_paths: tuple[str, ...]


def _split(
    stage: str, benchmark: str, metric: str, key: str, dev_legacy: str = "", test_legacy: str = ""
) -> SplitFigure:
    dev = (f"sets|dev|{key}", *([p for p in dev_legacy.split(" or ") if p]))
    test = (f"sets|test|{key}", *([p for p in test_legacy.split(" or ") if p]))
    return SplitFigure(stage, benchmark, metric, dev, test)


SPLITS: tuple[SplitFigure, ...] = (
    _split("encoding", "encoding", "lossless kinds, exact recovery", "lossless_recovery", "lossless_recovery"),
    _split(
        "encoding",
        "encoding",
        "misaligned runs back in step, exact",
        "misaligned_resynced",
        "misaligned_by_half|resynced_decoded|tuning",
        "misaligned_by_half|resynced_decoded|held_out",
    ),
    _split(
        "whole pipeline",
        "no_harm",
        "clean documents unchanged (no-harm)",
        "unchanged_fraction",
        "clean|dev|unchanged_fraction",
        "clean|test|unchanged_fraction or news_stories|unchanged_fraction",
    ),
    _split("spam", "spam", "drop precision", "drop_precision", "quality|drop_precision"),
    _split("spam", "spam", "drop recall", "drop_recall", "quality|drop_recall"),
    _split("spam", "spam_eval", "junk line precision (generated set)", "junk_precision"),
    _split("spam", "spam_eval", "junk line recall (generated set)", "junk_recall"),
    _split("splice", "splice", "boundary F1 with cues", "f1_cues", "", "quality|splice|cues|f1"),
    _split("splice", "splice", "Pk overall", "pk", "", "quality|splice|overall|pk"),
    _split(
        "dedup",
        "dedup_quality",
        "paragraph reprint clusters, ARI (worst seed)",
        "ari_min",
        "summary|paragraph|detector_ari_by_seed_group|tuning|min",
        "summary|paragraph|detector_ari_by_seed_group|unseen|min",
    ),
)


def lookup(record: Any, path: str) -> Any:
    """The value at ``path`` (keys joined by ``|``) of nested dicts, or ``None``.

    >>> lookup({"a": {"0.5": 2}}, "a|0.5"), lookup({"a": 1}, "a|c")
    (2, None)
    """
    value = record
    for key in path.split("|"):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def measure_path(record: Any, path: str) -> float | None:
    """The number a target path names: a plain path, ``A / B`` or ``len:P`` (see :class:`Target`).

    >>> measure_path({"a": 3, "b": {"c": 4}}, "a / b|c"), measure_path({"x": [1, 2]}, "len:x")
    (0.75, 2.0)
    """
    if " / " in path:
        top, bottom = (measure_path(record, part) for part in path.split(" / ", 1))
        return top / bottom if top is not None and bottom else None
    if path.startswith("len:"):
        items = lookup(record, path[4:])
        return float(len(items)) if isinstance(items, (list, tuple, dict)) else None
    value = lookup(record, path)
    return float(value) if isinstance(value, (int, float)) else None


def verdict(value: float, target: Target) -> str:
    """``meets`` or ``MISSES by ...`` (absolute, and relative to the bound unless the bound is 0).

    >>> verdict(0.9, Target(9, "x", "c", ("v",), 0.95, ">="))
    'MISSES by 0.05 (5.3%)'
    >>> verdict(12, Target(20, "x", "c", ("v",), 0, "<="))
    'MISSES by 12'
    """
    gap = target.bound - value if target.direction == ">=" else value - target.bound
    if gap <= 0:
        return "meets"
    if target.bound == 0:
        return f"MISSES by {gap:.3g}{target.unit}"
    return f"MISSES by {gap:.3g}{target.unit} ({100 * gap / abs(target.bound):.1f}%)"
