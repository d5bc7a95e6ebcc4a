"""data-juicer recipes naming cleanse operators, run by data-juicer's executor: native outcomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("data_juicer", reason='data-juicer tests need the extra: pip install "cleanse[data-juicer]"')

from data_juicer.config import init_configs  # noqa: E402
from data_juicer.core import DefaultExecutor  # noqa: E402
from data_juicer.core.data import NestedDataset  # noqa: E402
from data_juicer.ops.base_op import OPERATORS  # noqa: E402
from data_juicer.utils.constant import Fields  # noqa: E402

import cleanse.integrations.data_juicer  # noqa: E402,F401  (registers the operators)

from .conftest import Outcome, assert_same_outcomes  # noqa: E402

MARKING = """
  - cleanse_chain_mapper:
  - cleanse_minhash_deduplicator:
      id_key: id
      mark_only: true
"""
DROPPING = """
  - cleanse_chain_mapper:
  - cleanse_status_filter:
  - cleanse_minhash_deduplicator:
      threshold: 0.5
"""


def _run_recipe(corpus: list[dict[str, str]], folder: Path, process: str) -> list[dict]:
    folder.mkdir()
    with open(folder / "input.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in corpus)
    recipe = folder / "recipe.yaml"
    recipe.write_text(
        f"project_name: cleanse-test\ndataset_path: {folder / 'input.jsonl'}\n"
        f"export_path: {folder / 'out' / 'result.jsonl'}\n"
        f"work_dir: {folder / 'work'}\nnp: 1\nkeep_stats_in_res_ds: true\nprocess:{process}",
        encoding="utf-8",
    )
    DefaultExecutor(init_configs(["--config", str(recipe)])).run()
    lines = (folder / "out" / "result.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_operators_are_registered_by_name() -> None:
    names = {"cleanse_chain_mapper", "cleanse_status_filter", "cleanse_spam_filter", "cleanse_minhash_deduplicator"}
    names |= {f"cleanse_{stage}_mapper" for stage in ("encoding", "script", "spam", "splice")}
    assert names <= set(OPERATORS.modules)


def test_marking_recipe_equals_the_native_pipeline(corpus, native_unsplit, tmp_path: Path) -> None:
    rows = _run_recipe(corpus, tmp_path / "marking", MARKING)
    found = {}
    for row in rows:
        stats = row[Fields.stats]
        found[row["id"]] = Outcome(
            stats["cleanse_status"], stats["cleanse_reason"] or None, row["text"], stats["cleanse_duplicate_of"] or None
        )
    assert_same_outcomes(found, native_unsplit)


def test_dropping_recipe_keeps_the_native_kept_texts(corpus, native_unsplit, tmp_path: Path) -> None:
    rows = _run_recipe(corpus, tmp_path / "dropping", DROPPING)
    kept = {key: outcome.text for key, outcome in native_unsplit.items() if outcome.status == "kept"}
    assert {row["id"]: row["text"] for row in rows} == kept


def test_spam_filter_drops_spam_documents_with_the_reason_in_stats(corpus, native) -> None:
    rejected = {
        key for key, outcome in native.items() if outcome.status == "dropped" and outcome.reason != "empty_document"
    }
    data = NestedDataset.from_list([r for r in corpus if r["id"] in rejected or r["id"].startswith("seed-")])
    spam_filter = OPERATORS.modules["cleanse_spam_filter"]()
    stats = spam_filter.compute_stats(data.map(lambda s: {Fields.stats: {}}).to_list()[0])
    assert "cleanse_spam_share" in stats[Fields.stats]
    result = spam_filter.run(data)
    kept_ids = set(result["id"])
    assert kept_ids == {r["id"] for r in corpus if r["id"].startswith("seed-")}


@pytest.mark.parametrize("stage", ["encoding", "script", "spam", "splice"])
def test_each_stage_mapper_equals_that_stage_run_natively(stage: str, corpus) -> None:
    from .conftest import native_outcomes_of

    native = native_outcomes_of(corpus, {"stages": [stage]})
    mapper = OPERATORS.modules[f"cleanse_{stage}_mapper"]()
    result = mapper.run(NestedDataset.from_list(corpus))
    for row in result:
        expected = native[row["id"]]
        stats = row[Fields.stats]
        assert (stats["cleanse_status"], stats["cleanse_reason"] or None) == (expected.status, expected.reason)
        if expected.status == "kept":
            assert row["text"] == expected.text


def test_dj_process_command_loads_the_operators_from_custom_operator_paths(tmp_path: Path) -> None:
    import subprocess
    import sys

    from cleanse.integrations import data_juicer_operators

    story = "春季植树造林活动在各地陆续展开，志愿者们带着树苗走上荒山，一天种下了三千多棵树。"
    rows = [{"id": "a", "text": story}, {"id": "b", "text": story + "（完）"}, {"id": "c", "text": ""}]
    (tmp_path / "input.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    (tmp_path / "recipe.yaml").write_text(
        f"project_name: cleanse-cli\ndataset_path: {tmp_path / 'input.jsonl'}\n"
        f"export_path: {tmp_path / 'out' / 'result.jsonl'}\nwork_dir: {tmp_path / 'work'}\nnp: 1\n"
        f'custom_operator_paths: ["{data_juicer_operators.__file__}"]\n'
        "process:\n  - cleanse_chain_mapper:\n  - cleanse_status_filter:\n  - cleanse_minhash_deduplicator:\n",
        encoding="utf-8",
    )
    command = Path(sys.executable).parent / "dj-process"
    subprocess.run([str(command), "--config", str(tmp_path / "recipe.yaml")], check=True, capture_output=True)
    result = (tmp_path / "out" / "result.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in result] == ["a"]
