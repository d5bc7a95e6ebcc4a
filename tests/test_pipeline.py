from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from cleanse import Pipeline
from cleanse.document import Document, Edit, replay
from cleanse.io import read_text_files
from cleanse.stages.base import CorpusStage, DocumentStage
from cleanse.stages.dedup import NearDupDetector


class Upper(DocumentStage):
    name = "upper"

    def process(self, doc: Document) -> Document:
        assert doc.text is not None
        doc.apply(self.name, [Edit(i, i + 1, ch.upper(), "upper") for i, ch in enumerate(doc.text) if ch.islower()])
        return doc


class Boom(DocumentStage):
    name = "boom"

    def process(self, doc: Document) -> Document:
        if doc.text and "boom" in doc.text.lower():
            raise RuntimeError("exploded")
        return doc


class CountingCorpus(CorpusStage):
    name = "counting"

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            self.seen += 1
            yield doc

    def report(self) -> dict:
        return {"seen": self.seen}


def _docs(*texts: str) -> list[Document]:
    return [Document.from_text(t, id=str(i)) for i, t in enumerate(texts)]


def test_stages_run_in_order_and_the_log_replays():
    docs = list(Pipeline([Upper()]).run(_docs("abc", "x-y")))
    assert [d.text for d in docs] == ["ABC", "X-Y"]
    for doc in docs:
        assert replay(doc.original or "", doc.changes) == doc.text


def test_a_failing_stage_is_skipped_for_that_document_and_the_document_goes_on():
    pipeline = Pipeline([Boom(), Upper()])
    docs = list(pipeline.run(_docs("fine", "boom here", "also fine")))
    assert [d.status for d in docs] == ["kept", "kept", "kept"]
    assert [d.text for d in docs] == ["FINE", "BOOM HERE", "ALSO FINE"]
    verdicts = [c for c in docs[1].changes if c.stage == "boom"]
    assert [(c.reason, c.evidence) for c in verdicts] == [("stage_error: RuntimeError", ("exploded",))]
    assert not any(c.stage == "boom" for c in docs[0].changes)
    assert replay(docs[1].original or "", docs[1].changes) == docs[1].text
    assert pipeline.stats.balanced and pipeline.stats.dropped == 0


class HalfDone(DocumentStage):
    """Applies one edit, then fails: the edit must be undone with the stage."""

    name = "half"

    def process(self, doc: Document) -> Document:
        doc.apply(self.name, [Edit(0, 1, "#", "half")])
        doc.metadata["half"] = True
        raise ValueError("after an edit")


def test_a_failing_stage_leaves_no_trace_but_its_verdict():
    doc = Pipeline([HalfDone()]).process(Document.from_text("text"))
    assert doc.kept and doc.text == "text" and "half" not in doc.metadata
    assert [(c.stage, c.reason, c.is_verdict) for c in doc.changes] == [("half", "stage_error: ValueError", True)]


def test_empty_documents_are_rejected_with_a_reason():
    pipeline = Pipeline([Upper()])
    docs = list(pipeline.run([Document.from_bytes(b"", id="e"), Document.from_text("  \n", id="w")]))
    assert all(d.status == "dropped" and d.status_reason == "empty_document" for d in docs)
    assert pipeline.stats.balanced


def test_corpus_stage_sees_every_document_and_reports():
    counting = CountingCorpus()
    pipeline = Pipeline([Upper(), counting])
    out = list(pipeline.run(_docs("a", "b", "c")))
    assert len(out) == 3 and counting.seen == 3
    assert pipeline.stats.corpus_reports == {"counting": {"seen": 3}}


def test_accounting_holds_with_duplicates():
    pipeline = Pipeline([NearDupDetector()])
    docs = list(pipeline.run(_docs("same text", "other", "same text")))
    assert pipeline.stats.documents_in == 3
    assert pipeline.stats.kept + pipeline.stats.dropped + pipeline.stats.duplicates == 3
    assert docs[2].status == "duplicate" and docs[2].duplicate_of == "0"


