"""Brute force on a normalisation ladder: exact Jaccard of character n-grams after each normalisation step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import regex

from benchmarks.dedup_quality.metrics import Clusters, connected_components

NGRAM = 5


_PUNCTUATION_AND_SPACE = regex.compile(r"[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]+")


_WIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}


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


def brute_force_clusters(jaccards: dict[tuple[int, int], float], size: int, threshold: float) -> Clusters:
    """Connected components of the pairs whose exact Jaccard is at least ``threshold``."""
    return connected_components(size, (pair for pair, value in jaccards.items() if value >= threshold))
