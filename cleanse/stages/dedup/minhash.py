"""MinHash signatures compatible with datasketch's ``affine32`` scheme, 128 permutations in 512 bytes.

Each shingle hash is pre-mixed with the MurmurHash3 32-bit finaliser, then permutation ``k`` maps it
to ``a[k] * h + b[k]`` modulo 2**32 and the signature keeps the minimum per permutation. ``a`` and
``b`` are drawn exactly as ``datasketch.MinHash(seed=..., scheme="affine32")`` draws them, so
``datasketch.LeanMinHash(seed=seed, hashvalues=signature, scheme="affine32")`` is our signature and
its ``jaccard`` equals :func:`estimate_jaccard`. With :func:`~cleanse.stages.dedup.shingles.shingle_hash`
as ``hashfunc``, a datasketch ``MinHash`` fed the same shingles has the same hash values.

The work runs in the compiled core when it was built and in numpy otherwise; both give identical
signatures.

>>> from cleanse.stages.dedup.shingles import shingle_batch
>>> signs = signatures(shingle_batch(["春季植树造林活动", "春季植树造林活动", "abc"]))
>>> signs.shape, signs.dtype.name, signs.nbytes // 3
((3, 128), 'uint32', 512)
>>> estimate_jaccard(signs[0], signs[1]), estimate_jaccard(signs[0], signs[2])
(1.0, 0.0)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.shingles import ShingleBatch

EMPTY = np.uint32(0xFFFFFFFF)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_NUMPY_BLOCK = 1 << 15  # shingles per numpy block: 32768 x 128 x 4 bytes = 16 MB


@lru_cache(maxsize=8)
def permutations(num_perm: int = 128, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint32 arrays of datasketch's affine32 scheme for ``num_perm`` and ``seed``."""
    if not 1 <= num_perm <= 1024:
        raise ValueError(f"num_perm must be between 1 and 1024, got {num_perm}")
    if isinstance(seed, int) and 0 <= seed < 1 << 32:
        words = _mt19937_words(seed, 2 * num_perm)
        a = np.array(words[:num_perm], dtype=np.uint32) & np.uint32(0x7FFFFFFF)
        b = np.array(words[num_perm:], dtype=np.uint32)
    else:  # numpy's own seeding (and its error for a seed it does not take)
        generator = np.random.RandomState(seed)
        a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32)
        b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a = a * np.uint32(2) + np.uint32(1)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def _mt19937_words(seed: int, count: int) -> list[int]:
    """The first ``count`` 32-bit outputs of ``np.random.RandomState(seed)`` (MT19937 seeded by
    ``init_genrand``), which its ``randint`` draws of uint32 in ``[0, 2**31)`` (the low 31 bits, no
    rejection: the range is a power of two) and in ``[0, 2**32)`` (the words) are made of. numpy.random
    takes 10 ms to import, a quarter of a small stage run's set-up."""
    state = [seed]
    for position in range(1, 624):
        previous = state[-1]
        state.append((1812433253 * (previous ^ (previous >> 30)) + position) & 0xFFFFFFFF)
    words: list[int] = []
    while len(words) < count:
        for k in range(624):
            y = (state[k] & 0x80000000) | (state[(k + 1) % 624] & 0x7FFFFFFF)
            state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
        for y in state[: count - len(words)]:
            y ^= y >> 11
            y ^= (y << 7) & 0x9D2C5680
            y ^= (y << 15) & 0xEFC60000
            words.append(y ^ (y >> 18))
    return words


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser on a uint32 array (datasketch's pre-mix)."""
    s1, m1, s2, m2, s3 = _FMIX
    with np.errstate(over="ignore"):
        values = values ^ (values >> s1)
        values = values * m1
        values = values ^ (values >> s2)
        values = values * m2
        return values ^ (values >> s3)


def signatures(batch: ShingleBatch, num_perm: int = 128, seed: int = 1, use_native: bool | None = None) -> np.ndarray:
    """One signature row (uint32) per unit of ``batch``; a unit without shingles gets all ``0xFFFFFFFF``.

    ``use_native=None`` uses the compiled core when available; ``False`` forces numpy (tests compare them).
    """
    a, b = permutations(num_perm, seed)
    hashes = np.ascontiguousarray(batch.hashes, dtype=np.uint32)
    offsets = np.ascontiguousarray(batch.offsets, dtype=np.int64)
    out = np.empty((batch.units, num_perm), dtype=np.uint32)
    if use_native is None:
        use_native = native is not None
    if use_native:
        if native is None:
            raise RuntimeError("the compiled MinHash core is not built; reinstall cleanse with a C compiler")
        native.signatures(hashes, offsets, a, b, out)
        return out
    return _numpy_signatures(hashes, offsets, a, b, out)


def _numpy_signatures(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
) -> np.ndarray:
    mixed = fmix32(hashes)
    out[:] = EMPTY
    units = len(offsets) - 1
    first = 0
    while first < units:
        last = int(np.searchsorted(offsets, offsets[first] + _NUMPY_BLOCK, side="right")) - 1
        last = min(max(last, first + 1), units)
        lo, hi = int(offsets[first]), int(offsets[last])
        if hi > lo:
            with np.errstate(over="ignore"):
                permuted = mixed[lo:hi, None] * a[None, :] + b[None, :]
            starts = offsets[first:last] - lo
            filled = np.diff(offsets[first : last + 1]) > 0
            minima = np.minimum.reduceat(permuted, np.minimum(starts, hi - lo - 1), axis=0)
            out[first:last][filled] = minima[filled]
        first = last
    return out


def estimate_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """The fraction of permutations on which two signatures agree (datasketch's ``jaccard``)."""
    if first.shape != second.shape:
        raise ValueError(f"signatures differ in length: {first.shape} and {second.shape}")
    return float(np.count_nonzero(first == second)) / len(first)


def estimate_jaccard_pairs(signs: np.ndarray, left: np.ndarray, right: np.ndarray, block: int = 1 << 14) -> np.ndarray:
    """Estimated Jaccard of many pairs of rows of ``signs`` at once."""
    result = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), block):
        stop = start + block
        equal = signs[left[start:stop]] == signs[right[start:stop]]
        result[start:stop] = equal.mean(axis=1)
    return result


def to_lean_minhash(signature: np.ndarray, seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` holding ``signature`` (for interoperability with datasketch indexes)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(signature, dtype=np.uint32), scheme="affine32")
