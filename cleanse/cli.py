"""The ``cleanse`` command: ``run`` a corpus, ``explain`` a document's changes, ``--version``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cleanse.errors import CleanseError, InputError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CleanseError as exc:
        print(f"cleanse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cleanse: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    from cleanse import __version__

    parser = argparse.ArgumentParser(prog="cleanse", description="Clean and de-duplicate Chinese web text.")
    parser.add_argument("--version", action="version", version=f"cleanse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="clean a corpus: kept.jsonl, rejects.jsonl, report.json, report.md")
    run.add_argument("input", help="a directory, a glob, a text file, a .jsonl or a .parquet file")
    run.add_argument("-o", "--output", required=True, help="output directory")
    run.add_argument("--config", help="TOML file naming stages and their options")
    run.add_argument("--jobs", type=int, default=1, help="worker processes for per-document stages")
    run.add_argument("--engine", choices=("local", "ray"), default="local", help="local processes or a Ray cluster")
    run.add_argument("--address", help="with --engine ray: the cluster to join (default: start a local Ray)")
    run.add_argument("--text-field", default="text", help="JSONL/Parquet field holding the text")
    run.add_argument("--id-field", default="id", help="JSONL/Parquet field holding the id")
    run.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    run.add_argument("--no-changes", action="store_true", help="leave change logs out of the JSONL output")
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
    from cleanse import __version__
    from cleanse.io import OutputWriter, read_inputs
    from cleanse.pipeline import Pipeline

    if args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    if args.address and args.engine != "ray":
        raise InputError("--address needs --engine ray")
    pipeline = Pipeline.from_config(args.config) if args.config else Pipeline.default()
    documents = read_inputs(args.input, args.text_field, args.id_field)
    started = time.time()
    with OutputWriter(args.output, with_changes=not args.no_changes) as writer:
        progress = not args.no_progress and sys.stderr.isatty()
        if args.engine == "ray":
            stream = pipeline.run_ray(documents, address=args.address, workers=args.jobs if args.jobs > 1 else None)
        else:
            stream = pipeline.run(documents, jobs=args.jobs, progress=progress)
        for doc in stream:
            writer.write(doc)
        report = {
            "version": __version__,
            "input": str(args.input),
            "config": args.config,
            "jobs": args.jobs,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
            "stages": pipeline.describe(),
            "stats": pipeline.stats.to_dict(),
        }
        writer.write_report(report)
    stats = pipeline.stats
    print(
        f"{stats.documents_in} documents: {stats.kept} kept, {stats.dropped} rejected, "
        f"{stats.duplicates} duplicates -> {args.output}"
    )
    return 0 if stats.balanced else 1


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
    from cleanse.io.changes import recompute_changes
    from cleanse.pipeline import Pipeline

    pipeline = Pipeline.from_config(args.config) if args.config else Pipeline.default()
    summary.stage_order = ["reader", "intake", *(stage.name for stage in pipeline.stages)]
    if _is_output_file(path):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    doc = Document.from_record(record)
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}:{number}: not a cleanse output record ({exc})") from None
                if args.id is not None and doc.id != args.id:
                    continue
                log = recompute_changes(record, pipeline, args.text_field, (path.resolve().parent.parent,))
                doc.changes = log.changes
                doc.original = log.original
                yield doc, log.changes, log.notes
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
