"""The no-harm gate can fail: a deliberately broken stage makes CI's hard targets fail; the honest one passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import benchmarks.__main__ as runner
from benchmarks import no_harm
from benchmarks.common import write_result
from benchmarks.summary import hard_misses, target_rows
from cleanse.document import Document, Edit
from cleanse.pipeline import Pipeline
from cleanse.stages.encoding.stage import EncodingRepair

HEAD = {"commit": "b" * 40, "dirty": False}


def _hard_rows(tmp_path: Path, record: dict) -> list:
    path = write_result("no_harm", {"quick": True, **record}, directory=tmp_path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["environment"].update(HEAD)  # as if measured on the commit the summary names
    path.write_text(json.dumps(stored), encoding="utf-8")
    return [row for row in target_rows(tmp_path, {}, True, HEAD) if row.target.benchmark == "no_harm"]


def test_clean_corpora_format(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "a.txt").write_text("一篇干净的短文。\n第二段。", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "甲", "split": "dev"}\n\n{"text": "乙"}\n', encoding="utf-8")
    documents = list(no_harm.clean_corpora([tmp_path, tmp_path / "absent"]))
    assert [(d.text, d.split) for d in documents] == [
        ("甲", "dev"),
        ("乙", "test"),
        ("一篇干净的短文。\n第二段。", "dev"),
    ]
    assert documents[0].id.endswith(":x") and documents[1].id.endswith(":3")


def test_expected_output_exclusions_halves_and_lone_runs(tmp_path: Path) -> None:
    records = [
        {"id": "t", "text": "黨建引領發展", "expected_pipeline": "党建引领发展", "half": "tune", "run": "alone"},
        {"id": "t-wrong", "text": "黨建引領發展", "half": "test", "run": "alone"},  # no expectation: harmed
        {"id": "same", "text": "一句干净的话。", "half": "test", "run": "alone"},
        {"id": "twin", "text": "一句干净的话。", "half": "test", "run": "alone"},  # alone: not a duplicate
        {"id": "f", "text": "责任编辑：王明", "pipeline": "furniture", "pipeline_why": "credit", "half": "test"},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    documents = list(no_harm.clean_corpora([tmp_path]))
    assert [d.split for d in documents] == ["dev", "test", "test", "test", "test"]
    result = no_harm.measure_clean(Pipeline.default, documents)
    assert (result["documents"], result["unchanged"], result["harmed"]) == (4, 3, 1)
    assert result["harmed_examples"][0]["id"].endswith(":t-wrong")
    assert result["excluded"] == {"furniture": 1} and result["test"]["excluded"] == {"furniture": 1}
    assert result["dev"]["unchanged_fraction"] == 1.0 and result["pipeline_runs"] == [4, 4]


def test_a_deliberately_broken_stage_fails_the_no_harm_hard_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    honest = no_harm.measure(with_readme=False)
    assert honest["clean"]["documents"] >= 3 and honest["clean"]["unchanged_fraction"] == 1.0

    original = EncodingRepair.process

    def harmful(self: EncodingRepair, doc: Document) -> Document:
        doc = original(self, doc)
        if doc.text:  # a false "repair" of clean text: the first character rewritten as if it were mojibake
            doc.apply(self.name, [Edit(0, 1, "锟", "mojibake")])
        return doc

    monkeypatch.setattr(EncodingRepair, "process", harmful)
    broken = no_harm.measure(with_readme=False)
    assert broken["clean"]["unchanged_fraction"] == 0.0
    assert broken["replay"]["exact_fraction"] == 1.0  # the harm is logged; only the no-harm gate catches it
    rows = _hard_rows(tmp_path, {**broken, "readme_run": {"ok": 1}})
    missed = {row.target.claim for row in hard_misses(rows)}
    assert "no-harm: clean documents kept and unchanged" in missed
    assert runner.main(["--quick", "--summary-only", "--results", str(tmp_path), "--hard"]) == 1


def test_the_honest_pipeline_meets_the_no_harm_rows(tmp_path: Path) -> None:
    record = no_harm.measure(with_readme=False)
    rows = _hard_rows(tmp_path, {**record, "readme_run": {"ok": 1}})
    assert [row.outcome for row in rows if row.target.hard] == ["meets"] * 5
