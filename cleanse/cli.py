"""The ``cleanse`` command: ``run`` a corpus, ``explain`` a document's changes, ``--version``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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

    explain = sub.add_parser("explain", help="show every change made to a document, with before, after and reason")
    explain.add_argument("file", help="a text file to clean and explain, or a kept/rejects .jsonl from a run")
    explain.add_argument("--config", help="TOML file naming stages and their options")
    explain.add_argument("--id", help="with a .jsonl file: explain only this document")
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
    from cleanse.document import Document
    from cleanse.io import read_text_files
    from cleanse.pipeline import Pipeline

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    if path.suffix == ".jsonl":
        records = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = json.loads(line)
                    doc = Document.from_record(record)
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}:{number}: not a cleanse output record ({exc})") from None
                if args.id is None or doc.id == args.id:
                    records.append(record)
        if args.id is not None and not records:
            raise InputError(f"no document with id {args.id!r} in {path}")
        from cleanse.recompute import documents_with_changes

        for doc in documents_with_changes(path, records):
            print(doc.explain())
        return 0
    pipeline = Pipeline.from_config(args.config) if args.config else Pipeline.default()
    single = Pipeline(pipeline.document_stages)
    for doc in single.run(read_text_files(path)):
        print(doc.explain())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
