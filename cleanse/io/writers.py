"""Writers: kept documents to ``kept.jsonl``, everything else to ``rejects.jsonl``, then the report."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from cleanse.document import Document
from cleanse.errors import InputError
from cleanse.io.report import write_report
from cleanse.io.run_log import RunLog


class OutputWriter:
    """Route each document by status; nothing is lost: dropped and duplicate documents keep their reason."""

    KEPT = "kept.jsonl"
    REJECTS = "rejects.jsonl"

    def __init__(self, out_dir: str | Path, with_changes: bool = True) -> None:
        self.out_dir = Path(out_dir)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create output directory {self.out_dir}: {exc.strerror or exc}") from None
        self.with_changes = with_changes
        self._kept = (self.out_dir / self.KEPT).open("w", encoding="utf-8")
        self._rejects = (self.out_dir / self.REJECTS).open("w", encoding="utf-8")
        self.log = RunLog()

    def write(self, doc: Document) -> None:
        handle = self._kept if doc.kept else self._rejects
        handle.write(doc.to_json(self.with_changes))
        handle.write("\n")
        self.log.add(doc)

    def write_report(self, report: dict[str, Any]) -> None:
        """report.json, report.md (with a line per document) and report.html, from the documents written so far."""
        self._kept.flush()
        self._rejects.flush()
        write_report(report, self.out_dir, self.log)

    def close(self) -> None:
        self._kept.close()
        self._rejects.close()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
