"""The splice stage against the hand-reviewed gold segmentations of the five seeds (tests/data/splice/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from cleanse.document import Document, replay
from cleanse.stages.splice import SpliceSplitter, split_articles
from cleanse.stages.splice.roles import plan
from cleanse.stages.splice.segmenter import analyse

ROOT = Path(__file__).resolve().parents[2]
GOLD = sorted((ROOT / "tests" / "data" / "splice").glob("*.json"))
ARTICLE_ROLES = {"main", "off_topic", "ad", "continuation", "inserted"}


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _seed(name: str) -> str:
    return (ROOT / "seeds" / name).read_text(encoding="utf-8")


def _line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _nonempty_line_numbers(text: str) -> list[int]:
    return [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _near(text: str, line: int, wanted: list[int]) -> bool:
    """``line`` is one of ``wanted`` or the non-empty line next to one of them."""
    numbers = _nonempty_line_numbers(text)
    position = {n: i for i, n in enumerate(numbers)}
    return any(abs(position[line] - position[w]) <= 1 for w in wanted if w in position)


def predicted_boundaries(text: str) -> list[int]:
    """Line numbers where a new story starts, from the public segments (captions and furniture are not stories)."""
    boundaries, previous = [], None
    for segment in split_articles(text, labels=[]):
        if segment.role not in ARTICLE_ROLES:
            continue
        identity = "main" if segment.role == "main" else (segment.role, segment.start)
        if previous is not None and identity != previous:
            boundaries.append(_line_number(text, segment.start))
        previous = identity
    return boundaries


def test_every_seed_has_gold() -> None:
    assert len(GOLD) == 5
    for path in GOLD:
        assert (ROOT / "seeds" / _gold(path)["seed"]).exists()


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_spliced_boundaries_found_with_at_most_one_false(path: Path) -> None:
    gold = _gold(path)
    text = _seed(gold["seed"])
    predicted = predicted_boundaries(text)
    missed = [b for b in gold["boundaries"] if not _near(text, b, predicted)]
    allowed = gold["boundaries"] + gold["optional_boundaries"]
    false = [p for p in predicted if not _near(text, p, allowed)]
    assert not missed, f"missed boundaries {missed}; predicted {predicted}"
    assert len(false) <= 1, f"false boundaries {false}"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_story_roles(path: Path) -> None:
    """Each gold story segment gets its role on its first body line (spam-labelled lines aside)."""
    gold = _gold(path)
    text = _seed(gold["seed"])
    result = plan(analyse(text, []))
    role_at = {
        line.index + 1: decision.role for line, decision in zip(result.analysis.lines, result.lines, strict=True)
    }
    body = {line.index + 1 for line in result.analysis.lines if line.is_body}
    for segment in gold["segments"]:
        if segment["role"] not in ARTICLE_ROLES or segment.get("labelled_by") == "spam":
            continue  # lines only the spam stage's labels can tell (tested with its labels below)
        first_body = min(n for n in body if segment["first"] <= n <= segment["last"])
        assert role_at[first_body] == segment["role"], (segment, first_body)


def test_spam_labels_decide_lines_layout_cannot() -> None:
    """With the spam stage's verdicts (dicts as in ``metadata["line_labels"]``), keyword spam is an ad."""
    text = _seed("003_7997202abf73efaa.txt")
    first = text.split("\n")[0]
    labels = [{"start": 0, "end": len(first), "label": "spam", "score": 0.99, "action": "drop"}]
    result = plan(analyse(text, labels))
    assert result.lines[0].role == "ad" and result.lines[0].reason == "drop:spam"
    doc = Document.from_text(text)
    doc.metadata["line_labels"] = labels + [
        {"start": line.start, "end": line.end, "label": "article", "score": 0.9, "action": "keep"}
        for line in result.analysis.lines[1:]
    ]
    SpliceSplitter().process(doc)
    assert doc.text is not None and first not in doc.text
    assert "drop:spam" in {change.reason for change in doc.changes}


def test_stale_line_labels_are_ignored() -> None:
    doc = Document.from_text("标题在这里\n\n正文第一段讲了一件事。\n")
    doc.metadata["line_labels"] = [{"start": 3, "end": 9, "label": "ad", "score": 1.0, "action": "drop"}]
    SpliceSplitter().process(doc)
    assert doc.text == "标题在这里\n\n正文第一段讲了一件事。\n"


