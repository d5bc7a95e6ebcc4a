"""Recompute the full change log of documents from a run's input (the pipeline is deterministic).

Compact output keeps only counts of changes; this module gives back the whole log on demand.
The run's ``report.json`` names the input, the reader fields, the stages with all their options and
the intake options, so the same pipeline can be rebuilt. A document whose changes all come from
per-document stages is recomputed alone (its parent, for a split-off story); one that a corpus stage
changed (a paragraph verdict of dedup) needs the documents before it, so the run is replayed from
the start up to it. A saved dedup index (``index_path``) is not read: a replay sees only the input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cleanse.document import Document
from cleanse.errors import InputError
from cleanse.io.records import CHANGE_COUNTS

REPORT = "report.json"


def load_run_report(records_file: str | Path) -> dict[str, Any]:
    """The ``report.json`` of the run that wrote ``records_file`` (it sits in the same directory)."""
    path = Path(records_file).parent / REPORT
    try:
        report = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"cannot recompute changes: no {REPORT} next to {records_file}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot recompute changes: {path}: {exc}") from None
    if not isinstance(report, dict) or "stages" not in report or "input" not in report:
        raise InputError(f"cannot recompute changes: {path} is not a cleanse run report")
    return report


def pipeline_from_report(report: Mapping[str, Any]) -> Any:
    """The run's pipeline, rebuilt from the stages and options its report lists (without a saved index)."""
    from cleanse.pipeline import Pipeline

    config: dict[str, Any] = {"stages": [stage["name"] for stage in report["stages"]]}
    for stage in report["stages"]:
        options = dict(stage.get("options") or {})
        if "index_path" in options:
            options["index_path"] = None
        config[stage["name"]] = options
    if report.get("intake"):
        config["intake"] = dict(report["intake"])
    return Pipeline.from_config(config)


def recompute_documents(report: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> dict[str, Document]:
    """Recompute the documents behind ``records`` (output records of the run ``report`` describes).

    Returns the documents by id, each with its full change log, exactly as the run computed them.
    """
    pipeline = pipeline_from_report(report)
    head = pipeline.head_stages
    corpus_names = {stage.name for stage in pipeline.stages[len(head) :]}
    wanted = {str(record["id"]): record for record in records}
    alone = {i for i, r in wanted.items() if not (_changed_by(r) & corpus_names) and r.get("stage") not in corpus_names}
    found: dict[str, Document] = {}
    if alone:
        for doc_id, doc in _recompute_alone(report, pipeline, head, alone).items():
            _add_corpus_metadata(doc, wanted[doc_id])
            found[doc_id] = doc
    rest = set(wanted) - set(found)
    if rest:
        found.update(_replay(report, pipeline, rest))
    return found


def _add_corpus_metadata(doc: Document, record: Mapping[str, Any]) -> None:
    """A corpus stage that changed nothing in a document may still have noted facts on it (dedup's
    cluster id); records keep such plain metadata as it was, so it is taken from the record."""
    from cleanse.io.records import DETAIL_KEYS

    for key, value in (record.get("metadata") or {}).items():
        if key not in doc.metadata and key != CHANGE_COUNTS and key not in DETAIL_KEYS:
            doc.metadata[key] = value


def _changed_by(record: Mapping[str, Any]) -> set[str]:
    if "changes" in record:
        return {str(change.get("stage")) for change in record["changes"] or ()}
    return set((record.get("metadata") or {}).get(CHANGE_COUNTS) or {})


def _inputs(report: Mapping[str, Any]) -> Any:
    from cleanse.io.readers import read_inputs

    source = report.get("input_path") or report["input"]
    docs = read_inputs(source, report.get("text_field", "text"), report.get("id_field", "id"))
    given = str(report["input"])
    if given == str(source):
        return docs
    return (_as_named_in_run(doc, str(source), given) for doc in docs)


def _as_named_in_run(doc: Document, absolute: str, given: str) -> Document:
    """The input is read from its absolute path (the replay may run elsewhere); sources are named as the
    run named them, so the recomputed metadata equals the stored."""
    source = doc.metadata.get("source")
    if isinstance(source, str) and source.startswith(absolute):
        doc.metadata["source"] = given + source[len(absolute) :]
    return doc


def _recompute_alone(report: Mapping[str, Any], pipeline: Any, head: list[Any], ids: set[str]) -> dict[str, Document]:
    from cleanse.pipeline import Pipeline

    parents = {doc_id.split("#")[0] if "#" in doc_id else doc_id for doc_id in ids} | ids
    chain = Pipeline(head, pipeline.intake)
    found: dict[str, Document] = {}
    for doc in _inputs(report):
        if doc.id not in parents:
            continue
        for result in chain.run([doc]):
            if result.id in ids:
                found[result.id] = result
        if len(found) == len(ids):
            break
    return found


def _replay(report: Mapping[str, Any], pipeline: Any, ids: set[str]) -> dict[str, Document]:
    found: dict[str, Document] = {}
    for doc in pipeline.run(_inputs(report)):
        if doc.id in ids:
            found[doc.id] = doc
            if len(found) == len(ids):
                break
    return found


def same_outcome(record: Mapping[str, Any], doc: Document) -> bool:
    """Whether a recomputed document ends as the stored record did (same text, status and reason)."""
    return (
        record.get("text") == doc.text
        and record.get("status", "kept") == doc.status
        and record.get("reason") == (doc.status_reason if doc.status != "kept" else None)
    )


def documents_with_changes(records_file: str | Path, records: list[dict[str, Any]]) -> list[Document]:
    """The documents of output records of a run, each with its full change log: stored (``--changes
    full``) or recomputed from the run's input (compact records). A compact record whose document is
    not found in the input, or whose recomputed document no longer ends as the record did (the input
    or cleanse changed since the run), is reported on stderr; the record is shown as stored."""
    from cleanse.io.records import has_change_log

    compact = [record for record in records if not has_change_log(record)]
    recomputed = recompute_documents(load_run_report(records_file), compact) if compact else {}
    documents = []
    for record in records:
        doc = None if has_change_log(record) else recomputed.get(str(record["id"]))
        if doc is None:
            if not has_change_log(record):
                print(f"cleanse: warning: {record['id']} not found in the run's input", file=sys.stderr)
            doc = Document.from_record(record)
        elif not same_outcome(record, doc):
            print(f"cleanse: warning: {record['id']}: recomputed result differs from the record", file=sys.stderr)
        documents.append(doc)
    return documents
