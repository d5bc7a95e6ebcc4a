"""The output directory of a run: never ambiguous, never half-written, resumable.

While a run is in progress the directory holds ``RUN_IN_PROGRESS`` (the run's parameters) and the
records go to ``kept.jsonl.partial`` and ``rejects.jsonl.partial``. At each checkpoint the partial
files are flushed to disk and ``checkpoint.pickle`` records their lengths, the number of inputs
done and the pipeline's state. A finished run renames the partial files to ``kept.jsonl`` and
``rejects.jsonl`` (so those names only ever hold complete files), writes the report, and removes
the marker and the checkpoint last. ``--resume`` cuts the partial files back to the last checkpoint
and carries on from there.
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from cleanse.errors import InputError
from cleanse.io.report import render_markdown
from cleanse.io.run_log import RunLog

KEPT = "kept.jsonl"
REJECTS = "rejects.jsonl"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
IN_PROGRESS = "RUN_IN_PROGRESS"
CHECKPOINT = "checkpoint.pickle"
PARTIAL = ".partial"
TEMPORARY = ".tmp"
RECORD_FILES = (KEPT, REJECTS)
OWN_FILES = frozenset(
    {
        KEPT,
        REJECTS,
        REPORT_JSON,
        REPORT_MD,
        REPORT_HTML,
        IN_PROGRESS,
        CHECKPOINT,
        *(name + PARTIAL for name in RECORD_FILES),
        *(name + TEMPORARY for name in (REPORT_JSON, REPORT_MD, REPORT_HTML, IN_PROGRESS, CHECKPOINT)),
    }
)
"""Every name a run writes; ``--overwrite`` removes these and nothing else."""

Mode = Literal["new", "overwrite", "resume"]


@dataclass
class Checkpoint:
    """How far a run got: inputs done, record-file lengths, pipeline state, the per-document log of the
    documents written (for report.md and report.html); or its final report."""

    inputs: int = 0
    sizes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RECORD_FILES, 0))
    state: bytes | None = None
    report: dict[str, Any] | None = None
    log: RunLog | None = None


class RunDirectory:
    """Open an output directory for a run (new, overwrite or resume) and write into it safely."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def contains(self, candidate: str | Path) -> bool:
        """Whether ``candidate`` is this directory or lies inside it."""
        try:
            Path(candidate).resolve().relative_to(self.path.resolve())
        except ValueError:
            return False
        return True

    def is_own_file(self, candidate: str | Path) -> bool:
        """Whether ``candidate`` is a file a run writes into this directory."""
        path = Path(candidate)
        return path.name in OWN_FILES and path.parent.resolve() == self.path.resolve()

    def open(self, params: Mapping[str, Any], mode: Mode) -> Checkpoint | None:
        """Prepare the directory; returns the checkpoint to resume from (``None`` starts afresh).

        A non-empty directory is refused unless ``mode`` is "overwrite" (its run files are removed)
        or "resume" (it must hold an unfinished run with the same parameters).
        """
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create output directory {self.path}: {exc.strerror or exc}") from None
        if not self.path.is_dir():
            raise InputError(f"output {self.path} is not a directory")
        entries = sorted(p.name for p in self.path.iterdir())
        checkpoint: Checkpoint | None = None
        if mode == "resume" and IN_PROGRESS in entries:
            checkpoint = self._resumable(params)
        elif mode == "resume" and REPORT_JSON in entries:
            raise InputError(f"{self.path} holds a finished run; nothing to resume (use --overwrite to run again)")
        elif mode == "overwrite":
            for name in entries:
                if name in OWN_FILES:
                    (self.path / name).unlink()
        elif entries:
            raise InputError(
                f"output directory {self.path} is not empty; use --overwrite to replace its run files "
                "or --resume to continue an interrupted run"
            )
        if checkpoint is None:
            for name in RECORD_FILES:
                (self.path / (name + PARTIAL)).unlink(missing_ok=True)
            (self.path / CHECKPOINT).unlink(missing_ok=True)
            marker = json.dumps(dict(params), ensure_ascii=False, indent=2, default=str)
            _write_atomic(self.path / IN_PROGRESS, marker.encode("utf-8"))
        return checkpoint

    def _resumable(self, params: Mapping[str, Any]) -> Checkpoint:
        try:
            started = json.loads((self.path / IN_PROGRESS).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{self.path / IN_PROGRESS} is unreadable ({exc}); use --overwrite") from None
        wanted = json.loads(json.dumps(dict(params), default=str))
        different = sorted(k for k in set(started) | set(wanted) if started.get(k) != wanted.get(k))
        if different:
            raise InputError(
                f"{self.path} holds a run started with other settings ({', '.join(different)}); "
                "resume it with the same ones or use --overwrite"
            )
        try:
            with (self.path / CHECKPOINT).open("rb") as handle:
                checkpoint = pickle.load(handle)
        except FileNotFoundError:
            return Checkpoint()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise InputError(f"{self.path / CHECKPOINT} is unreadable ({exc}); use --overwrite") from None
        if not isinstance(checkpoint, Checkpoint):
            raise InputError(f"{self.path / CHECKPOINT} is not a cleanse checkpoint; use --overwrite")
        return checkpoint

    def writer(self, changes: str, checkpoint: Checkpoint | None) -> RunWriter:
        return RunWriter(self.path, changes, checkpoint or Checkpoint())


class RunWriter:
    """Append records to the partial files; checkpoint; finish by renaming and writing the report."""

    def __init__(self, out_dir: Path, changes: str, checkpoint: Checkpoint) -> None:
        from cleanse.io.records import record_json

        self.out_dir = out_dir
        self.changes = changes
        self._record_json = record_json
        self.log = checkpoint.log if checkpoint.log is not None else RunLog()
        self._handles: dict[str, BinaryIO] = {}
        for name in RECORD_FILES:
            path = out_dir / (name + PARTIAL)
            handle = path.open("r+b" if path.exists() else "w+b")
            handle.truncate(checkpoint.sizes.get(name, 0))
            handle.seek(0, os.SEEK_END)
            self._handles[name] = handle

    def write(self, doc: Any) -> None:
        name = KEPT if doc.kept else REJECTS
        self._handles[name].write(self._record_json(doc, self.changes).encode("utf-8") + b"\n")
        self.log.add(doc)

    def checkpoint(self, inputs: int, state: bytes | None) -> None:
        """Make everything written so far durable, then record how far the run got."""
        sizes = {name: self._sync(handle) for name, handle in self._handles.items()}
        self._save(Checkpoint(inputs=inputs, sizes=sizes, state=state, log=self.log))

    def finish(self, report: dict[str, Any]) -> None:
        """Complete the run: records under their final names, then the report, then no marker."""
        sizes = {name: self._sync(handle) for name, handle in self._handles.items()}
        self._save(Checkpoint(inputs=-1, sizes=sizes, report=report, log=self.log))
        self.close()
        complete(self.out_dir, report, self.log)

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles = {}

    def _sync(self, handle: BinaryIO) -> int:
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()

    def _save(self, checkpoint: Checkpoint) -> None:
        _write_atomic(self.out_dir / CHECKPOINT, pickle.dumps(checkpoint, protocol=pickle.HIGHEST_PROTOCOL))


def complete(out_dir: Path, report: dict[str, Any], log: RunLog | None = None) -> None:
    """The last steps of a run, safe to repeat if a run was killed among them. With the run's
    :class:`RunLog`, report.md lists every document and report.html is written too."""
    from cleanse.io.html_report import cluster_levels, member_texts, render_html

    for name in RECORD_FILES:
        partial = out_dir / (name + PARTIAL)
        if partial.exists():
            os.replace(partial, out_dir / name)
    clusters = cluster_levels(report)
    texts = member_texts(clusters, out_dir)
    _write_atomic(out_dir / REPORT_MD, render_markdown(report, log, texts).encode("utf-8"))
    if log is not None:
        _write_atomic(out_dir / REPORT_HTML, render_html(report, log, clusters, texts).encode("utf-8"))
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
    _write_atomic(out_dir / REPORT_JSON, text.encode("utf-8"))
    (out_dir / CHECKPOINT).unlink(missing_ok=True)
    (out_dir / IN_PROGRESS).unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + TEMPORARY)
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
