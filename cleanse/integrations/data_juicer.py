"""cleanse operators for data-juicer recipes (``pip install "cleanse[data-juicer]"``).

Importing this module registers, with data-juicer's ``OPERATORS`` registry, operators a YAML recipe
names in its ``process`` list (for the ``dj-process`` command, list
``cleanse/integrations/data_juicer_operators.py`` under ``custom_operator_paths``):

- ``cleanse_chain_mapper``: the per-document chain (encoding, script, spam, splice; ``config`` is a TOML
  path or dict as for :meth:`cleanse.Pipeline.from_config`); one mapper per stage too:
  ``cleanse_encoding_mapper``, ``cleanse_script_mapper``, ``cleanse_spam_mapper``, ``cleanse_splice_mapper``
  (``options``: the stage's table). A mapper cannot drop a sample: it writes the cleaned text, and
  cleanse's verdict to the sample's stats (``cleanse_status``, ``cleanse_stage``, ``cleanse_reason``);
- ``cleanse_status_filter``: drops the samples a cleanse operator before it rejected, reason in the stats;
- ``cleanse_spam_filter``: labels lines with the spam stage and drops mostly-spam documents
  (stats ``cleanse_spam_share`` and the reason);
- ``cleanse_minhash_deduplicator``: cleanse's native dedup stage over the whole dataset in order (a
  sample is a duplicate only when one kept sample before it covers it, as in the native run);
  ``mark_only: true`` keeps the duplicates with ``cleanse_status: duplicate``, the reason and
  ``cleanse_duplicate_of`` in their stats (then drop them with ``cleanse_status_filter``).

Stats hold strings only ("" for none), so every row of the stats column has one type.
"""

from __future__ import annotations

from typing import Any

from cleanse.errors import MissingDependencyError
from cleanse.integrations.chain import chain_config, one_row_chain, run_chain
from cleanse.integrations.dedup import NativeVerdict, dedup_options, native_verdicts

try:
    from data_juicer.ops.base_op import OPERATORS, Deduplicator, Filter, Mapper
    from data_juicer.utils.constant import Fields
except ImportError:
    raise MissingDependencyError("py-data-juicer", "data-juicer") from None

STATUS, STAGE, REASON, DUPLICATE_OF = "cleanse_status", "cleanse_stage", "cleanse_reason", "cleanse_duplicate_of"
SPAM_SHARE = "cleanse_spam_share"
BATCH_SIZE = 10_000

__all__ = [
    "CleanseChainMapper",
    "CleanseMinhashDeduplicator",
    "CleanseSpamFilter",
    "CleanseStageMapper",
    "CleanseStatusFilter",
]


def _stats(sample: dict[str, Any]) -> dict[str, Any]:
    stats = sample.get(Fields.stats)
    if not isinstance(stats, dict):
        stats = {}
        sample[Fields.stats] = stats
    return stats


def _record(sample: dict[str, Any], status: str, stage: str | None, reason: str | None) -> None:
    _stats(sample).update({STATUS: status, STAGE: stage or "", REASON: reason or "", DUPLICATE_OF: ""})


