"""cleanse: clean and de-duplicate Chinese web and newspaper text.

The one-call helpers below reach each stage with plain strings; :class:`Pipeline`
composes the stages for corpora, with a change log on every document.

>>> import cleanse
>>> cleanse.clean("")
''
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cleanse.document import Change, Document, Edit, replay
from cleanse.errors import CleanseError, ConfigError, InputError, MissingDependencyError
from cleanse.pipeline import Pipeline

if TYPE_CHECKING:
    from cleanse.stages.encoding import DecodeResult
    from cleanse.stages.script import ScriptVerdict
    from cleanse.stages.spam import LabelledLine
    from cleanse.stages.splice import Segment

__version__ = "0.1.0"

__all__ = [
    "Change",
    "CleanseError",
    "ConfigError",
    "Document",
    "Edit",
    "InputError",
    "MissingDependencyError",
    "Pipeline",
    "__version__",
    "clean",
    "clean_document",
    "decode",
    "detect_script",
    "find_duplicates",
    "label_lines",
    "repair_encoding",
    "replay",
    "split_articles",
    "to_simplified",
    "to_traditional",
]


@lru_cache(maxsize=8)
def _document_pipeline(options: tuple[tuple[str, Any], ...]) -> Pipeline:
    pipeline = Pipeline.default(**{name: dict(values) for name, values in options})
    return Pipeline(pipeline.document_stages)


def clean_document(text: str, **options: dict[str, Any]) -> Document:
    """Run the per-document chain on ``text``; the returned document carries the change log."""
    if not isinstance(text, str):
        raise TypeError(f"clean() takes str, not {type(text).__name__}; use cleanse.decode() for bytes")
    frozen = tuple(sorted((name, _freeze(value)) for name, value in options.items()))
    pipeline = _document_pipeline(frozen)
    return pipeline.process(Document.from_text(text))


def clean(text: str, **options: dict[str, Any]) -> str:
    """Clean one text with the per-document chain (encoding, script, spam, splice), like ``ftfy.fix_text``.

    ``options`` maps a stage name to its option overrides, e.g. ``clean(t, script={"target": "traditional"})``.
    A text rejected as a whole (empty, or mostly spam) comes back as ``""``.
    """
    doc = clean_document(text, **options)
    return doc.text or "" if doc.kept else ""


def decode(data: bytes) -> DecodeResult:
    """Decode bytes of unknown encoding; the result has ``.text``, ``.encoding`` and ``.confidence``."""
    from cleanse.stages import encoding

    return encoding.decode(data)


def repair_encoding(text: str) -> str:
    """Repair encoding damage (mojibake, misaligned double-byte runs, pinyin artifacts) in ``text``."""
    from cleanse.stages import encoding

    return encoding.repair_encoding(text)


def to_simplified(text: str, variant: str = "tw") -> str:
    """Convert Traditional Chinese to Simplified, phrase by phrase; ``variant`` names the input's standard.

    "tw" (default) also reads standard OpenCC Traditional; "standard", "twp" and "hk" are the others.
    """
    from cleanse.stages import script

    return script.to_simplified(text, variant=variant)


def to_traditional(text: str, variant: str = "standard") -> str:
    """Convert Simplified Chinese to Traditional; ``variant`` is "standard", "tw", "twp" or "hk"."""
    from cleanse.stages import script

    return script.to_traditional(text, variant=variant)


def detect_script(text: str) -> ScriptVerdict:
    """Tell whether ``text`` is "simplified", "traditional", "mixed" or "none" (no Han text)."""
    from cleanse.stages import script

    return script.detect_script(text)


def label_lines(text: str) -> list[LabelledLine]:
    """Label every line: article, spam, ad, chrome, notice, credit, caption or furniture, with score and evidence."""
    from cleanse.stages import spam

    return spam.label_lines(text)


def split_articles(text: str) -> list[Segment]:
    """Split a document into segments with roles (main, off_topic, ad, continuation, ...) and spans."""
    from cleanse.stages import splice

    return splice.split_articles(text)


def find_duplicates(texts: Sequence[str], threshold: float = 0.5) -> list[list[int]]:
    """Cluster near-duplicate texts; each cluster is a sorted list of input indices (size two or more).

    Every member of a cluster matches the cluster's representative directly (Jaccard >= ``threshold``
    of normalised 5-gram sets, or one text mostly inside the other) and holds more than half of it, so
    clusters never chain through a third text: an article A, a digest A + B and an article B that shares
    nothing with A never put A and B together. See docs/dedup.md.
    """
    from cleanse.stages import dedup

    return dedup.find_duplicates(texts, threshold=threshold)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value
