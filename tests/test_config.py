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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('stages = ["spam"]\n[spam]\nthreshold = "0.5"\n', '[spam] threshold = "0.5": expected a number, got a string'),
        ("[intake]\nmax_lines = 5\n", "[intake] unknown option 'max_lines'; known options: max_line_chars"),
        ("[intake]\nmax_line_chars = true\n", "[intake] max_line_chars = true: expected an integer, got a boolean"),
        ('stages = ["encoding"]\n[spam]\nthreshold = 0.5\n', "[spam] configures a stage that is not in stages"),
        ('stages = ["encoding", "encoding"]\n', "stage 'encoding' listed more than once"),
        ("[dedup]\nthreshold = 1.5\n", "[dedup] threshold = 1.5: threshold must be in (0, 1]"),
        ('[dedup]\nlevel = "lines"\n', '[dedup] level = "lines": level must be one of'),
        ("[splice]\nemit_roles = [1]\n", "[splice] emit_roles = [1]: expected a list of strings, got a list"),
        ("[script]\nmerge_gap = 2.5\n", "[script] merge_gap = 2.5: expected an integer, got a number"),
        ("[encoding]\nfix_cjk_mojibake = 1\n", "[encoding] fix_cjk_mojibake = 1: expected true or false"),
        ("spam = 3\n", "[spam] must be a table of options"),
    ],
)
def test_option_errors_are_one_line_naming_file_key_and_value(tmp_path, text, expected):
    config = tmp_path / "bad.toml"
    config.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        Pipeline.from_config(config)
    message = str(caught.value)
    assert message.startswith(f"{config}: ") and expected in message
    assert "\n" not in message and "__init__" not in message and "not supported between" not in message
