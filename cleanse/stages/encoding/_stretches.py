"""The stretch of a sequence of gains with the largest positive sum (Kadane), for one sequence or many at once.

A repair that maps characters one for one (Big5 read as GBK and back) gains or loses at
each position; the span to repair is the contiguous stretch that gains most.
"""

from __future__ import annotations

import numpy as np


def best_stretches(values: np.ndarray, lengths: np.ndarray) -> list[tuple[int, int] | None]:
    """:func:`best_stretch` of each consecutive piece of ``values`` (``lengths`` long), all in one pass.

    Per piece, the stretch ends where the prefix sum rises most above its lowest point so far
    (the first such end) and starts at the last index where that lowest point was reached.
    Pieces are kept apart by lowering each one's prefix sums far below the one before.
    """
    if not len(lengths):
        return []
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    piece = np.repeat(np.arange(len(lengths)), lengths + 1)
    inside = np.ones(int(lengths.sum()) + len(lengths), dtype=bool)
    inside[starts] = False  # each piece's prefix sums start with a 0
    padded = np.zeros(len(inside), dtype=np.float64)
    padded[inside] = values
    totals = np.cumsum(padded)
    prefix = totals - totals[starts][piece]
    spread = float(np.abs(values).sum()) + 1.0
    lowered = prefix - piece * spread
    lowest = np.minimum.accumulate(lowered)
    rise = np.full(len(lowered), -np.inf)
    positions = np.nonzero(inside)[0]
    rise[positions] = prefix[positions] - (lowest[positions - 1] + piece[positions] * spread)
    best = np.maximum.reduceat(rise, starts)
    at_best = np.nonzero((rise == best[piece]) & (best[piece] > 0))[0]
    pieces_found, first = np.unique(piece[at_best], return_index=True)
    ends = at_best[first]
    minima = np.nonzero(lowered == lowest)[0]
    begins = minima[np.searchsorted(minima, ends - 1, side="right") - 1]
    found: list[tuple[int, int] | None] = [None] * len(lengths)
    for index, begin, end in zip(pieces_found.tolist(), begins.tolist(), ends.tolist(), strict=True):
        found[index] = (begin - int(starts[index]), end - int(starts[index]))
    return found


def best_stretch(gains: np.ndarray) -> tuple[int, int] | None:
    """The contiguous stretch with the largest positive sum (Kadane), or None.

    A plain loop: windows are a few hundred characters, where numpy's calls cost more than the loop.
    """
    best_gain, best_span = 0.0, None
    running, run_start = 0.0, 0
    for index, value in enumerate(gains.tolist()):
        if running <= 0:
            running, run_start = 0.0, index
        running += value
        if running > best_gain:
            best_gain, best_span = running, (run_start, index + 1)
    return best_span
