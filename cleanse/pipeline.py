"""The pipeline: per-document stages chained (optionally in worker processes), then corpus stages.

Documents stream through: per-document stages run one document at a time and corpus
stages keep only their index, so memory stays bounded however long the input is.
Input that cannot be decoded or fails the intake checks becomes a rejected document with the
error as its reason; a stage that fails on a document is skipped for that document with a
``stage_error`` verdict, so no document is lost to a stage's own exception and a run never stops
half way because of one bad document.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from cleanse.config import load_config
from cleanse.document import Document
from cleanse.intake import INTAKE, IntakeOptions, check_intake
from cleanse.stages import REGISTRY, CorpusStage, DocumentStage, Stage
from cleanse.stages.encoding import ensure_decoded
from cleanse.stats import RunStats

DEFAULT_STAGES = ("encoding", "script", "spam", "splice", "dedup")


class Pipeline:
    """An ordered list of stages; per-document stages before the first corpus stage may run in parallel."""

    def __init__(self, stages: Sequence[Stage], intake: IntakeOptions | None = None) -> None:
        for stage in stages:
            if not isinstance(stage, (DocumentStage, CorpusStage)):
                raise TypeError(f"{stage!r} is neither a DocumentStage nor a CorpusStage")
        self.stages = list(stages)
        self.intake = intake or IntakeOptions()
        self.stats = RunStats([s.name for s in self.stages])

    @classmethod
    def default(cls, **options: Mapping[str, Any]) -> Pipeline:
        """The standard chain: encoding, script, spam, splice, dedup; ``options`` maps stage name to overrides."""
        return cls.from_config({"stages": list(DEFAULT_STAGES), **options})

    @classmethod
    def from_config(cls, config: str | Path | Mapping[str, Any]) -> Pipeline:
        """Build a pipeline from a TOML file or a dict naming stages and their options."""
        spec = load_config(config)
        options = {name: dict(spec.options.get(name, {})) for name in spec.stages}
        _defer_label_actions(spec.stages, options)
        return cls([REGISTRY[name](**options[name]) for name in spec.stages], IntakeOptions(**spec.intake))

    @property
    def document_stages(self) -> list[DocumentStage]:
        return [s for s in self.stages if isinstance(s, DocumentStage)]

    def describe(self) -> list[dict[str, Any]]:
        return [stage.describe() for stage in self.stages]

    def process(self, doc: Document) -> Document:
        """Run the per-document stages on one document (used by ``cleanse.clean``)."""
        return _process_chain(self.document_stages, doc, self.intake)

    def run(self, documents: Iterable[Document], jobs: int = 1, progress: bool = False) -> Iterator[Document]:
        """Stream documents through every stage; yields each input document exactly once."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        self.stats = RunStats([s.name for s in self.stages])
        self.stats.started = time.time()
        head, tail = _split_head(self.stages)
        stream = self._count_inputs(documents)
        stream = _map_chain(head, stream, jobs, self.intake)
        stream = self._record(stream, [s.name for s in head])
        stream = self._expand(stream)
        for stage in tail:
            stream = self._record(_run_stage(stage, stream), [stage.name])
        if progress:
            stream = _with_progress(stream)
        for doc in stream:
            self.stats.count_output(doc)
            yield doc
        self.stats.finished = time.time()
        self.stats.corpus_reports = {s.name: s.report() for s in self.stages if isinstance(s, CorpusStage)}

    def run_ray(self, dataset: Any, **options: Any) -> Iterator[Document]:
        """Run on Ray (``pip install "cleanse[ray]"``); see :func:`cleanse.engines.ray_engine.run_ray`."""
        from cleanse.engines.ray_engine import run_ray

        return run_ray(self, dataset, **options)

    def _count_inputs(self, documents: Iterable[Document]) -> Iterator[Document]:
        for doc in documents:
            self.stats.count_input(doc)
            yield doc

    def _expand(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Turn segments a stage asked to emit (``metadata["emit"]``) into documents of their own."""
        for doc in docs:
            emitted = doc.metadata.pop("emit", None) or ()
            yield doc
            for number, segment in enumerate(emitted, 1):
                child = Document.from_text(
                    segment["text"],
                    id=f"{doc.id}#{number}",
                    parent=doc.id,
                    role=segment.get("role"),
                    source=doc.metadata.get("source"),
                )
                self.stats.count_derived(child)
                yield child

    def _record(self, docs: Iterable[Document], names: list[str]) -> Iterator[Document]:
        for doc in docs:
            self.stats.count_stages(doc, names)
            yield doc


def _defer_label_actions(stages: list[str], options: dict[str, dict[str, Any]]) -> None:
    """Let the splice stage apply the spam stage's line actions when it runs after it.

    Splicing uses captions, datelines and continuation marks as evidence, so the lines the
    spam stage would drop must still be there when the splice stage looks (label first, act last).
    """
    if "spam" not in stages or "splice" not in stages[stages.index("spam") :]:
        return
    fields = getattr(REGISTRY["spam"].Options, "__dataclass_fields__", {})
    if "defer_actions" in fields:
        options["spam"].setdefault("defer_actions", True)


def _split_head(stages: list[Stage]) -> tuple[list[DocumentStage], list[Stage]]:
    """The leading per-document stages (parallelisable) and the rest, run in order."""
    head: list[DocumentStage] = []
    for stage in stages:
        if not isinstance(stage, DocumentStage):
            break
        head.append(stage)
    return head, stages[len(head) :]


def _process_chain(stages: Sequence[DocumentStage], doc: Document, intake: IntakeOptions) -> Document:
    try:
        ensure_decoded(doc)
        check_intake(doc, intake)
    except Exception as exc:  # bad input: a reject with the reason, never a stopped run
        doc.drop(INTAKE, f"error: {type(exc).__name__}: {exc}")
        return doc
    for stage in stages:
        if not doc.kept:
            break
        doc = _guarded(stage, doc)
    return doc


def _guarded(stage: DocumentStage, doc: Document) -> Document:
    """Run one stage; if the stage itself fails, undo what it did and go on without it.

    A stage's bug must not cost the user the document: the document continues with the text it
    had before the stage, and a verdict ``stage_error: <ExcType>`` (message in the evidence) says
    which stage was skipped and why.
    """
    saved = _snapshot(doc)
    try:
        return stage.process(doc)
    except Exception as exc:
        _restore(doc, saved)
        doc.flag(stage.name, 0, 0, f"{STAGE_ERROR}: {type(exc).__name__}", evidence=(str(exc)[:500],))
        return doc


STAGE_ERROR = "stage_error"


def _snapshot(doc: Document) -> tuple[Any, ...]:
    metadata = {key: value.copy() if isinstance(value, (list, dict)) else value for key, value in doc.metadata.items()}
    return (
        doc.text,
        doc.original,
        len(doc.changes),
        doc._steps,
        metadata,
        doc.status,
        doc.status_stage,
        doc.status_reason,
        doc.duplicate_of,
    )


def _restore(doc: Document, saved: tuple[Any, ...]) -> None:
    text, original, changes, steps, metadata, status, status_stage, status_reason, duplicate_of = saved
    doc.text, doc.original, doc._steps, doc.metadata = text, original, steps, metadata
    del doc.changes[changes:]
    doc.status, doc.status_stage, doc.status_reason = status, status_stage, status_reason
    doc.duplicate_of = duplicate_of


def _run_stage(stage: Stage, docs: Iterable[Document]) -> Iterator[Document]:
    if isinstance(stage, DocumentStage):
        for doc in docs:
            yield _process_chain([stage], doc, IntakeOptions(max_line_chars=0)) if doc.kept else doc
    elif isinstance(stage, CorpusStage):
        yield from stage.run(docs)


_WORKER: tuple[list[DocumentStage], IntakeOptions] = ([], IntakeOptions())


def _init_worker(stages: list[DocumentStage], intake: IntakeOptions) -> None:
    global _WORKER
    _WORKER = (stages, intake)


def _work(chunk: list[Document]) -> list[Document]:
    stages, intake = _WORKER
    return [_process_chain(stages, doc, intake) for doc in chunk]


def _map_chain(
    stages: list[DocumentStage], docs: Iterable[Document], jobs: int, intake: IntakeOptions, chunksize: int = 8
) -> Iterator[Document]:
    """Run the per-document chain, in order; with ``jobs > 1`` in worker processes.

    Only ``jobs * 4`` chunks are in flight at once (``Pool.imap`` would read the whole input
    ahead), so memory stays bounded on an endless stream.
    """
    if jobs == 1:
        for doc in docs:
            yield _process_chain(stages, doc, intake)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pending: deque[AsyncResult[list[Document]]] = deque()
    with context.Pool(jobs, initializer=_init_worker, initargs=(stages, intake)) as pool:
        iterator = iter(docs)
        while chunk := list(islice(iterator, chunksize)):
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= jobs * 4:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _with_progress(docs: Iterable[Document]) -> Iterator[Document]:
    from tqdm import tqdm

    with tqdm(unit="B", unit_scale=True, unit_divisor=1024, desc="cleanse", mininterval=0.5) as bar:
        count = 0
        for doc in docs:
            count += 1
            bar.update(int(doc.metadata.get("size", 0)))
            if count % 50 == 0:
                elapsed = max(bar.format_dict["elapsed"], 1e-9)
                bar.set_postfix(docs=count, docs_per_s=f"{count / elapsed:.0f}", refresh=False)
            yield doc
        bar.set_postfix(docs=count, refresh=True)
