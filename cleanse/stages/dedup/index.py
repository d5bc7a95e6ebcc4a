"""The incremental index: check each new crawl against everything seen before, with removal and expiry.

Entries are signatures with a name (a document id, or ``"<doc id>:<paragraph>"``). A query looks up
the unit's band keys, then verifies each candidate by its estimated Jaccard (the fraction of equal
signature values): the index keeps signatures only, not texts or shingle sets, so it stays at about
512 bytes plus its band keys per entry. Entries can be removed by name and expired by age; the index
is saved to disk and loaded again between runs.

>>> from cleanse.stages.dedup.batch import sketch_units
>>> from cleanse.stages.dedup.options import DedupOptions
>>> texts = ["春季植树造林活动综述报告", "春季植樹造林活動綜述報告"]
>>> signs = sketch_units(texts, DedupOptions(), keep_signs=True).signs
>>> index = NearDupIndex(threshold=0.8)
>>> index.add("a", signs[0]).name
'a'
>>> [(m.name, m.similarity) for m in index.query(signs[1])]
[('a', 1.0)]
>>> index.remove("a"); index.query(signs[1])
[]
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cleanse.stages.dedup.edges import EdgeRule, estimated_containment, held_share, signature_covers
from cleanse.stages.dedup.lsh import band_keys, optimal_params
from cleanse.stages.dedup.storage import IndexStorage, MemoryStorage

if TYPE_CHECKING:
    from cleanse.stages.dedup.options import DedupOptions

_BAND_MIX = np.uint64(0xD6E8FEB86659FD93)


class Match(NamedTuple):
    """An indexed entry similar to the query: its name, estimated Jaccard and its cluster's first entry;
    for :meth:`NearDupIndex.query_covers`, also the clause that matched (``"jaccard"`` or
    ``"reprint_containment"``) and its score (the Jaccard, or the share of the query inside the entry);
    for :meth:`NearDupIndex.query_relations`, ``holds`` when the clause is the reverse one (the entry
    covered by the query, the score the share of the entry inside the query); ``held``, the estimated
    share of the entry's shingles the query holds (:func:`cleanse.stages.dedup.edges.held_share`)."""

    name: str
    similarity: float
    cluster: str
    rule: str = "jaccard"
    score: float = 1.0
    holds: bool = False
    held: float = 1.0

    def describe(self, unit: str) -> str:
        """The verdict's evidence: ``"reprint_containment 0.910 of this paragraph in doc-7:3"``, or with
        ``holds``: ``"reprint_containment 0.910 of doc-7 in this document"``."""
        if self.rule == "jaccard":
            return f"{self.rule} {self.score:.3f} of this {unit} with {self.name}"
        if self.holds:
            return f"{self.rule} {self.score:.3f} of {self.name} in this {unit}"
        return f"{self.rule} {self.score:.3f} of this {unit} in {self.name}"


def relation_matches(
    storage: IndexStorage,
    entries: np.ndarray,
    similarity: np.ndarray,
    by_jaccard: np.ndarray,
    score: np.ndarray,
    holds: np.ndarray,
    held: np.ndarray,
) -> list[Match]:
    """One :class:`Match` per related entry, in the order given, as :meth:`NearDupIndex.query_relations`
    returns them (the chunked look-ups build theirs here too): the entry, its estimated Jaccard, its
    cluster, the clause (``by_jaccard``) and its ``score``, whether the clause is the reverse one
    (``holds``) and the ``held`` share."""
    columns = (entries, similarity, by_jaccard, score, holds, held)
    return [
        Match(
            storage.entry_name(entry),
            value,
            storage.entry_name(storage.entry_cluster(entry)),
            "jaccard" if jaccard else "reprint_containment",
            share,
            reverse,
            part,
        )
        for entry, value, jaccard, share, reverse, part in zip(*(column.tolist() for column in columns), strict=True)
    ]


