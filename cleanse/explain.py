"""Readable accounts of what the stages did: one document at a time, or summed over many.

Repeated changes are grouped (``[encoding] fullwidth_punctuation x327``) with a few examples each, metadata is
shown as short facts rather than raw structures, and filters pick a stage, a reason or a document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleanse.document import Change, Document

SHOWN_PER_GROUP = 3
PREVIEW = 60


@dataclass(frozen=True)
class Filter:
    """Which changes to show: ``stage`` and ``reason`` match exactly, or ``reason`` as a prefix ending in ``:``
    (``label:`` matches every label verdict); ``every`` lists all changes of a group instead of a few."""

    stage: str | None = None
    reason: str | None = None
    every: bool = False

    def __call__(self, change: Change) -> bool:
        if self.stage is not None and change.stage != self.stage:
            return False
        if self.reason is None:
            return True
        return change.reason == self.reason or (self.reason.endswith(":") and change.reason.startswith(self.reason))

    @property
    def narrowed(self) -> bool:
        return self.stage is not None or self.reason is not None


def explain_document(
    doc: Document, changes: Sequence[Change] | None = None, where: Filter = Filter(), notes: Iterable[str] = ()
) -> str:
    """A document's status, its metadata as short facts, then its changes grouped by stage and reason."""
    changes = doc.changes if changes is None else changes
    head = f"document {doc.id}: {doc.status}"
    if doc.status != "kept":
        head += f" by {doc.status_stage}: {doc.status_reason}"
        if doc.duplicate_of is not None:
            head += f" (duplicate of {doc.duplicate_of})"
    if doc.original is not None and doc.text is not None and doc.original != doc.text:
        head += f" ({len(doc.original):,} → {len(doc.text):,} chars)"
    elif doc.text is not None:
        head += f" ({len(doc.text):,} chars)"
    lines = [head]
    lines += [f"  {fact}" for fact in describe_metadata(doc.metadata)]
    lines += [f"  note: {note}" for note in notes]
    chosen = [c for c in changes if where(c)]
    if not changes:
        lines.append("  no changes")
    elif not chosen:
        lines.append(f"  no changes match ({len(changes)} others)")
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in chosen:
        groups.setdefault((change.stage, change.reason), []).append(change)
    for (stage, reason), members in groups.items():
        removed = sum(len(c.before) - len(c.after) for c in members)
        kind = "verdict" if members[0].is_verdict else "edit"
        size = f", {-removed:+,} chars" if removed else ""
        lines.append(f"  [{stage}] {reason}: {len(members)} {kind}{'s' if len(members) > 1 else ''}{size}")
        shown = members if where.every else members[:SHOWN_PER_GROUP]
        for change in shown:
            lines += _change_lines(change)
        if len(members) > len(shown):
            lines.append(f"      … {len(members) - len(shown)} more (--reason {reason} --all lists them)")
    return "\n".join(lines)


def _change_lines(change: Change) -> list[str]:
    score = "" if change.score is None else f" score {change.score:.2f}"
    if change.is_verdict:
        line = f"      at {change.start}-{change.end}{score}: on {_preview(change.before)}"
    else:
        line = f"      at {change.start}-{change.end}{score}: {_preview(change.before)} → {_preview(change.after)}"
    lines = [line]
    if change.evidence:
        lines.append(f"        evidence: {_preview(', '.join(change.evidence), 100)}")
    return lines


def describe_metadata(metadata: Mapping[str, Any]) -> list[str]:
    """Short facts from a document's metadata: nested structures are counted, never dumped."""
    facts = []
    for key, value in metadata.items():
        if key in _DESCRIBERS:
            fact = _DESCRIBERS[key](value)
        elif isinstance(value, (str, int, float, bool)) or value is None:
            fact = _preview(str(value), 100)
        elif isinstance(value, Mapping):
            fact = ", ".join(f"{k} {v}" for k, v in value.items() if isinstance(v, (str, int, float, bool)))
            fact = _preview(fact, 100) if fact else f"{len(value)} entries"
        elif isinstance(value, (list, tuple)):
            fact = f"{len(value)} entries"
        else:
            fact = type(value).__name__
        if fact:
            facts.append(f"{key.replace('_', ' ')}: {fact}")
    return facts


