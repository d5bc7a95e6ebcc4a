"""The Ray engine against the local one, on a real local Ray with 2 CPUs (one session for all tests)."""

from __future__ import annotations

from typing import Any

import pytest

from cleanse import Pipeline
from cleanse.document import Document
from cleanse.engines import EngineError, RayOptions, connect, ray_engine, run_ray
from cleanse.io import read_text_files
from cleanse.stages.base import CorpusStage, DocumentStage
from cleanse.stages.dedup import NearDupDetector

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")


def _corpus() -> list[Document]:
    from benchmarks.reprints import generate_reprints
    from cleanse import to_traditional

    reprints = generate_reprints(seed=7, clusters=6, copies=3, singletons=4, unit="document")
    docs = list(read_text_files(ray_engine_seeds()))
    docs += [Document.from_text(text, id=f"reprint-{i}") for i, text in enumerate(reprints.texts)]
    docs.append(Document.from_text(reprints.texts[0], id="exact-copy"))
    docs.append(Document.from_text(to_traditional(reprints.texts[1]), id="traditional-copy"))
    return docs


def ray_engine_seeds() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "seeds"


def _outcome(docs: list[Document]) -> dict[str, Any]:
    return {
        "kept": sorted((d.id, d.text) for d in docs if d.status == "kept"),
        "clusters": sorted((d.id, d.duplicate_of, d.status_reason) for d in docs if d.status == "duplicate"),
        "dropped": sorted((d.id, d.status_stage, d.status_reason) for d in docs if d.status == "dropped"),
    }


@pytest.fixture(scope="module")
def both_runs(ray_session: Any) -> dict[str, Any]:
    local = Pipeline.default()
    local_docs = list(local.run(_corpus()))
    remote = Pipeline.default()
    remote_docs = list(
        remote.run_ray(_corpus(), workers=2) if hasattr(remote, "run_ray") else run_ray(remote, _corpus(), workers=2)
    )
    return {"local": local, "remote": remote, "local_docs": local_docs, "remote_docs": remote_docs}


def test_ray_and_local_keep_the_same_documents_with_the_same_text(both_runs):
    local, remote = _outcome(both_runs["local_docs"]), _outcome(both_runs["remote_docs"])
    assert remote["kept"] == local["kept"]
    assert remote["dropped"] == local["dropped"]


def test_ray_and_local_find_the_same_clusters(both_runs):
    local, remote = _outcome(both_runs["local_docs"]), _outcome(both_runs["remote_docs"])
    assert len(local["clusters"]) >= 6  # the corpus really has reprints: the comparison is not vacuous
    assert remote["clusters"] == local["clusters"]
    ids = {d.id for d in both_runs["remote_docs"]}
    assert {"exact-copy", "traditional-copy"} <= {d for d, _, _ in remote["clusters"]} <= ids


def test_accounting_holds_on_ray(both_runs):
    local, remote = both_runs["local"].stats, both_runs["remote"].stats
    assert remote.balanced
    assert (remote.documents_in, remote.derived, remote.kept, remote.dropped, remote.duplicates) == (
        local.documents_in,
        local.derived,
        local.kept,
        local.dropped,
        local.duplicates,
    )
    assert remote.bytes_in == local.bytes_in
    assert len(both_runs["remote_docs"]) == remote.documents_in + remote.derived


def test_the_ray_report_lists_the_local_document_clusters(both_runs):
    local = both_runs["local"].stats.corpus_reports["dedup"]["documents"]
    remote = both_runs["remote"].stats.corpus_reports["dedup"]
    assert remote["documents"]["clusters"] == local["clusters"]
    assert remote["skipped"] == ["paragraphs"]


