"""The stage protocol: per-document stages and corpus stages.

A per-document stage sees one document at a time and may run in a worker process;
it implements :meth:`DocumentStage.process`. A corpus stage needs the whole stream
(near-duplicate detection keeps an index of everything seen) and implements
:meth:`CorpusStage.run` as a generator, datatrove-style. Both carry a short ``name``
used in change logs, configuration files and statistics.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from cleanse.document import Document
from cleanse.errors import ConfigError


class Stage(ABC):
    """Common base: a name and a frozen options dataclass."""

    name: ClassVar[str]
    Options: ClassVar[type | None] = None

    def __init__(self, options: Any = None, **overrides: Any) -> None:
        if self.Options is None:
            if options is not None or overrides:
                raise ConfigError(f"stage {self.name!r} takes no options")
            self.options = None
            return
        base = options if options is not None else self.Options()
        known = {f.name for f in dataclasses.fields(base)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigError(
                f"stage {self.name!r} has no option {', '.join(map(repr, unknown))}; "
                f"known options: {', '.join(sorted(known))}"
            )
        self.options = dataclasses.replace(base, **overrides)

    def describe(self) -> dict[str, Any]:
        """The stage's name and options, recorded in each run's report."""
        options = dataclasses.asdict(self.options) if self.options is not None else {}
        return {"name": self.name, "options": options}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options!r})"


class DocumentStage(Stage):
    """One document in, one document out; must be picklable to run in worker processes."""

    @abstractmethod
    def process(self, doc: Document) -> Document:
        """Return the document with this stage's edits and verdicts applied."""

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self.process(doc) if doc.kept else doc

    def settled(self, doc: Document) -> bool:
        """Whether :meth:`process` run again on ``doc`` as it is now would change no text, because the stage
        already checked its own output (the pipeline then skips judging it again: :data:`cleanse.pipeline.SETTLE`).

        Only a stage that knows says True; the answer must hold for the text alone, whatever document it is in.
        """
        return False


class CorpusStage(Stage):
    """A stage that needs the stream: it keeps an index and yields every document it receives."""

    @property
    def streaming(self) -> bool:
        """True when the stage yields each document before it reads the next one and keeps all its
        state on itself, so a pickled copy taken between documents can carry on a run (resume)."""
        return False

    @abstractmethod
    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Yield every input document, marked as needed; keep only an index in memory."""

    def report(self) -> dict[str, Any]:
        """What the stage found over the whole run (for example duplicate clusters)."""
        return {}
