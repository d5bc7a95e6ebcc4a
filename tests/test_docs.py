"""Every code block in README.md and docs/*.md runs, or says why it cannot.

Blocks are fenced with a language: ``python`` blocks are executed (as doctests when they hold ``>>>``
prompts), ``toml`` blocks must load as a configuration, ``bash`` blocks run in a scratch directory holding
a link to seeds/, and ``text`` blocks are listings, not code. A block that cannot run here (it installs
packages, needs a Ray cluster or a Redis server, or runs the benchmark suite) is preceded by an HTML comment
``<!-- not-run: the reason -->``, which readers of the rendered page do not see.
"""

from __future__ import annotations

import doctest
import importlib.util
import io
import os
import re
import subprocess
import sys
import types
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleanse import Pipeline

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LANGUAGES = {"python", "bash", "toml", "text"}
_BLOCK = re.compile(
    r"(?:^<!--\s*not-run:(?P<reason>[^>]*)-->\s*\n)?^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```[ \t]*$",
    re.M | re.S,
)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    body: str
    not_run: str | None

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text("utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("lang")) + 1
            reason = match.group("reason")
            found.append(Block(page, line, match.group("lang"), match.group("body"), reason and reason.strip()))
    return found


BLOCKS = _blocks()
RUNNABLE = [b for b in BLOCKS if b.not_run is None and b.lang != "text"]


def test_every_block_names_its_language_and_each_skip_gives_a_reason():
    assert len(BLOCKS) >= 20
    for block in BLOCKS:
        assert block.lang in LANGUAGES, f"{block.name}: fence the block as one of {sorted(LANGUAGES)}"
        assert block.not_run is None or len(block.not_run) > 10, f"{block.name}: say why it cannot run"
    assert sum(b.not_run is None for b in BLOCKS if b.lang != "text") >= 10


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    (tmp_path / "seeds").symlink_to(ROOT / "seeds", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


#: Optional packages an example may import, and the extra that brings each: without it the example is skipped.
OPTIONAL = {"datatrove": "datatrove", "data_juicer": "data-juicer", "datasets": "hf", "ray": "ray", "redis": "redis"}
_IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.M)


def _missing_extra(block: Block) -> str | None:
    """The extra a Python example needs and this environment lacks (``cleanse.integrations.hf`` needs ``hf``)."""
    for name in _IMPORT.findall(block.body):
        parts = name.split(".")
        package = parts[2] if parts[:2] == ["cleanse", "integrations"] and len(parts) > 2 else parts[0]
        package = {"hf": "datasets"}.get(package, package)
        if package in OPTIONAL and importlib.util.find_spec(package) is None:
            return OPTIONAL[package]
    return None


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_code_block_runs(block, scratch):
    extra = _missing_extra(block) if block.lang == "python" else None
    if extra is not None:
        pytest.skip(f'needs the optional extra: pip install "cleanse[{extra}]"')
    if block.lang == "python":
        _run_python(block)
    elif block.lang == "toml":
        config = scratch / "cleanse.toml"
        config.write_text(block.body, "utf-8")
        assert Pipeline.from_config(config).stages
    elif block.lang == "bash":
        _run_bash(block, scratch)


def _run_python(block: Block) -> None:
    if re.search(r"^>>> ", block.body, re.M):
        test = doctest.DocTestParser().get_doctest(block.body, {}, block.name, str(block.page), block.line)
        output = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=output.write)
        assert runner.failures == 0, output.getvalue()
        return
    module = types.ModuleType("docs_example")  # dataclasses look their module up in sys.modules
    sys.modules[module.__name__] = module
    try:
        with redirect_stdout(io.StringIO()):
            exec(compile(block.body, block.name, "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]


def _run_bash(block: Block, cwd: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.body], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{block.name}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
