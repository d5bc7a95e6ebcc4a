"""`cleanse explain`: grouped, filtered, readable, quiet on a closed pipe, and it runs inputs it is given."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleanse.cli import main
from cleanse.document import Document
from cleanse.explain import Filter, describe_metadata, explain_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explain") / "out"
    assert main(["run", str(ROOT / "seeds"), "-o", str(out), "--no-progress"]) == 0
    return out


def _explain(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["explain", *args]) == 0
    return capsys.readouterr().out


def test_summary_of_the_seeds_is_short_and_names_each_stages_main_effect(seeds_run, capsys):
    text = _explain(capsys, "--summary", str(seeds_run / "kept.jsonl"))
    lines = text.splitlines()
    assert len(lines) <= 60
    report = json.loads((seeds_run / "report.json").read_text("utf-8"))
    for stage, stats in report["stats"]["stages"].items():
        if not stats["reasons"]:
            continue
        top = max(stats["reasons"], key=stats["reasons"].get)
        assert any(line.startswith(f"{stage}:") for line in lines), stage
        assert f"  {top} x{stats['reasons'][top]} " in text, (stage, top)
    assert sum("fullwidth_punctuation" in line for line in lines) == 1


def test_filters_pick_a_stage_a_reason_and_a_document(seeds_run, capsys):
    kept = str(seeds_run / "kept.jsonl")
    by_stage = _explain(capsys, "--stage", "script", kept)
    groups = [line for line in by_stage.splitlines() if line.startswith("  [")]
    assert groups and all(line.startswith("  [script]") for line in groups)
    by_reason = _explain(capsys, "--reason", "label:", "--all", kept)
    groups = [line for line in by_reason.splitlines() if line.startswith("  [")]
    assert groups and all("] label:" in line for line in groups)
    assert "more (--reason" not in by_reason
    first = json.loads((seeds_run / "kept.jsonl").read_text("utf-8").splitlines()[0])["id"]
    one = _explain(capsys, "--id", first, kept)
    assert one.count("\ndocument ") == 0 and one.startswith(f"document {first}:")


def test_metadata_is_described_not_dumped(seeds_run, capsys):
    text = _explain(capsys, str(seeds_run / "kept.jsonl"))
    assert "{'" not in text and "[{" not in text
    assert "line labels:" in text and "script:" in text
    facts = describe_metadata({"script": {"label": "traditional", "target": "simplified", "converted_paragraphs": 2,
                                          "paragraphs": {"label": ["traditional"] * 3}}})
    assert facts == ["script: traditional → simplified: 2 of 3 paragraphs converted; "
                     "Han ?, traditional-only ?, simplified-only ?"]


def test_repeated_changes_are_grouped_with_a_few_examples():
    doc = Document.from_text("a,b,c,d,e")
    doc.apply_many("encoding", [(i, i + 1, "，", "fullwidth_punctuation", None, ()) for i in range(1, 9, 2)])
    text = explain_document(doc)
    assert "[encoding] fullwidth_punctuation: 4 edits" in text
    assert "… 1 more" in text
    assert text.count("→ '，'") == 3
    assert explain_document(doc, where=Filter(every=True)).count("→ '，'") == 4


def test_a_closed_pipe_ends_quietly(seeds_run):
    process = subprocess.Popen(
        [sys.executable, "-m", "cleanse", "explain", str(seeds_run / "kept.jsonl"), "--all"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_a_directory_gets_a_clear_message(capsys):
    assert main(["explain", str(ROOT / "seeds")]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_an_input_jsonl_is_run_through_the_pipeline(tmp_path, capsys):
    inputs = tmp_path / "inputs.jsonl"
    record = {"id": "a", "text": "首页 > 新闻 > 正文\n新学期开始了，学生们回到校园，老师们也做好了准备。\n"}
    inputs.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    text = _explain(capsys, str(inputs))
    assert text.startswith("document a: kept")
    assert "[spam] label:chrome" in text


def test_records_without_a_change_log_are_recomputed_from_their_source(seeds_run, tmp_path, capsys, monkeypatch):
    """Compact records (the default) carry no log; explain recomputes it from the input its report.json names,
    from any working directory and with the output folder moved."""
    moved = tmp_path / "out"
    moved.mkdir()
    for name in ("kept.jsonl", "report.json"):
        (moved / name).write_bytes((seeds_run / name).read_bytes())
    assert all("changes" not in json.loads(line) for line in (moved / "kept.jsonl").read_text("utf-8").splitlines())
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    capsys.readouterr()
    assert main(["explain", "--stage", "encoding", str(moved / "kept.jsonl")]) == 0
    captured = capsys.readouterr()
    assert "[encoding] fullwidth_punctuation" in captured.out
    assert "recomputed from the run's input" in captured.err and "warning" not in captured.err
