"""The reduce side of distributed dedup: key groups verified into edges, edges reduced to matches.

Each partition of band-key rows yields its verified pairs as edges ``a -> b`` (``a`` the later ordinal):

- documents and paragraphs: :func:`verify_covers` keeps every pair whose later unit the earlier one covers,
  decided by the function the local index calls (:func:`cleanse.stages.dedup.edges.signature_covers`);
  which earlier units are kept is decided afterwards, in stream order (:mod:`cleanse.engines.greedy`);
- sentences: :func:`verify_contained` keeps pairs from an earlier paragraph with the containment estimate
  of ``NearDupIndex.query_containment``, :func:`sentence_matches` keeps each sentence's best source and
  every paragraph it was found in, what the containment verdict needs.

>>> import numpy as np
>>> from cleanse.stages.dedup.edges import EdgeRule
>>> part = {"units": {"ordinal": np.array([4, 9]), "name": np.array(["x", "y"], dtype=object),
...                   "size": np.array([30, 30]), "sign": np.array([[1, 2, 3, 4], [1, 2, 3, 5]], dtype=np.uint32)},
...         "keys": {"key": np.array([7, 7], dtype=np.uint64), "unit": np.array([0, 1])}}
>>> edges = verify_covers([part], EdgeRule(0.7), 1)[0]
>>> edges["a"].tolist(), edges["b"].tolist(), edges["similarity"].tolist(), edges["b_id"].tolist()
([9], [4], [0.75], ['x'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

import numpy as np

from cleanse.engines.shuffle import Columns, concat_columns, group_starts, partition_of, split_columns
from cleanse.stages.dedup.edges import EdgeRule, estimated_containment, held_share, signature_covers

CONTAINED_COLUMNS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "b": np.zeros(0, dtype=np.int64),
    "owner": np.zeros(0, dtype=object),
    "contained": np.zeros(0, dtype=np.float64),
}
SENTENCE_COLUMNS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "contained": np.zeros(0, dtype=np.float64),
    "source": np.zeros(0, dtype=object),
    "owners": np.zeros(0, dtype=object),
}
PAIR_CHUNK = 8192  # pairs whose signatures are compared at once (two 4 MB gathers at 128 permutations)
PENDING_PAIRS = 1 << 18  # candidate pairs made before they are checked (2 MB of pair codes)
TILE = 1024  # a key group larger than this yields its pairs tile by tile


def _units_and_keys(parts: list[dict[str, Columns]]) -> tuple[Columns, np.ndarray, np.ndarray]:
    """The units of all parts (re-indexed) and the key rows sorted by key, then by unit ordinal."""
    units_list, keys, unit_rows, offset = [], [], [], 0
    for part in parts:
        units_list.append(part["units"])
        keys.append(part["keys"]["key"])
        unit_rows.append(part["keys"]["unit"] + offset)
        offset += len(part["units"]["ordinal"])
    if not offset:
        return {}, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    units = {name: np.concatenate([u[name] for u in units_list]) for name in units_list[0]}
    key = np.concatenate(keys)
    unit = np.concatenate(unit_rows)
    order = np.lexsort((units["ordinal"][unit], key))
    return units, key[order], unit[order]


@lru_cache(maxsize=256)
def _triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)  # type: ignore[return-value]


def _tiles(size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(later, earlier)`` positions of every pair in a group of ``size``, at most TILE² pairs at a time."""
    for lo in range(0, size, TILE):
        hi = min(lo + TILE, size)
        for first in range(0, lo, TILE):
            last = min(first + TILE, size)
            yield np.repeat(np.arange(lo, hi), last - first), np.tile(np.arange(first, last), hi - lo)
        earlier, later = _triangle(hi - lo)
        yield lo + later, lo + earlier


