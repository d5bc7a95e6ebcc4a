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


class PairTable:
    """Pointwise mutual information of character pairs across word boundaries, in nats; 0 for a pair not kept."""

    def __init__(self, keys: np.ndarray, pmi: np.ndarray) -> None:
        self.keys = keys
        self.pmi = pmi.astype(np.float64)

    def lookup(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The PMI of each pair ``(left[i], right[i])``; 0 (no evidence either way) for pairs not in the table."""
        keys = (left.astype(np.int64) << _CODE_BITS) | right.astype(np.int64)
        position = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[position] == keys, self.pmi[position], 0.0)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def pair_table() -> PairTable:
    """The shipped table (loaded once)."""
    source = resources.files("cleanse").joinpath("data/encoding/pairs.npz")
    with resources.as_file(source) as path, np.load(path) as data:
        return PairTable(data["keys"], data["pmi"])