class NearDupIndex:
    """MinHash LSH over signatures with a pluggable storage (see :mod:`cleanse.stages.dedup.storage`)."""

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        recall_weight: float = 0.95,
        storage: IndexStorage | None = None,
        params: tuple[int, int] | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = params or optimal_params(
            threshold, num_perm, round(1 - recall_weight, 9), recall_weight
        )
        self.storage = storage if storage is not None else MemoryStorage(num_perm)
        if self.storage.num_perm != num_perm:
            raise ValueError(f"storage holds {self.storage.num_perm} permutations, the index uses {num_perm}")

    @classmethod
    def for_options(cls, options: DedupOptions, storage: IndexStorage | None = None) -> NearDupIndex:
        """The document or paragraph index a stage with ``options`` uses: bands and rows for the options'
        ``lsh_threshold``, so the candidates of the edge rule's reprint clause are found."""
        weight = options.recall_weight
        params = optimal_params(options.lsh_threshold, options.num_perm, round(1 - weight, 9), weight)
        return cls(options.threshold, options.num_perm, options.recall_weight, storage=storage, params=params)

    def __len__(self) -> int:
        return self.storage.entry_count()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.storage.entry_id(name) is not None

    def keys(self, signature: np.ndarray) -> np.ndarray:
        """Band keys with the band number mixed in (one storage key space for all bands).

        ``signature`` may hold one signature or many (one per row); the result has one row per signature.
        Pass a row as ``keys=`` to :meth:`query` and :meth:`add` to compute keys once per unit.
        """
        keys = band_keys(np.asarray(signature, dtype=np.uint32).reshape(-1, self.num_perm), self.bands, self.rows)
        with np.errstate(over="ignore"):
            return keys ^ (np.arange(self.bands, dtype=np.uint64) * _BAND_MIX)

    def _candidates(self, signature: np.ndarray, keys: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Live entries sharing a band key with ``signature`` and their estimated Jaccard with it."""
        keys = self.keys(signature)[0] if keys is None else keys
        entries = np.unique(self.storage.buckets(keys))
        entries = entries[self.storage.alive(entries)]
        similarity = (self.storage.signatures(entries) == np.asarray(signature)[None, :]).mean(axis=1)
        return entries, similarity

    def query(
        self, signature: np.ndarray, threshold: float | None = None, keys: np.ndarray | None = None
    ) -> list[Match]:
        """Indexed entries with estimated Jaccard >= threshold, most similar first."""
        limit = self.threshold if threshold is None else threshold
        entries, similarity = self._candidates(signature, keys)
        return self._ranked(entries, similarity, limit)

    def query_covers(
        self, signature: np.ndarray, size: int, rule: EdgeRule, keys: np.ndarray | None = None
    ) -> list[Match]:
        """Indexed entries that cover the query (the query is their duplicate), most similar first.

        Directional (:meth:`cleanse.stages.dedup.edges.EdgeRule.covers`): an entry covers the query
        when the query's own content lies in it; an entry that the query merely contains does not.
        Decided by :func:`cleanse.stages.dedup.edges.signature_covers`, the function the Ray engine uses.
        """
        keys = self.keys(signature)[0] if keys is None else keys
        entries = np.unique(self.storage.buckets(keys))
        entries = entries[self.storage.alive(entries)]
        signs = self.storage.signatures(entries)
        query = np.broadcast_to(np.asarray(signature, dtype=np.uint32), signs.shape)
        sizes = self.storage.sizes(entries)
        covered, similarity, by_jaccard, score = signature_covers(
            query, signs, np.full(len(entries), size), sizes, rule
        )
        held = held_share(similarity, size, sizes)
        entries, similarity = entries[covered], similarity[covered]
        by_jaccard, score, held = by_jaccard[covered], score[covered], held[covered]
        order = np.lexsort((entries, -similarity))
        return [
            self._match(int(entries[i]), float(similarity[i]))._replace(
                rule="jaccard" if by_jaccard[i] else "reprint_containment", score=float(score[i]), held=float(held[i])
            )
            for i in order.tolist()
        ]

    def query_relations(
        self, signature: np.ndarray, size: int, rule: EdgeRule, keys: np.ndarray | None = None
    ) -> list[Match]:
        """Indexed entries with an edge to the query in either direction, most similar first (then earliest).

        An entry that covers the query gives a match as :meth:`query_covers` does; one that the query
        covers (the query holds its content, :meth:`cleanse.stages.dedup.edges.EdgeRule.covers` with the
        roles swapped) gives a match with ``holds`` and that clause's rule and score, preferred when both
        hold. Used for the report's reprint groups (:mod:`cleanse.stages.dedup.related`).
        """
        entries, similarity, sizes, columns = self._relations(signature, size, rule, keys)
        holds, by_jaccard, score, held = columns
        return relation_matches(self.storage, entries, similarity, by_jaccard, score, holds, held)

    def related_entries(
        self, signature: np.ndarray, size: int, rule: EdgeRule, keys: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The entries :meth:`query_relations` would return, as arrays: entry ids, estimated Jaccard, sizes."""
        entries, similarity, sizes, _ = self._relations(signature, size, rule, keys)
        return entries, similarity, sizes

    def _relations(
        self, signature: np.ndarray, size: int, rule: EdgeRule, keys: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        keys = self.keys(signature)[0] if keys is None else keys
        entries = np.unique(self.storage.buckets(keys))
        entries = entries[self.storage.alive(entries)]
        signs = self.storage.signatures(entries)
        query = np.broadcast_to(np.asarray(signature, dtype=np.uint32), signs.shape)
        sizes = self.storage.sizes(entries)
        query_sizes = np.full(len(entries), size)
        in_entry, similarity, jaccard_in, score_in = signature_covers(query, signs, query_sizes, sizes, rule)
        holds, _, jaccard_holds, score_holds = signature_covers(signs, query, sizes, query_sizes, rule)
        related = np.flatnonzero(in_entry | holds)
        order = related[np.lexsort((entries[related], -similarity[related]))]
        holds = holds[order]
        by_jaccard = np.where(holds, jaccard_holds[order], jaccard_in[order])
        score = np.where(holds, score_holds[order], score_in[order])
        held = held_share(similarity[order], size, sizes[order])
        return entries[order], similarity[order], sizes[order], (holds, by_jaccard, score, held)

    def best_covers(self, signs: np.ndarray, sizes: np.ndarray, rule: EdgeRule, keys: np.ndarray) -> list[Match | None]:
        """For many queries at once (rows of ``signs``, ``sizes``, ``keys``): the first match
        :meth:`query_covers` would return for each row, or ``None``; one pass over the buckets."""
        count = len(sizes)
        by_key = getattr(self.storage, "buckets_by_key", None)
        if by_key is None or not count:
            found = [self.query_covers(signs[i], int(sizes[i]), rule, keys[i]) for i in range(count)]
            return [matches[0] if matches else None for matches in found]
        bands = keys.shape[1]
        entries, where = by_key(np.ascontiguousarray(keys).ravel())
        if not len(entries):
            return [None] * count
        width = int(entries.max()) + 1
        code = np.unique((where // bands).astype(np.int64) * width + entries)
        owner, entries = code // width, code % width
        live = self.storage.alive(entries)
        owner, entries = owner[live], entries[live]
        covered, similarity, by_jaccard, score = signature_covers(
            np.asarray(signs)[owner],
            self.storage.signatures(entries),
            np.asarray(sizes)[owner],
            self.storage.sizes(entries),
            rule,
        )
        rows = np.flatnonzero(covered)
        rows = rows[np.lexsort((entries[rows], -similarity[rows], owner[rows]))]
        best: list[Match | None] = [None] * count
        for row in rows.tolist():
            query = int(owner[row])
            if best[query] is None:
                rule_name = "jaccard" if by_jaccard[row] else "reprint_containment"
                best[query] = self._match(int(entries[row]), float(similarity[row]))._replace(
                    rule=rule_name, score=float(score[row])
                )
        return best

    def query_containment(
        self, signature: np.ndarray, size: int, threshold: float, keys: np.ndarray | None = None
    ) -> list[Match]:
        """Entries where the smaller of the two units lies at least ``threshold`` inside the larger.

        Containment is estimated from the Jaccard estimate ``j`` and the shingle counts ``q``, ``x``:
        ``|Q & X| = j (q + x) / (1 + j)``, divided by ``min(q, x)`` (as datasketch's LSH Ensemble does
        with set sizes). The index's own threshold should be set low enough to produce candidates.
        """
        entries, similarity = self._candidates(signature, keys)
        sizes = self.storage.sizes(entries).astype(np.float64)
        common = similarity * (size + sizes) / (1.0 + similarity)
        contained = np.where(np.minimum(sizes, size) > 0, common / np.maximum(np.minimum(sizes, size), 1), 0.0)
        return self._ranked(entries, np.minimum(contained, 1.0), threshold)

    def query_containment_many(
        self, signs: np.ndarray, sizes: np.ndarray, threshold: float, keys: np.ndarray
    ) -> list[list[Match]]:
        """:meth:`query_containment` for many queries (rows of ``signs``, ``sizes``, ``keys``) against the index
        as it is now, in one look-up of all their keys; the same matches in the same order."""
        count = len(sizes)
        by_key = getattr(self.storage, "buckets_by_key", None)
        if by_key is None or not count:
            return [self.query_containment(signs[i], int(sizes[i]), threshold, keys[i]) for i in range(count)]
        bands = keys.shape[1]
        entries, where = by_key(np.ascontiguousarray(keys).ravel())
        found: list[list[Match]] = [[] for _ in range(count)]
        if not len(entries):
            return found
        width = int(entries.max()) + 1
        code = np.unique((where // bands).astype(np.int64) * width + entries)
        owner, entries = code // width, code % width
        live = self.storage.alive(entries)
        owner, entries = owner[live], entries[live]
        similarity = (self.storage.signatures(entries) == np.asarray(signs)[owner]).mean(axis=1)
        entry_sizes = self.storage.sizes(entries).astype(np.float64)
        contained = estimated_containment(similarity, np.asarray(sizes)[owner], entry_sizes)
        keep = np.flatnonzero(contained >= threshold)
        for row in keep[np.lexsort((entries[keep], -contained[keep], owner[keep]))].tolist():
            found[int(owner[row])].append(self._match(int(entries[row]), float(contained[row])))
        return found

    def _ranked(self, entries: np.ndarray, similarity: np.ndarray, limit: float) -> list[Match]:
        keep = np.flatnonzero(similarity >= limit)
        order = keep[np.lexsort((entries[keep], -similarity[keep]))]
        return [self._match(int(entries[i]), float(similarity[i])) for i in order.tolist()]

    def _match(self, entry: int, similarity: float) -> Match:
        cluster = self.storage.entry_cluster(entry)
        return Match(self.storage.entry_name(entry), similarity, self.storage.entry_name(cluster))

    def add(
        self,
        name: str,
        signature: np.ndarray,
        added: float | None = None,
        cluster: str | None = None,
        size: int = 0,
        keys: np.ndarray | None = None,
    ) -> Match:
        """Insert an entry; ``cluster`` names the entry whose cluster it joins (itself when None).

        ``size`` (the unit's shingle count) is needed only for :meth:`query_containment`.
        """
        return self._match(self.insert(name, signature, added, cluster, size, keys), 1.0)

    def insert(
        self,
        name: str,
        signature: np.ndarray,
        added: float | None = None,
        cluster: str | None = None,
        size: int = 0,
        keys: np.ndarray | None = None,
    ) -> int:
        """:meth:`add`, returning the new entry's id rather than a match (the stage adds thousands of units
        per chunk and never looks at that match)."""
        cluster_id = -1 if cluster is None else self.storage.entry_id(cluster)
        entry = self.storage.add_entry(
            name, signature, time.time() if added is None else added, -1 if cluster_id is None else cluster_id, size
        )
        self.storage.add_to_buckets(self.keys(signature)[0] if keys is None else keys, entry)
        return entry

    def remove(self, name: str) -> None:
        """Remove the entry called ``name``; ``KeyError`` if there is none."""
        entry = self.storage.entry_id(name)
        if entry is None:
            raise KeyError(f"no entry named {name!r} in the index")
        self.storage.remove_entry(entry)

    def expire(self, older_than: float) -> int:
        """Remove every entry added before ``older_than`` (seconds since the epoch); return how many."""
        added = self.storage.added()
        stale = np.flatnonzero(added < older_than)
        stale = stale[self.storage.alive(stale)]
        for entry in stale.tolist():
            self.storage.remove_entry(entry)
        return len(stale)

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (an ``.npz`` file with its parameters, signatures and names)."""
        if not isinstance(self.storage, MemoryStorage):
            raise TypeError(f"{type(self.storage).__name__} persists itself; save() is for the memory storage")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        params = np.array([self.threshold, self.num_perm, self.bands, self.rows], dtype=np.float64)
        self.storage.save(path, params=params)

    @classmethod
    def load(cls, path: str | Path) -> NearDupIndex:
        """Read an index written by :meth:`save`; buckets are rebuilt from the signatures."""
        path = Path(path)
        try:
            storage, extra = MemoryStorage.load_with(path)
            threshold, num_perm, bands, rows = extra["params"].tolist()
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ValueError(f"cannot load a dedup index from {path}: {exc}") from None
        index = cls(threshold, int(num_perm), storage=storage, params=(int(bands), int(rows)))
        count = len(storage.added())
        if count:
            keys = np.concatenate(
                [index.keys(storage.signatures(np.arange(i, min(i + 65536, count)))) for i in range(0, count, 65536)]
            )
            storage.add_many_to_buckets(keys, np.arange(count))
        return index