Check = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def checked_pairs(key: np.ndarray, unit: np.ndarray, count: int, check: Check) -> tuple[np.ndarray, ...]:
    """``(later, earlier, value)`` for every pair sharing a key that ``check`` keeps, each pair once.

    Rows are sorted by key, then by ordinal. ``check(later, earlier)`` returns a keep mask and a value per
    pair. Pairs are made and checked in chunks of about PENDING_PAIRS, and a pair already kept is not
    checked again, so memory stays bounded when many units share a key (a template line on every page).
    """
    starts = group_starts(key)
    sizes = np.diff(starts)
    accepted = np.zeros(0, dtype=np.int64)
    values: list[np.ndarray] = [np.zeros(0, dtype=np.float64)]
    codes: list[np.ndarray] = [accepted]
    pending: list[np.ndarray] = []
    waiting = 0

    def flush() -> None:
        nonlocal accepted, waiting
        code = np.unique(np.concatenate(pending))
        pending.clear()
        waiting = 0
        later, earlier = code // count, code % count
        fresh = (later != earlier) & ~np.isin(code, accepted, assume_unique=True)
        code, later, earlier = code[fresh], later[fresh], earlier[fresh]
        keep, value = check(later, earlier)
        codes.append(code[keep])
        values.append(value[keep])
        accepted = np.sort(np.concatenate([accepted, code[keep]]))

    for start, size in zip(starts[:-1][sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        for later, earlier in _tiles(size):
            pending.append(unit[start + later] * count + unit[start + earlier])
            waiting += len(later)
            if waiting >= PENDING_PAIRS:
                flush()
    if pending:
        flush()
    code = np.concatenate(codes)
    return code // count, code % count, np.concatenate(values)


def _similarity(signs: np.ndarray, later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Estimated Jaccard as the local index computes it: the fraction of equal signature values."""
    out = np.empty(len(later), dtype=np.float64)
    for lo in range(0, len(later), PAIR_CHUNK):
        hi = lo + PAIR_CHUNK
        out[lo:hi] = (signs[earlier[lo:hi]] == signs[later[lo:hi]]).mean(axis=1)
    return out


COVER_COLUMNS: Columns = {
    "a": np.zeros(0, dtype=np.int64),
    "b": np.zeros(0, dtype=np.int64),
    "b_id": np.zeros(0, dtype=object),
    "similarity": np.zeros(0, dtype=np.float64),
    "jaccard": np.zeros(0, dtype=bool),
    "score": np.zeros(0, dtype=np.float64),
    "covers": np.zeros(0, dtype=bool),
    "holds": np.zeros(0, dtype=bool),
    "holds_jaccard": np.zeros(0, dtype=bool),
    "holds_score": np.zeros(0, dtype=np.float64),
    "held": np.zeros(0, dtype=np.float64),
    "a_id": np.zeros(0, dtype=object),
    "size_a": np.zeros(0, dtype=np.int64),
    "size_b": np.zeros(0, dtype=np.int64),
}


def verify_covers(
    parts: list[dict[str, Columns]], rule: EdgeRule, partitions: int, reverse: bool = False
) -> list[Columns]:
    """Edges ``a -> b``: the later unit ``a`` covered by the earlier ``b`` (``a`` would be its duplicate if
    ``b`` is kept), decided by :func:`cleanse.stages.dedup.edges.signature_covers` as the local index does.
    All of them, split by ``a``: which earlier units are kept is decided afterwards, in stream order.

    With ``reverse``, also the pairs where ``a`` covers ``b`` (``holds``: the reprint relations of
    ``NearDupIndex.query_relations``); ``covers`` marks the pairs of the first kind."""
    units, key, unit = _units_and_keys(parts)
    if not units:
        return [dict(COVER_COLUMNS) for _ in range(partitions)]
    names = ("jaccard", "score", "covers", "holds", "holds_jaccard", "holds_score", "held")
    found: dict[str, list[np.ndarray]] = {name: [] for name in names}

    def check(later: np.ndarray, earlier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        covered = np.empty(len(later), dtype=bool)
        similarity = np.empty(len(later), dtype=np.float64)
        by_jaccard = np.empty(len(later), dtype=bool)
        score = np.empty(len(later), dtype=np.float64)
        holds = np.zeros(len(later), dtype=bool)
        holds_jaccard = np.zeros(len(later), dtype=bool)
        holds_score = np.zeros(len(later), dtype=np.float64)
        held = np.ones(len(later), dtype=np.float64)
        signs, sizes = units["sign"], units["size"]
        for lo in range(0, len(later), PAIR_CHUNK):
            a, b, chunk = later[lo : lo + PAIR_CHUNK], earlier[lo : lo + PAIR_CHUNK], slice(lo, lo + PAIR_CHUNK)
            covered[chunk], similarity[chunk], by_jaccard[chunk], score[chunk] = signature_covers(
                signs[a], signs[b], sizes[a], sizes[b], rule
            )
            held[chunk] = held_share(similarity[chunk], sizes[a], sizes[b])
            if reverse:
                holds[chunk], _, holds_jaccard[chunk], holds_score[chunk] = signature_covers(
                    signs[b], signs[a], sizes[b], sizes[a], rule
                )
        keep = covered | holds
        for name, values in zip(
            names, (by_jaccard, score, covered, holds, holds_jaccard, holds_score, held), strict=True
        ):
            found[name].append(values[keep])
        return keep, similarity

    later, earlier, similarity = checked_pairs(key, unit, len(units["ordinal"]), check)
    edges = {
        "a": units["ordinal"][later],
        "b": units["ordinal"][earlier],
        "b_id": units["name"][earlier],
        "similarity": similarity,
        "a_id": units["name"][later],
        "size_a": units["size"][later].astype(np.int64),
        "size_b": units["size"][earlier].astype(np.int64),
    }
    for name in names:
        edges[name] = np.concatenate([COVER_COLUMNS[name], *found[name]])
    return split_columns(edges, partition_of(edges["a"], partitions), partitions)


def verify_contained(parts: list[dict[str, Columns]], threshold: float, partitions: int) -> list[Columns]:
    """Sentence edges ``a -> b`` with ``b`` in an earlier paragraph and containment at or above ``threshold``.

    The estimate is ``NearDupIndex.query_containment``'s, term for term, so scores match the local run's.
    """
    units, key, unit = _units_and_keys(parts)
    if not units:
        return [dict(CONTAINED_COLUMNS) for _ in range(partitions)]

    def check(later: np.ndarray, earlier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        visible = units["paragraph"][earlier] < units["paragraph"][later]
        similarity = _similarity(units["sign"], later, earlier)
        size = units["size"][later]
        contained = estimated_containment(similarity, size, units["size"][earlier].astype(np.float64))
        return visible & (contained >= threshold), contained

    later, earlier, contained = checked_pairs(key, unit, len(units["ordinal"]), check)
    edges = {
        "a": units["ordinal"][later],
        "b": units["ordinal"][earlier],
        "owner": units["name"][earlier],
        "contained": contained,
    }
    return split_columns(edges, partition_of(edges["a"], partitions), partitions)


def block_of(ordinals: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The block each ordinal belongs to, from the blocks' first ordinals (``bounds``, with the total last)."""
    return np.searchsorted(bounds, ordinals, side="right") - 1


def sentence_matches(parts: list[Columns], bounds: np.ndarray) -> list[Columns]:
    """Per sentence: its best source (highest containment, then earliest) and every paragraph it was found in."""
    edges = concat_columns(parts, CONTAINED_COLUMNS)
    order = np.lexsort((edges["b"], -edges["contained"], edges["a"]))
    starts = group_starts(edges["a"][order])
    first = order[starts[:-1]]
    owners = [
        tuple(sorted(set(edges["owner"][order[lo:hi]].tolist())))
        for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True)
    ]
    found_in = np.empty(len(owners), dtype=object)
    for position, names in enumerate(owners):
        found_in[position] = names
    matches = {
        "a": edges["a"][first],
        "contained": edges["contained"][first],
        "source": edges["owner"][first],
        "owners": found_in,
    }
    return split_columns(matches, block_of(matches["a"], bounds), len(bounds) - 1)
