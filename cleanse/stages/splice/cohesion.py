"""Lexical cohesion between paragraphs: character-bigram vectors and segmentation over them.

Chinese needs no word segmenter for this: adjacent Han characters give bigrams that
carry topic words (``金砖``, ``党建``, ``楼盘``). One numpy pass over the code points
of the whole text builds a paragraph × bigram matrix (exact bigrams, no hashing),
weighted by in-document IDF and normalised, so that a dot product is a cosine.

:func:`segment` finds the boundaries that minimise the within-segment spread of the
paragraph vectors plus a penalty per boundary (dynamic programming over all splits);
the penalty varies per gap, which is how layout cues and mended breaks enter.
:func:`texttiling` is the classic block-comparison baseline (Hearst 1997) the benchmark
compares against.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import regex

from cleanse.stages.splice.mending import common_words_by_rank

COMMON_FLOOR = 0.15
MAX_CELLS = 8_000_000

_HAN_RUN = regex.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]{2,}")
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


def _is_han(codes: np.ndarray) -> np.ndarray:
    mask = np.zeros(codes.shape, dtype=bool)
    for low, high in _HAN_RANGES:
        mask |= (codes >= low) & (codes <= high)
    return mask


def bigram_vectors(text: str, spans: Sequence[Sequence[tuple[int, int]]]) -> np.ndarray:
    """One TF-IDF vector of Han bigrams per unit; a unit is a list of ``(start, end)`` spans.

    Rows are normalised over all of a unit's bigrams, but only the bigrams that occur in two
    units or more are kept as columns (the others add nothing to any dot product), so a dot
    product is the exact cosine and a row's own norm is at most 1. Rows of units without
    shared bigrams are zero.
    """
    count = len(spans)
    if count == 0:
        return np.zeros((0, 0), dtype=np.float32)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    owner = np.full(len(codes) + 1, -1, dtype=np.int64)
    for unit, pieces in enumerate(spans):
        for start, end in pieces:
            owner[start:end] = unit
    han = _is_han(codes)
    pair = han[:-1] & han[1:] & (owner[:-2] == owner[1:-1]) & (owner[:-2] >= 0)
    positions = np.flatnonzero(pair)
    if positions.size == 0:
        return np.zeros((count, 1), dtype=np.float32)
    keys = codes[positions].astype(np.int64) << 21 | codes[positions + 1].astype(np.int64)
    # one sort gives both the (unit, bigram) occurrence counts and the bigram ids
    pairs, pair_counts = np.unique((owner[positions] << 42) | keys, return_counts=True)
    pair_units = pairs >> 42
    features, feature_ids = np.unique(pairs & ((1 << 42) - 1), return_inverse=True)
    document_frequency = np.bincount(feature_ids, minlength=len(features))
    idf = np.log((count + 1.0) / (document_frequency + 0.5)) * _commonness_weight(features)
    weights = np.sqrt(pair_counts) * idf[feature_ids]
    norms = np.sqrt(np.bincount(pair_units, weights=weights * weights, minlength=count))
    norms[norms == 0] = 1.0
    threshold = 2
    while (document_frequency >= threshold).sum() * count > MAX_CELLS:
        threshold *= 2  # very long pages: keep the widely shared bigrams, bound the matrix
    shared = document_frequency[feature_ids] >= threshold
    if not shared.any():
        return np.zeros((count, 1), dtype=np.float32)
    kept_features, columns = np.unique(feature_ids[shared], return_inverse=True)
    vectors = np.zeros((count, len(kept_features)), dtype=np.float32)
    vectors[pair_units[shared], columns] = weights[shared] / norms[pair_units[shared]]
    return vectors


@functools.lru_cache(maxsize=1)
def _common_bigram_table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted bigram keys of the shipped common words and a weight per key (frequent words weigh less)."""
    words = common_words_by_rank()
    keys = np.array([ord(w[0]) << 21 | ord(w[1]) for w in words], dtype=np.int64)
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    weights = COMMON_FLOOR + (1.0 - COMMON_FLOOR) * np.log(ranks) / np.log(len(words) + 1.0)
    order = np.argsort(keys)
    return keys[order], weights[order]


