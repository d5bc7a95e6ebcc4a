"""Bad documents never stop a run and never vanish: each is decoded with a verdict or rejected with a reason."""

from __future__ import annotations

import json

import pytest

from cleanse.cli import main

BAD_INPUTS = {
    "invalid_utf8": "正文开始".encode() + b"\xff\xfe\xfa" + "结束。".encode(),
    "empty": b"",
    "binary": bytes(range(256)) * 64,
    "nul_bytes": "第一段\x00内容。\n\n第二段。".encode(),
    "gbk": "这是一段用国标码保存的中文新闻正文，记者报道。".encode("gbk"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    source = root / "in"
    source.mkdir()
    for name, data in BAD_INPUTS.items():
        (source / f"{name}.txt").write_bytes(data)
    out = root / "out"
    code = main(["run", str(source), "-o", str(out), "--no-progress"])
    records = {}
    for name in ("kept.jsonl", "rejects.jsonl"):
        for line in (out / name).read_text("utf-8").splitlines():
            record = json.loads(line)
            records[record["id"].removesuffix(".txt")] = record  # file ids are relative paths
    return code, records, json.loads((out / "report.json").read_text("utf-8"))


def test_every_bad_input_is_accounted_for(bad_run):
    code, records, report = bad_run
    assert code == 0
    assert set(BAD_INPUTS) <= set(records)
    assert report["stats"]["balanced"]


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_input_has_a_status_and_a_reason_when_rejected(bad_run, name):
    _, records, _ = bad_run
    record = records[name]
    assert record["status"] in {"kept", "dropped", "duplicate"}
    if record["status"] != "kept":
        assert record["reason"]


def test_empty_file_is_rejected_as_empty(bad_run):
    assert bad_run[1]["empty"]["reason"] == "empty_document"


def test_gbk_file_is_decoded(bad_run):
    record = bad_run[1]["gbk"]
    assert record["metadata"]["encoding"] in {"gb18030", "gbk", "gb2312"}
    assert record["status"] == "kept", record.get("reason")
    assert "国标码" in record["text"]


def _run_ids(source, out) -> dict[str, dict]:
    assert main(["run", str(source), "-o", str(out), "--no-progress", "--no-changes"]) == 0
    records = {}
    for name in ("kept.jsonl", "rejects.jsonl"):
        for text_line in (out / name).open(encoding="utf-8"):
            record = json.loads(text_line)
            records[record["id"].removesuffix(".txt")] = record  # file ids are relative paths
    return records


def test_a_50_mb_line_is_rejected_with_a_reason_and_the_run_goes_on(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    line = ("城市基层党建工作取得新进展，" * 1_200_000).encode()
    assert len(line) > 50_000_000
    (source / "huge.txt").write_bytes(line)
    (source / "small.txt").write_bytes("一篇正常的短文章。".encode())
    records = _run_ids(source, tmp_path / "out")
    assert records["huge"]["status"] == "dropped" and records["huge"]["reason"].startswith("line_too_long")
    assert records["small"]["status"] == "kept"


def test_a_long_line_under_the_limit_goes_through_every_stage(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "long.txt").write_bytes(("城市基层党建工作取得新进展，" * 40_000).encode())
    records = _run_ids(source, tmp_path / "out")
    assert records["long"]["status"] in {"kept", "dropped"} and records["long"]["metadata"]["encoding"] == "utf-8"
    if records["long"]["status"] == "dropped":
        assert records["long"]["reason"]