class CleanseChainMapper(Mapper):
    """The per-document chain on ``text_key``: cleaned text, and cleanse's verdict in the stats."""

    _stages: tuple[str, ...] | None = None

    def __init__(self, config: str | dict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain = one_row_chain(config, "data-juicer mappers", self._stages)

    def process_single(self, sample: dict[str, Any]) -> dict[str, Any]:
        previous = _stats(sample).get(STATUS)
        if previous and previous != "kept":
            return sample  # rejected by an earlier cleanse operator: left as it was, like the native chain
        verdict = run_chain(sample[self.text_key], self.chain)
        if verdict.kept:
            sample[self.text_key] = verdict.text
        _record(sample, verdict.status, verdict.stage, verdict.reason)
        return sample


class CleanseStageMapper(CleanseChainMapper):
    """One stage of the chain; ``options`` is the stage's table (subclasses name the stage)."""

    _stage = ""

    def __init__(self, options: dict | None = None, *args: Any, **kwargs: Any) -> None:
        config = {"stages": [self._stage], self._stage: dict(options or {})}
        super().__init__(config, *args, **kwargs)


class CleanseStatusFilter(Filter):
    """Keeps the samples a cleanse operator before it kept (or never saw); the stats say why the rest went."""

    def compute_stats_single(self, sample: dict[str, Any], context: bool = False) -> dict[str, Any]:
        stats = _stats(sample)
        if not stats.get(STATUS):
            _record(sample, "kept", None, None)
        return sample

    def process_single(self, sample: dict[str, Any]) -> bool:
        return sample[Fields.stats].get(STATUS) in ("kept", "", None)


class CleanseSpamFilter(Filter):
    """Drops documents the spam stage rejects (mostly spam, ads, chrome); ``options``: the ``[spam]`` table."""

    def __init__(self, options: dict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain = chain_config({"stages": ["spam"], "spam": dict(options or {})})

    def compute_stats_single(self, sample: dict[str, Any], context: bool = False) -> dict[str, Any]:
        from cleanse import label_lines

        text = sample[self.text_key] or ""
        lines = label_lines(text)
        junk = sum(len(line.text) for line in lines if line.label != "article")
        total = sum(len(line.text) for line in lines)
        verdict = run_chain(text, self.chain)
        _record(sample, verdict.status, verdict.stage, verdict.reason)
        _stats(sample)[SPAM_SHARE] = f"{junk / total:.3f}" if total else "0.000"
        return sample

    def process_single(self, sample: dict[str, Any]) -> bool:
        return sample[Fields.stats].get(STATUS) == "kept"


class CleanseMinhashDeduplicator(Deduplicator):
    """cleanse's dedup stage over the whole dataset (its ``[dedup]`` options, e.g. ``threshold: 0.5``):
    the native verdicts, reasons and kept copies (:func:`cleanse.integrations.dedup.native_verdicts`).

    Samples another cleanse operator rejected are not compared. ``id_key`` names the field whose value
    ``cleanse_duplicate_of`` holds (default: the kept sample's row number).
    """

    def __init__(
        self,
        threshold: float = 0.5,
        options: dict | None = None,
        mark_only: bool = False,
        id_key: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.settings = dedup_options(options, threshold=threshold)
        self.mark_only = mark_only
        self.id_key = id_key

    def compute_hash(self, sample: dict[str, Any]) -> dict[str, Any]:
        return sample  # the native dedup stage runs over the whole dataset in process()

    def process(self, dataset: Any, show_num: int = 0) -> tuple[Any, dict[Any, list[Any]]]:
        rows: list[int] = []
        verdicts = {rows[v.unit]: v for v in native_verdicts(self._documents(dataset, rows), self.settings)}
        pairs: dict[Any, list[Any]] = {}
        if not verdicts:
            return dataset, pairs
        names = self._names(dataset)
        for row, verdict in list(verdicts.items())[:show_num]:
            if verdict.status == "duplicate" and verdict.duplicate_of in names:
                pairs[row] = [dataset[names[verdict.duplicate_of]], dataset[row]]
        if not self.mark_only:
            drop = {row for row, v in verdicts.items() if v.status == "duplicate"}
            if len(drop) < len(verdicts):  # texts the stage edited (remove_paragraphs, digest="new_parts")
                dataset = dataset.map(_Marker(verdicts, self.text_key, mark=False), with_indices=True)
            return dataset.filter(lambda _, index: index not in drop, with_indices=True), pairs
        if Fields.stats not in dataset.column_names:
            dataset = dataset.map(lambda sample: {Fields.stats: {}})
        return dataset.map(_Marker(verdicts, self.text_key), with_indices=True), pairs

    def _documents(self, dataset: Any, rows: list[int]) -> Any:
        """``(id, text)`` of the samples no cleanse operator rejected, in order, as the native stage sees
        them (the id: ``id_key``'s value, else the row number); each row number is appended to ``rows``."""
        columns = [self.text_key] + [c for c in (Fields.stats, self.id_key) if c and c in dataset.column_names]
        row = 0
        for batch in dataset.select_columns(columns).iter(batch_size=BATCH_SIZE):
            texts = batch[self.text_key]
            stats = batch.get(Fields.stats) or [None] * len(texts)
            names = batch.get(self.id_key) if self.id_key else None
            for offset, (text, s) in enumerate(zip(texts, stats, strict=True)):
                if isinstance(text, str) and text and (not s or s.get(STATUS) in ("kept", "", None)):
                    rows.append(row + offset)
                    yield (str(names[offset]) if names is not None else str(row + offset)), text
            row += len(texts)

    def _names(self, dataset: Any) -> dict[str, int]:
        if self.id_key is None or self.id_key not in dataset.column_names:
            return {str(row): row for row in range(len(dataset))}
        return {str(value): row for row, value in enumerate(dataset[self.id_key])}


class _Marker:
    """Writes the duplicate verdicts into the stats (a callable, not ``fn_kwargs``: data-juicer wraps dict
    arguments into its nested-key dicts)."""

    def __init__(self, verdicts: dict[int, NativeVerdict], text_key: str, mark: bool = True) -> None:
        self.verdicts = verdicts
        self.text_key = text_key
        self.mark = mark

    def __call__(self, sample: dict[str, Any], index: int) -> dict[str, Any]:
        verdict = self.verdicts.get(index)
        if verdict is not None and verdict.status != "duplicate":
            sample[self.text_key] = verdict.text
        if not self.mark:
            return sample
        stats = dict(sample.get(Fields.stats) or {})
        if verdict is not None and verdict.status == "duplicate":
            reason, kept = verdict.reason or "", verdict.duplicate_of or ""
            stats.update({STATUS: "duplicate", STAGE: "dedup", REASON: reason, DUPLICATE_OF: kept})
        else:
            stats.setdefault(STATUS, "kept")
            for key in (STAGE, REASON, DUPLICATE_OF):
                stats.setdefault(key, "")
        sample[Fields.stats] = stats
        return sample


def _stage_mapper(stage: str) -> type[CleanseStageMapper]:
    name = f"Cleanse{stage.title()}Mapper"
    doc = f"The ``{stage}`` stage alone; ``options`` is its ``[{stage}]`` table."
    return type(
        name, (CleanseStageMapper,), {"_stage": stage, "_stages": (stage,), "__doc__": doc, "__module__": __name__}
    )


OPERATOR_NAMES: dict[str, type] = {
    "cleanse_chain_mapper": CleanseChainMapper,
    **{f"cleanse_{stage}_mapper": _stage_mapper(stage) for stage in ("encoding", "script", "spam", "splice")},
    "cleanse_status_filter": CleanseStatusFilter,
    "cleanse_spam_filter": CleanseSpamFilter,
    "cleanse_minhash_deduplicator": CleanseMinhashDeduplicator,
}
for _name, _cls in OPERATOR_NAMES.items():
    OPERATORS.register_module(_name, _cls, force=True)  # force: a recipe may also load this file by path