def test_jobs_give_the_same_result_as_one_process(seed_paths):
    one = [d.to_record() for d in Pipeline([Upper()]).run(read_text_files(seed_paths[0].parent))]
    two = [d.to_record() for d in Pipeline([Upper()]).run(read_text_files(seed_paths[0].parent), jobs=2)]
    assert one == two and len(one) == 5


def test_stats_count_changes_per_stage():
    pipeline = Pipeline([Upper()])
    list(pipeline.run(_docs("ab", "CD", "e")))
    stats = pipeline.stats.stages["upper"]
    assert stats.documents_changed == 2 and stats.characters_changed == 3 and stats.edits == 3


def test_emitted_segments_become_documents_and_keep_the_balance():
    class Emit(DocumentStage):
        name = "emit"

        def process(self, doc: Document) -> Document:
            doc.metadata["emit"] = [{"role": "off_topic", "text": "another story"}]
            return doc

    pipeline = Pipeline([Emit()])
    docs = list(pipeline.run(_docs("main story")))
    assert [d.id for d in docs] == ["0", "0#1"]
    assert docs[1].metadata["parent"] == "0" and docs[1].metadata["role"] == "off_topic"
    assert pipeline.stats.derived == 1 and pipeline.stats.balanced


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="jobs"):
        list(Pipeline([Upper()]).run([], jobs=0))


def test_non_stages_are_refused():
    with pytest.raises(TypeError):
        Pipeline([object()])  # type: ignore[list-item]


def test_default_pipeline_has_the_standard_chain():
    assert [s.name for s in Pipeline.default().stages] == ["encoding", "script", "spam", "splice", "dedup"]


def test_default_pipeline_accounts_for_every_seed(seed_paths):
    pipeline = Pipeline.default()
    docs = list(pipeline.run(read_text_files(seed_paths[0].parent)))
    assert len(docs) == 5 + pipeline.stats.derived
    assert pipeline.stats.documents_in == 5 and pipeline.stats.balanced
    for doc in docs:
        assert doc.status in {"kept", "dropped", "duplicate"}
        if doc.status == "kept" and doc.original is not None:
            assert replay(doc.original, doc.changes) == doc.text


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_streams_an_endless_input(jobs):
    consumed = 0

    def endless() -> Iterator[Document]:
        nonlocal consumed
        while True:
            consumed += 1
            yield Document.from_text(f"段落 {consumed}", id=str(consumed))

    pipeline = Pipeline([Upper()])
    stream = pipeline.run(endless(), jobs=jobs)
    first = [next(stream) for _ in range(50)]
    assert [d.id for d in first] == [str(i) for i in range(1, 51)]
    from cleanse.pipeline import CHUNK_DOCUMENTS

    assert consumed <= 50 + CHUNK_DOCUMENTS * (3 * jobs + 1), "read-ahead is bounded by the chunks in flight"
    stream.close()


def test_import_cleanse_loads_no_heavy_modules():
    """``import cleanse`` (and ``cleanse --version``) load no stage, numpy or scipy until one is used."""
    import subprocess
    import sys

    code = (
        "import sys, cleanse, cleanse.cli; cleanse.cli._parser(); "
        "heavy = ('numpy', 'scipy'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('cleanse.stages.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "['cleanse.stages.base']"


class DiesOnSeven(DocumentStage):
    """Kills the worker process it runs in (as the kernel's OOM killer would) at document 7."""

    name = "dies"

    def process(self, doc: Document) -> Document:
        if doc.id == "7":
            import os

            os._exit(1)
        return doc


def test_a_dead_worker_stops_the_run_with_an_error_not_a_hang():
    from cleanse.errors import WorkerLostError

    documents = (Document.from_text(f"段落 {n}", id=str(n)) for n in range(20))
    with pytest.raises(WorkerLostError, match="--resume"):
        list(Pipeline([DiesOnSeven()]).run(documents, jobs=2))


def test_stopping_early_never_hangs():
    """Closing the stream while chunks are queued and running ends the workers (five times over)."""
    for _ in range(5):
        stream = Pipeline([Upper()]).run((Document.from_text("段落" * 50, id=str(n)) for n in range(50_000)), jobs=2)
        assert next(stream).id == "0"
        stream.close()
