"""Output records: compact by default, the full change log on request.

A compact record holds what a reader of the corpus needs: id, text, status, reason,
``duplicate_of`` and small metadata (the input's own fields, source, encoding, script label,
cluster, parent and role), plus ``change_counts``: for each stage, how many changes it logged
per reason. Per-line labels, segment lists and set-aside texts stay out; they are the bulk of a
full record (4-7x the input). ``cleanse explain`` recomputes the full log of any document from its
input on demand (:mod:`cleanse.recompute`), since the pipeline is deterministic.
"""

from __future__ import annotations

import json
from typing import Any

from cleanse.document import Document

CHANGE_MODES = ("compact", "full")
CHANGE_COUNTS = "change_counts"
DETAIL_KEYS = frozenset({"line_labels", "line_labels_fingerprint", "segments", "set_aside"})
"""Metadata the stages keep for one another (and the full record shows), left out of compact records."""
SUMMARISED_KEYS = {"script": "label"}
"""Metadata dicts reduced to one of their fields in compact records."""


def change_counts(doc: Document) -> dict[str, dict[str, int]]:
    """How many changes (edits and verdicts) each stage logged on ``doc``, per reason."""
    counts: dict[str, dict[str, int]] = {}
    for change in doc.changes:
        by_reason = counts.setdefault(change.stage, {})
        by_reason[change.reason] = by_reason.get(change.reason, 0) + 1
    return counts


def compact_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` without the stages' working detail; summarised keys reduced to their label."""
    compact: dict[str, Any] = {}
    for key, value in metadata.items():
        if key in DETAIL_KEYS:
            continue
        field = SUMMARISED_KEYS.get(key)
        if field is not None and isinstance(value, dict):
            value = value.get(field)
        compact[key] = value
    return compact


def compact_record(doc: Document) -> dict[str, Any]:
    """The record written by default: no change log, only counts of changes per stage and reason."""
    record = doc.to_record(with_changes=False)
    metadata = compact_metadata(doc.metadata)
    counts = change_counts(doc)
    if counts:
        metadata[CHANGE_COUNTS] = counts
    record["metadata"] = metadata
    return record


def record_json(doc: Document, changes: str = "compact") -> str:
    """One output line (without the newline) for ``doc`` in the given change mode."""
    if changes == "full":
        return doc.to_json(with_changes=True)
    if changes != "compact":
        raise ValueError(f"changes must be one of {', '.join(CHANGE_MODES)}, got {changes!r}")
    return json.dumps(compact_record(doc), ensure_ascii=False, default=str)


def has_change_log(record: dict[str, Any]) -> bool:
    """Whether a record read back from a run carries its full change log."""
    return "changes" in record
