"""Run a :class:`~cleanse.pipeline.Pipeline` on Ray: per-document stages as Ray Data batch maps, dedup as shuffles.

Output comes in input order (Ray Data's ``preserve_order``), so a Ray run writes the local run's files.

The local engine stays the default and needs no Ray; this one is for corpora that outgrow one machine.
The same stage objects run in the workers, so a document gets the same edits, verdicts and change log on
either engine; corpus stages run as distributed steps (:mod:`cleanse.engines.ray_dedup`) that reproduce
the local result, because every document carries its input position as an order key
(:mod:`cleanse.engines.rows`).

Nothing is lost silently: a failure inside a stage rejects that document with the error as its reason
(the pipeline's per-document guard), Ray retries tasks lost with a worker, and at the end every input
position must come back exactly once or the run raises :class:`EngineError`.
"""

from __future__ import annotations

import pickle
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cleanse.document import Document
from cleanse.engines._optional import EngineError, require_ray
from cleanse.engines.rows import child_key, from_batch, is_derived, order_key, record_to_document, to_batch, to_row
from cleanse.engines.verdicts import REPORT_COLUMN
from cleanse.stages.base import CorpusStage, DocumentStage, Stage
from cleanse.stats import RunStats

LOST_DOCUMENTS = "lost_documents"


@dataclass(frozen=True)
class RayOptions:
    """How a run uses Ray.

    ``address``: ``None`` starts a local Ray (or reuses the one this process already joined), ``"auto"`` joins
    the cluster of this machine, ``"ray://host:10001"`` a remote one. ``workers``: concurrent tasks running the
    per-document stages (``None``: as many as the cluster has CPUs). ``partitions``: shuffle partitions of the
    dedup steps and groups its input is cut into, so each dedup task holds about 1/``partitions`` of it
    (``None``: two per worker). ``batch_size``: documents per map task.
    ``connect_attempts`` / ``connect_wait``: how often and how long (seconds, doubled each time) to retry
    reaching the cluster. ``task_retries``: how often Ray re-runs a map or dedup task lost with its worker.
    ``num_cpus``: CPUs of a local Ray started here (ignored when joining a cluster).
    """

    address: str | None = None
    workers: int | None = None
    partitions: int | None = None
    batch_size: int = 128
    connect_attempts: int = 3
    connect_wait: float = 1.0
    task_retries: int = 3
    num_cpus: int | None = None
    text_field: str = "text"
    id_field: str = "id"
    ray_init_kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("workers", "partitions", "num_cpus"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.task_retries < 0:
            raise ValueError(f"task_retries must be 0 or more, got {self.task_retries}")
        if self.connect_attempts < 1:
            raise ValueError(f"connect_attempts must be at least 1, got {self.connect_attempts}")


def connect(options: RayOptions | None = None) -> Any:
    """Join (or start) Ray as ``options`` say; retries, then :class:`EngineError` naming the address."""
    options = options or RayOptions()
    ray = require_ray()
    if not ray.is_initialized():
        last: Exception | None = None
        for attempt in range(options.connect_attempts):
            try:
                ray.init(**_init_arguments(options))
                break
            except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
                last = exc
                if attempt + 1 < options.connect_attempts:
                    time.sleep(options.connect_wait * 2**attempt)
        else:
            where = options.address or "a new local Ray instance"
            raise EngineError(
                f"cannot reach Ray at {where} after {options.connect_attempts} attempts: {type(last).__name__}: {last}"
            ) from last
    _quiet(ray)
    return ray


def _init_arguments(options: RayOptions) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "address": options.address,
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
    }
    if options.address is None and options.num_cpus is not None:
        arguments["num_cpus"] = options.num_cpus
    arguments.update(options.ray_init_kwargs)
    return arguments


def _quiet(ray: Any) -> None:
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.execution_options.preserve_order = True  # output in input order, as the local engine writes it