def test_seed_001_is_one_article() -> None:
    text = _seed("001_a9aef551e595a57d.txt")
    roles = {segment.role for segment in split_articles(text, labels=[])}
    assert "off_topic" not in roles and "inserted" not in roles
    doc = SpliceSplitter().process(Document.from_text(text))
    assert doc.text is not None and len(doc.text) >= 0.99 * len(text.strip())


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_every_layout_break_mended_and_no_heading_glued(path: Path) -> None:
    gold = _gold(path)
    text = _seed(gold["seed"])
    analysis = analyse(text, [])
    number = {i: line.index + 1 for i, line in enumerate(analysis.lines)}
    mended = {(number[a], number[b]) for a, b in analysis.mends}
    assert mended >= {tuple(pair) for pair in gold["layout_breaks"]}, sorted(mended)
    glued = {first for first, _ in mended} | {second for _, second in mended}
    assert not glued & set(gold["headings"]), sorted(glued & set(gold["headings"]))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_main_text_joins_breaks_and_keeps_headings_on_their_own_line(path: Path) -> None:
    gold = _gold(path)
    text = _seed(gold["seed"])
    lines = text.split("\n")
    doc = SpliceSplitter().process(Document.from_text(text))
    assert doc.text is not None
    result_lines = {line.strip() for line in doc.text.split("\n")}
    main = [s for s in gold["segments"] if s["role"] == "main"]
    inside_main = {n for s in main for n in range(s["first"], s["last"] + 1)}
    for first, second in gold["layout_breaks"]:
        if first in inside_main:
            joined = lines[first - 1].strip()[-6:] + lines[second - 1].strip()[:6]
            assert joined in doc.text, (first, second)
    for heading in gold["headings"]:
        if heading in inside_main:
            assert lines[heading - 1].strip() in result_lines, heading


def test_repeated_heading_dropped_where_out_of_place() -> None:
    gold = _gold(ROOT / "tests/data/splice/004_6f2ca931fc462e6f.json")
    text = _seed(gold["seed"])
    result = plan(analyse(text, []))
    by_number = {line.index + 1: decision for line, decision in zip(result.analysis.lines, result.lines, strict=True)}
    for number in gold["repeated_headings"]:
        assert by_number[number].reason == "drop_repeated_heading"
    assert by_number[63].keep and by_number[65].keep


def test_duplicate_paragraph_kept_in_its_own_story() -> None:
    gold = _gold(ROOT / "tests/data/splice/000_51e1f768636169b3.json")
    text = _seed(gold["seed"])
    result = plan(analyse(text, []))
    by_number = {line.index + 1: decision for line, decision in zip(result.analysis.lines, result.lines, strict=True)}
    for copy, keeper in gold["duplicates"].items():
        assert by_number[int(copy)].role == "inserted"
        assert by_number[int(copy)].reason == "drop_duplicate_paragraph"
        assert by_number[keeper].role == "continuation"


def test_caption_set_aside_and_sentence_rejoined_across_it() -> None:
    gold = _gold(ROOT / "tests/data/splice/004_6f2ca931fc462e6f.json")
    text = _seed(gold["seed"])
    doc = SpliceSplitter().process(Document.from_text(text))
    assert doc.text is not None
    lines = text.split("\n")
    for number in gold["captions"]:
        assert lines[number - 1].strip() not in doc.text
    assert {item["label"] for item in doc.metadata["set_aside"]} >= {"caption"}


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_change_log_replays_to_the_output(path: Path) -> None:
    text = _seed(_gold(path)["seed"])
    doc = SpliceSplitter().process(Document.from_text(text))
    assert replay(text, doc.changes) == doc.text
    reasons = {change.reason for change in doc.changes}
    assert all(reason for reason in reasons)


def test_split_documents_emits_the_cut_stories() -> None:
    text = _seed("002_c619369da7bf09ac.txt")
    doc = SpliceSplitter(split_documents=True).process(Document.from_text(text))
    emitted = doc.metadata["emit"]
    assert [item["role"] for item in emitted] == ["off_topic", "off_topic", "off_topic"]
    assert all(item["text"] and "\n\n\n" not in item["text"] for item in emitted)
    segments = doc.metadata["segments"]
    assert {s["role"] for s in segments} >= {"off_topic", "ad"}
