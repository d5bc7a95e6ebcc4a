"""Script detection: per-class tests, accuracy on the seeds, their Traditional conversions and built mixes."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.stages.script import ScriptVerdict, detect_script, paragraph_counts, to_simplified, to_traditional

SIMPLIFIED_SEEDS = ("000", "001", "002", "004")


def _truth(paragraph: str) -> str:
    """What the paragraph is written in, judged by which conversion leaves it unchanged."""
    simplified_fixed = to_simplified(paragraph) == paragraph
    traditional_fixed = to_traditional(paragraph) == paragraph
    if simplified_fixed and not traditional_fixed:
        return "simplified"
    if traditional_fixed and not simplified_fixed:
        return "traditional"
    return "neutral" if simplified_fixed else "mixed"


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
    paragraphs = [p for name, text in seed_texts.items() if name[:3] in SIMPLIFIED_SEEDS for p in _han_paragraphs(text)]
    judged = [p for p in paragraphs if _truth(p) != "neutral"]
    assert len(judged) >= 200
    assert _accuracy(judged, "simplified") >= 0.99


@pytest.mark.parametrize("variant", ["standard", "tw", "twp", "hk"])
def test_traditional_conversions_of_the_simplified_seeds(seed_texts: dict[str, str], variant: str) -> None:
    """Paragraphs the conversion changed are Traditional; unchanged ones read the same in both scripts."""
    paragraphs = [p for name, text in seed_texts.items() if name[:3] in SIMPLIFIED_SEEDS for p in _han_paragraphs(text)]
    converted = [to_traditional(p, variant=variant) for p in paragraphs]
    judged = [after for before, after in zip(paragraphs, converted, strict=False) if after != before]
    assert len(judged) >= 0.95 * len(paragraphs)
    assert _accuracy(judged, "traditional") >= 0.99


def test_seed_paragraphs_against_conversion_truth(seed_texts: dict[str, str]) -> None:
    """Every seed paragraph, Seed 003 included, labelled as the conversions judge it."""
    paragraphs = [p for text in seed_texts.values() for p in _han_paragraphs(text)]
    judged = [(p, _truth(p)) for p in paragraphs]
    judged = [(p, truth) for p, truth in judged if truth in ("simplified", "traditional")]
    correct = sum(detect_script(p) == truth for p, truth in judged)
    assert correct / len(judged) >= 0.99


def _sentences(text: str) -> list[str]:
    pieces = text.replace("！", "。").replace("？", "。").replace("\n", "。").split("。")
    return [p for p in pieces if len(p) >= 15 and detect_script(p).simplified >= 3]


def test_built_mixed_paragraphs(seed_texts: dict[str, str]) -> None:
    """A Simplified sentence joined to the Traditional form of the next one is a mixed paragraph."""
    sentences = [
        s for name, text in sorted(seed_texts.items()) if name[:3] in SIMPLIFIED_SEEDS for s in _sentences(text)
    ]
    mixed = [
        first + "。" + to_traditional(second) + "。" for first, second in zip(sentences, sentences[1:], strict=False)
    ]
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
