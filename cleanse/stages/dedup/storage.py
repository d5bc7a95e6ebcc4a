"""Storage for the incremental index: a small protocol and the in-memory backend.

The index keeps two things: entries (a name, a signature, when it was added, the cluster it joined)
and buckets (band key -> entry ids). :class:`IndexStorage` is the protocol a backend implements
(datasketch's ``storage.py`` is the model: a few plain methods, chosen by ``config["type"]``);
:class:`MemoryStorage` holds signatures in one growing uint32 array (128 permutations in 512 bytes,
no Python object per signature) and buckets in sorted numpy arrays plus a small dict of recent
inserts, merged in batches. A Redis backend only has to implement the same methods.

>>> store = storage_from_config({"type": "memory", "num_perm": 4})
>>> entry = store.add_entry("doc-1", np.arange(4, dtype=np.uint32), added=10.0, cluster=-1)
>>> store.add_to_buckets(np.array([7, 9], dtype=np.uint64), entry)
>>> store.bucket(9), store.entry_name(entry), store.entry_count()
([0], 'doc-1', 1)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

_MERGE_AT = 50_000
_FRESH_AT = 4_096  # fresh keys sorted into the recent tier at once


class IndexStorage(ABC):
    """What the incremental index needs from a backend; entry ids are dense integers from 0."""

    num_perm: int

    @abstractmethod
    def add_entry(self, name: str, signature: np.ndarray, added: float, cluster: int, size: int = 0) -> int:
        """Store an entry and return its id (``cluster``: id of its cluster's first entry, -1 for itself).

        ``size`` is the number of shingles of the unit, which containment estimates need.
        """

    @abstractmethod
    def signatures(self, entries: np.ndarray) -> np.ndarray:
        """The signatures of the given entry ids, one row each."""

    @abstractmethod
    def sizes(self, entries: np.ndarray) -> np.ndarray:
        """The shingle counts of the given entry ids."""

    @abstractmethod
    def entry_name(self, entry: int) -> str: ...

    @abstractmethod
    def entry_cluster(self, entry: int) -> int: ...

    @abstractmethod
    def entry_id(self, name: str) -> int | None: ...

    @abstractmethod
    def alive(self, entries: np.ndarray) -> np.ndarray:
        """A boolean per entry id: False once removed or expired."""

    @abstractmethod
    def remove_entry(self, entry: int) -> None: ...

    @abstractmethod
    def added(self) -> np.ndarray:
        """When each entry id was added (seconds since the epoch; removed entries included)."""

    @abstractmethod
    def entry_count(self) -> int:
        """Live entries."""

    @abstractmethod
    def add_to_buckets(self, keys: np.ndarray, entry: int) -> None:
        """Put ``entry`` in the bucket of every band key in ``keys`` (band already mixed into each key)."""

    def add_many_to_buckets(self, keys: np.ndarray, entries: np.ndarray) -> None:
        """Bulk form of :meth:`add_to_buckets`: row ``i`` of ``keys`` for ``entries[i]`` (used after loading)."""
        for row, entry in zip(keys, entries.tolist(), strict=True):
            self.add_to_buckets(row, entry)

    @abstractmethod
    def bucket(self, key: int) -> list[int]:
        """Entry ids (live or not) filed under ``key``."""

    def buckets(self, keys: np.ndarray) -> np.ndarray:
        """Entry ids filed under any of ``keys`` (repeats possible); backends may do this in one round trip."""
        return np.fromiter((e for key in keys.tolist() for e in self.bucket(key)), dtype=np.int64)


class MemoryStorage(IndexStorage):
    """In-process storage; :meth:`save` and :meth:`load` write one compact ``.npz`` file."""

    def __init__(self, num_perm: int = 128) -> None:
        self.num_perm = num_perm
        self._signs = np.zeros((0, num_perm), dtype=np.uint32)
        self._added = np.zeros(0, dtype=np.float64)
        self._clusters = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._sizes = np.zeros(0, dtype=np.int32)
        self._count = 0
        self._names: list[str] = []
        self._ids: dict[str, int] = {}
        self._sorted_keys = np.zeros(0, dtype=np.uint64)
        self._sorted_entries = np.zeros(0, dtype=np.int64)
        # buckets: sorted (key, entry) arrays in three tiers, newest last: main, recent, and the fresh
        # inserts since the last settle (sorted on demand: the inserts since the last look-up are sorted and
        # merged into the ones before); a look-up searches all three
        self._recent_keys = np.zeros(0, dtype=np.uint64)
        self._recent_entries = np.zeros(0, dtype=np.int64)
        self._fresh: list[tuple[np.ndarray, int]] = []  # inserts not yet in _fresh_sorted
        self._fresh_sorted = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
        self._fresh_size = 0

    def _grow(self) -> None:
        capacity = max(1024, 2 * len(self._added))
        self._signs = np.resize(self._signs, (capacity, self.num_perm))
        self._added = np.resize(self._added, capacity)
        self._clusters = np.resize(self._clusters, capacity)
        self._alive = np.resize(self._alive, capacity)
        self._sizes = np.resize(self._sizes, capacity)

    def add_entry(self, name: str, signature: np.ndarray, added: float, cluster: int, size: int = 0) -> int:
        if name in self._ids and self._alive[self._ids[name]]:
            raise ValueError(f"the index already holds an entry named {name!r}; remove it first")
        if self._count == len(self._added):
            self._grow()
        entry = self._count
        self._signs[entry] = signature
        self._added[entry] = added
        self._clusters[entry] = entry if cluster < 0 else cluster
        self._alive[entry] = True
        self._sizes[entry] = size
        self._names.append(name)
        self._ids[name] = entry
        self._count += 1
        return entry

    def signatures(self, entries: np.ndarray) -> np.ndarray:
        return self._signs[entries]

    def sizes(self, entries: np.ndarray) -> np.ndarray:
        return self._sizes[entries]

    def entry_name(self, entry: int) -> str:
        return self._names[entry]

    def entry_cluster(self, entry: int) -> int:
        return int(self._clusters[entry])

    def entry_id(self, name: str) -> int | None:
        entry = self._ids.get(name)
        return entry if entry is not None and self._alive[entry] else None

    def alive(self, entries: np.ndarray) -> np.ndarray:
        return self._alive[entries]

    def alive_flags(self) -> np.ndarray:
        """Whether each entry id is alive, indexable one entry at a time (a view, valid until the next add)."""
        return self._alive

    def remove_entry(self, entry: int) -> None:
        self._alive[entry] = False
        self._ids.pop(self._names[entry], None)

    def added(self) -> np.ndarray:
        return self._added[: self._count]

    def entry_count(self) -> int:
        return int(self._alive[: self._count].sum())

    def add_to_buckets(self, keys: np.ndarray, entry: int) -> None:
        keys = np.array(keys, dtype=np.uint64).ravel()
        self._fresh.append((keys, entry))
        self._fresh_size += len(keys)
        if self._fresh_size >= _FRESH_AT:
            self._settle()

    def _fresh_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The keys added since the last :meth:`_settle`, sorted (ties in the order added), and their entries."""
        if self._fresh:
            keys = np.concatenate([row for row, _ in self._fresh])
            entries = np.repeat(
                np.array([entry for _, entry in self._fresh], dtype=np.int64), [len(row) for row, _ in self._fresh]
            )
            order = np.argsort(keys, kind="stable")
            self._fresh_sorted = _merged(*self._fresh_sorted, keys[order], entries[order])
            self._fresh = []
        return self._fresh_sorted

    def _settle(self) -> None:
        """Move the fresh keys into the recent sorted arrays, and those into the main ones once they hold
        an eighth as many (each key is copied a bounded number of times on average: no re-sort of all)."""
        keys, entries = self._fresh_arrays()
        self._recent_keys, self._recent_entries = _merged(self._recent_keys, self._recent_entries, keys, entries)
        self._fresh_sorted = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
        self._fresh_size = 0
        if len(self._recent_keys) >= max(_MERGE_AT, len(self._sorted_keys) // 8):
            self._merge()

    def add_many_to_buckets(self, keys: np.ndarray, entries: np.ndarray) -> None:
        self._merge()
        all_keys = np.concatenate((self._sorted_keys, keys.ravel()))
        all_entries = np.concatenate((self._sorted_entries, np.repeat(entries.astype(np.int64), keys.shape[1])))
        order = np.lexsort((all_entries, all_keys))
        self._sorted_keys, self._sorted_entries = all_keys[order], all_entries[order]

    def _merge(self) -> None:
        if self._fresh_size:
            self._settle()
        if not len(self._recent_keys):
            return
        self._sorted_keys, self._sorted_entries = _merged(
            self._sorted_keys, self._sorted_entries, self._recent_keys, self._recent_entries
        )
        self._recent_keys = np.zeros(0, dtype=np.uint64)
        self._recent_entries = np.zeros(0, dtype=np.int64)

    def bucket(self, key: int) -> list[int]:
        found, _ = self.buckets_by_key(np.array([key], dtype=np.uint64))
        return list(found.tolist())

    def buckets_by_key(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entries filed under ``keys`` and, for each, the position in ``keys`` of the key it was found under."""
        keys = np.asarray(keys, dtype=np.uint64)
        order = np.argsort(keys) if len(keys) > _SORT_NEEDLES else None
        found, owners = _look_up(self._sorted_keys, self._sorted_entries, keys, order)
        parts = [(found, owners)]
        if len(self._recent_keys):
            parts.append(_look_up(self._recent_keys, self._recent_entries, keys, order))
        if self._fresh_size:
            parts.append(_look_up(*self._fresh_arrays(), keys, order))
        if len(parts) == 1:
            return found, owners
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def buckets(self, keys: np.ndarray) -> np.ndarray:
        return self.buckets_by_key(keys)[0]

    def save(self, path: str | Path, **extra: np.ndarray) -> None:
        """Write live entries (signatures, times, clusters, names) to ``path`` (.npz); buckets are rebuilt on load."""
        live = np.flatnonzero(self._alive[: self._count])
        renumber = np.full(self._count, -1, dtype=np.int64)
        renumber[live] = np.arange(len(live))
        clusters = renumber[self._clusters[live]]
        clusters = np.where(clusters < 0, np.arange(len(live)), clusters)
        arrays: dict[str, Any] = {
            "signatures": self._signs[live],
            "added": self._added[live],
            "clusters": clusters,
            "sizes": self._sizes[live],
            "names": np.array([self._names[i] for i in live.tolist()], dtype=str),
            **extra,
        }
        with Path(path).open("wb") as handle:
            np.savez_compressed(handle, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> MemoryStorage:
        return cls.load_with(path)[0]

    @classmethod
    def load_with(cls, path: str | Path) -> tuple[MemoryStorage, dict[str, np.ndarray]]:
        """The storage saved at ``path`` and the extra arrays saved with it."""
        with np.load(Path(path), allow_pickle=False) as data:
            extra = {k: data[k] for k in data.files if k not in ("signatures", "added", "clusters", "names", "sizes")}
            signs = data["signatures"]
            store = cls(signs.shape[1])
            store._signs = signs.astype(np.uint32)
            store._added = data["added"].astype(np.float64)
            store._clusters = data["clusters"].astype(np.int64)
            store._sizes = data["sizes"].astype(np.int32)
            store._names = [str(n) for n in data["names"].tolist()]
        store._count = len(store._names)
        store._alive = np.ones(store._count, dtype=bool)
        store._ids = {name: i for i, name in enumerate(store._names)}
        return store, extra


_SORT_NEEDLES = 64  # look-ups of more keys than this search them in sorted order


def _look_up(
    sorted_keys: np.ndarray,
    entries: np.ndarray,
    keys: np.ndarray,
    order: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Entries under each of ``keys`` in one sorted tier, and the position in ``keys`` each was found for.
    ``order``: an argsort of ``keys``; the search then walks the tier forwards (several times faster than
    in random order on many keys), with the same answer."""
    if order is not None and len(sorted_keys):
        ordered = keys[order]
        lo, hi = np.empty(len(keys), dtype=np.intp), np.empty(len(keys), dtype=np.intp)
        lo[order] = np.searchsorted(sorted_keys, ordered, side="left")
        hi[order] = np.searchsorted(sorted_keys, ordered, side="right")
    else:
        lo = np.searchsorted(sorted_keys, keys, side="left")
        hi = np.searchsorted(sorted_keys, keys, side="right")
    sizes = hi - lo
    positions = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return entries[positions], np.repeat(np.arange(len(keys)), sizes)


def _merged(
    keys: np.ndarray, entries: np.ndarray, new_keys: np.ndarray, new_entries: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two tiers sorted by key as one, the newer (``new_*``, later entry ids) after equal keys of the older."""
    if not len(new_keys):
        return keys, entries
    at = np.searchsorted(keys, new_keys, side="right")
    return np.insert(keys, at, new_keys), np.insert(entries, at, new_entries)


def storage_from_config(config: Mapping[str, Any] | None = None) -> IndexStorage:
    """A storage backend from ``{"type": "memory", ...}`` (datasketch's ``ordered_storage`` pattern)."""
    config = dict(config or {"type": "memory"})
    kind = config.pop("type", "memory")
    if kind == "memory":
        return MemoryStorage(**config)
    raise ValueError(f"unknown index storage type {kind!r}; available: 'memory'")
