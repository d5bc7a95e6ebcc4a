"""One module per stage; ``REGISTRY`` maps each stage's short name to its class."""

from __future__ import annotations

from cleanse.stages.base import CorpusStage, DocumentStage, Stage
from cleanse.stages.dedup import NearDupDetector
from cleanse.stages.encoding import EncodingRepair
from cleanse.stages.script import ScriptConversion
from cleanse.stages.spam import SpamLabeller
from cleanse.stages.splice import SpliceSplitter

REGISTRY: dict[str, type[Stage]] = {
    stage.name: stage for stage in (EncodingRepair, ScriptConversion, SpamLabeller, SpliceSplitter, NearDupDetector)
}

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
