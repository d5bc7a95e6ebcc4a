from __future__ import annotations

import pytest

from cleanse import ConfigError, Pipeline


def test_toml_names_stages_in_order(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('stages = ["encoding", "dedup"]\n', "utf-8")
    assert [s.name for s in Pipeline.from_config(config).stages] == ["encoding", "dedup"]


def test_dict_config_works_like_toml():
    assert [s.name for s in Pipeline.from_config({"stages": ["script"]}).stages] == ["script"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('stages = ["nope"]', "unknown stage 'nope'"),
        ('stages = ["encoding"]\n[bogus]\nx = 1\n', "unknown key 'bogus'"),
        ('stages = "encoding"', "must be a list"),
        ("stages = [", "invalid TOML"),
        ('[encoding]\nno_such_option = 1\n', "no_such_option"),
    ],
)
def test_bad_configs_raise_config_error_naming_the_problem(tmp_path, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message):
        Pipeline.from_config(config)


def test_missing_config_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        Pipeline.from_config(tmp_path / "missing.toml")


def test_intake_options_come_from_the_config(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('stages = ["encoding"]\n[intake]\nmax_line_chars = 10\n', "utf-8")
    pipeline = Pipeline.from_config(config)
    assert pipeline.intake.max_line_chars == 10
    config.write_text("[intake]\nmax_line_chars = -1\n", "utf-8")
    with pytest.raises(ConfigError, match="max_line_chars"):
        Pipeline.from_config(config)
