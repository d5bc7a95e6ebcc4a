"""Stage `script` (identity until its issue lands)."""

from __future__ import annotations

from cleanse.document import Document
from cleanse.stages.base import DocumentStage


class ScriptConversion(DocumentStage):
    """Identity placeholder for the script stage."""

    name = "script"

    def process(self, doc: Document) -> Document:
        return doc
