"""The default pipeline over the whole no-harm corpus: every eligible string comes out kept and as expected.

The truth is the corpus's own (``tests/data/noharm/noharm.jsonl``, see its SOURCES.md): a string comes out
unchanged, or as ``expected_pipeline`` when it is written in Traditional Chinese (official OpenCC's conversion,
stored at build time, so this test needs no benchmark install). Strings marked ``pipeline`` (page furniture,
word salad, Japanese that cannot be told from Chinese) are left out, counted here, and stay in the encoding
stage's own no-harm test. Each string runs on its own: they are independent test strings.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cleanse.document import Document
from cleanse.pipeline import Pipeline
from cleanse.stages.script import detection
from cleanse.stages.spam.stage import SpamLabeller

CORPUS = Path(__file__).parent / "data" / "noharm" / "noharm.jsonl"


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


RECORDS = _records()
ELIGIBLE = [record for record in RECORDS if "pipeline" not in record]


def harmed(records: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    """``(id, expected, output)`` of every record the default pipeline does not output as expected."""
    pipeline = Pipeline.default()
    found = []
    for record in records:
        outputs = list(pipeline.run([Document.from_text(record["text"], id=record["id"])]))
        out = next(doc for doc in outputs if doc.id == record["id"])
        expected = record.get("expected_pipeline", record["text"])
        if not (out.kept and out.text == expected and len(outputs) == 1):
            found.append((record["id"], expected, out.text if out.kept else None))
    return found


def test_every_eligible_string_comes_out_as_expected() -> None:
    assert len(ELIGIBLE) >= 4000
    assert {record["split"] for record in ELIGIBLE} == {"dev", "test"}
    assert sum("expected_pipeline" in record for record in ELIGIBLE) >= 200  # Traditional strings are in
    assert harmed(ELIGIBLE) == []


def test_excluded_strings_are_few_and_each_says_why() -> None:
    excluded = [record for record in RECORDS if "pipeline" in record]
    assert all(record.get("pipeline_why") for record in excluded)
    assert all("expected_pipeline" not in record for record in excluded)
    counts = Counter(record["pipeline"] for record in excluded)
    assert set(counts) <= {"furniture", "junk", "ambiguous_script"}
    assert sum(counts.values()) <= 0.04 * len(RECORDS)


def test_expected_conversions_come_only_with_traditional_text() -> None:
    converted = [record for record in RECORDS if "expected_pipeline" in record]
    assert all(record["expected_pipeline"] != record["text"] for record in converted)
    assert all(len(record["expected_pipeline"]) == len(record["text"]) for record in converted)
    assert {record["lang"] for record in converted if record["kind"] not in ("foreign_in_chinese", "rare_name")} == {
        "zh_TW"
    }


JAPANESE_AND_FOREIGN = [record for record in ELIGIBLE if record["lang"] in ("ja_JP", "he_IL", "vi_VN", "ru_RU")]


def test_the_check_fails_when_script_detection_ignores_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    def blind(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return np.zeros(len(starts), dtype=np.int64)

    monkeypatch.setattr(detection, "_japanese_counts", blind)
    assert any(identifier.startswith("ja_JP-") for identifier, _, _ in harmed(JAPANESE_AND_FOREIGN))


def test_the_check_fails_when_the_spam_stage_drops_text_without_han(monkeypatch: pytest.MonkeyPatch) -> None:
    original = SpamLabeller.process

    def drops_foreign(self: SpamLabeller, doc: Document) -> Document:
        doc = original(self, doc)
        if doc.text and not any("\u4e00" <= char <= "\u9fff" for char in doc.text):
            doc.drop(self.name, "no Chinese")
        return doc

    monkeypatch.setattr(SpamLabeller, "process", drops_foreign)
    lost = harmed(JAPANESE_AND_FOREIGN)
    assert any(identifier.startswith(("he_IL-", "vi_VN-", "ru_RU-")) and out is None for identifier, _, out in lost)
