"""Misaligned double-byte runs: synthetic damage of both kinds, and no harm to real question marks."""

from __future__ import annotations

import unicodedata

import pytest
import regex

from cleanse.stages.encoding import repair_encoding
from cleanse.stages.encoding.misaligned import MISALIGNED_RUN, realign_double_byte_runs


def _misalign(text: str, start: int) -> str:
    """Lose the lead byte of ``text[start]`` (shown as ``?``), decode the rest out of step, NFKC-fold the damage."""
    data = text[start:].encode("gb18030")
    shown = regex.sub(r"[\ufffd\ue000-\uf8ff]", "?", (b"?" + data[1:]).decode("gb18030", errors="replace"))
    common = 0
    while shown[-1 - common] == text[-1 - common]:
        common += 1
    return text[:start] + unicodedata.normalize("NFKC", shown[: len(shown) - common]) + shown[len(shown) - common :]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("會議強調，全體黨員幹部要團結一致。現在開始討論。", 16),  # resynced at an ASCII trail byte
        ("我们要坚持人民至上。全面深化改革,10项任务", 9),  # last trail byte lost before ASCII
    ],
)
def test_synthetic_runs_are_rebuilt(text: str, start: int) -> None:
    damaged = _misalign(text, start)
    assert damaged != text and "?" in damaged
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) == text


def test_edits_say_which_kind() -> None:
    damaged = _misalign("會議強調，全體黨員幹部要團結一致。現在開始討論。", 16)
    edits, _ = realign_double_byte_runs(damaged)
    assert [e.reason for e in edits] == [MISALIGNED_RUN]
    assert edits[0].evidence == ("gb18030", "resynced")
    assert edits[0].score is not None and edits[0].score >= 4.0


@pytest.mark.parametrize(
    "text",
    ["你好吗?我很好。", "见 http://example.cn/a?id=3&x=1 。", "What?No way.", "是吗??真的", "中文?"],
)
def test_real_question_marks_are_left_alone(text: str) -> None:
    edits, _ = realign_double_byte_runs(text)
    assert edits == []
