"""What happened to each document of a run, collected as the writer sees it, for report.md and report.html.

:class:`RunLog` keeps one small summary row per document (status, reason, characters removed per stage,
script, encoding, a one-line account), the character and document flows per stage and reason for the
waterfall charts, and, up to a budget in characters, each document's traced text (every change tagged on
the final text) for the HTML report. Rows are small, so memory stays proportional to the number of
documents, never to their size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from cleanse.document import Change, Document
from cleanse.io.changes import CUT, reason_group, trace

DETAIL_BUDGET = 20_000_000
"""Characters of traced text the HTML report embeds; documents past it get a row but no text view."""
PREVIEW = 160
SPLIT_OFF = "split into own document"


class RunLog:
    """Per-document rows and per-stage flows of one run."""

    def __init__(self, stage_names: Iterable[str] = (), detail_budget: int = DETAIL_BUDGET) -> None:
        self.stage_names = list(stage_names)
        self.rows: list[dict[str, Any]] = []
        self.details: dict[int, str] = {}
        self.detail_budget = detail_budget
        self.detail_chars = 0
        self.chars_in = 0
        self.chars_kept = 0
        self.documents_in = 0
        self.split_off = 0
        self.char_flow: Counter[tuple[str, str]] = Counter()
        self.document_flow: Counter[tuple[str, str]] = Counter()

    def add(self, doc: Document) -> None:
        """Record one output document (call it for every document the run writes)."""
        text = doc.text or ""
        original = doc.original if doc.original is not None else text
        removed: Counter[str] = Counter()
        for change in doc.changes:
            if not change.is_verdict:
                delta = len(change.after) - len(change.before)
                removed[change.stage] -= delta
                self.char_flow[(change.stage, reason_group(change.reason))] += delta
        derived = "parent" in doc.metadata
        if derived:
            self.split_off += 1
            self.char_flow[(doc.status_stage or "splice", SPLIT_OFF)] += len(original)
        else:
            self.documents_in += 1
            self.chars_in += len(original)
        if doc.kept:
            self.chars_kept += len(text)
        else:
            flow_reason = f"document {doc.status}: {reason_group(doc.status_reason)}"
            self.document_flow[(doc.status_stage or "", flow_reason)] += 1
            self.char_flow[(doc.status_stage or "", flow_reason)] -= len(text)
        row = {
            "id": doc.id,
            "status": doc.status,
            "stage": doc.status_stage or "",
            "reason": doc.status_reason or "",
            "of": doc.duplicate_of or "",
            "script": script_label(doc.metadata.get("script")),
            "encoding": str(doc.metadata.get("encoding", "")),
            "chars_in": len(original),
            "chars_out": len(text),
            "removed": {stage: n for stage, n in removed.items() if n},
            "summary": summarize(doc.changes),
        }
        number = len(self.rows)
        self.rows.append(row)
        if self.detail_chars < self.detail_budget:
            detail = _detail(doc, original)
            if detail is not None:
                self.details[number] = detail
                self.detail_chars += len(detail)

    def markdown_lines(self, limit: int = 500) -> list[str]:
        """One line per document: its status and what the stages did to it."""
        lines = []
        for row in self.rows[:limit]:
            status = row["status"]
            if status != "kept":
                status += f" by {row['stage']}: {row['reason']}"
                if row["of"]:
                    status += f" (of {row['of']})"
            facts = [f"{row['chars_in']} → {row['chars_out']} chars"]
            facts += [f"{key} {row[key]}" for key in ("script", "encoding") if row[key]]
            lines.append(f"- `{row['id']}`: {status} ({', '.join(facts)}); {row['summary'] or 'no changes'}")
        if len(self.rows) > limit:
            lines.append(f"- … {len(self.rows) - limit} more documents: see report.html")
        return lines


def summarize(changes: Iterable[Change], limit: int = 4) -> str:
    """What the stages did to one document, per stage: edits by characters removed (``cut_ad x2 −75``), then
    verdicts (``flagged label:ad x3``), the most telling first."""
    edits: dict[str, dict[str, list[int]]] = {}
    verdicts: dict[str, Counter[str]] = {}
    for change in changes:
        if change.is_verdict:
            verdicts.setdefault(change.stage, Counter())[change.reason] += 1
            edits.setdefault(change.stage, {})
        else:
            entry = edits.setdefault(change.stage, {}).setdefault(change.reason, [0, 0])
            entry[0] += 1
            entry[1] += len(change.before) - len(change.after)
    parts = []
    for stage, reasons in edits.items():
        ranked = sorted(reasons.items(), key=lambda item: (-abs(item[1][1]), -item[1][0], item[0]))
        shown = [f"{reason} x{n}" + (f" {-removed:+,}" if removed else "") for reason, (n, removed) in ranked[:limit]]
        if len(ranked) > limit:
            shown.append(f"+{len(ranked) - limit} more")
        flagged = verdicts.get(stage, Counter())
        if flagged:
            top = ", ".join(f"{reason} x{n}" for reason, n in flagged.most_common(2))
            shown.append(f"flagged {top}" + (f", +{len(flagged) - 2} more" if len(flagged) > 2 else ""))
        parts.append(f"{stage}: {', '.join(shown)}")
    return "; ".join(parts)


def script_label(script: Any) -> str:
    """The script verdict in a few characters: ``simplified``, or ``traditional→simplified`` when converted."""
    if isinstance(script, Mapping):
        label = str(script.get("label", ""))
        target = script.get("target")
        converted = script.get("converted_paragraphs") or script.get("changes")
        return f"{label}→{target}" if converted and target and target != label else label
    return "" if script is None else str(script)


def _detail(doc: Document, original: str) -> str | None:
    """The traced text as compact JSON: pieces ``[text, kind, change]`` and the changes they point to."""
    try:
        pieces = trace(doc.changes, final=doc.text or "", original=original)
    except ValueError:
        return None
    used: dict[int, int] = {}
    rows: list[list[str | int]] = []
    for piece in pieces:
        if piece.change < 0:
            rows.append([piece.text])
            continue
        local = used.setdefault(piece.change, len(used))
        text = piece.text if piece.kind != CUT or len(piece.text) <= 2000 else piece.text[:2000] + "…"
        rows.append([text, piece.kind, local])
    changes = []
    for number in used:
        change = doc.changes[number]
        changes.append(
            [
                change.stage,
                change.reason,
                _preview(change.before),
                _preview(change.after),
                None if change.score is None else round(change.score, 3),
                ", ".join(change.evidence)[:200],
            ]
        )
    return json.dumps({"p": rows, "c": changes}, ensure_ascii=False, separators=(",", ":"))


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"


OUTPUT_FILES = ("kept.jsonl", "rejects.jsonl")


def read_texts(out_dir: Path, wanted: set[str], files: Iterable[str] = OUTPUT_FILES) -> dict[str, str]:
    """The texts of the documents named in ``wanted`` (document ids), read back from a run's output files."""
    found: dict[str, str] = {}
    for record in _records(out_dir, files):
        doc_id = str(record.get("id"))
        if doc_id in wanted and isinstance(record.get("text"), str):
            found[doc_id] = record["text"]
            if len(found) == len(wanted):
                break
    return found


def _records(out_dir: Path, files: Iterable[str]) -> Iterator[dict[str, Any]]:
    for name in files:
        path = out_dir / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield record
