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
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanse.config import load_config
from cleanse.document import Document
from cleanse.errors import WorkerLostError
from cleanse.intake import INTAKE, InputAdmission, IntakeOptions, check_intake
from cleanse.stages import REGISTRY, CorpusStage, DocumentStage, Stage
from cleanse.stats import RunStats

if TYPE_CHECKING:
    from concurrent.futures import Future

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
        self._admission = InputAdmission()
        self._pending_children = 0

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

    @property
    def head_stages(self) -> list[DocumentStage]:
        """The per-document stages before the first corpus stage: the part that runs in workers."""
        return _split_head(self.stages)[0]

    def describe(self) -> list[dict[str, Any]]:
        return [stage.describe() for stage in self.stages]

    def process(self, doc: Document) -> Document:
        """Run the per-document stages on one document (used by ``cleanse.clean``)."""
        return _process_chain(self.document_stages, doc, self.intake)

    def run(
        self,
        documents: Iterable[Document],
        jobs: int = 1,
        progress: bool = False,
        resume: bool = False,
        drop_metadata: Collection[str] = (),
    ) -> Iterator[Document]:
        """Stream documents through every stage; yields each input document exactly once.

        Every run starts from a clean state: corpus stages forget the documents of earlier runs
        (``reset``), unless they were configured with an index to load (``[dedup] index_path``).
        Inputs are admitted first (:class:`cleanse.intake.InputAdmission`): ids unique within the run.
        ``resume=True`` continues from the state :meth:`restore` installed: the counts, the admitted ids and
        the corpus stages' indexes carry on, and ``documents`` must be the input after the documents already
        done. ``drop_metadata``: metadata keys the per-document stages keep for one another and the caller
        does not want (compact output); they are removed where those stages ran, before documents travel
        back from worker processes.
        """
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        if not resume:
            for stage in self.stages:
                reset = getattr(stage, "reset", None)
                if isinstance(stage, CorpusStage) and callable(reset):
                    reset()
            self.stats = RunStats([s.name for s in self.stages])
            self.stats.started = time.time()
            self._admission = InputAdmission()
        self._pending_children = 0
        head, tail = _split_head(self.stages)
        stream = _measure_sizes(self._admit(documents))
        later_document_stages = any(isinstance(stage, DocumentStage) for stage in tail)
        drop = () if later_document_stages else tuple(drop_metadata)  # a later stage may read them
        stream = _map_chain(head, stream, jobs, self.intake, drop)
        stream = self._count_inputs(stream)
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

    @property
    def at_boundary(self) -> bool:
        """Whether every document that entered the corpus stages has also left the pipeline.

        True between two input documents (and their split-off children) when every corpus stage
        streams; then :meth:`snapshot` plus ``stats.documents_in`` describe the run exactly.
        """
        head, tail = _split_head(self.stages)
        streaming = all(getattr(stage, "streaming", True) for stage in tail)
        return streaming and self._pending_children == 0

    def snapshot(self) -> bytes:
        """The run's state after the documents output so far: counts and the stages after the head."""
        head, tail = _split_head(self.stages)
        admission = self._admission.before(self.stats.documents_in)
        return pickle.dumps((tail, self.stats, admission), protocol=pickle.HIGHEST_PROTOCOL)

    def restore(self, state: bytes) -> None:
        """Install a :meth:`snapshot` taken by an identical pipeline; then ``run(..., resume=True)``."""
        head, tail = _split_head(self.stages)
        restored_tail, stats, admission = pickle.loads(state)
        if [s.name for s in restored_tail] != [s.name for s in tail]:
            raise ValueError("the saved state was taken by a pipeline with other stages")
        self.stages = [*head, *restored_tail]
        self.stats = stats
        self._admission = admission

    def _admit(self, documents: Iterable[object]) -> Iterator[Document]:
        """Every input as a document with an id unique in the run, or rejected with a reason (never a crash)."""
        for position, item in enumerate(documents, self.stats.documents_in):
            yield self._admission.admit(item, position)

    def _count_inputs(self, documents: Iterable[Document]) -> Iterator[Document]:
        """Count each input as it leaves the per-document stages (in step with the output)."""
        for doc in documents:
            self.stats.count_input(doc)
            yield doc

    def _expand(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Turn segments a stage asked to emit (``metadata["emit"]``) into documents of their own."""
        for doc in docs:
            emitted = doc.metadata.pop("emit", None) or ()
            self._pending_children = len(emitted) if isinstance(emitted, (list, tuple)) else 0
            if not isinstance(emitted, (list, tuple)) or not all(
                isinstance(s, dict) and isinstance(s.get("text"), str) for s in emitted
            ):
                if doc.kept:
                    doc.drop("pipeline", "error: invalid emit metadata (a list of segments with text expected)")
                emitted = ()
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
                self._pending_children -= 1
                yield child

    def _record(self, docs: Iterable[Document], names: list[str]) -> Iterator[Document]:
        for doc in docs:
            self.stats.count_stages(doc, names)
            yield doc


def _measure_sizes(documents: Iterable[Document]) -> Iterator[Document]:
    """Record each input's size in bytes before decoding (``metadata["size"]``). Text that is not a str is
    left unmeasured (intake rejects it next); lone surrogates count as the bytes they would take."""
    for doc in documents:
        if "size" not in doc.metadata:
            if isinstance(doc.raw, (bytes, bytearray, memoryview)):
                doc.metadata["size"] = len(doc.raw)
            elif doc.text is None or isinstance(doc.text, str):
                doc.metadata["size"] = len((doc.text or "").encode("utf-8", "surrogatepass"))
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
        if doc.text is None:
            from cleanse.stages.encoding import ensure_decoded

            ensure_decoded(doc)
        check_intake(doc, intake)
    except Exception as exc:  # bad input: a reject with the reason, never a stopped run
        doc.drop(INTAKE, f"error: {type(exc).__name__}: {exc}")
        return doc
    for index, stage in enumerate(stages):
        if not doc.kept:
            break
        text = doc.text
        doc = _guarded(stage, doc)
        judges = _judges_of(stage, stages[: index + 1])
        if judges and doc.kept and doc.text != text:
            doc = _settle(judges, stage, doc)
    return doc


SETTLE: dict[str, tuple[str, ...]] = {
    "encoding": ("encoding",),
    "script": ("encoding", "script"),
    "spam": ("encoding", "script", "spam"),
    "splice": ("encoding", "script", "spam", "splice"),
}
"""Stages whose edits earlier stages must look at again (stage: the stages that run again on its output, in
chain order; a converter runs again after the judge it feeds).

A judge acts on what the text looks like; a later stage then rewrites it, and the judge would see it differently on
a second pass: encoding repair reading a line whose ASCII marks it has just made fullwidth (the line now reads as
Chinese, and a run in it as mojibake); encoding repair reading the Simplified form of a Traditional line as
mojibake after script conversion; after spam has cut a line or phrase, a line whose script (or mojibake) was held
back by the junk it carried (a kana ad tail that kept a Traditional sentence from conversion), or a line that now
stands at the page's edge or next to other junk and reads as furniture (spam judges again); after splicing has
dropped or joined lines, a mark that now stands next to Chinese (fullwidth restoration), a run that now reads as
mojibake, a line that now stands at an edge and that spam labels as furniture, or a page that, without its spliced
stories, is junk as a whole (spam's page signals); and the splice stage acts at once on those labels and on a
stretch that is off topic in what is left (it judges its own output). So when the stage edits a document, its
judges look at the result at once, and they repeat until they change nothing: ``clean(clean(x)) == clean(x)`` by
the order of the chain, not by luck."""
SETTLE_ROUNDS = 3


def _judges_of(stage: DocumentStage, chain: Sequence[DocumentStage]) -> tuple[DocumentStage, ...]:
    wanted = SETTLE.get(stage.name, ())
    return tuple(s for s in chain if s.name in wanted)


def _settle(judges: tuple[DocumentStage, ...], stage: DocumentStage, doc: Document) -> Document:
    """Run ``judges`` (in chain order) on what ``stage`` made, until they change nothing (at most
    :data:`SETTLE_ROUNDS` rounds). A round that changes no text and rejects nothing is undone, so the log holds
    no repeated verdicts; each stage's summary (``metadata[name]``) stays the one of its first run, which saw
    the input. A rejection by a judge stands: a second pass would reject the document too. A round of one judge
    that says it has already read the text and found nothing to do (:meth:`DocumentStage.settled`) is not run:
    it would be undone.
    """
    names = {judge.name for judge in judges} | {stage.name}
    summaries = {name: doc.metadata[name] for name in names if name in doc.metadata}
    for _ in range(SETTLE_ROUNDS):
        if len(judges) == 1 and judges[0].settled(doc):
            break  # the one judge already read this text and would change nothing: the round would be undone
        saved = _snapshot(doc)
        text = doc.text
        logged = len(doc.changes)
        for judge in judges:
            doc = _guarded(judge, doc)
            if not doc.kept:
                break
        if any(change.reason.startswith(STAGE_ERROR) for change in doc.changes[logged:]):
            break  # reported in the log; the stage's own edits were undone by the guard
        if doc.kept and doc.text == text:
            _restore(doc, saved)
            break
        doc.metadata.update(summaries)
        if not doc.kept:
            break
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


_WORKER: tuple[list[DocumentStage], IntakeOptions, tuple[str, ...]] = ([], IntakeOptions(), ())


def _init_worker(stages: list[DocumentStage], intake: IntakeOptions, drop: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = (stages, intake, drop)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker when the process that started it is gone (killed with SIGKILL, say), instead of
    waiting for work forever."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _work(chunk: list[Document]) -> list[Document]:
    stages, intake, drop = _WORKER
    return [_without(_process_chain(stages, doc, intake), drop) for doc in chunk]


def _without(doc: Document, keys: tuple[str, ...]) -> Document:
    for key in keys:
        doc.metadata.pop(key, None)
    return doc


CHUNK_BYTES = 256 * 1024
CHUNK_DOCUMENTS = 1024


def _map_chain(
    stages: list[DocumentStage], docs: Iterable[Document], jobs: int, intake: IntakeOptions, drop: tuple[str, ...] = ()
) -> Iterator[Document]:
    """Run the per-document chain, in order; with ``jobs > 1`` in worker processes.

    Workers get whole chunks of about :data:`CHUNK_BYTES` of input (at most :data:`CHUNK_DOCUMENTS`
    documents), so the cost of sending work and results stays small next to the work, for a few long
    pages as for many short posts. Only ``jobs * 3`` chunks are in flight at once (``Pool.imap`` would
    read the whole input ahead), so memory stays bounded on an endless stream.
    """
    if jobs == 1:
        for doc in docs:
            yield _without(_process_chain(stages, doc, intake), drop)
        return
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pending: deque[Future[list[Document]]] = deque()
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(stages, intake, drop))
    try:
        for chunk in _chunks(docs, CHUNK_BYTES, CHUNK_DOCUMENTS):
            pending.append(executor.submit(_work, chunk))
            if len(pending) >= jobs * 3:
                yield from _chunk_result(pending.popleft())
        while pending:
            yield from _chunk_result(pending.popleft())
    finally:  # also when the consumer stops early: queued chunks are dropped, running ones finish
        executor.shutdown(wait=True, cancel_futures=True)


def _chunk_result(future: Future[list[Document]]) -> list[Document]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerLostError(
            "a worker process died (killed, or out of memory); the run stopped, rerun with --resume to continue"
        ) from None


def _chunks(docs: Iterable[Document], max_bytes: int, max_documents: int) -> Iterator[list[Document]]:
    """Consecutive documents grouped until their input size reaches ``max_bytes`` (or ``max_documents``)."""
    chunk: list[Document] = []
    size = 0
    for doc in docs:
        chunk.append(doc)
        size += int(doc.metadata.get("size", 0)) or 1
        if size >= max_bytes or len(chunk) >= max_documents:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


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
