"""Near-duplicates over texts that arrive in batches: native verdicts, and clusters as numpy sketches.

:func:`native_verdicts` runs the pipeline's own dedup stage (:class:`NearDupDetector`) over the compared
documents in input order, so a peer's duplicates, reasons and kept copies are the native run's: verdicts
are directional (a document is a duplicate only when one *kept* document covers it; a digest holding a
kept article plus new content is kept). With ``keep="first"`` the stage streams, holding its index
and not the texts.

The map step signs each batch on its own (:func:`cleanse.stages.dedup.sketch_chunk`), so a peer can sign
its shards in separate tasks and save them (:func:`save_sketches`); the reduce step joins them in order
and clusters them as :func:`cleanse.find_duplicates` does, so the clusters are the same as that call's
on the same texts in the same order (a report of what is alike; the verdicts are :func:`native_verdicts`').
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from cleanse.document import Document
from cleanse.stages.dedup import (
    DedupOptions,
    EdgeRule,
    NearDupDetector,
    UnitSketches,
    cluster_units,
    concatenate,
    sketch_chunk,
)
from cleanse.stages.dedup.verify import ShingleSets


class NativeVerdict(NamedTuple):
    """What the native dedup stage did to the compared document at position ``unit``: ``status``
    "duplicate" (with the native ``reason`` and the kept document's id ``duplicate_of``) or "kept";
    ``text`` is the text after the stage (it changes only with ``remove_paragraphs`` or ``digest="new_parts"``)."""

    unit: int
    status: str
    reason: str | None
    duplicate_of: str | None
    text: str


def native_verdicts(documents: Iterable[tuple[str, str]], options: DedupOptions) -> Iterator[NativeVerdict]:
    """The native dedup stage over ``(id, text)`` pairs in order; yields a verdict for every document it
    made a duplicate or whose text it changed (the rest are kept as they are).

    Pass only the documents the native stage compares: kept by the chain, not split-off segments. Ids are
    admitted as ``Pipeline.run`` admits them (:class:`cleanse.intake.InputAdmission`): a peer's corpus may
    repeat an id (two shards numbering from 0), and a repeated one is compared as ``<id>~2``, ``<id>~3``...,
    never a failure of the whole step.
    """
    from cleanse.intake import InputAdmission

    stage = NearDupDetector(options)
    originals: dict[int, str] = {}
    admission = InputAdmission()

    def docs() -> Iterator[Document]:
        for position, (name, text) in enumerate(documents):
            doc = admission.admit(Document.from_text(text, id=name), position)
            doc.metadata["_position"] = position
            originals[position] = text
            yield doc

    for doc in stage.run(docs()):
        position = doc.metadata.pop("_position")
        original = originals.pop(position)
        if doc.status == "duplicate":
            yield NativeVerdict(position, "duplicate", doc.status_reason, doc.duplicate_of, doc.text or "")
        elif (doc.text or "") != original:
            yield NativeVerdict(position, doc.status, doc.status_reason, None, doc.text or "")


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
