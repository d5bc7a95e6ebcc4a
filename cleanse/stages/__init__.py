"""One module per stage; ``REGISTRY`` maps each stage's short name to its class.

Stage modules load on first use (``REGISTRY["dedup"]`` or ``cleanse.stages.NearDupDetector``), so
``import cleanse`` stays fast: numpy, scipy and the dictionaries load only when a stage needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from cleanse.stages.base import CorpusStage, DocumentStage, Stage

if TYPE_CHECKING:
    from cleanse.stages.dedup import NearDupDetector
    from cleanse.stages.encoding import EncodingRepair
    from cleanse.stages.script import ScriptConversion
    from cleanse.stages.spam import SpamLabeller
    from cleanse.stages.splice import SpliceSplitter

#: stage name -> (module, class name), in the default order
_STAGES = {
    "encoding": ("cleanse.stages.encoding", "EncodingRepair"),
    "script": ("cleanse.stages.script", "ScriptConversion"),
    "spam": ("cleanse.stages.spam", "SpamLabeller"),
    "splice": ("cleanse.stages.splice", "SpliceSplitter"),
    "dedup": ("cleanse.stages.dedup", "NearDupDetector"),
}
_CLASSES = {class_name: module for module, class_name in _STAGES.values()}


class _Registry(Mapping[str, type[Stage]]):
    """Stage name -> class, importing a stage's module the first time it is looked up."""

    def __getitem__(self, name: str) -> type[Stage]:
        module, class_name = _STAGES[name]
        stage: type[Stage] = getattr(import_module(module), class_name)
        return stage

    def __iter__(self) -> Iterator[str]:
        return iter(_STAGES)

    def __len__(self) -> int:
        return len(_STAGES)

    def __contains__(self, name: object) -> bool:
        return name in _STAGES


REGISTRY: Mapping[str, type[Stage]] = _Registry()


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        return getattr(import_module(_CLASSES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "REGISTRY",
    "CorpusStage",
    "DocumentStage",
    "EncodingRepair",
    "NearDupDetector",
    "ScriptConversion",
    "SpamLabeller",
    "SpliceSplitter",
    "Stage",
]
