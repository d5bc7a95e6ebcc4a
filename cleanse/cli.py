"""The ``cleanse`` command: ``run`` a corpus, ``explain`` a document's changes, ``--version``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanse.errors import CleanseError, InputError

if TYPE_CHECKING:
    from cleanse.pipeline import Pipeline


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CleanseError as exc:
        print(f"cleanse: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the environment: disk full, permissions, a vanished input
        where = f": {exc.filename}" if exc.filename else ""
        print(f"cleanse: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cleanse: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    from cleanse import __version__

    parser = argparse.ArgumentParser(prog="cleanse", description="Clean and de-duplicate Chinese web text.")
    parser.add_argument("--version", action="version", version=f"cleanse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="clean a corpus: kept.jsonl, rejects.jsonl, report.json, report.md, report.html")
    run.add_argument("input", help="a directory, a glob, a text file, a .jsonl or a .parquet file")
    run.add_argument("-o", "--output", required=True, help="output directory")
    run.add_argument("--config", help="TOML file naming stages and their options")
    run.add_argument("--jobs", type=int, default=1, help="worker processes for per-document stages")
    run.add_argument("--engine", choices=("local", "ray"), default="local", help="local processes or a Ray cluster")
    run.add_argument("--address", help="with --engine ray: the cluster to join (default: start a local Ray)")
    run.add_argument("--text-field", default="text", help="JSONL/Parquet field holding the text")
    run.add_argument("--id-field", default="id", help="JSONL/Parquet field holding the id")
    run.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    run.add_argument(
        "--changes",
        choices=("compact", "full"),
        default="compact",
        help="compact (default): counts of changes per stage and reason; full: every change logged "
        "(`cleanse explain` recomputes a compact document's log from the input on demand)",
    )
    run.add_argument("--no-changes", dest="changes", action="store_const", const="compact", help=argparse.SUPPRESS)
    run.add_argument(
        "--no-split", action="store_true", help="do not emit the stories cut from a page as documents <id>#<n>"
    )
    run.add_argument("--overwrite", action="store_true", help="replace the run files in a non-empty output directory")
    run.add_argument("--resume", action="store_true", help="continue an interrupted run in the output directory")
    run.add_argument(
        "--checkpoint-every", type=float, default=30.0, metavar="SECONDS", help="seconds between checkpoints"
    )
    run.set_defaults(func=_run)

    explain = sub.add_parser(
        "explain",
        help="show what the stages did to documents: grouped changes with before, after and reason",
        description="Explain a kept.jsonl / rejects.jsonl from `cleanse run` (stored change logs, or recomputed from "
        "the source when the run left them out), or run the pipeline on a text file or a JSONL of inputs and "
        "explain the result.",
    )
    explain.add_argument("file", help="kept/rejects .jsonl from a run, a text file, or a .jsonl of input records")
    explain.add_argument("--config", help="TOML file naming stages and their options (for running or recomputing)")
    explain.add_argument("--id", help="explain only this document")
    explain.add_argument("--stage", help="show only this stage's changes")
    explain.add_argument("--reason", help="show only changes with this reason (a prefix ending in ':' matches many)")
    explain.add_argument("--summary", action="store_true", help="one grouped summary over all documents")
    explain.add_argument("--all", action="store_true", help="list every change of a group, not the first three")
    explain.add_argument("--text-field", default="text", help="input JSONL: field holding the text")
    explain.add_argument("--id-field", default="id", help="input JSONL: field holding the id")
    explain.set_defaults(func=_explain)
    return parser


def _run(args: argparse.Namespace) -> int:
    from cleanse.runner import RunOptions, run_to_directory

    if args.address and args.engine != "ray":
        raise InputError("--address needs --engine ray")
    if args.resume and args.overwrite:
        raise InputError("--resume and --overwrite exclude each other")
    if args.engine == "ray" and args.resume:
        raise InputError("--resume needs --engine local")
    options = RunOptions(
        text_field=args.text_field,
        id_field=args.id_field,
        changes=args.changes,
        jobs=args.jobs,
        progress=not args.no_progress and sys.stderr.isatty(),
        mode="resume" if args.resume else "overwrite" if args.overwrite else "new",
        checkpoint_seconds=args.checkpoint_every,
        engine=args.engine,
        address=args.address,
    )
    pipeline = _pipeline(args.config, split=not args.no_split)
    stats = run_to_directory(pipeline, args.input, args.output, options, config=args.config)
    print(
        f"{stats.documents_in} documents (+ {stats.derived} split off): {stats.kept} kept, "
        f"{stats.dropped} rejected, {stats.duplicates} duplicates -> {args.output}"
    )
    return 0 if stats.balanced else 1


def _pipeline(config: str | None, split: bool = True) -> Pipeline:
    from cleanse.pipeline import Pipeline

    pipeline = Pipeline.from_config(config) if config else Pipeline.default()
    if split:
        return pipeline
    stages = [type(s)(s.options, split_documents=False) if s.name == "splice" else s for s in pipeline.stages]
    return Pipeline(stages, pipeline.intake)


def _explain(args: argparse.Namespace) -> int:
    try:
        return _explain_documents(args)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _explain_documents(args: argparse.Namespace) -> int:
    from cleanse.explain import Filter, Summary, explain_document

    path = Path(args.file)
    if path.is_dir():
        raise InputError(
            f"{path} is a directory; explain takes one file: kept.jsonl or rejects.jsonl from `cleanse run`, "
            f"a text file or a .jsonl of input records (to clean a directory: cleanse run {path} -o OUT)"
        )
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    where = Filter(args.stage, args.reason, args.all)
    summary = Summary()
    found = printed = False
    for doc, changes, notes in _explained(path, args, summary):
        if args.id is not None and doc.id != args.id:
            continue
        found = True
        if args.summary:
            summary.add(doc, changes, where, notes)
        elif args.id is not None or not where.narrowed or any(where(c) for c in changes):
            print(("\n" if printed else "") + explain_document(doc, changes, where, notes))
            printed = True
    if args.id is not None and not found:
        raise InputError(f"no document with id {args.id!r} in {path}")
    if args.summary:
        print(summary.render())
    sys.stdout.flush()
    return 0


def _explained(path: Path, args: argparse.Namespace, summary: Any) -> Iterator[tuple[Any, list[Any], list[str]]]:
    """(document, its change log, notes) for each document of an output file, or of the input run now."""
    from cleanse.document import Document
    from cleanse.io import read_inputs
    from cleanse.pipeline import Pipeline
    from cleanse.recompute import documents_with_changes

    pipeline = Pipeline.from_config(args.config) if args.config else Pipeline.default()
    summary.stage_order = ["reader", "intake", *(stage.name for stage in pipeline.stages)]
    if _is_output_file(path):
        records: list[dict[str, Any]] = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    doc = Document.from_record(record)
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}:{number}: not a cleanse output record ({exc})") from None
                if args.id is None or doc.id == args.id:
                    records.append(record)
        recomputed = sum("changes" not in record for record in records)
        if recomputed:
            print(f"cleanse: change logs of {recomputed} documents recomputed from the run's input", file=sys.stderr)
        for doc in documents_with_changes(path, records):
            yield doc, doc.changes, []
        return
    for doc in pipeline.run(read_inputs(path, args.text_field, args.id_field)):
        yield doc, doc.changes, []


def _is_output_file(path: Path) -> bool:
    """A kept/rejects file from `cleanse run`: JSON records with an id and a cleanse status."""
    if path.suffix not in {".jsonl", ".ndjson"}:
        return False
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    return False
                return isinstance(record, dict) and "id" in record and record.get("status") in OUTPUT_STATUSES
    return False


OUTPUT_STATUSES = {"kept", "dropped", "duplicate"}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
