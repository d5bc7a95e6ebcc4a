"""The per-document chain on one text, as the peers' steps call it: a verdict with the cleaned text.

The chain is the pipeline's per-document stages (everything before dedup), built from the same
configuration as :meth:`cleanse.Pipeline.from_config` (a TOML path or a dict), so a peer's step and the
native run give the same text, status and reason for every document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleanse.config import load_config
from cleanse.document import Document
from cleanse.errors import ConfigError
from cleanse.pipeline import DEFAULT_STAGES, Pipeline

Config = str | Path | Mapping[str, Any] | None


@dataclass(frozen=True)
class Verdict:
    """What the chain did to one text: ``status`` "kept" or "dropped", the stage and reason of a drop,
    the number of logged changes per stage, and the segments split off (``split_documents``)."""

    text: str
    status: str
    stage: str | None = None
    reason: str | None = None
    changes: dict[str, int] = field(default_factory=dict)
    segments: tuple[dict[str, Any], ...] = ()

    @property
    def kept(self) -> bool:
        return self.status == "kept"

    @property
    def reason_code(self) -> str | None:
        """The reason without its figures ("mostly_spam" for "mostly_spam (share 0.93)"), for counters."""
        return reason_code(self.reason)


def reason_code(reason: str | None) -> str | None:
    """A reason without the figures in parentheses cleanse appends to it."""
    return reason.split(" (", 1)[0] if reason else reason


def chain_config(config: Config = None, stages: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A plain, JSON-able configuration of the per-document chain (the dedup stage left out).

    ``config`` is what :meth:`Pipeline.from_config` takes (``None``: the default chain); ``stages``
    narrows it to some stages (one operator per stage), keeping their options.
    """
    if config is None:
        config = {"stages": list(DEFAULT_STAGES)}
    spec = load_config(config)
    names = [name for name in spec.stages if name != "dedup" and (stages is None or name in stages)]
    plain: dict[str, Any] = {"stages": names, "intake": dict(spec.intake)}
    plain.update({name: dict(spec.options.get(name, {})) for name in names if spec.options.get(name)})
    return json.loads(json.dumps(plain))


def one_row_chain(config: Config, peer: str, stages: tuple[str, ...] | None = None) -> dict[str, Any]:
    """:func:`chain_config` for a peer that keeps one row per input row: stories cut from a page stay
    out of the output (``splice.split_documents`` off, as ``cleanse run --no-split``); asking for
    them explicitly is a clear error."""
    chain = chain_config(config, stages)
    if "splice" in chain["stages"]:
        splice = chain.setdefault("splice", {})
        if splice.get("split_documents"):
            raise ConfigError(f"{peer} keeps one row per input row: splice.split_documents is not supported")
        splice["split_documents"] = False
    return chain


def run_chain(text: str, config: Mapping[str, Any], doc_id: str = "0") -> Verdict:
    """Clean one text with the chain of ``config`` (from :func:`chain_config`)."""
    pipeline = _pipeline(json.dumps(config, sort_keys=True))
    doc = pipeline.process(Document.from_text(text if isinstance(text, str) else "", id=doc_id))
    return verdict_of(doc)


def verdict_of(doc: Document) -> Verdict:
    changes: dict[str, int] = {}
    for change in doc.changes:
        changes[change.stage] = changes.get(change.stage, 0) + 1
    segments = tuple(doc.metadata.get("emit") or ())
    return Verdict(doc.text or "", doc.status, doc.status_stage, doc.status_reason, changes, segments)


@lru_cache(maxsize=16)
def _pipeline(frozen: str) -> Pipeline:
    pipeline = Pipeline.from_config(json.loads(frozen))
    return Pipeline(pipeline.document_stages, pipeline.intake)