class ChainMapper:
    """The batch map of per-document stages: decode rows, run them as the local pipeline does, encode.

    ``head`` is the chain before the first corpus stage: as in the local pipeline it decodes and checks
    every document (``intake``), and the segments a stage asks to emit become rows of their own, with the
    ids and metadata the local pipeline gives them and order keys that place them where the local run
    yields them. Later per-document stages see kept documents only.
    """

    def __init__(self, stages: list[DocumentStage], head: bool, intake: Any = None) -> None:
        from cleanse.pipeline import Pipeline

        self.head = head
        self.pipeline = Pipeline(stages, intake) if intake is not None else Pipeline(stages)

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[Any]]:
        docs, seqs = from_batch(batch)
        out_docs: list[Document] = []
        out_seqs: list[int] = []
        for doc, seq in zip(docs, seqs, strict=True):
            if not self.head:
                out_docs.append(self.pipeline.process(doc) if doc.kept else doc)
                out_seqs.append(seq)
                continue
            for number, produced in enumerate(self.pipeline._expand([self.pipeline.process(doc)])):
                out_docs.append(produced)
                out_seqs.append(seq if number == 0 else child_key(seq, number))
        out = to_batch(out_docs, out_seqs)
        if not self.head and REPORT_COLUMN in batch:
            out[REPORT_COLUMN] = list(batch[REPORT_COLUMN])  # rows map one to one after the head
        return out


def _records_to_rows(table: Any, offset: int, text_field: str, id_field: str) -> Any:
    import pyarrow as pa

    rows = [
        to_row(record_to_document(record, text_field, id_field), order_key(offset + position))
        for position, record in enumerate(table.to_pylist())
    ]
    return pa.Table.from_pylist(rows, schema=pa.schema([("seq", pa.int64()), ("doc", pa.binary())]))


def to_dataset(data: Any, options: RayOptions, stats: RunStats | None = None) -> tuple[Any, int]:
    """The documents dataset (``seq``, ``doc``) for ``data`` and how many input documents it holds.

    ``data`` is a Ray Dataset (a column ``options.text_field`` of str or bytes, ``options.id_field``, the
    other columns become metadata; input order is the dataset's block order) or an iterable of
    :class:`Document`, counted into ``stats`` as the local engine counts its inputs.
    """
    ray = require_ray()
    if isinstance(data, ray.data.Dataset):
        tables = data.to_arrow_refs()
        sizes = ray.get([_row_count.remote(table) for table in tables]) if tables else []
        converted, offset = [], 0
        for table, size in zip(tables, sizes, strict=True):
            converted.append(_convert.remote(table, offset, options.text_field, options.id_field))
            offset += size
        dataset = ray.data.from_arrow_refs(converted) if converted else ray.data.from_items([])
        return dataset, offset
    from cleanse.intake import InputAdmission

    rows = []
    admission = InputAdmission()
    for position, item in enumerate(data):
        doc = admission.admit(item, position)
        if stats is not None:
            stats.count_input(doc)
        rows.append(to_row(doc, order_key(position)))
    return ray.data.from_items(rows) if rows else ray.data.from_items([]), len(rows)


def _remote(function: Any) -> Any:
    """Wrap ``function`` as a Ray task on first use, so importing this module needs no Ray."""

    class Lazy:
        _task: Any = None

        def remote(self, *args: Any) -> Any:
            if Lazy._task is None:
                Lazy._task = require_ray().remote(function)
            return Lazy._task.remote(*args)

    return Lazy()


def _count_rows(table: Any) -> int:
    return int(table.num_rows)


_row_count = _remote(_count_rows)
_convert = _remote(_records_to_rows)


def transform(pipeline: Any, documents: Any, options: RayOptions) -> Any:
    """Chain the pipeline's stages over the documents dataset; returns the dataset of processed rows.

    Per-document stages stay lazy Ray Data maps; a corpus stage runs its distributed steps here (Ray tasks).
    """
    from cleanse.engines.ray_dedup import distributed_step
    from cleanse.engines.shuffle import Steps

    steps = Steps(retries=options.task_retries)

    stages: list[Stage] = pipeline.stages
    intake = getattr(pipeline, "intake", None)
    dataset = documents
    pending: list[DocumentStage] = []
    head = True
    for stage in stages:
        if isinstance(stage, DocumentStage):
            pending.append(stage)
            continue
        if pending or head:
            dataset = _map_documents(dataset, pending, options, head, intake)
        pending, head = [], False
        if not isinstance(stage, CorpusStage):
            raise TypeError(f"{stage!r} is neither a DocumentStage nor a CorpusStage")
        dataset = distributed_step(stage, steps)(dataset, _partitions(options))
    if pending or head:
        dataset = _map_documents(dataset, pending, options, head, intake)
    return dataset


