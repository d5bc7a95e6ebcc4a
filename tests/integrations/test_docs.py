"""Every example in docs/integrations.md runs (in a scratch folder), skipped when its extra is absent."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)


def test_the_doc_has_one_example_per_integration() -> None:
    needs = [re.match(r"# needs: (\w+)", block) for block in BLOCKS]
    assert [m.group(1) for m in needs if m] == ["datatrove", "data_juicer", "datasets"]


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.split("\n", 1)[0].removeprefix("# needs: "))
def test_example_runs(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = re.match(r"# needs: (\w+)", block).group(1)  # type: ignore[union-attr]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"the example needs {module}: pip install the matching cleanse extra")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, str(DOC), "exec"), {"__name__": "__docs__"})
