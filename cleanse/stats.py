"""Run statistics: per stage, documents and characters changed, lines and documents dropped, duplicates.

Counts are derived from each document's change log after the stage ran, so they add up the same
whether the stage ran in this process or in a worker.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cleanse.document import Document


@dataclass(slots=True)
class StageStats:
    documents_changed: int = 0
    characters_changed: int = 0
    edits: int = 0
    verdicts: int = 0
    lines_dropped: int = 0
    documents_dropped: int = 0
    duplicates: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class RunStats:
    stage_names: list[str]
    documents_in: int = 0
    derived: int = 0
    bytes_in: int = 0
    kept: int = 0
    dropped: int = 0
    duplicates: int = 0
    started: float = 0.0
    finished: float = 0.0
    stages: dict[str, StageStats] = field(default_factory=dict)
    corpus_reports: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ["intake", *self.stage_names]:
            self.stages.setdefault(name, StageStats())

    def count_input(self, doc: Document) -> None:
        self.documents_in += 1
        size = doc.metadata.get("size")
        if not isinstance(size, int):
            size = len(doc.raw) if doc.raw is not None else _utf8_size(doc.text)
            doc.metadata["size"] = size
        self.bytes_in += size

    def count_derived(self, doc: Document) -> None:
        """A document split off another one (a spliced article emitted on its own)."""
        self.derived += 1
        doc.metadata.setdefault("size", _utf8_size(doc.text))

    def count_stages(self, doc: Document, names: list[str]) -> None:
        """Count the changes ``names`` (the stages that just ran on ``doc``) logged: the tail of its log."""
        wanted = set(names)
        if doc.status_stage == "intake":
            wanted.add("intake")
        changed: set[str] = set()
        changes = doc.changes
        start = len(changes)
        while start and changes[start - 1].stage in wanted:  # the stages just run logged last
            start -= 1
        for change in changes[start:]:
            stats = self.stages[change.stage]
            stats.reasons[change.reason] = stats.reasons.get(change.reason, 0) + 1
            if change.is_verdict:
                stats.verdicts += 1
                continue
            stats.edits += 1
            stats.characters_changed += max(len(change.before), len(change.after))
            changed.add(change.stage)
            stats.lines_dropped += change.removed_lines
        for name in changed:
            self.stages[name].documents_changed += 1
        if doc.status_stage in wanted:
            if doc.status == "dropped":
                self.stages[doc.status_stage].documents_dropped += 1
            elif doc.status == "duplicate":
                self.stages[doc.status_stage].duplicates += 1

    def count_output(self, doc: Document) -> None:
        if doc.status == "kept":
            self.kept += 1
        elif doc.status == "duplicate":
            self.duplicates += 1
        else:
            self.dropped += 1

    @property
    def seconds(self) -> float:
        return max(self.finished - self.started, 0.0)

    @property
    def balanced(self) -> bool:
        """The accounting invariant: every input (and derived) document is kept, rejected or a duplicate."""
        return self.documents_in + self.derived == self.kept + self.dropped + self.duplicates

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents_in": self.documents_in,
            "derived": self.derived,
            "bytes_in": self.bytes_in,
            "kept": self.kept,
            "dropped": self.dropped,
            "duplicates": self.duplicates,
            "balanced": self.balanced,
            "seconds": round(self.seconds, 3),
            "stages": {name: asdict(stats) for name, stats in self.stages.items()},
            "corpus_reports": self.corpus_reports,
        }


def _utf8_size(text: object) -> int:
    """Bytes of ``text`` in UTF-8, counting a lone surrogate as its 3 bytes (intake rejects it); 0 if not text."""
    return len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else 0
