"""cleanse on Hugging Face ``datasets`` (``pip install "cleanse[hf]"``).

:func:`clean_dataset` runs the per-document chain as a batched ``Dataset.map`` (in ``num_proc`` worker
processes), then near-duplicate detection over the whole dataset, and returns the dataset with the
cleaned text and ``status``, ``reason`` and ``duplicate_of`` columns, every row kept (filter on
``status == "kept"`` for the training set; the other rows say why they went). :func:`find_duplicates`
clusters the texts of one column, reading it in batches, so the text is never all in one Python list.
Examples: docs/integrations.md (run by tests/integrations/test_docs.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cleanse.errors import MissingDependencyError
from cleanse.integrations.chain import Config, one_row_chain, run_chain
from cleanse.integrations.dedup import NativeVerdict, cluster, dedup_options, native_verdicts, sketch_batches

try:
    import datasets
except ImportError:
    raise MissingDependencyError("datasets", "hf") from None

STATUS, REASON, DUPLICATE_OF = "status", "reason", "duplicate_of"
BATCH_SIZE = 1000

__all__ = ["clean_dataset", "find_duplicates"]


def clean_dataset(
    ds: datasets.Dataset,
    text_column: str = "text",
    num_proc: int = 1,
    config: Config = None,
    id_column: str | None = None,
    dedup: bool = True,
    batch_size: int = BATCH_SIZE,
) -> datasets.Dataset:
    """Clean ``ds[text_column]`` and mark rejects and near-duplicates; returns a new dataset.

    ``config`` is a TOML path or dict as for :meth:`cleanse.Pipeline.from_config` (its ``[dedup]`` table
    sets the dedup options; ``dedup=False``, or a config whose stages leave out "dedup", skips dedup).
    ``duplicate_of`` holds the ``id_column`` value of the kept row, or its row number as a string.
    A dropped row keeps its input text, so ``reason`` can be checked against it.
    """
    _check_column(ds, text_column)
    chain = one_row_chain(config, "clean_dataset")
    features = ds.features.copy()
    for column in (text_column, STATUS, REASON, DUPLICATE_OF):
        features[column] = datasets.Value("string")
    cleaned = ds.map(
        _clean_batch,
        features=features,
        batched=True,
        batch_size=batch_size,
        num_proc=num_proc if num_proc > 1 else None,
        fn_kwargs={"text_column": text_column, "chain": chain},
        desc="cleanse: per-document chain",
    )
    options = _dedup_table(config)
    if not dedup or options is None:
        return cleaned
    rows: list[int] = []
    compared = _kept_documents(cleaned, text_column, id_column, batch_size, rows)
    marks = {rows[v.unit]: v for v in native_verdicts(compared, dedup_options(options))}
    if not marks:
        return cleaned
    return cleaned.map(
        _mark_duplicates,
        features=features,
        batched=True,
        batch_size=batch_size,
        with_indices=True,
        fn_kwargs={"marks": marks, "text_column": text_column},
        desc="cleanse: near-duplicates",
    )


def find_duplicates(
    ds: datasets.Dataset, column: str = "text", threshold: float = 0.5, batch_size: int = 10_000, **options: Any
) -> list[list[int]]:
    """:func:`cleanse.find_duplicates` over one column: clusters of row numbers, read ``batch_size`` at a time.

    Signatures and shingle sets are numpy arrays, so memory is the sketches, not the text.
    """
    _check_column(ds, column)
    settings = dedup_options(options, threshold=threshold)
    return cluster(sketch_batches(_column_batches(ds, column, batch_size), settings), settings)


def _clean_batch(batch: dict[str, list[Any]], text_column: str, chain: Mapping[str, Any]) -> dict[str, list[Any]]:
    texts, statuses, reasons = [], [], []
    for text in batch[text_column]:
        verdict = run_chain(text if isinstance(text, str) else "", chain)
        texts.append(verdict.text if verdict.kept else text)
        statuses.append(verdict.status)
        reasons.append(verdict.reason)
    return {text_column: texts, STATUS: statuses, REASON: reasons, DUPLICATE_OF: [None] * len(texts)}


def _mark_duplicates(
    batch: dict[str, list[Any]], indices: list[int], marks: Mapping[int, NativeVerdict], text_column: str
) -> dict[str, list[Any]]:
    for position, index in enumerate(indices):
        verdict = marks.get(index)
        if verdict is None:
            continue
        if verdict.status == "duplicate":
            batch[STATUS][position] = "duplicate"
            batch[REASON][position] = verdict.reason
            batch[DUPLICATE_OF][position] = verdict.duplicate_of
        else:
            batch[text_column][position] = verdict.text
    return batch


def _kept_documents(
    ds: datasets.Dataset, column: str, id_column: str | None, batch_size: int, rows: list[int]
) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of the rows the chain kept, in order (the native stage compares only those); the
    row number of each is appended to ``rows``. The id is the ``id_column`` value, else the row number."""
    if id_column is not None:
        _check_column(ds, id_column)
    columns = [column, STATUS] + ([id_column] if id_column is not None else [])
    row = 0
    for batch in ds.select_columns(columns).iter(batch_size=batch_size):
        names = batch[id_column] if id_column is not None else None
        for offset, (text, status) in enumerate(zip(batch[column], batch[STATUS], strict=True)):
            if status == "kept" and isinstance(text, str) and text:
                rows.append(row + offset)
                yield (str(names[offset]) if names is not None else str(row + offset)), text
        row += len(batch[column])


def _column_batches(ds: datasets.Dataset, column: str, batch_size: int) -> Iterator[list[str]]:
    for batch in ds.select_columns([column]).iter(batch_size=batch_size):
        yield [t if isinstance(t, str) else "" for t in batch[column]]


def _dedup_table(config: Config) -> dict[str, Any] | None:
    from cleanse.config import load_config

    spec = load_config(config if config is not None else {"stages": ["encoding", "script", "spam", "splice", "dedup"]})
    if "dedup" not in spec.stages:
        return None
    return dict(spec.options.get("dedup", {}))


def _check_column(ds: Any, column: str) -> None:
    if not isinstance(ds, datasets.Dataset):
        raise TypeError(f"expected a datasets.Dataset, not {type(ds).__name__}")
    if column not in ds.column_names:
        raise KeyError(f"the dataset has no column {column!r}; its columns: {', '.join(ds.column_names)}")
