"""Script detection: per-class tests, and accuracy against labels from each text's known origin (the seed
file's script, OpenCC's own test cases), never from cleanse's conversions."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import opencc  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.stages.script import ScriptVerdict, detect_script, paragraph_counts

SIMPLIFIED_SEEDS = ("000", "001", "002", "004")
TRADITIONAL_SEEDS = ("003",)
CASES_FILE = Path(__file__).resolve().parents[1] / "data" / "script" / "opencc_testcases.json"
_TO_T = opencc.OpenCC("s2t").convert  # the peer library, never cleanse's own conversions, judges evidence
_TO_S = opencc.OpenCC("t2s").convert


def _has_script_evidence(text: str, origin: str) -> bool:
    """The text holds a character whose form differs between the scripts, as the peer library sees it."""
    return (_TO_T(text) if origin == "simplified" else _TO_S(text)) != text


def _opencc_outputs(origin: str) -> list[str]:
    """Expected outputs of OpenCC's own test cases: ``s2*`` outputs are Traditional, ``*2s`` ones Simplified."""
    cases = json.loads(re.sub(r",(\s*[\]}])", r"\1", CASES_FILE.read_text("utf-8")))["cases"]
    wanted = (lambda c: c.startswith("s2")) if origin == "traditional" else (lambda c: c in ("t2s", "tw2s", "hk2s"))
    return [
        out
        for case in cases
        for config, out in case["expected"].items()
        if wanted(config) and out != case["input"] and _has_script_evidence(out, origin)
    ]


def _seed_paragraphs(seed_texts: dict[str, str], names: tuple[str, ...], origin: str) -> list[str]:
    """Paragraphs of the seeds written in ``origin`` (known per file) that carry script evidence."""
    return [
        line
        for name, text in seed_texts.items()
        if name[:3] in names
        for line in text.split("\n")
        if _has_script_evidence(line, origin)
    ]


def _han_paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if detect_script(line) != "none"]


def _accuracy(paragraphs: list[str], expected: str) -> float:
    return sum(detect_script(p) == expected for p in paragraphs) / len(paragraphs)


def test_each_class_is_recognised() -> None:
    assert detect_script("后来发展了经济") == "simplified"
    assert detect_script("後來發展了經濟") == "traditional"
    assert detect_script("后来发展了经济，後來發展了經濟") == "mixed"
    assert detect_script("2024 GDP growth: 5.2%") == "none"
    assert detect_script("") == "none"


def test_verdict_is_a_string_with_counts() -> None:
    verdict = detect_script("這個國家的經濟")
    assert isinstance(verdict, str) and isinstance(verdict, ScriptVerdict)
    assert verdict.label == "traditional" == verdict
    assert (verdict.han, verdict.traditional, verdict.simplified) == (7, 5, 0)
    assert pickle.loads(pickle.dumps(verdict)).traditional == 5
    assert "traditional=5" in repr(verdict)
    with pytest.raises(ValueError):
        ScriptVerdict("klingon")


def test_one_stray_character_does_not_make_a_paragraph_mixed() -> None:
    assert detect_script("他们来自台湾，在臺北工作了三年") == "simplified"


def test_text_that_reads_the_same_in_both_scripts_has_no_evidence() -> None:
    verdict = detect_script("大家好，天天向上")
    assert (verdict.han, verdict.traditional, verdict.simplified) == (7, 0, 0)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        detect_script(b"\xe4\xb8\xad")  # type: ignore[arg-type]


def test_simplified_seed_paragraphs(seed_texts: dict[str, str]) -> None:
    judged = _seed_paragraphs(seed_texts, SIMPLIFIED_SEEDS, "simplified")
    assert len(judged) >= 200
    assert _accuracy(judged, "simplified") >= 0.99


def test_traditional_seed_paragraphs(seed_texts: dict[str, str]) -> None:
    judged = _seed_paragraphs(seed_texts, TRADITIONAL_SEEDS, "traditional")
    assert len(judged) >= 25
    assert _accuracy(judged, "traditional") >= 0.99


@pytest.mark.parametrize("origin", ["simplified", "traditional"])
def test_outputs_of_opencc_test_cases(origin: str) -> None:
    """Texts OpenCC's authors wrote as the result of a conversion are in the script converted to."""
    judged = _opencc_outputs(origin)
    assert len(judged) >= 50
    assert _accuracy(judged, origin) >= 0.98


def _sentences(text: str) -> list[str]:
    pieces = text.replace("！", "。").replace("？", "。").replace("\n", "。").split("。")
    return [p for p in pieces if len(p) >= 15]


def test_built_mixed_paragraphs(seed_texts: dict[str, str]) -> None:
    """A sentence of a Simplified seed joined to a sentence of the Traditional seed is a mixed paragraph."""
    simplified = [
        s
        for name, text in sorted(seed_texts.items())
        if name[:3] in SIMPLIFIED_SEEDS
        for s in _sentences(text)
        if _has_script_evidence(s, "simplified")
    ]
    traditional = [
        s
        for name, text in sorted(seed_texts.items())
        if name[:3] in TRADITIONAL_SEEDS
        for s in _sentences(text)
        if _has_script_evidence(s, "traditional")
    ]
    mixed = [first + "。" + traditional[i % len(traditional)] + "。" for i, first in enumerate(simplified)]
    assert len(mixed) >= 100
    assert _accuracy(mixed, "mixed") >= 0.99


def test_paragraph_counts_match_per_line_detection() -> None:
    text = "後來發展\n\n后来发展\nabc\n后来發展經濟發展"
    counts = paragraph_counts(text)
    lines = text.split("\n")
    assert counts.labels == [detect_script(line).label for line in lines]
    for index, line in enumerate(lines):
        assert text[counts.starts[index] : counts.ends[index]] == line
        verdict = detect_script(line)
        assert (counts.han[index], counts.traditional[index], counts.simplified[index]) == (
            verdict.han,
            verdict.traditional,
            verdict.simplified,
        )


@given(st.text())
def test_detection_never_fails_and_ascii_is_none(text: str) -> None:
    verdict = detect_script(text)
    assert verdict.label in ("simplified", "traditional", "mixed", "none")
    assert verdict.traditional + verdict.simplified <= verdict.han
    if text.isascii():
        assert verdict == "none"
    assert len(paragraph_counts(text).labels) == text.count("\n") + 1
