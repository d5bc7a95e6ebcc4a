"""The public result: :class:`Segment` and :func:`split_articles`.

>>> text = "城市里的新公园\\n\\n本市新建的中央公园今天开放，市民可以散步。\\n\\n(上接1版)\\n\\n会议通过了宣言。"
>>> for segment in split_articles(text):
...     print(segment.role, segment.start, segment.end, repr(segment.text))
main 0 30 '城市里的新公园\\n\\n本市新建的中央公园今天开放，市民可以散步。'
continuation 32 48 '(上接1版)\\n\\n会议通过了宣言。'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cleanse.stages.splice.roles import MAIN, Plan, plan
from cleanse.stages.splice.segmenter import Tuning, analyse


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of lines with one role: ``text == source[start:end]``.

    ``role`` is one of "main", "off_topic", "ad", "continuation", "inserted", "caption",
    "furniture"; ``score`` is a confidence in 0..1 and ``evidence`` names the cues behind it.
    """

    role: str
    start: int
    end: int
    text: str
    score: float
    evidence: tuple[str, ...] = ()


def split_articles(
    text: str, labels: Sequence[Mapping[str, Any]] | None = None, tuning: Tuning | None = None
) -> list[Segment]:
    """Split ``text`` into segments with roles; the main article's segments have role "main".

    ``labels`` are the spam stage's line labels (dicts with ``start``, ``end``, ``label`` and
    optionally ``action``); without them the spam stage's ``label_lines`` is used when it
    exists, else layout cues alone.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_articles() takes str, not {type(text).__name__}")
    if labels is None:
        labels = spam_labels(text)
    return segments_of(plan(analyse(text, labels, tuning)))


def spam_labels(text: str) -> list[dict[str, Any]] | None:
    """The spam stage's labels for ``text`` as dicts, or ``None`` while that stage has no ``label_lines``."""
    from cleanse.stages import spam

    label_lines = getattr(spam, "label_lines", None)
    if label_lines is None:
        return None
    return [
        {"start": line.start, "end": line.end, "label": line.label, "score": line.score} for line in label_lines(text)
    ]


def segments_of(result: Plan) -> list[Segment]:
    """Group consecutive lines with the same role and story into segments."""
    analysis = result.analysis
    segments: list[Segment] = []
    group: list[int] = []

    def close() -> None:
        if not group:
            return
        first, last = analysis.lines[group[0]], analysis.lines[group[-1]]
        decision = result.lines[group[0]]
        evidence = _evidence(result, group)
        score = 1.0 if decision.role == MAIN else min(1.0, 0.5 + 0.1 * len(evidence))
        text = analysis.text[first.start : last.end]
        segments.append(Segment(decision.role, first.start, last.end, text, round(score, 3), evidence))

    for i, decision in enumerate(result.lines):
        if group:
            previous = result.lines[group[-1]]
            if (decision.role, decision.story) != (previous.role, previous.story):
                close()
                group = []
        group.append(i)
    close()
    return segments


def _evidence(result: Plan, group: list[int]) -> tuple[str, ...]:
    decision = result.lines[group[0]]
    if decision.reason and not decision.reason.startswith("cut_"):
        return (decision.reason,)
    if decision.role == MAIN:
        return ()
    return result.story_evidence.get(decision.story, ())
