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
from cleanse.stages.dedup.index import Match, NearDupIndex
from cleanse.stages.dedup.storage import IndexStorage, MemoryStorage

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
    _lists: _Lists | None = None

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
        if self._lists is not None:
            self._lists.entry_of[row] = -1 if entry is None else entry

    @property
    def lists(self) -> _Lists:
        """The rows as Python lists, made on the first per-query question (see :class:`_Lists`)."""
        if self._lists is None:
            self._lists = _Lists.of(self)
        return self._lists

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

    def _live_rows(
        self, unit: int, column: list[bool], other_column: list[bool] | None = None
    ) -> list[tuple[int, int]]:
        """``(row, entry)`` of the rows of query ``unit`` that are live entries now and are set in ``column``
        (or ``other_column``), most similar first, then by entry id: what :meth:`_live` and a lexsort give."""
        lists = self.lists
        row = lists.row_of[unit]
        if row < 0:
            return []
        storage = self.index.storage
        alive = storage.alive_flags() if isinstance(storage, MemoryStorage) else _Flags(storage)
        entry, other, entry_of = lists.entry, lists.other, lists.entry_of
        found = []
        for position in range(lists.offsets[row], lists.offsets[row + 1]):
            if not (column[position] or (other_column is not None and other_column[position])):
                continue
            value = entry[position]
            if value < 0:
                value = entry_of[other[position]]
                if value < 0:
                    continue
            if alive[value]:
                found.append((position, value))
        if len(found) > 1:
            similarity = lists.similarity
            found.sort(key=lambda item: (-similarity[item[0]], item[1]))
        return found

    def _match(self, entry: int, similarity: float) -> Match:
        storage = self.index.storage
        return Match(storage.entry_name(entry), similarity, storage.entry_name(storage.entry_cluster(entry)))

    def _related(self, query: int) -> list[tuple[int, int]]:
        lists = self.lists
        return self._live_rows(query, lists.covered, lists.holds)

    def cover_and_relations(self, query: int) -> tuple[Match | None, list[Match]]:
        """The first match :meth:`NearDupIndex.query_covers` would return for ``query`` (or None) and
        :meth:`relations`: the first cover is the first related row whose entry covers the query."""
        found = self._related(query)
        if not found:
            return None, []
        lists = self.lists
        best = None
        for row, entry in found:
            if lists.covered[row]:
                rule = "jaccard" if lists.by_jaccard[row] else "reprint_containment"
                best = self._match(entry, lists.similarity[row])._replace(
                    rule=rule, score=lists.score[row], held=lists.held[row]
                )
                break
        return best, self._relation_matches(found)

    def relations(self, query: int) -> list[Match]:
        """What :meth:`NearDupIndex.query_relations` would return for ``query``."""
        found = self._related(query)
        return self._relation_matches(found) if found else []

    def _relation_matches(self, found: list[tuple[int, int]]) -> list[Match]:
        """As :func:`cleanse.stages.dedup.index.relation_matches` builds them, from the rows' lists."""
        lists = self.lists
        name, cluster = self.index.storage.entry_name, self.index.storage.entry_cluster
        matches = []
        for row, entry in found:
            holds = lists.holds[row]
            jaccard = lists.jaccard_holds[row] if holds else lists.by_jaccard[row]
            score = lists.score_holds[row] if holds else lists.score[row]
            rule = "jaccard" if jaccard else "reprint_containment"
            matches.append(
                Match(name(entry), lists.similarity[row], name(cluster(entry)), rule, score, holds, lists.held[row])
            )
        return matches

    def related_entries(self, query: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What :meth:`NearDupIndex.related_entries` would return for ``query``."""
        entries, similarity, sizes = self.related_lists(query)
        return (
            np.array(entries, dtype=np.int64),
            np.array(similarity, dtype=np.float64),
            np.array(sizes, dtype=self.sizes.dtype),
        )

    def related_lists(self, query: int) -> tuple[list[int], list[float], list[int]]:
        """:meth:`related_entries` as Python lists (a streaming chunk's per-document question)."""
        found = self._related(query)
        lists = self.lists
        return (
            [entry for _, entry in found],
            [lists.similarity[row] for row, _ in found],
            [lists.sizes[row] for row, _ in found],
        )

    def best_covers(self, first: int, last: int) -> list[Match | None]:
        """What :meth:`NearDupIndex.best_covers` would return for queries ``first`` to ``last - 1``."""
        best: list[Match | None] = [None] * (last - first)
        lists = self.lists
        for unit in range(first, last):
            found = self._live_rows(unit, lists.covered)
            if found:
                row, entry = found[0]
                rule = "jaccard" if lists.by_jaccard[row] else "reprint_containment"
                match = self._match(entry, lists.similarity[row])
                best[unit - first] = match._replace(rule=rule, score=lists.score[row])
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


class _Flags:
    """A storage's ``alive`` asked one entry at a time (for storages without :meth:`MemoryStorage.alive_flags`)."""

    def __init__(self, storage: IndexStorage) -> None:
        self.storage = storage

    def __getitem__(self, entry: int) -> bool:
        return bool(self.storage.alive(np.array([entry], dtype=np.int64))[0])


@dataclass
class _Lists:
    """A chunk's rows as Python lists: a streaming chunk asks about one document at a time, a few rows each,
    where a numpy call costs more than the work; the answers are those of the array code, row for row."""

    offsets: list[int]
    row_of: list[int]
    entry: list[int]
    other: list[int]
    entry_of: list[int]
    similarity: list[float]
    sizes: list[int]
    covered: list[bool]
    holds: list[bool]
    by_jaccard: list[bool]
    jaccard_holds: list[bool]
    score: list[float]
    score_holds: list[float]
    held: list[float]

    @classmethod
    def of(cls, rows: ChunkCandidates) -> _Lists:
        count = len(rows.entry)
        columns = rows.columns

        def column(name: str, fill: object) -> list:  # type: ignore[type-arg]
            return columns[name].tolist() if name in columns else [fill] * count

        return cls(
            rows.offsets.tolist(),
            rows.row_of.tolist(),
            rows.entry.tolist(),
            rows.other.tolist(),
            rows.entry_of.tolist(),
            rows.similarity.tolist(),
            rows.sizes.tolist(),
            column("covered", False),
            column("holds", False),
            column("by_jaccard", False),
            column("jaccard_holds", False),
            column("score", 1.0),
            column("score_holds", 1.0),
            column("held", 1.0),
        )


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
