"""The main job's output directory: resumable after SIGKILL, never ambiguous, faults as exit 2."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cleanse.cli import main
from cleanse.io.rundir import CHECKPOINT, IN_PROGRESS, KEPT, REJECTS, REPORT_JSON

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI in a child process that kills itself with SIGKILL at a chosen point:
# before its n-th record ("write n"), or in the middle of finishing ("complete 0").
KILLER = """
import os, signal, sys
from cleanse.io import rundir

where, n = sys.argv[1], int(sys.argv[2])
original = rundir.RunWriter.write
written = [0]

def write(self, doc):
    if where == "write" and written[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    written[0] += 1
    original(self, doc)

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

rundir.RunWriter.write = write
if where == "complete":
    rundir.render_markdown = die
from cleanse.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_paths) -> Path:
    """The seeds plus near and exact copies of some, so dedup state matters across a resume."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    for number, path in enumerate(seed_paths[:3]):
        lines = path.read_text("utf-8").splitlines()
        kept = lines if number == 0 else lines[: len(lines) * 4 // 5]
        (folder / f"zz_copy_{number}.txt").write_text("\n".join(kept), "utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    assert main(["run", str(corpus), "-o", str(out), "--no-progress"]) == 0
    return out


def _killed_run(corpus: Path, out: Path, where: str, n: int, *extra: str) -> int:
    args = ["run", str(corpus), "-o", str(out), "--no-progress", "--checkpoint-every", "0", *extra]
    result = subprocess.run(
        [sys.executable, "-c", KILLER, where, str(n), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
        cwd=ROOT,
    )
    return result.returncode


def _workers_gone(out: Path, wait: float = 10.0) -> bool:
    """Whether no process still runs with ``out`` on its command line (forked workers share it)."""
    import time

    deadline = time.monotonic() + wait
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(out).encode() in (entry / "cmdline").read_bytes():
                    alive.append(entry.name)
            except OSError:
                continue
        if not alive or time.monotonic() > deadline:
            return not alive
        time.sleep(0.2)


def _stats(out: Path) -> dict:
    stats = json.loads((out / REPORT_JSON).read_text("utf-8"))["stats"]
    stats.pop("seconds")
    return stats


@pytest.mark.parametrize(
    ("where", "n", "extra"),
    [
        ("write", 0, ()),
        ("write", 2, ()),
        ("write", 6, ()),
        ("write", 11, ()),
        ("write", 5, ("--jobs", "2")),
        ("complete", 0, ()),
    ],
)
def test_resume_after_sigkill_gives_the_uninterrupted_output(tmp_path, corpus, reference, where, n, extra):
    out = tmp_path / "out"
    assert _killed_run(corpus, out, where, n, *extra) == -signal.SIGKILL
    assert (out / IN_PROGRESS).exists(), "a killed run must leave the directory marked as in progress"
    assert not (out / REPORT_JSON).exists()
    if "--jobs" in extra:
        assert _workers_gone(out), "worker processes end when the run they served was killed"
    if n >= 2 or where == "complete":
        assert (out / CHECKPOINT).exists(), "the kill came after a checkpoint: resume starts from it"
    if where == "write":
        assert not (out / KEPT).exists() and not (out / REJECTS).exists(), "only complete files take final names"
    assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--resume"]) == 0
    for name in (KEPT, REJECTS):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert _stats(out) == _stats(reference)
    assert not (out / IN_PROGRESS).exists() and not (out / CHECKPOINT).exists()


def test_reference_run_found_the_copies(reference):
    rejects = [json.loads(line) for line in (reference / REJECTS).read_text("utf-8").splitlines()]
    assert any(r["status"] == "duplicate" for r in rejects)


def test_non_empty_output_is_refused_unless_overwrite(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    assert main(["run", str(corpus), "-o", str(out), "--no-progress"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--overwrite"]) == 0
    assert (out / "notes.txt").read_text("utf-8") == "mine", "--overwrite removes only run files"
    assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--resume"]) == 2
    assert "finished run" in capsys.readouterr().err


def test_resume_with_other_settings_is_refused(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert _killed_run(corpus, out, "write", 3) == -signal.SIGKILL
    assert main(["run", str(corpus), "-o", str(out), "--no-progress", "--resume", "--changes", "full"]) == 2
    assert "other settings" in capsys.readouterr().err


def test_output_directory_is_never_read_as_input(tmp_path, seed_paths):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in seed_paths[:2]:
        shutil.copy(path, folder / path.name)
    out = folder / "out"
    for flags in ([], ["--overwrite"]):
        assert main(["run", str(folder), "-o", str(out), "--no-progress", *flags]) == 0
        assert _stats(out)["documents_in"] == 2
    assert main(["run", str(out / KEPT), "-o", str(out), "--no-progress", "--overwrite"]) == 2


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleanse", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def _one_line_exit_2(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("cleanse: error:")


def test_output_that_cannot_be_created_is_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    _one_line_exit_2(_cli("run", "seeds", "-o", str(blocker / "out")))


def test_unreadable_input_is_exit_2_before_the_run(tmp_path):
    unreadable = tmp_path / "input.jsonl"
    unreadable.symlink_to("/proc/self/mem")  # exists, but reading it fails (EIO), even for root
    out = tmp_path / "out"
    _one_line_exit_2(_cli("run", str(unreadable), "-o", str(out)))
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_input_without_read_permission_is_exit_2(tmp_path):
    locked = tmp_path / "input.jsonl"
    locked.write_text('{"text": "x"}\n', "utf-8")
    locked.chmod(0)
    _one_line_exit_2(_cli("run", str(locked), "-o", str(tmp_path / "out")))


def test_bad_index_path_is_exit_2_before_the_run(tmp_path):
    not_a_directory = tmp_path / "index"
    not_a_directory.write_text("x", "utf-8")
    config = tmp_path / "c.toml"
    config.write_text(f'[dedup]\nindex_path = "{not_a_directory}"\n', "utf-8")
    out = tmp_path / "out"
    _one_line_exit_2(_cli("run", "seeds", "-o", str(out), "--config", str(config)))
    assert not out.exists()


def test_corrupt_saved_index_is_exit_2_before_the_run(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "documents.npz").write_bytes(b"not an index")
    config = tmp_path / "c.toml"
    config.write_text(f'[dedup]\nindex_path = "{index}"\n', "utf-8")
    out = tmp_path / "out"
    _one_line_exit_2(_cli("run", "seeds", "-o", str(out), "--config", str(config)))
    assert not out.exists()


def test_disk_full_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, seed_paths):
    from cleanse.io import rundir

    def full(self, doc):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "kept.jsonl.partial"))

    monkeypatch.setattr(rundir.RunWriter, "write", full)
    assert main(["run", str(seed_paths[0].parent), "-o", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cleanse: error: No space left on device") and len(err.strip().splitlines()) == 1
    assert (tmp_path / "out" / IN_PROGRESS).exists(), "a failed run stays marked as not finished"


def test_resume_over_a_changed_input_is_refused(tmp_path, corpus, capsys):
    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    out = tmp_path / "out"
    assert _killed_run(folder, out, "write", 3) == -signal.SIGKILL
    (folder / "zz_new.txt").write_text("新的一篇文章。", "utf-8")
    assert main(["run", str(folder), "-o", str(out), "--no-progress", "--resume"]) == 2
    assert "input_fingerprint" in capsys.readouterr().err
