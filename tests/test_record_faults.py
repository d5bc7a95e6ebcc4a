"""One record never stops a run (issue 15): every fault becomes a reject with a reason, ids stay unique."""

from __future__ import annotations

import json

from cleanse import Pipeline
from cleanse.cli import main
from cleanse.document import Document
from cleanse.io import read_inputs, read_jsonl
from tests.record_faults import ARTICLE, LINES, OTHER, read_outputs, write_faults


def _check_accounting(records: list[dict]) -> None:
    assert len(records) == len(LINES)
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert record["status"] in {"kept", "dropped", "duplicate"}
        if record["status"] != "kept":
            assert record["reason"]


def test_cleanse_run_on_a_file_of_faults_exits_0_and_accounts_for_every_record(tmp_path):
    source = write_faults(tmp_path / "faults.jsonl")
    assert main(["run", str(source), "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    records = read_outputs(tmp_path / "out")
    _check_accounting(records)
    stats = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["stats"]
    assert stats["balanced"] and stats["documents_in"] == len(LINES)
    by_id = {r["id"]: r for r in records}
    assert by_id["a"]["status"] == "kept" and by_id["a~2"]["status"] == "duplicate"
    assert by_id["a~2"]["duplicate_of"] == "a" and by_id["a~2"]["metadata"]["given_id"] == "a"
    assert by_id["a~3"]["status"] == "kept" and by_id["a~3"]["text"] == OTHER
    reasons = " | ".join(r.get("reason") or "" for r in records)
    for expected in (
        "lone surrogate U+DC80 in field 'text'",
        "in field 'note'",
        "nested deeper than 100",
        "field 'text' is int",
        "field 'text' is NoneType",
        "field 'text' is list",
        "field 'id' is list",
        "record is not a JSON object",
        "invalid JSON",
        "missing field 'text'",
    ):
        assert expected in reasons
    reserved = by_id["e"]
    assert reserved["status"] == "kept" and reserved["metadata"]["source"] == str(source)
    assert reserved["metadata"]["input_fields"] == {"emit": [{"text": "x"}], "source": "http://x.cn", "size": "big"}
    assert by_id["e2"]["status"] == "kept" and by_id["7"]["status"] == "kept"


def test_pipeline_run_accounts_for_every_record_of_the_same_file(tmp_path):
    pipeline = Pipeline.default()
    out = list(pipeline.run(read_jsonl(write_faults(tmp_path / "faults.jsonl"))))
    _check_accounting([d.to_record(False) for d in out])
    assert pipeline.stats.balanced and pipeline.stats.documents_in == len(LINES)


def test_documents_given_to_pipeline_run_directly_cannot_stop_it():
    bad_text = Document(id="x", text=5)  # type: ignore[arg-type]
    surrogate = Document.from_text("正文\udc80内容", id="x")
    emit = Document.from_text(ARTICLE, id="x", emit="nonsense")
    items = [bad_text, surrogate, emit, "not a document", Document.from_text(OTHER, id="x")]
    pipeline = Pipeline.default()
    out = list(pipeline.run(items))  # type: ignore[arg-type]
    assert len(out) == 5 and pipeline.stats.balanced
    assert [d.id for d in out] == ["x", "x~2", "x~3", "input:3", "x~4"]
    assert [d.status for d in out] == ["dropped", "dropped", "kept", "dropped", "kept"]
    assert "lone surrogate U+DC80 at offset 2" in (out[1].status_reason or "")
    assert out[2].metadata["input_fields"] == {"emit": "nonsense"}
    for doc in out:
        doc.to_json()  # writable


def test_a_second_run_on_the_same_pipeline_starts_clean():
    pipeline = Pipeline.default()
    first = list(pipeline.run([Document.from_text(ARTICLE, id="a")]))
    second = list(pipeline.run([Document.from_text(ARTICLE, id="a")]))
    assert first[0].kept and second[0].kept
    assert pipeline.stats.duplicates == 0


def test_files_with_one_stem_get_ids_of_their_own(tmp_path):
    source = tmp_path / "in"
    for name, text in (("a/page.txt", ARTICLE), ("b/page.txt", ARTICLE), ("page.txt", OTHER), ("page.md", OTHER)):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, "utf-8")
    assert sorted(d.id for d in read_inputs(source)) == ["a/page.txt", "b/page.txt", "page.md", "page.txt"]
    assert [d.id for d in read_inputs(str(source / "*" / "page.txt"))] == ["a/page.txt", "b/page.txt"]
    assert main(["run", str(source), "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    records = {r["id"]: r for r in read_outputs(tmp_path / "out")}
    assert records["b/page.txt"]["status"] == "duplicate" and records["b/page.txt"]["duplicate_of"] == "a/page.txt"
    assert records["page.md"]["status"] == "kept" and records["page.txt"]["duplicate_of"] == "page.md"
