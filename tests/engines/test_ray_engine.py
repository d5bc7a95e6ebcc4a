"""The Ray engine against the local one, on a real local Ray with 2 CPUs (one session for all tests)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
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
    return Path(__file__).resolve().parents[2] / "seeds"


def _outcome(docs: list[Document]) -> dict[str, Any]:
    return {
        "kept": sorted((d.id, d.text) for d in docs if d.status == "kept"),
        "clusters": sorted((d.id, d.duplicate_of, d.status_reason) for d in docs if d.status == "duplicate"),
        "dropped": sorted((d.id, d.status_stage, d.status_reason) for d in docs if d.status == "dropped"),
    }


@pytest.fixture(scope="module")
def both_runs(ray_session: Any) -> dict[str, Any]:
    """The default pipeline (dedup ``level="both"``, containment on) on both engines, same documents."""
    local = Pipeline.default()
    local_docs = list(local.run(_corpus()))
    remote = Pipeline.default()
    remote_docs = list(remote.run_ray(_corpus(), workers=2))
    return {"local": local, "remote": remote, "local_docs": local_docs, "remote_docs": remote_docs}


def test_ray_writes_the_local_output_line_for_line(both_runs):
    """kept.jsonl and rejects.jsonl lines (text, status, metadata, change log), in the same order."""
    local = [doc.to_json() for doc in both_runs["local_docs"]]
    remote = [doc.to_json() for doc in both_runs["remote_docs"]]
    assert remote == local
    dedup_reasons = {c.reason for d in both_runs["local_docs"] for c in d.changes if c.stage == "dedup"}
    assert {"duplicate_paragraph", "duplicate_sentence"} <= dedup_reasons  # paragraph level really ran


def test_ray_and_local_find_the_same_clusters(both_runs):
    local, remote = _outcome(both_runs["local_docs"]), _outcome(both_runs["remote_docs"])
    assert len(local["clusters"]) >= 6  # the corpus really has reprints: the comparison is not vacuous
    assert remote == local
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


def test_the_ray_report_is_the_local_report(both_runs):
    local = both_runs["local"].stats.corpus_reports["dedup"]
    remote = both_runs["remote"].stats.corpus_reports["dedup"]
    assert local["paragraphs"]["clusters_total"] > 0 and local["counts"]["duplicate_sentences"] > 0
    assert remote == local


@pytest.mark.parametrize(
    "overrides",
    [{"level": "documents"}, {"level": "paragraphs", "remove_paragraphs": True}, {"containment_threshold": 0.0}],
)
def test_other_dedup_settings_match_the_local_stage(ray_session, overrides):
    texts = _corpus()
    local = Pipeline([NearDupDetector(**overrides)])
    expected = [d.to_json() for d in local.run(texts)]
    remote = Pipeline([NearDupDetector(**overrides)])
    assert [d.to_json() for d in run_ray(remote, _corpus(), partitions=3)] == expected
    assert remote.stats.corpus_reports == local.stats.corpus_reports


def test_a_stage_after_dedup_keeps_the_dedup_report(ray_session):
    local = Pipeline([NearDupDetector(), Explodes()])
    expected = [d.to_json() for d in local.run(_corpus())]
    remote = Pipeline([NearDupDetector(), Explodes()])
    assert [d.to_json() for d in run_ray(remote, _corpus(), partitions=2)] == expected
    assert remote.stats.corpus_reports == local.stats.corpus_reports


def test_the_command_line_writes_the_same_files_on_both_engines(ray_session, tmp_path):
    from cleanse.cli import main

    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in _corpus()), encoding="utf-8")
    assert main(["run", str(source), "-o", str(tmp_path / "local"), "--no-progress"]) == 0
    assert main(["run", str(source), "-o", str(tmp_path / "ray"), "--engine", "ray", "--jobs", "2"]) == 0
    for name in ("kept.jsonl", "rejects.jsonl"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    reports = [json.loads((tmp_path / run / "report.json").read_text()) for run in ("local", "ray")]
    assert reports[1]["stats"]["corpus_reports"] == reports[0]["stats"]["corpus_reports"]


class Explodes(DocumentStage):
    name = "explodes"

    def process(self, doc: Document) -> Document:
        if "boom" in (doc.text or ""):
            raise RuntimeError("exploded")
        return doc


def test_a_failing_stage_is_skipped_for_the_document_on_ray_and_the_run_goes_on(ray_session):
    import ray

    dataset = ray.data.from_items(
        [{"text": t, "id": f"d{i}", "url": f"u{i}"} for i, t in enumerate(["fine", "boom here", "", "also fine"])]
    )
    pipeline = Pipeline([Explodes()])
    docs = {d.id: d for d in run_ray(pipeline, dataset)}
    assert [docs[k].status for k in ("d0", "d1", "d2", "d3")] == ["kept", "kept", "dropped", "kept"]
    verdicts = [(c.stage, c.reason, c.evidence) for c in docs["d1"].changes if c.reason.startswith("stage_error")]
    assert verdicts == [("explodes", "stage_error: RuntimeError", ("exploded",))]
    assert docs["d1"].text == "boom here"
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
    [({"keep": "longest"}, "keep='longest'"), ({"index_path": "idx"}, "index_path")],
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
    with pytest.raises(ValueError, match="task_retries"):
        RayOptions(task_retries=-1)


class DiesOnce(DocumentStage):
    """Kills its own worker process the first time it runs (the marker file named in the metadata says so)."""

    name = "dies_once"

    def process(self, doc: Document) -> Document:
        marker = Path(doc.metadata["die_marker"])
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return doc


def _marked_corpus(marker: Path) -> list[Document]:
    docs = _corpus()
    for doc in docs:
        doc.metadata["die_marker"] = str(marker)
    return docs


def test_a_worker_killed_mid_run_is_retried_and_nothing_is_lost(ray_session, tmp_path):
    marker = tmp_path / "died"
    remote = Pipeline([DiesOnce(), NearDupDetector()])
    remote_docs = list(run_ray(remote, _marked_corpus(marker), workers=2))
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker process really died
    local = Pipeline([DiesOnce(), NearDupDetector()])
    local_docs = list(local.run(_marked_corpus(marker)))  # the marker exists: nothing dies here
    assert [d.to_json() for d in remote_docs] == [d.to_json() for d in local_docs]
    stats = remote.stats
    assert stats.balanced and stats.documents_in == len(local_docs) == stats.kept + stats.dropped + stats.duplicates


def test_a_worker_killed_without_retries_left_stops_the_run_with_an_engine_error(ray_session, tmp_path):
    with pytest.raises(EngineError, match="the Ray run failed after retries"):
        list(run_ray(Pipeline([DiesOnce()]), _marked_corpus(tmp_path / "died"), task_retries=0))


def crash_once(marker: str) -> list[int]:
    """A dedup step that kills its worker process the first time it runs."""
    if not Path(marker).exists():
        Path(marker).write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return [42]


def test_a_dedup_step_whose_worker_dies_is_run_again(ray_session, tmp_path):
    from cleanse.engines.shuffle import Steps

    steps = Steps(retries=1)
    assert ray_session.get(steps.launch("crash", crash_once, 1, str(tmp_path / "first"))[0]) == 42
    assert [m.step for m in steps.memory_report()] == ["crash"]
    with pytest.raises(ray_session.exceptions.WorkerCrashedError):
        ray_session.get(Steps(retries=0).launch("crash", crash_once, 1, str(tmp_path / "second"))[0])


def test_a_file_of_record_faults_runs_on_ray_as_on_the_local_engine(ray_session, tmp_path):
    from cleanse.cli import main
    from cleanse.io import read_jsonl
    from tests.record_faults import LINES, read_outputs, write_faults

    source = write_faults(tmp_path / "faults.jsonl")
    assert main(["run", str(source), "-o", str(tmp_path / "local"), "--no-progress"]) == 0
    assert main(["run", str(source), "-o", str(tmp_path / "ray"), "--engine", "ray", "--jobs", "2"]) == 0
    local, remote = read_outputs(tmp_path / "local"), read_outputs(tmp_path / "ray")
    assert len(remote) == len(LINES) and remote == local
    assert all(r["reason"] for r in remote if r["status"] != "kept")
    assert json.loads((tmp_path / "ray" / "report.json").read_text("utf-8"))["stats"]["balanced"]
    pipeline = Pipeline.default()
    out = list(pipeline.run_ray(read_jsonl(source), workers=2))
    assert len(out) == len(LINES) and pipeline.stats.balanced
    assert len({doc.id for doc in out}) == len(LINES)
