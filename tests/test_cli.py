from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleanse import __version__
from cleanse.cli import main


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_run_on_seeds_accounts_for_every_document(tmp_path, seed_paths):
    out = tmp_path / "out"
    assert main(["run", str(seed_paths[0].parent), "-o", str(out), "--no-progress"]) == 0
    kept, rejects = _read_jsonl(out / "kept.jsonl"), _read_jsonl(out / "rejects.jsonl")
    report = json.loads((out / "report.json").read_text("utf-8"))
    parents = {r["id"].split("#")[0] for r in kept + rejects}
    assert parents == {p.name for p in seed_paths}
    assert report["stats"]["documents_in"] == 5 and report["stats"]["balanced"]
    assert len(kept) + len(rejects) == 5 + report["stats"]["derived"]
    assert [s["name"] for s in report["stages"]] == ["encoding", "script", "spam", "splice", "dedup"]
    assert (out / "report.md").read_text("utf-8").startswith("# cleanse run report")


def test_run_with_two_jobs_matches_one(tmp_path, seed_paths):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        assert main(["run", str(seed_paths[0].parent), "-o", str(out), "--jobs", jobs, "--no-progress"]) == 0
        outs.append((out / "kept.jsonl").read_text("utf-8"))
    assert outs[0] == outs[1]


def test_explain_a_text_file_and_a_run_output(tmp_path, seed_paths, capsys):
    assert main(["explain", str(seed_paths[3])]) == 0
    assert capsys.readouterr().out.startswith(f"document {seed_paths[3].name}:")
    out = tmp_path / "out"
    main(["run", str(seed_paths[0].parent), "-o", str(out), "--no-progress"])
    capsys.readouterr()
    assert main(["explain", str(out / "kept.jsonl"), "--id", seed_paths[0].name]) == 0
    assert f"document {seed_paths[0].name}" in capsys.readouterr().out


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleanse", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        ("run", "/no/such/input", "-o", "OUT"),
        ("run", "seeds", "-o", "OUT", "--config", "/no/such/config.toml"),
        ("run", "seeds", "-o", "OUT", "--jobs", "0"),
        ("explain", "/no/such/file.txt"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(tmp_path, args):
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    result = _cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("cleanse: error:")
    assert "Traceback" not in result.stderr


def test_bad_config_content_is_one_line(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[spam]\nunknown_knob = 3\n", "utf-8")
    result = _cli("run", "seeds", "-o", str(tmp_path / "o"), "--config", str(config))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_version():
    result = _cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"cleanse {__version__}"
