"""The main job: run a pipeline over an input into an output directory, resumably.

:func:`run_to_directory` is what ``cleanse run`` calls. It checks the environment before the first
document (output directory, input, saved dedup index), streams the documents through the pipeline
into :class:`~cleanse.io.rundir.RunDirectory`, checkpoints between documents, and finishes with the
report. A run killed at any point and started again with ``resume=True`` gives the same records.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from cleanse.document import Document
from cleanse.errors import InputError
from cleanse.io.records import CHANGE_MODES, DETAIL_KEYS
from cleanse.io.rundir import Checkpoint, Mode, RunDirectory, complete
from cleanse.pipeline import Pipeline
from cleanse.stats import RunStats


@dataclass(frozen=True)
class RunOptions:
    """How to read the input and write the output of one run."""

    text_field: str = "text"
    id_field: str = "id"
    changes: str = "compact"
    jobs: int = 1
    progress: bool = False
    mode: Mode = "new"
    checkpoint_seconds: float = 30.0
    engine: str = "local"
    address: str | None = None

    def __post_init__(self) -> None:
        if self.changes not in CHANGE_MODES:
            raise InputError(f"--changes must be one of {', '.join(CHANGE_MODES)}, got {self.changes!r}")
        if self.jobs < 1:
            raise InputError(f"--jobs must be at least 1, got {self.jobs}")


def run_parameters(
    pipeline: Pipeline, source: str | Path, options: RunOptions, directory: RunDirectory | None = None
) -> dict[str, Any]:
    """What makes two runs give the same output; a resumed run must match the one it continues.

    With ``directory``, the input's fingerprint too (number, total size and latest change of its files),
    so a resume over an input that changed since is refused.
    """
    from cleanse import __version__

    parameters = {
        "version": __version__,
        "input": str(Path(source).resolve()) if not _is_glob(source) else str(source),
        "text_field": options.text_field,
        "id_field": options.id_field,
        "changes": options.changes,
        "engine": options.engine,
        "stages": pipeline.describe(),
        "intake": {"max_line_chars": pipeline.intake.max_line_chars},
    }
    if directory is not None:
        parameters["input_fingerprint"] = input_fingerprint(source, directory)
    return parameters


def input_fingerprint(source: str | Path, directory: RunDirectory) -> dict[str, int]:
    """Files, bytes and the latest modification time of the input (the output directory left out)."""
    path = Path(source)
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
    else:
        import glob

        files = [Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file()]
    inside = path.exists() and directory.contains(path)
    files = [p for p in files if not (directory.is_own_file(p) if inside else directory.contains(p))]
    stats = [p.stat() for p in files]
    return {
        "files": len(stats),
        "bytes": sum(s.st_size for s in stats),
        "modified_ns": max((s.st_mtime_ns for s in stats), default=0),
    }


def run_to_directory(
    pipeline: Pipeline, source: str | Path, out_dir: str | Path, options: RunOptions, config: str | None = None
) -> RunStats:
    """Run ``pipeline`` over ``source`` into ``out_dir``; returns the run's statistics.

    Environment faults found before the run (unwritable output, unreadable input, a bad saved
    index) raise :class:`~cleanse.errors.InputError`; an ``OSError`` while writing propagates.
    """
    from cleanse.io.readers import read_inputs

    directory = RunDirectory(out_dir)
    _check_input(source, directory)
    check_index_paths(pipeline)
    params = run_parameters(pipeline, source, options, directory)
    checkpoint = directory.open(params, options.mode)
    if checkpoint is not None and checkpoint.report is not None:
        complete(directory.path, checkpoint.report, checkpoint.log)
        pipeline.stats = _stats_from_report(pipeline, checkpoint.report)
        return pipeline.stats
    documents: Iterator[Document] = read_inputs(source, options.text_field, options.id_field, exclude=directory)
    resumed = checkpoint is not None and checkpoint.state is not None
    if resumed:
        assert checkpoint is not None and checkpoint.state is not None
        pipeline.restore(checkpoint.state)
        documents = islice(documents, checkpoint.inputs, None)
    writer = directory.writer(options.changes, checkpoint)
    try:
        if options.engine == "ray":
            jobs = options.jobs if options.jobs > 1 else None
            stream = pipeline.run_ray(documents, address=options.address, workers=jobs)
            every = None
        else:
            drop = DETAIL_KEYS if options.changes == "compact" else ()
            stream = pipeline.run(
                documents, jobs=options.jobs, progress=options.progress, resume=resumed, drop_metadata=drop
            )
            every = options.checkpoint_seconds
        last = time.monotonic()
        for doc in stream:
            writer.write(doc)
            if every is not None and time.monotonic() - last >= every and pipeline.at_boundary:
                writer.checkpoint(pipeline.stats.documents_in, pipeline.snapshot())
                last = time.monotonic()
        writer.finish(build_report(pipeline, source, options, config))
    finally:
        writer.close()
    return pipeline.stats


def build_report(pipeline: Pipeline, source: str | Path, options: RunOptions, config: str | None) -> dict[str, Any]:
    from cleanse import __version__

    return {
        "version": __version__,
        "input": str(source),
        "input_path": run_parameters(pipeline, source, options)["input"],
        "config": config,
        "jobs": options.jobs,
        "changes": options.changes,
        "text_field": options.text_field,
        "id_field": options.id_field,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(pipeline.stats.started)),
        "stages": pipeline.describe(),
        "intake": {"max_line_chars": pipeline.intake.max_line_chars},
        "stats": pipeline.stats.to_dict(),
    }


def check_index_paths(pipeline: Pipeline) -> None:
    """A saved dedup index must be loadable, or its directory creatable, before the run starts."""
    for stage in pipeline.stages:
        index_path = getattr(stage.options, "index_path", None)
        if index_path is None:
            continue
        path = Path(index_path)
        if path.exists() and not path.is_dir():
            raise InputError(f"dedup index_path {path} is not a directory")
        existing = path if path.exists() else next((p for p in path.parents if p.exists()), Path("."))
        if not existing.is_dir():
            raise InputError(f"dedup index_path {path}: {existing} is not a directory")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise InputError(f"dedup index_path {path}: {existing} is not writable")
        if path.is_dir() and any(path.iterdir()):
            _check_loadable(stage, path)


def _check_loadable(stage: Any, path: Path) -> None:
    opener = getattr(stage, "_open_indexes", None)
    if opener is None:
        return
    try:
        opener()
    except InputError:
        raise
    except Exception as exc:  # a corrupt index: say so now, not after the whole run
        raise InputError(f"dedup index_path {path} cannot be loaded: {type(exc).__name__}: {exc}") from None


def _check_input(source: str | Path, directory: RunDirectory) -> None:
    path = Path(source)
    if path.is_file():
        if directory.is_own_file(path):
            raise InputError(f"input {path} is a file of the output directory {directory.path}")
        try:
            with path.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise InputError(f"cannot read input {path}: {exc.strerror or exc}") from None
    elif path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
        raise InputError(f"cannot read input directory {path}: permission denied")


def _is_glob(source: str | Path) -> bool:
    import glob

    return glob.has_magic(str(source))


def _stats_from_report(pipeline: Pipeline, report: dict[str, Any]) -> RunStats:
    stats = RunStats([s.name for s in pipeline.stages])
    counts = report.get("stats", {})
    for key in ("documents_in", "derived", "bytes_in", "kept", "dropped", "duplicates"):
        setattr(stats, key, int(counts.get(key, 0)))
    return stats


__all__ = ["Checkpoint", "RunOptions", "build_report", "check_index_paths", "run_parameters", "run_to_directory"]