def _script(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    label, target = value.get("label", "?"), value.get("target")
    paragraphs = value.get("paragraphs")
    total = len(paragraphs.get("label", [])) if isinstance(paragraphs, Mapping) else None
    converted = value.get("converted_paragraphs", 0)
    fact = f"{label}"
    if converted and target:
        fact += f" → {target}: {converted}" + (f" of {total}" if total else "") + " paragraphs converted"
        if value.get("config"):
            fact += f" ({value['config']})"
        if value.get("changes"):
            fact += f", {value['changes']} phrases"
    elif target:
        fact += f" (target {target}, nothing converted)"
    fact += f"; Han {value.get('han', '?')}, traditional-only {value.get('traditional', '?')}"
    return fact + f", simplified-only {value.get('simplified', '?')}"


def _count_by(key: str, noun: str) -> Any:
    def describe(value: Any) -> str:
        if not isinstance(value, list):
            return str(value)
        counts = Counter(str(item.get(key, "?")) for item in value if isinstance(item, Mapping))
        listed = ", ".join(f"{name} {n}" for name, n in counts.most_common())
        return f"{len(value)} {noun}" + (f": {listed}" if listed else "")

    return describe


def _hidden(value: Any) -> str:
    return ""


_DESCRIBERS = {
    "script": _script,
    "line_labels": _count_by("label", "lines"),
    "segments": _count_by("role", "segments"),
    "set_aside": _count_by("label", "pieces set aside"),
    "line_labels_fingerprint": _hidden,
    "encoding_confidence": lambda v: f"{v}",
}


def _preview(text: str, limit: int = PREVIEW) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown) if limit == PREVIEW else shown


@dataclass
class Summary:
    """Changes and statuses summed over many documents, for ``cleanse explain --summary``."""

    documents: int = 0
    status: Counter[str] = field(default_factory=Counter)
    status_reasons: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    removed: dict[str, Counter[str]] = field(default_factory=dict)
    documents_with: dict[str, Counter[str]] = field(default_factory=dict)
    verdict_reasons: set[tuple[str, str]] = field(default_factory=set)
    notes: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    stage_order: Sequence[str] = ()

    def add(
        self, doc: Document, changes: Sequence[Change], where: Filter = Filter(), notes: Iterable[str] = ()
    ) -> None:
        from cleanse.io.changes import reason_group
        from cleanse.io.run_log import script_label

        self.documents += 1
        self.status[doc.status] += 1
        if "script" in doc.metadata:
            self.scripts[script_label(doc.metadata["script"])] += 1
        if "encoding" in doc.metadata:
            self.encodings[str(doc.metadata["encoding"])] += 1
        if doc.status != "kept":
            self.status_reasons[(doc.status, doc.status_stage or "", reason_group(doc.status_reason))] += 1
        for note in notes:
            self.notes[note] += 1
        seen: set[tuple[str, str]] = set()
        for change in changes:
            if not where(change):
                continue
            self.counts.setdefault(change.stage, Counter())[change.reason] += 1
            self.removed.setdefault(change.stage, Counter())[change.reason] += len(change.before) - len(change.after)
            if change.is_verdict:
                self.verdict_reasons.add((change.stage, change.reason))
            seen.add((change.stage, change.reason))
        for stage, reason in seen:
            self.documents_with.setdefault(stage, Counter())[reason] += 1

    def render(self, reasons_per_stage: int = 6) -> str:
        statuses = ", ".join(f"{self.status[s]} {s}" for s in ("kept", "dropped", "duplicate"))
        lines = [f"{self.documents} documents: {statuses}"]
        for (status, stage, reason), n in self.status_reasons.most_common(8):
            lines.append(f"  {status} by {stage}: {reason} x{n}")
        if len(self.status_reasons) > 8:
            lines.append(f"  … {len(self.status_reasons) - 8} other reasons for dropping")
        for name, counter in (("encodings", self.encodings), ("scripts", self.scripts)):
            if counter:
                lines.append(f"{name}: " + _preview(", ".join(f"{k} {n}" for k, n in counter.most_common()), 110))
        rank = {name: number for number, name in enumerate(self.stage_order)}
        for stage in sorted(self.counts, key=lambda name: rank.get(name, len(rank))):
            counts = self.counts[stage]
            removed = self.removed[stage]
            edits = sum(n for (s, r), n in _items(counts, stage) if (s, r) not in self.verdict_reasons)
            verdicts = sum(counts.values()) - edits
            total = sum(removed.values())
            head = f"{stage}: {edits} edit{'' if edits == 1 else 's'}"
            head += f" ({-total:+,} chars)" if total else ""
            head += f", {verdicts} verdict{'' if verdicts == 1 else 's'}" if verdicts else ""
            lines.append(head)
            ranked = sorted(counts, key=lambda r: (-abs(removed[r]), -counts[r], r))
            ranked = sorted(ranked[:reasons_per_stage], key=lambda r: -counts[r]) + ranked[reasons_per_stage:]
            for reason in ranked[:reasons_per_stage]:
                kind = "verdict" if (stage, reason) in self.verdict_reasons else "edit"
                size = f", {-removed[reason]:+,} chars" if removed[reason] else ""
                docs = self.documents_with[stage][reason]
                lines.append(f"  {reason} x{counts[reason]} ({kind}{size}, {docs} doc{'s' if docs > 1 else ''})")
            if len(ranked) > reasons_per_stage:
                rest = ranked[reasons_per_stage:]
                lines.append(f"  … {len(rest)} more: {_preview(', '.join(rest), 90)}")
        for note, n in self.notes.items():
            lines.append(f"note ({n} documents): {note}")
        return "\n".join(lines)


def _items(counts: Counter[str], stage: str) -> Iterable[tuple[tuple[str, str], int]]:
    return (((stage, reason), n) for reason, n in counts.items())