def _commonness_weight(features: np.ndarray) -> np.ndarray:
    """1 for bigrams that are not common words; down to ``COMMON_FLOOR`` for the most frequent ones."""
    keys, weights = _common_bigram_table()
    at = np.clip(np.searchsorted(keys, features), 0, len(keys) - 1)
    return np.where(keys[at] == features, weights[at], 1.0)


def similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of units.

    ``einsum`` rather than ``@``: for these small matrices a threaded BLAS spends more time
    waking its threads (tens of milliseconds on a busy machine) than multiplying.
    """
    return np.einsum("ij,kj->ik", vectors, vectors)


def split_cost(gram: np.ndarray) -> float:
    """What splitting a coherent run costs nothing to explain: ``1 - median adjacent similarity``.

    Cutting a run of paragraphs in two lowers the spread by about ``1 - rho`` even when
    both halves tell the same story (rho: their typical similarity), so a boundary must
    cost at least that; the margin above it is what a real topic change has to beat.
    """
    if gram.shape[0] < 2:
        return 1.0
    return float(np.float32(1.0 - median_float32(np.diagonal(gram, offset=1).tolist())))


def median_float32(values: list[float]) -> float:
    """``np.median`` of a float32 array given as a list, as float32 arithmetic rounds it, without numpy's
    per-call overhead (these arrays hold a handful of values, once per page)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return float(np.float32((ordered[middle - 1] + ordered[middle]) / 2))


