"""Look-ups for a chunk of the stream at once: what the streaming stage's index queries would return.

The stage checks documents in stream order, each against the units kept before it. Asking the index one
unit at a time costs a handful of numpy calls per unit, whatever its size. For a chunk of documents
(:data:`CHUNK_DOCUMENTS`) the stage instead finds every candidate in one pass: the entries of the index
as it was when the chunk began sharing a band key with a unit of the chunk (one sorted look-up), and
the pairs of units of the chunk sharing a band key, the later one the query. The pair measures (the edge
rule both ways, estimated Jaccard, held share) are computed for all pairs in one vectorised call.

While the stage resolves the chunk's verdicts in stream order, a query keeps the candidates that are
live entries *now*: an entry of the index that was not removed, or a unit of the chunk that was added
to the index before the query (:meth:`ChunkCandidates.added` records its entry id). Ties are broken by
entry id as the index does, so every answer is the one the index would give to the same query at that
point of the stream, and the verdicts are identical to checking one document at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleanse.stages.dedup.edges import EdgeRule, estimated_containment, held_share, similarity_covers
from cleanse.stages.dedup.grouping import unique_pairs
from cleanse.stages.dedup.index import Match, NearDupIndex, relation_matches

CHUNK_DOCUMENTS = 512  # documents checked together (bounded by CHUNK_CHARS too)
CHUNK_CHARS = 4_000_000
MAX_ROWS = 1_000_000  # candidate rows of one chunk and index, at most (about 130 bytes each)
BLOCK_ROWS = 65_536  # rows whose signatures are compared at once (2 x 32 MB)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d integer array (its sorted distinct values), without its masked-array check
    (which imports ``numpy.ma``, a one-off 20 ms, on first use)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _group_pairs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions ``(i, j)``, ``i < j`` in sorted order, of equal values (repeats across
    values possible): positions in ``np.argsort(values)`` order, paired with each later member of the group."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, len(values)))
    after = np.repeat(starts + sizes, sizes) - np.arange(len(values)) - 1
    total = int(after.sum())
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    first = np.repeat(np.arange(len(values)), after)
    step = np.arange(total) - np.repeat(np.cumsum(after) - after, after) + 1
    return order[first], order[first + step]


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-d array (in lexicographic order) and the distinct row of each row: what
    ``np.unique(keys, axis=0, return_inverse=True)`` gives, by one lexsort (its structured-array path costs
    about a millisecond even for a handful of rows, and a streaming chunk calls it several times)."""
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    starts = np.concatenate(([True], (ordered[1:] != ordered[:-1]).any(axis=1)))
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def shared_key_pairs(keys: np.ndarray, limit: int | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """Every pair of rows ``(left, right)``, ``left < right``, sharing a key in any column, without repeats.

    Rows with identical keys (exact copies, common in a crawl) are grouped first, so the pairs of groups
    are found once per shared band rather than once per copy and band, then expanded to their members.
    None when there would be more than ``limit`` pairs.
    """
    count = len(keys)
    empty = np.zeros(0, dtype=np.int64)
    if count < 2 or keys.ndim != 2 or not keys.shape[1]:
        return empty, empty
    bands = keys.shape[1]
    rows, inverse = _unique_rows(keys)
    members = np.argsort(inverse, kind="stable")
    group_size = np.bincount(inverse, minlength=len(rows))
    group_start = np.cumsum(group_size) - group_size
    if limit is not None and int((group_size * (group_size - 1) // 2).sum()) > limit:
        return None
    lefts, rights = [], []
    a, b = _group_pairs(inverse)  # copies of one row: inverse positions are units
    lefts.append(a)
    rights.append(b)
    first, second = _group_pairs(np.ascontiguousarray(rows).ravel())
    first, second = first // bands, second // bands
    distinct = first != second
    if distinct.any():
        ga, gb = unique_pairs(np.minimum(first, second)[distinct], np.maximum(first, second)[distinct])
        counts = group_size[ga] * group_size[gb]
        if limit is not None and int(counts.sum()) + len(a) > limit:
            return None
        pair_of = np.repeat(np.arange(len(ga)), counts)
        k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        width = group_size[gb][pair_of]
        lefts.append(members[group_start[ga][pair_of] + k // width])
        rights.append(members[group_start[gb][pair_of] + k % width])
    left, right = np.concatenate(lefts), np.concatenate(rights)
    low, high = np.minimum(left, right), np.maximum(left, right)
    keep = low != high
    return unique_pairs(low[keep], high[keep])


def supports_chunks(index: NearDupIndex) -> bool:
    """Whether the index's storage answers a look-up of many keys at once (the memory storage does)."""
    return callable(getattr(index.storage, "buckets_by_key", None))


@dataclass
class ChunkCandidates:
    """Candidate rows of the queries of one index, grouped by query (rows ``offsets[q]:offsets[q + 1]``).

    A row is an entry of the index as the chunk began (``entry`` >= 0) or an earlier unit of the chunk
    (``other`` >= 0), with the measures of the pair; ``entry_of`` maps units of the chunk to the entry
    id they got when added (-1 until then). Queries name units of the chunk; ``units`` lists those with
    rows, ``row_of`` maps a unit to its row (-1: none).
    """

    index: NearDupIndex
    offsets: np.ndarray
    entry: np.ndarray
    other: np.ndarray
    similarity: np.ndarray
    sizes: np.ndarray
    columns: dict[str, np.ndarray]
    entry_of: np.ndarray
    units: np.ndarray
    row_of: np.ndarray

    @classmethod
    def build(
        cls,
        index: NearDupIndex,
        signs: np.ndarray,
        sizes: np.ndarray,
        keys: np.ndarray,
        rule: EdgeRule | None = None,
        reverse: bool = False,
        units: np.ndarray | None = None,
    ) -> ChunkCandidates | None:
        """Rows for the units of the chunk (rows of ``signs``, ``sizes``, ``keys``, in stream order) that can
        be queried or added (``units``, default all; the others are never looked at). ``rule``: compute
        whether each entry covers the query (and, with ``reverse``, whether the query covers the entry).
        None when the chunk would have more than :data:`MAX_ROWS` rows (thousands of copies of one unit in
        one chunk): the caller then asks the index one unit at a time, with the same answers."""
        total = len(sizes)
        units = np.arange(total) if units is None else np.asarray(units, dtype=np.int64)
        row_of = np.full(total + 1, -1, dtype=np.int64)
        row_of[units] = np.arange(len(units))
        signs, sizes, keys = signs[units], np.asarray(sizes)[units], keys[units]
        count = len(units)
        bands = keys.shape[1] if keys.ndim == 2 else 0
        pre_query = np.zeros(0, dtype=np.int64)
        pre_entry = np.zeros(0, dtype=np.int64)
        if count and bands:
            found, where = index.storage.buckets_by_key(np.ascontiguousarray(keys).ravel())  # type: ignore[attr-defined]
            if len(found):
                width = int(found.max()) + 1
                code = _sorted_unique((where // bands).astype(np.int64) * width + found.astype(np.int64))
                pre_query, pre_entry = code // width, code % width
        if len(pre_query) > MAX_ROWS:
            return None
        pairs = shared_key_pairs(keys, MAX_ROWS - len(pre_query))
        if pairs is None:
            return None
        left, right = pairs
        query = np.concatenate((pre_query, right))
        entry = np.concatenate((pre_entry, np.full(len(right), -1, dtype=np.int64)))
        other = np.concatenate((np.full(len(pre_query), -1, dtype=np.int64), left))
        order = np.argsort(query, kind="stable")
        query, entry, other = query[order], entry[order], other[order]
        pre = entry >= 0
        entry_sizes = np.empty(len(query), dtype=np.int64)
        entry_sizes[pre] = index.storage.sizes(entry[pre])
        entry_sizes[~pre] = sizes[other[~pre]]
        query_sizes = np.asarray(sizes)[query]
        similarity = np.empty(len(query), dtype=np.float64)
        signs = np.asarray(signs, dtype=np.uint32)
        for start in range(0, len(query), BLOCK_ROWS):  # signatures gathered a block at a time (memory)
            rows = slice(start, start + BLOCK_ROWS)
            block_pre = pre[rows]
            entry_signs = np.empty((len(block_pre), signs.shape[1]), dtype=np.uint32)
            entry_signs[block_pre] = index.storage.signatures(entry[rows][block_pre])
            entry_signs[~block_pre] = signs[other[rows][~block_pre]]
            similarity[rows] = (signs[query[rows]] == entry_signs).mean(axis=1)
        columns: dict[str, np.ndarray] = {}
        if rule is not None:
            covered, by_jaccard, score = similarity_covers(similarity, query_sizes, entry_sizes, rule)
            columns.update(covered=covered, by_jaccard=by_jaccard, score=score)
            columns["held"] = held_share(similarity, query_sizes, entry_sizes)
            if reverse:
                holds, jaccard_holds, score_holds = similarity_covers(similarity, entry_sizes, query_sizes, rule)
                columns.update(holds=holds, jaccard_holds=jaccard_holds, score_holds=score_holds)
        offsets = np.searchsorted(query, np.arange(count + 1)).astype(np.int64)
        entry_of = np.full(count, -1, dtype=np.int64)
        return cls(index, offsets, entry, other, similarity, entry_sizes, columns, entry_of, units, row_of)

    def added(self, unit: int, name: str, entry: int | None = None) -> None:
        """Unit ``unit`` of the chunk was added to the index as ``name`` (entry id ``entry``, when known)."""
        row = int(self.row_of[unit])
        if row < 0:
            raise ValueError(f"unit {unit} of the chunk was not expected in the index")
        if entry is None:
            entry = self.index.storage.entry_id(name)
        self.entry_of[row] = -1 if entry is None else entry

    def _rows(self, unit: int) -> tuple[int, int]:
        row = int(self.row_of[unit])
        return (0, 0) if row < 0 else (int(self.offsets[row]), int(self.offsets[row + 1]))

    def _live(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows ``lo:hi`` that are live entries now, and their entry ids."""
        entries = self.entry[lo:hi].copy()
        inside = self.other[lo:hi] >= 0
        if inside.any():
            entries[inside] = self.entry_of[self.other[lo:hi][inside]]
        live = entries >= 0
        live[live] = self.index.storage.alive(entries[live])
        rows = np.flatnonzero(live) + lo
        return rows, entries[rows - lo]

    def _match(self, entry: int, similarity: float) -> Match:
        storage = self.index.storage
        return Match(storage.entry_name(entry), similarity, storage.entry_name(storage.entry_cluster(entry)))

    def _related(self, query: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self._rows(query)
        if lo == hi:
            return self.entry[:0], self.entry[:0]
        rows, entries = self._live(lo, hi)
        chosen = self.columns["covered"][rows] | self.columns["holds"][rows]
        rows, entries = rows[chosen], entries[chosen]
        order = np.lexsort((entries, -self.similarity[rows]))
        return rows[order], entries[order]

    def cover_and_relations(self, query: int) -> tuple[Match | None, list[Match]]:
        """The first match :meth:`NearDupIndex.query_covers` would return for ``query`` (or None) and
        :meth:`relations`: the first cover is the first related row whose entry covers the query."""
        rows, entries = self._related(query)
        if not len(rows):
            return None, []
        covered = np.flatnonzero(self.columns["covered"][rows])
        best = None
        if len(covered):
            first, row = int(covered[0]), int(rows[covered[0]])
            rule = "jaccard" if self.columns["by_jaccard"][row] else "reprint_containment"
            best = self._match(int(entries[first]), float(self.similarity[row]))._replace(
                rule=rule, score=float(self.columns["score"][row]), held=float(self.columns["held"][row])
            )
        return best, self._relation_matches(rows, entries)

    def relations(self, query: int) -> list[Match]:
        """What :meth:`NearDupIndex.query_relations` would return for ``query``."""
        rows, entries = self._related(query)
        if not len(rows):
            return []
        return self._relation_matches(rows, entries)

    def _relation_matches(self, rows: np.ndarray, entries: np.ndarray) -> list[Match]:
        columns = self.columns
        holds = columns["holds"][rows]
        by_jaccard = np.where(holds, columns["jaccard_holds"][rows], columns["by_jaccard"][rows])
        score = np.where(holds, columns["score_holds"][rows], columns["score"][rows])
        return relation_matches(
            self.index.storage, entries, self.similarity[rows], by_jaccard, score, holds, columns["held"][rows]
        )

    def related_entries(self, query: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What :meth:`NearDupIndex.related_entries` would return for ``query``."""
        rows, entries = self._related(query)
        return entries, self.similarity[rows], self.sizes[rows]

    def best_covers(self, first: int, last: int) -> list[Match | None]:
        """What :meth:`NearDupIndex.best_covers` would return for queries ``first`` to ``last - 1``."""
        best: list[Match | None] = [None] * (last - first)
        rows_of = self.row_of[first:last]
        rows_of = rows_of[rows_of >= 0]
        if not len(rows_of):
            return best
        lo, hi = int(self.offsets[rows_of[0]]), int(self.offsets[rows_of[-1] + 1])
        if lo == hi:
            return best
        rows, entries = self._live(lo, hi)
        chosen = self.columns["covered"][rows]
        rows, entries = rows[chosen], entries[chosen]
        if not len(rows):
            return best
        owners = np.searchsorted(self.offsets, rows, side="right") - 1
        order = np.lexsort((entries, -self.similarity[rows], owners))
        owners, rows, entries = owners[order], rows[order], entries[order]
        leading = np.concatenate(([True], owners[1:] != owners[:-1]))  # each query's best candidate
        owners, rows, entries = owners[leading], rows[leading], entries[leading]
        columns = (
            self.units[owners] - first,
            entries,
            self.similarity[rows],
            self.columns["by_jaccard"][rows],
            self.columns["score"][rows],
        )
        for slot, entry, similarity, by_jaccard, score in zip(*(column.tolist() for column in columns), strict=True):
            rule = "jaccard" if by_jaccard else "reprint_containment"
            best[slot] = self._match(entry, similarity)._replace(rule=rule, score=score)
        return best

    def containment(self, query: int, size: int, threshold: float) -> list[Match]:
        """What :meth:`NearDupIndex.query_containment` would return for ``query`` of ``size`` shingles."""
        lo, hi = self._rows(query)
        if lo == hi:
            return []
        rows, entries = self._live(lo, hi)
        if not len(rows):
            return []
        contained = estimated_containment(self.similarity[rows], size, self.sizes[rows].astype(np.float64))
        keep = np.flatnonzero(contained >= threshold)
        order = keep[np.lexsort((entries[keep], -contained[keep]))]
        return [self._match(int(entries[i]), float(contained[i])) for i in order.tolist()]

    def containment_many(self, units: np.ndarray, sizes: np.ndarray, threshold: float) -> list[list[Match]]:
        """:meth:`containment` for the queries ``units`` (increasing, none added between them) of ``sizes``
        shingles, in one pass over their rows: the same matches in the same order."""
        found: list[list[Match]] = [[] for _ in range(len(units))]
        rows_of = self.row_of[units]
        with_rows = rows_of >= 0
        if not with_rows.any():
            return found
        first_row, last_row = int(rows_of[with_rows][0]), int(rows_of[with_rows][-1])
        lo, hi = int(self.offsets[first_row]), int(self.offsets[last_row + 1])
        if lo == hi:
            return found
        rows, entries = self._live(lo, hi)
        if not len(rows):
            return found
        slot_of = np.full(last_row - first_row + 1, -1, dtype=np.int64)
        slot_of[rows_of[with_rows] - first_row] = np.flatnonzero(with_rows)
        owners = slot_of[np.searchsorted(self.offsets, rows, side="right") - 1 - first_row]
        asked = owners >= 0
        rows, entries, owners = rows[asked], entries[asked], owners[asked]
        return self._contained(found, rows, entries, owners, np.asarray(sizes, dtype=np.int64)[owners], threshold)

    def containment_by_group(self, groups: np.ndarray, sizes: np.ndarray, threshold: float) -> list[list[Match]]:
        """:meth:`containment` for every unit of :attr:`units` (listed by row), as asked group after group
        when each group's units are added to the index right after its own queries, answered in one pass
        once all of them were added (:meth:`added`). ``groups``: the group of each unit of the chunk
        (non-decreasing), ``sizes`` its shingles. An entry of the index is live as it is now (nothing was
        removed meanwhile); a unit of the chunk, when it belongs to an earlier group."""
        count = len(self.units)
        found: list[list[Match]] = [[] for _ in range(count)]
        if not len(self.entry):
            return found
        query = np.repeat(np.arange(count), np.diff(self.offsets))
        group = np.asarray(groups)[self.units]
        entries = self.entry.copy()
        inside = np.flatnonzero(self.other >= 0)
        other = self.other[inside]
        entries[inside] = np.where(group[other] < group[query[inside]], self.entry_of[other], -1)
        live = entries >= 0
        live[live] = self.index.storage.alive(entries[live])
        rows = np.flatnonzero(live)
        owners = query[rows]
        size = np.asarray(sizes, dtype=np.int64)[self.units][owners]
        return self._contained(found, rows, entries[rows], owners, size, threshold)

    def _contained(
        self,
        found: list[list[Match]],
        rows: np.ndarray,
        entries: np.ndarray,
        owners: np.ndarray,
        size: np.ndarray,
        threshold: float,
    ) -> list[list[Match]]:
        """Append to ``found[owner]`` the live candidate ``rows`` (entry ids ``entries``, of queries ``owners``
        of ``size`` shingles) at least ``threshold`` contained, most contained first (then earliest)."""
        contained = estimated_containment(self.similarity[rows], size, self.sizes[rows].astype(np.float64))
        keep = np.flatnonzero(contained >= threshold)
        order = keep[np.lexsort((entries[keep], -contained[keep], owners[keep]))]
        matches = zip(owners[order].tolist(), entries[order].tolist(), contained[order].tolist(), strict=True)
        for slot, entry, value in matches:
            found[slot].append(self._match(entry, value))
        return found


class DirectQueries:
    """The same questions as :class:`ChunkCandidates`, asked of the index one unit at a time (for storages
    without a many-key look-up, such as a shared Redis index that other processes add to)."""

    def __init__(
        self, index: NearDupIndex, signs: np.ndarray, sizes: np.ndarray, keys: np.ndarray, rule: EdgeRule | None
    ) -> None:
        self.index, self.signs, self.sizes, self.keys, self.rule = index, signs, sizes, keys, rule

    def added(self, unit: int, name: str, entry: int | None = None) -> None:
        """Nothing to record: the index itself is asked."""

    def cover_and_relations(self, query: int) -> tuple[Match | None, list[Match]]:
        return self.first_cover(query), self.relations(query)

    def first_cover(self, query: int) -> Match | None:
        assert self.rule is not None
        matches = self.index.query_covers(self.signs[query], int(self.sizes[query]), self.rule, self.keys[query])
        return matches[0] if matches else None

    def relations(self, query: int) -> list[Match]:
        assert self.rule is not None
        return self.index.query_relations(self.signs[query], int(self.sizes[query]), self.rule, self.keys[query])

    def related_entries(self, query: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        assert self.rule is not None
        return self.index.related_entries(self.signs[query], int(self.sizes[query]), self.rule, self.keys[query])

    def best_covers(self, first: int, last: int) -> list[Match | None]:
        assert self.rule is not None
        return self.index.best_covers(self.signs[first:last], self.sizes[first:last], self.rule, self.keys[first:last])

    def containment(self, query: int, size: int, threshold: float) -> list[Match]:
        return self.index.query_containment(self.signs[query], size, threshold, keys=self.keys[query])

    def containment_many(self, units: np.ndarray, sizes: np.ndarray, threshold: float) -> list[list[Match]]:
        return [self.containment(int(unit), int(size), threshold) for unit, size in zip(units, sizes, strict=True)]


Queries = ChunkCandidates | DirectQueries


def queries(
    index: NearDupIndex,
    signs: np.ndarray,
    sizes: np.ndarray,
    keys: np.ndarray,
    rule: EdgeRule | None = None,
    reverse: bool = False,
    units: np.ndarray | None = None,
    chunked: bool = True,
) -> Queries:
    """Look-ups for a chunk: precomputed (:class:`ChunkCandidates`) when the storage allows, else direct."""
    if chunked and supports_chunks(index):
        built = ChunkCandidates.build(index, signs, sizes, keys, rule, reverse, units)
        if built is not None:
            return built
    return DirectQueries(index, signs, sizes, keys, rule)
