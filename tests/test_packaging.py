"""`python -m build` gives an sdist and a wheel without warnings; the sdist carries what the tests read."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WARNING = re.compile(r"(?i)(?<![\w/.-])warning\b")  # "WARNING `project.license` ...", "warning: no files ..."
WARNING_CLASS = re.compile(r"[a-z]Warning\b")  # "SetuptoolsDeprecationWarning: ..."


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("build") is None, reason="needs the build package (test extra)")
def test_build_has_no_warnings_and_the_sdist_is_complete(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # that one makes setuptools warn
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, env=env, timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [line for line in output.splitlines() if WARNING.search(line) or WARNING_CLASS.search(line)]
    assert warnings == []
    with tarfile.open(next(tmp_path.glob("*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "tests/conftest.py", "docs/architecture.md"} <= names
    seeds = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "seeds").glob("*.txt"))
    assert seeds and set(seeds) <= names
    with zipfile.ZipFile(next(tmp_path.glob("*.whl"))) as wheel:
        metadata = next(wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())
    assert "License-Expression: Apache-2.0" in metadata
