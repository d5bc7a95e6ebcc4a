"""Stage `spam` (identity until its issue lands)."""

from __future__ import annotations

from cleanse.document import Document
from cleanse.stages.base import DocumentStage


class SpamLabeller(DocumentStage):
    """Identity placeholder for the spam stage."""

    name = "spam"

    def process(self, doc: Document) -> Document:
        return doc