def segment(gram: np.ndarray, penalties: Sequence[float]) -> list[int]:
    """Optimal boundaries over ``n`` units given their similarity matrix and one penalty per gap.

    ``penalties[i]`` is the cost of a boundary before unit ``i + 1`` (``n - 1`` gaps); use
    ``float("inf")`` to forbid one and a negative cost to all but force one. A segment
    costs its within-segment spread, ``len - |sum of vectors|^2 / len``. Returns the
    sorted unit indices that start a new segment (never 0).
    """
    size = gram.shape[0]
    if size <= 1:
        return []
    if len(penalties) != size - 1:
        raise ValueError(f"need {size - 1} gap penalties for {size} units, got {len(penalties)}")
    gram = np.array(gram, dtype=np.float64)
    np.fill_diagonal(gram, 1.0)  # a unit without shared bigrams is still itself
    prefix = np.zeros((size + 1, size + 1), dtype=np.float64)
    prefix[1:, 1:] = np.cumsum(np.cumsum(gram, axis=0), axis=1)
    diagonal = np.diagonal(prefix)
    # spread[i, j]: cost of one segment over units i..j-1 (upper triangle; i < j)
    block = diagonal[None, :] - prefix - prefix.T + diagonal[:, None]
    length = np.arange(size + 1)[None, :] - np.arange(size + 1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = length - block / length
    gap_cost = np.concatenate(([0.0], np.asarray(penalties, dtype=np.float64), [0.0]))
    spread += gap_cost[:, None]
    best = np.full(size + 1, np.inf)
    best[0] = 0.0
    back = np.zeros(size + 1, dtype=np.int64)
    for end in range(1, size + 1):
        cost = best[:end] + spread[:end, end]
        choice = int(np.argmin(cost))
        best[end] = cost[choice]
        back[end] = choice
    boundaries: list[int] = []
    cursor = size
    while cursor > 0:
        cursor = int(back[cursor])
        if cursor > 0:
            boundaries.append(cursor)
    return sorted(boundaries)


def texttiling(gram: np.ndarray, window: int = 2) -> list[int]:
    """TextTiling-style boundaries (Hearst 1997) from a unit similarity matrix: the baseline.

    Each gap gets the mean similarity between the ``window`` units before and after it;
    a gap's depth is how far that score lies below the nearest peaks on both sides, and
    gaps deeper than ``mean - std / 2`` of all depths are boundaries.
    """
    size = gram.shape[0]
    if size < 3:
        return []
    scores = np.empty(size - 1)
    for gap in range(1, size):
        left = slice(max(0, gap - window), gap)
        right = slice(gap, min(size, gap + window))
        scores[gap - 1] = gram[left, right].mean()
    depths = np.empty_like(scores)
    for i, score in enumerate(scores):
        left_peak = scores[: i + 1].max() if i == 0 else _climb(scores, i, -1)
        right_peak = _climb(scores, i, 1)
        depths[i] = (left_peak - score) + (right_peak - score)
    cutoff = depths.mean() - depths.std() / 2
    chosen = [i + 1 for i, depth in enumerate(depths) if depth > cutoff and depth > 0]
    return _local_maxima(chosen, depths)


def _climb(scores: np.ndarray, start: int, step: int) -> float:
    peak = scores[start]
    i = start + step
    while 0 <= i < len(scores) and scores[i] >= peak:
        peak = scores[i]
        i += step
    return float(peak)


def _local_maxima(chosen: list[int], depths: np.ndarray) -> list[int]:
    """Keep one boundary per run of adjacent chosen gaps: the deepest."""
    kept: list[int] = []
    for gap in chosen:
        if kept and gap - kept[-1] == 1:
            if depths[gap - 1] > depths[kept[-1] - 1]:
                kept[-1] = gap
            continue
        kept.append(gap)
    return kept


@functools.lru_cache(maxsize=1)
def _common_bigram_weights() -> dict[str, float]:
    words = common_words_by_rank()
    scale = np.log(len(words) + 1.0)
    weights = COMMON_FLOOR + (1.0 - COMMON_FLOOR) * np.log(np.arange(1, len(words) + 1, dtype=np.float64)) / scale
    return dict(zip(words, weights, strict=True))  # one array pass, not a scalar log per word (40,000 words)


def han_bigrams(text: str) -> dict[str, int]:
    """Counts of adjacent Han character pairs in ``text`` (pairs across a non-Han character are not counted)."""
    counts: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text):
        counts.update([run[i : i + 2] for i in range(len(run) - 1)])
    return counts


def coverage(part: dict[str, int], rest: dict[str, int]) -> tuple[float, float]:
    """How much of ``part``'s vocabulary the ``rest`` of the page shares, and how much vocabulary that is.

    Both bigram counts come from :func:`han_bigrams`. Each bigram of ``part`` weighs the square root of its
    count times its commonness weight (a common word such as ``发展`` counts little, a name or a topic word
    in full). Unlike the in-document IDF of :func:`bigram_vectors`, a word the whole page uses counts fully:
    that is what a section shares with the rest of its own article, and what a spliced story lacks.
    Returns ``(shared weight / total weight, total weight)``.
    """
    weights = _common_bigram_weights()
    total = shared = 0.0
    for pair, count in part.items():
        weight = weights.get(pair, 1.0) * math.sqrt(count)
        total += weight
        if pair in rest:
            shared += weight
    return (shared / total if total else 1.0), total


def weighted_size(
    counts: dict[str, int], minus: dict[str, int] | None = None, total: dict[str, int] | None = None
) -> float:
    """The vocabulary weight :func:`coverage` gives ``counts``: each bigram's commonness weight times the square
    root of its count. With ``minus`` and ``total``: how much the weight of ``total`` drops when ``counts``
    are taken out of it, leaving ``minus`` (``total - counts``, zero counts left out)."""
    weights = _common_bigram_weights()
    sqrt = math.sqrt
    if minus is None or total is None:
        return sum(weights.get(pair, 1.0) * sqrt(count) for pair, count in counts.items())
    return sum(weights.get(pair, 1.0) * (sqrt(total[pair]) - sqrt(minus.get(pair, 0))) for pair in counts)
