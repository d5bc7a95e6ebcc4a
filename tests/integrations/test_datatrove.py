"""datatrove's own executor running cleanse steps: same outcomes as the native pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason='datatrove tests need the extra: pip install "cleanse[datatrove]"')

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import cleanse  # noqa: E402
from cleanse.integrations.datatrove import Clean, Deduplicate  # noqa: E402

from .conftest import Outcome, assert_same_outcomes, native_outcomes  # noqa: E402

TASKS = 3


def _write_shards(records: list[dict[str, str]], folder: Path, shards: int) -> None:
    """Contiguous shards, so task order is corpus order (the native run keeps the first copy it sees)."""
    folder.mkdir(parents=True)
    size = -(-len(records) // shards)
    for shard in range(shards):
        with open(folder / f"part-{shard}.jsonl", "w", encoding="utf-8") as handle:
            for record in records[shard * size : (shard + 1) * size]:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return rows


def _run(steps: list, tasks: int, logs: Path) -> None:
    LocalPipelineExecutor(steps, tasks=tasks, workers=1, logging_dir=str(logs)).run()


@pytest.fixture(scope="module")
def datatrove_run(corpus, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("datatrove")
    _write_shards(corpus, work / "input", TASKS)
    dedup = Deduplicate(str(work / "dedup"))
    _run(
        [
            JsonlReader(str(work / "input")),
            Clean(exclusion_writer=JsonlWriter(str(work / "rejects"), compression=None)),
            JsonlWriter(str(work / "cleaned"), compression=None),
            dedup.signatures(),
        ],
        TASKS,
        work / "logs-clean",
    )
    _run([dedup.clusters()], 1, work / "logs-clusters")
    _run(
        [
            JsonlReader(str(work / "cleaned")),
            dedup.filter(exclusion_writer=JsonlWriter(str(work / "duplicates"), compression=None)),
            JsonlWriter(str(work / "output"), compression=None),
        ],
        TASKS,
        work / "logs-filter",
    )
    return work


@pytest.fixture(scope="module")
def native(corpus):
    """The native run on what datatrove's readers pass on: they skip documents without text."""
    return native_outcomes([record for record in corpus if record["text"]])


def test_outcomes_equal_the_native_pipeline(datatrove_run: Path, native) -> None:
    found: dict[str, Outcome] = {}
    for row in _read(datatrove_run / "output"):
        found[row["id"]] = Outcome("kept", None, row["text"], None)
    for folder in ("rejects", "duplicates"):
        for row in _read(datatrove_run / folder):
            meta = row["metadata"]
            found[row["id"]] = Outcome(
                meta["cleanse_status"], meta["cleanse_reason"], row["text"], meta.get("duplicate_of")
            )
    assert_same_outcomes(found, native)


def test_rejects_carry_the_reason_and_stats_count_them(datatrove_run: Path, native) -> None:
    rejects = _read(datatrove_run / "rejects")
    assert rejects and all(row["metadata"]["filter_reason"] for row in rejects)
    assert {row["metadata"]["cleanse_reason"] for row in rejects} == {
        o.reason for o in native.values() if o.status == "dropped"
    }
    stats = json.loads((datatrove_run / "logs-clean" / "stats.json").read_text())
    clean_stats = next(step for step in stats if "cleanse" in step["name"])["stats"]
    assert clean_stats["dropped"] == len(rejects)
    assert any(key.startswith("changes_") for key in clean_stats)


def test_clusters_equal_find_duplicates(datatrove_run: Path) -> None:
    cleaned = _read(datatrove_run / "cleaned")  # task order: the order the signatures were joined in
    expected = [[cleaned[i]["id"] for i in group] for group in cleanse.find_duplicates([r["text"] for r in cleaned])]
    found = json.loads((datatrove_run / "dedup" / "clusters" / "clusters.json").read_text())
    assert expected and found == expected


def test_clean_takes_the_toml_options(corpus, tmp_path: Path) -> None:
    from datatrove.data import Document as DatatroveDocument

    from .conftest import native_outcomes_of

    config = tmp_path / "cleanse.toml"
    config.write_text(
        'stages = ["encoding", "script", "spam", "splice"]\n\n[script]\ntarget = "traditional"\n', "utf-8"
    )
    records = [record for record in corpus if record["text"]]
    step = Clean(config=str(config))
    kept = {doc.id: doc.text for doc in step.run(DatatroveDocument(text=r["text"], id=r["id"]) for r in records)}
    native = native_outcomes_of(
        records, {"stages": ["encoding", "script", "spam", "splice"], "script": {"target": "traditional"}}
    )
    assert kept == {key: o.text for key, o in native.items() if o.status == "kept"}
    assert any(text != r["text"] for r in records if r["id"] in kept for text in [kept[r["id"]]])