def test_dedup_marks_by_shuffle_match_the_local_stage(ray_session):
    texts = [
        "城市基层党建工作综述报告全文如下",
        "城市基层党建工作综述报告全文如下",
        "完全不同的一段文字内容在这里出现",
        "城市基層黨建工作綜述報告全文如下",
        "完全不同的一段文字内容在这里出现！",
    ]
    local = list(
        Pipeline([NearDupDetector(level="documents")]).run(
            Document.from_text(t, id=f"t{i}") for i, t in enumerate(texts)
        )
    )
    remote = list(
        run_ray(
            Pipeline([NearDupDetector(level="documents")]),
            [Document.from_text(t, id=f"t{i}") for i, t in enumerate(texts)],
            broadcast_marks=0,
        )
    )
    assert len(_outcome(local)["clusters"]) == 3
    assert _outcome(remote) == _outcome(local)


class Explodes(DocumentStage):
    name = "explodes"

    def process(self, doc: Document) -> Document:
        if "boom" in (doc.text or ""):
            raise RuntimeError("exploded")
        return doc


def test_a_failing_stage_rejects_the_document_on_ray_and_the_run_goes_on(ray_session):
    import ray

    dataset = ray.data.from_items(
        [{"text": t, "id": f"d{i}", "url": f"u{i}"} for i, t in enumerate(["fine", "boom here", "", "also fine"])]
    )
    pipeline = Pipeline([Explodes()])
    docs = {d.id: d for d in run_ray(pipeline, dataset)}
    assert [docs[k].status for k in ("d0", "d1", "d2", "d3")] == ["kept", "dropped", "dropped", "kept"]
    assert "RuntimeError: exploded" in (docs["d1"].status_reason or "")
    assert docs["d2"].status_reason == "empty_document"
    assert docs["d3"].metadata["url"] == "u3"
    assert pipeline.stats.balanced and pipeline.stats.documents_in == 4


def test_lost_documents_raise_instead_of_a_short_count(ray_session, monkeypatch):
    real = ray_engine.transform

    def lossy(pipeline: Any, documents: Any, options: RayOptions) -> Any:
        return real(pipeline, documents, options).filter(lambda row: row["seq"] != 0)

    monkeypatch.setattr(ray_engine, "transform", lossy)
    with pytest.raises(EngineError, match="lost_documents: 3 documents went in, 2 came back"):
        list(run_ray(Pipeline([Explodes()]), [Document.from_text(t, id=t) for t in "abc"]))


class Counting(CorpusStage):
    name = "counting"

    def run(self, docs):
        yield from docs


def test_a_corpus_stage_without_a_distributed_form_is_refused(ray_session):
    with pytest.raises(EngineError, match="'counting' has no distributed form"):
        list(run_ray(Pipeline([Counting()]), [Document.from_text("x")]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"keep": "longest"}, "keep='longest'"),
        ({"level": "paragraphs"}, "level='paragraphs'"),
        ({"index_path": "idx"}, "index_path"),
    ],
)
def test_dedup_settings_ray_cannot_reproduce_are_refused(ray_session, overrides, message):
    with pytest.raises(EngineError, match=message):
        list(run_ray(Pipeline([NearDupDetector(**overrides)]), [Document.from_text("x")]))


def test_an_unreachable_cluster_is_retried_then_named(monkeypatch):
    ray = pytest.importorskip("ray", reason='needs the extra: pip install "cleanse[ray]"')
    attempts: list[str] = []

    def refuse(**arguments: Any) -> None:
        attempts.append(arguments["address"])
        raise ConnectionError("connection refused")

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", refuse)
    with pytest.raises(EngineError, match=r"cannot reach Ray at ray://nowhere:10001 after 3 attempts"):
        connect(RayOptions(address="ray://nowhere:10001", connect_wait=0.01))
    assert attempts == ["ray://nowhere:10001"] * 3


def test_options_are_checked_at_the_door():
    with pytest.raises(ValueError, match="workers must be at least 1"):
        RayOptions(workers=0)
    with pytest.raises(ValueError, match="batch_size"):
        RayOptions(batch_size=0)
