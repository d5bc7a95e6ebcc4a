"""Compact output records, and change logs recomputed from the input on demand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cleanse.cli import main
from cleanse.document import Document
from cleanse.io.records import CHANGE_COUNTS, DETAIL_KEYS, change_counts, compact_record
from cleanse.recompute import documents_with_changes


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_paths) -> Path:
    """The seeds and a near copy of one, so dedup marks a duplicate and flags paragraphs."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    lines = seed_paths[2].read_text("utf-8").splitlines()  # 002: a paragraph a line
    (folder / "zz_copy.txt").write_text("\n".join(lines[: len(lines) * 3 // 4]), "utf-8")
    mixed = [*lines[len(lines) // 2 :], "一段新的文字，与别处不同。"]
    (folder / "zz_mixed.txt").write_text("\n\n".join(mixed), "utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory, corpus) -> dict[str, Path]:
    outs = {}
    for mode in ("compact", "full"):
        out = tmp_path_factory.mktemp(mode) / "out"
        assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--changes", mode]) == 0
        outs[mode] = out
    return outs


def test_compact_output_is_at_most_one_and_a_half_times_the_input(runs, corpus):
    size_in = sum(p.stat().st_size for p in corpus.iterdir())
    size_out = sum((runs["compact"] / name).stat().st_size for name in ("kept.jsonl", "rejects.jsonl"))
    assert size_out <= 1.5 * size_in, (size_out, size_in)


def test_compact_records_keep_counts_and_no_detail(runs):
    records = _records(runs["compact"] / "kept.jsonl") + _records(runs["compact"] / "rejects.jsonl")
    full = {r["id"]: r for r in _records(runs["full"] / "kept.jsonl") + _records(runs["full"] / "rejects.jsonl")}
    assert {r["id"] for r in records} == set(full)
    for record in records:
        assert "changes" not in record and not DETAIL_KEYS & set(record["metadata"])
        twin = full[record["id"]]
        assert record["text"] == twin["text"] and record["status"] == twin["status"]
        counted: dict[str, dict[str, int]] = {}
        for change in twin["changes"]:
            by_reason = counted.setdefault(change["stage"], {})
            by_reason[change["reason"]] = by_reason.get(change["reason"], 0) + 1
        assert record["metadata"].get(CHANGE_COUNTS, {}) == counted
        if isinstance(twin["metadata"].get("script"), dict):
            assert record["metadata"]["script"] == twin["metadata"]["script"]["label"]


def test_split_off_stories_are_documents_with_a_role(runs):
    kept = _records(runs["compact"] / "kept.jsonl")
    report = json.loads((runs["compact"] / "report.json").read_text("utf-8"))["stats"]
    derived = [r for r in kept if "#" in r["id"]]
    assert derived and report["derived"] >= len(derived)
    for record in derived:
        parent, number = record["id"].rsplit("#", 1)
        assert record["metadata"]["parent"] == parent and int(number) >= 1 and record["metadata"]["role"]


def test_no_split_keeps_only_input_documents(tmp_path, corpus):
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--no-split"]) == 0
    ids = [r["id"] for r in _records(out / "kept.jsonl") + _records(out / "rejects.jsonl")]
    assert len(ids) == len(list(corpus.iterdir())) and not any("#" in i for i in ids)


def test_recomputed_logs_equal_the_stored_full_logs(runs):
    """``cleanse explain`` on compact output shows exactly what a ``--changes full`` run stored."""
    for name in ("kept.jsonl", "rejects.jsonl"):
        stored = documents_with_changes(runs["full"] / name, _records(runs["full"] / name))
        recomputed = documents_with_changes(runs["compact"] / name, _records(runs["compact"] / name))
        assert [d.explain() for d in recomputed] == [d.explain() for d in stored]
        assert [len(d.changes) for d in recomputed] == [len(d.changes) for d in stored]


def test_the_corpus_exercises_both_recompute_paths(runs):
    records = _records(runs["compact"] / "kept.jsonl") + _records(runs["compact"] / "rejects.jsonl")
    by_dedup = [r for r in records if "dedup" in r["metadata"].get(CHANGE_COUNTS, {})]
    assert by_dedup, "some document needs a replay (dedup flagged its paragraphs)"
    assert any(r["status"] == "duplicate" for r in records)
    assert len(by_dedup) < len(records)


def test_explain_cli_on_compact_output_matches_full_output(runs, capsys):
    outputs = []
    for mode in ("compact", "full"):
        assert main(["explain", str(runs[mode] / "kept.jsonl")]) == 0
        captured = capsys.readouterr()
        assert "warning" not in captured.err
        outputs.append(captured.out)
    assert outputs[0] == outputs[1] and outputs[0].count("document ") >= 5


def test_change_counts_count_every_change():
    doc = Document.from_text("甲乙丙\n丁戊")
    doc.flag("spam", 0, 3, "label:article")
    doc.flag("spam", 4, 6, "label:article")
    doc.apply_many("encoding", [(0, 1, "甲甲", "fix", None, ())])
    assert change_counts(doc) == {"spam": {"label:article": 2}, "encoding": {"fix": 1}}
    assert compact_record(doc)["metadata"][CHANGE_COUNTS] == change_counts(doc)


def test_recompute_from_jsonl_input_with_own_ids(tmp_path, seed_paths):
    """A crawl export: ids and extra fields from JSONL; explain on compact output equals the full log."""
    source = tmp_path / "crawl.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for number, path in enumerate(seed_paths[:3]):
            record = {"id": f"page-{number}", "url": f"https://example.org/{number}", "text": path.read_text("utf-8")}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("not json\n")
    outs = {}
    for mode in ("compact", "full"):
        outs[mode] = tmp_path / mode
        assert main(["run", str(source), "-o", str(outs[mode]), "--no-progress", "--changes", mode]) == 0
    kept = _records(outs["compact"] / "kept.jsonl")
    assert kept[0]["metadata"]["url"] == "https://example.org/0"
    for name in ("kept.jsonl", "rejects.jsonl"):
        stored = documents_with_changes(outs["full"] / name, _records(outs["full"] / name))
        recomputed = documents_with_changes(outs["compact"] / name, _records(outs["compact"] / name))
        assert [d.explain() for d in recomputed] == [d.explain() for d in stored] and stored