_MAPPERS: dict[bytes, ChainMapper] = {}


def map_chain(batch: Mapping[str, Any], spec: bytes) -> dict[str, list[Any]]:
    """One batch through the chain ``spec`` (pickled stages, head flag, intake), built once per worker process.

    Ray reuses worker processes across tasks and runs, so the stages (and the imports and tables they
    load) are paid for once per process, not per batch or per run as with a pool of fresh actors.
    """
    mapper = _MAPPERS.get(spec)
    if mapper is None:
        if len(_MAPPERS) >= 8:
            _MAPPERS.clear()
        stages, head, intake = pickle.loads(spec)
        mapper = _MAPPERS[spec] = ChainMapper(stages, head, intake)
    return mapper(batch)


def _map_documents(dataset: Any, stages: list[DocumentStage], options: RayOptions, head: bool, intake: Any) -> Any:
    ray = require_ray()
    size = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    spec = pickle.dumps((stages, head, intake), protocol=pickle.HIGHEST_PROTOCOL)
    with warnings.catch_warnings():
        # Ray Data has no named parameter for task retries yet: `max_retries` still goes through the
        # deprecated **ray_remote_args, and the warning would reach every user (the extra pins ray < 2.64).
        warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated", category=Warning)
        return dataset.map_batches(
            map_chain,
            fn_args=(spec,),
            batch_size=options.batch_size,
            batch_format="numpy",
            compute=ray.data.TaskPoolStrategy(size=size),
            max_retries=options.task_retries,
        )


def _partitions(options: RayOptions) -> int:
    if options.partitions is not None:
        return options.partitions
    cpus = int(require_ray().cluster_resources().get("CPU", 1))
    return max(2, 2 * (options.workers or cpus))


def run_ray(pipeline: Any, data: Any, options: RayOptions | None = None, **overrides: Any) -> Iterator[Document]:
    """Run ``pipeline`` on Ray; yields every input (and split-off) document exactly once, as ``Pipeline.run``.

    ``data`` is a Ray Dataset or an iterable of :class:`Document`; ``overrides`` set :class:`RayOptions`
    fields (``address=``, ``workers=``...). ``pipeline.stats`` is filled as by the local engine; if any
    input document fails to come back the run raises :class:`EngineError` rather than report a short count.
    """
    import dataclasses

    options = dataclasses.replace(options or RayOptions(), **overrides)
    ray = connect(options)
    names = [stage.name for stage in pipeline.stages]
    stats = RunStats(names)
    pipeline.stats = stats
    stats.started = time.time()
    documents, expected = to_dataset(data, options, stats if not isinstance(data, ray.data.Dataset) else None)
    counted_inputs = not isinstance(data, ray.data.Dataset)
    from cleanse.engines.ray_dedup import observers, report_records

    reports = list(observers(pipeline.stages))
    try:
        seen: set[int] = set()
        for batch in transform(pipeline, documents, options).iter_batches(batch_format="numpy", batch_size=256):
            docs, seqs = from_batch(batch)
            records = report_records(batch, len(docs))
            for doc, seq, record in zip(docs, seqs, records, strict=True):
                if seq in seen:
                    raise EngineError(f"document at input position {seq} came back twice")
                seen.add(seq)
                if is_derived(seq):
                    stats.count_derived(doc)
                elif not counted_inputs:
                    stats.count_input(doc)
                stats.count_stages(doc, names)
                stats.count_output(doc)
                for report in reports:
                    report.observe(record)
                yield doc
    except ray.exceptions.RayError as exc:
        raise EngineError(f"the Ray run failed after retries: {type(exc).__name__}: {exc}") from exc
    returned = sum(1 for seq in seen if not is_derived(seq))
    if returned != expected:
        raise EngineError(f"{LOST_DOCUMENTS}: {expected} documents went in, {returned} came back")
    stats.finished = time.time()
    stats.corpus_reports = {report.stage.name: report.to_dict() for report in reports}
