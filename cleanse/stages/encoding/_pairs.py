"""Running-text evidence for two characters in a row across a word boundary (``她說``, ``五國``).

The character model (``_lm.py``) knows pairs inside words only; across a boundary it treats the
two characters as independent. ``pairs.npz`` (built by ``cleanse.data.encoding.build_pairs`` from
People's Daily text, see SOURCES.md) holds, per pair seen in running text, its pointwise mutual
information across word boundaries: how much likelier the pair is than its characters apart. It is
loaded only when a misaligned run needs it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

_CODE_BITS = 21
_MASK = (1 << _CODE_BITS) - 1


class PairTable:
    """Pointwise mutual information of character pairs across word boundaries, in nats; 0 for a pair not kept.

    Look-ups fix one side of the pair: the pairs of one character are a short contiguous row of the
    keys sorted by that side, so a look-up searches a few hundred entries, not the whole table.
    """

    def __init__(self, keys: np.ndarray, pmi: np.ndarray) -> None:
        self._by_left = (keys, pmi.astype(np.float64))
        flipped = ((keys & _MASK) << _CODE_BITS) | (keys >> _CODE_BITS)
        order = np.argsort(flipped)
        self._by_right = (flipped[order], self._by_left[1][order])

    def after(self, left: int, rights: np.ndarray) -> np.ndarray:
        """The PMI of ``left`` followed by each of ``rights``."""
        return _row(self._by_left, left, rights)

    def before(self, lefts: np.ndarray, right: int) -> np.ndarray:
        """The PMI of each of ``lefts`` followed by ``right``."""
        return _row(self._by_right, right, lefts)


def _row(table: tuple[np.ndarray, np.ndarray], fixed: int, others: np.ndarray) -> np.ndarray:
    keys, values = table
    low, high = np.searchsorted(keys, [fixed << _CODE_BITS, (fixed + 1) << _CODE_BITS])
    if low == high:
        return np.zeros(len(others), dtype=np.float64)
    row = keys[low:high] & _MASK
    position = np.minimum(np.searchsorted(row, others), len(row) - 1)
    return np.where(row[position] == others, values[low:high][position], 0.0)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def pair_table() -> PairTable:
    """The shipped table (loaded once)."""
    source = resources.files("cleanse").joinpath("data/encoding/pairs.npz")
    with resources.as_file(source) as path, np.load(path) as data:
        return PairTable(data["keys"], data["pmi"])
