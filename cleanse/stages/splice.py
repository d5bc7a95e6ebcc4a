"""Stage `splice` (identity until its issue lands)."""

from __future__ import annotations

from cleanse.document import Document
from cleanse.stages.base import DocumentStage


class SpliceSplitter(DocumentStage):
    """Identity placeholder for the splice stage."""

    name = "splice"

    def process(self, doc: Document) -> Document:
        return doc
