"""The ``cleanse`` command: ``run`` a corpus, ``explain`` a document's changes, ``--version``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

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

    explain = sub.add_parser("explain", help="show every change made to a document, with before, after and reason")
    explain.add_argument("file", help="a text file to clean and explain, or a kept/rejects .jsonl from a run")
    explain.add_argument("--config", help="TOML file naming stages and their options")
    explain.add_argument("--id", help="with a .jsonl file: explain only this document")
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
    from cleanse.document import Document
    from cleanse.io import read_text_files
    from cleanse.pipeline import Pipeline

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    if path.suffix == ".jsonl":
        found = False
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = json.loads(line)
                    doc = Document.from_record(record)
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}:{number}: not a cleanse output record ({exc})") from None
                if args.id is None or doc.id == args.id:
                    found = True
                    print(doc.explain())
        if args.id is not None and not found:
            raise InputError(f"no document with id {args.id!r} in {path}")
        return 0
    pipeline = Pipeline.from_config(args.config) if args.config else Pipeline.default()
    single = Pipeline(pipeline.document_stages)
    for doc in single.run(read_text_files(path)):
        print(doc.explain())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
