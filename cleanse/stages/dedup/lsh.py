"""LSH banding: ``(bands, rows)`` chosen for a threshold as datasketch does, and band keys as arrays.

A pair of units with Jaccard ``s`` shares at least one band key with probability
``1 - (1 - s**rows)**bands``. :func:`optimal_params` picks the pair minimising the weighted areas of
false positives (below the threshold) and false negatives (above it), exactly as datasketch's
``MinHashLSH`` (``_optimal_param``); because every candidate is verified afterwards, the default
weights favour recall. :func:`band_keys` turns signatures into one uint64 key per (unit, band): the
per-unit map step whose output the reduce step groups by sorting.

>>> optimal_params(0.8, 128, 0.5, 0.5)
(9, 13)
>>> band_keys(np.zeros((2, 128), dtype=np.uint32), 9, 13).shape
(2, 9)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """The probability that two units of this Jaccard similarity share a band key."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def _areas(threshold: float, num_perm: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ``(bands, rows)`` with ``bands * rows <= num_perm`` (bands, then rows, ascending) and its false
    positive area (candidate probability integrated over ``[0, threshold]``) and false negative area (its
    complement over ``[threshold, 1]``). The probability is a polynomial of degree ``bands * rows`` in the
    similarity, so Gauss-Legendre quadrature with ``num_perm // 2 + 1`` nodes integrates it exactly (up to
    rounding), where datasketch calls ``scipy.integrate.quad`` per pair (and scipy takes half a second to
    import); the chosen parameters are the same."""
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64)
    nodes, weights = _gauss_legendre(num_perm // 2 + 1)
    areas = []
    for low, high in ((0.0, threshold), (threshold, 1.0)):
        similarity = (high - low) / 2 * nodes + (high + low) / 2
        probability = 1 - (1 - similarity[None, :] ** pairs[:, 1:2]) ** pairs[:, 0:1]
        if low > 0.0:
            probability = 1 - probability
        areas.append(probability @ ((high - low) / 2 * weights))
    return pairs.astype(np.int64), areas[0], areas[1]


@lru_cache(maxsize=8)
def _gauss_legendre(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on ``[-1, 1]`` (an eigenvalue problem: a stage asks for the
    parameters of two thresholds, with the same ``num_perm``)."""
    nodes, weights = np.polynomial.legendre.leggauss(count)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


@lru_cache(maxsize=64)
def optimal_params(
    threshold: float, num_perm: int = 128, false_positive_weight: float = 0.1, false_negative_weight: float = 0.9
) -> tuple[int, int]:
    """``(bands, rows)`` minimising the weighted false positive and negative areas (datasketch's search)."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if abs(false_positive_weight + false_negative_weight - 1.0) > 1e-9:
        raise ValueError("false_positive_weight and false_negative_weight must sum to 1")
    pairs, false_positive, false_negative = _areas(threshold, num_perm)
    error = false_positive_weight * false_positive + false_negative_weight * false_negative
    bands, rows = pairs[int(np.argmin(error))].tolist()  # the first of equal errors, as datasketch's loop
    return int(bands), int(rows)


def band_keys(signs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per unit and band, mixing the band's ``rows`` signature values (shape ``(n, bands)``)."""
    if bands * rows > signs.shape[1]:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} permutations, have {signs.shape[1]}")
    grid = signs[:, : bands * rows].reshape(len(signs), bands, rows).astype(np.uint64)
    keys = np.zeros((len(signs), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = (keys ^ grid[:, :, row]) * _MIX
            keys ^= keys >> np.uint64(29)
    return keys
