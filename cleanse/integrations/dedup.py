"""Near-duplicates over texts that arrive in batches, with the signatures kept as numpy arrays.

The map step signs each batch on its own (:func:`cleanse.stages.dedup.sketch_chunk`), so a peer can sign
its shards in separate tasks and save them (:func:`save_sketches`); the reduce step joins them in order
and clusters them as :func:`cleanse.find_duplicates` does, so the clusters are the same as that call's
on the same texts in the same order. :func:`duplicate_verdicts` keeps the first member of each cluster
and names, for every other member, the one it duplicates and the exact Jaccard similarity.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from cleanse.stages.dedup import DedupOptions, EdgeRule, UnitSketches, cluster_units, concatenate, sketch_chunk
from cleanse.stages.dedup.verify import ShingleSets, jaccard

EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
CLOSEST_AMONG = 64


class DuplicateVerdict(NamedTuple):
    """Unit ``unit`` duplicates unit ``kept`` (its cluster's first member); ``similarity`` is the exact
    Jaccard similarity to the closest earlier member, ``closest`` (as the native stage reports its best match)."""

    unit: int
    kept: int
    similarity: float
    closest: int

    @property
    def reason(self) -> str:
        """The reason the native dedup stage gives: "exact_duplicate" or "near_duplicate" with the score."""
        code = EXACT_DUPLICATE if self.similarity == 1.0 else NEAR_DUPLICATE
        return f"{code} (similarity {self.similarity:.3f})"


def dedup_options(options: DedupOptions | Mapping[str, Any] | None = None, **overrides: Any) -> DedupOptions:
    """:class:`DedupOptions` from a dict of the ``[dedup]`` table (unknown keys raise ``TypeError``)."""
    if isinstance(options, DedupOptions):
        base = options
    else:
        known = {f.name for f in fields(DedupOptions)}
        given = dict(options or {})
        unknown = sorted(set(given) - known)
        if unknown:
            raise TypeError(f"unknown dedup option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        base = DedupOptions(**given)
    if overrides:
        base = DedupOptions(**{**{f.name: getattr(base, f.name) for f in fields(DedupOptions)}, **overrides})
    return base


def sketch_batches(batches: Iterable[Sequence[str]], options: DedupOptions) -> UnitSketches:
    """The map step over batches of texts, joined in order (only one batch of text is held at a time)."""
    parts = [sketch_chunk(list(batch), options, keep_signs=True) for batch in batches]
    if not parts:
        return sketch_chunk([], options, keep_signs=True)
    return parts[0] if len(parts) == 1 else concatenate(parts)


def cluster(sketches: UnitSketches, options: DedupOptions) -> list[list[int]]:
    """The reduce step: clusters of two units or more as sorted index lists (``find_duplicates``'s shape)."""
    if len(sketches) < 2:
        return []
    return cluster_units(sketches, EdgeRule.from_options(options)).groups()


def duplicate_verdicts(groups: Sequence[Sequence[int]], sketches: UnitSketches) -> list[DuplicateVerdict]:
    """For each cluster, every member after the first, scored against its closest earlier member.

    Only the :data:`CLOSEST_AMONG` members just before it are scored, so a huge cluster stays linear.
    """
    verdicts: list[DuplicateVerdict] = []
    for group in groups:
        members = np.asarray(group, dtype=np.int64)
        for position in range(1, len(members)):
            earlier = members[max(0, position - CLOSEST_AMONG) : position]
            scores = jaccard(sketches.sets, np.full(len(earlier), members[position]), earlier)
            best = int(np.argmax(scores))
            verdicts.append(
                DuplicateVerdict(int(members[position]), int(members[0]), float(scores[best]), int(earlier[best]))
            )
    return sorted(verdicts)


def find_duplicates_in_batches(
    batches: Iterable[Sequence[str]], options: DedupOptions | Mapping[str, Any] | None = None
) -> list[list[int]]:
    """:func:`cleanse.find_duplicates` over texts given batch by batch."""
    settings = dedup_options(options)
    return cluster(sketch_batches(batches, settings), settings)


def save_sketches(target: str | Path | BinaryIO, sketches: UnitSketches) -> None:
    """Write one task's sketches (band keys, hashes, lengths, shingle sets, signatures) to an ``.npz``
    (a path or an open binary file, such as a datatrove folder's)."""
    arrays = {
        "keys": sketches.keys,
        "unit_hashes": sketches.unit_hashes,
        "lengths": sketches.lengths,
        "values": sketches.sets.values,
        "offsets": sketches.sets.offsets,
    }
    if sketches.signs is not None:
        arrays["signs"] = sketches.signs
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
    else:
        np.savez(target, **arrays)  # type: ignore[arg-type]


def load_sketches(source: str | Path | BinaryIO) -> UnitSketches:
    """Read what :func:`save_sketches` wrote."""
    if not isinstance(source, (str, Path)):
        source = io.BytesIO(source.read())
    with np.load(source) as data:
        signs = data["signs"] if "signs" in data.files else None
        sets = ShingleSets(data["values"], data["offsets"])
        return UnitSketches(data["keys"], data["unit_hashes"], data["lengths"], sets, signs)
