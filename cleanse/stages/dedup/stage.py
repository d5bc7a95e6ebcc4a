"""Stage `dedup` (exact duplicates only until its issue lands)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from cleanse.document import Document
from cleanse.stages.base import CorpusStage


class NearDupDetector(CorpusStage):
    """Placeholder: marks documents whose text is byte-identical to an earlier one."""

    name = "dedup"

    def __init__(self, options: Any = None, **overrides: Any) -> None:
        super().__init__(options, **overrides)
        self._seen: dict[bytes, str] = {}

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.kept and doc.text:
                key = hashlib.blake2b(doc.text.encode("utf-8"), digest_size=16).digest()
                first = self._seen.setdefault(key, doc.id)
                if first != doc.id:
                    doc.mark_duplicate(self.name, of=first, reason="exact_duplicate")
            yield doc
