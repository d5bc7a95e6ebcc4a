"""The README's configuration example is a working configuration."""

from __future__ import annotations

import re
from pathlib import Path

from cleanse import Pipeline

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_toml_example_builds_a_pipeline(tmp_path):
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text("utf-8"), flags=re.S)
    assert blocks, "the README shows a TOML configuration"
    config = tmp_path / "cleanse.toml"
    config.write_text(blocks[0], "utf-8")
    pipeline = Pipeline.from_config(config)
    assert [s.name for s in pipeline.stages] == ["encoding", "script", "spam", "splice", "dedup"]
    assert pipeline.intake.max_line_chars == 1_000_000
