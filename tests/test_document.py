from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.document import Change, Document, Edit, OverlappingEditsError, replay


def test_apply_rebuilds_text_and_logs_each_change():
    doc = Document.from_text("網(wǎng)站首頁")
    assert doc.apply("encoding", [Edit(1, 7, "", "pinyin_annotation")]) == 1
    assert doc.text == "網站首頁"
    (change,) = doc.changes
    assert (change.stage, change.start, change.end, change.before, change.after) == ("encoding", 1, 7, "(wǎng)", "")
    assert change.reason == "pinyin_annotation"


def test_edits_that_change_nothing_are_not_logged():
    doc = Document.from_text("abc")
    assert doc.apply("x", [Edit(0, 1, "a", "noop")]) == 0
    assert doc.changes == []


@pytest.mark.parametrize("edits", [[Edit(0, 2, "", "a"), Edit(1, 3, "", "b")], [Edit(2, 9, "", "out of range")]])
def test_overlapping_or_out_of_range_edits_are_refused(edits):
    doc = Document.from_text("abcd")
    with pytest.raises(OverlappingEditsError):
        doc.apply("x", edits)
    assert doc.text == "abcd" and doc.changes == []


def test_verdicts_do_not_change_text_but_are_logged():
    doc = Document.from_text("广告 热线 400-123\n正文")
    change = doc.flag("spam", 0, 13, "label:ad", 0.9, ("phone_number",))
    assert change.is_verdict and change.before == "广告 热线 400-123"
    assert doc.text == "广告 热线 400-123\n正文"
    assert "label:ad" in doc.explain() and "phone_number" in doc.explain()


def test_status_transitions_are_explained():
    doc = Document.from_text("x", id="a")
    doc.mark_duplicate("dedup", of="b", score=0.93)
    assert doc.status == "duplicate" and doc.duplicate_of == "b"
    assert "duplicate of b" in doc.explain()
    other = Document.from_text("y", id="c")
    other.drop("spam", "mostly_spam")
    assert not other.kept and "mostly_spam" in other.explain()


def test_record_round_trip_keeps_changes():
    doc = Document.from_text("ab,cd", id="7", source="s.txt")
    doc.apply("encoding", [Edit(2, 3, "，", "fullwidth_punctuation")])
    doc.flag("spam", 0, 5, "label:article")
    again = Document.from_record(doc.to_record())
    assert again.changes == doc.changes and again.text == doc.text and again.metadata == doc.metadata
    assert again.original == doc.original == "ab,cd"  # undone from the log, so explain shows the length change


def test_change_dict_round_trip():
    change = Change("s", 1, 0, 1, "a", "b", "why", 0.5, ("e",))
    assert Change.from_dict(change.to_dict()) == change


def test_text_and_bytes_constructors_check_types():
    with pytest.raises(TypeError):
        Document.from_text(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Document.from_bytes("text")  # type: ignore[arg-type]


@st.composite
def text_and_edit_steps(draw):
    text = draw(st.text(min_size=0, max_size=40))
    steps = []
    length = len(text)
    for _ in range(draw(st.integers(0, 4))):
        cuts = sorted(draw(st.lists(st.integers(0, length), max_size=6)))
        edits = []
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            edits.append(Edit(start, end, draw(st.text(max_size=3)), "r"))
        steps.append(edits)
        length += sum(len(e.after) - (e.end - e.start) for e in edits)
    return text, steps


@given(text_and_edit_steps())
def test_replaying_the_log_reproduces_the_text(case):
    text, steps = case
    doc = Document.from_text(text)
    for edits in steps:
        doc.apply("stage", edits)
    assert replay(text, doc.changes) == doc.text


def test_removed_lines_count_whole_lines_only():
    doc = Document.from_text("标题\n广告热线\n正文(wǎng)内容")
    doc.apply("x", [Edit(3, 7, "", "drop"), Edit(10, 16, "", "pinyin")])
    assert [c.removed_lines for c in doc.changes] == [1, 0]


@st.composite
def text_and_verdicts(draw):
    text = draw(st.text(min_size=0, max_size=30))
    verdicts = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        score = draw(st.none() | st.floats(0, 1))
        evidence = draw(st.lists(st.sampled_from(["rule", "word", "词"]), max_size=2))
        verdicts.append((start, end, draw(st.sampled_from(["label:ad", "label:chrome"])), score, evidence))
    return text, verdicts


@given(text_and_verdicts())
def test_flag_many_logs_what_flag_logs_one_by_one(case):
    text, verdicts = case
    one_by_one, bulk = Document.from_text(text), Document.from_text(text)
    one_by_one.apply("before", [Edit(0, 0, "x", "insert")])
    bulk.apply("before", [Edit(0, 0, "x", "insert")])
    returned = [one_by_one.flag("spam", *verdict) for verdict in verdicts]
    assert bulk.flag_many("spam", verdicts) == returned
    assert bulk.changes == one_by_one.changes
    assert [c.to_dict() for c in bulk.changes] == [c.to_dict() for c in one_by_one.changes]
    assert all(type(c.evidence) is tuple for c in bulk.changes)


@pytest.mark.parametrize("bad", [(3, 2), (-1, 2), (0, 99)])
def test_flag_many_is_all_or_nothing(bad):
    doc = Document.from_text("abcdef")
    verdicts = [(0, 2, "ok", 0.5, ()), (*bad, "bad", None, ()), (2, 4, "ok", None, ())]
    with pytest.raises(ValueError, match="outside the text"):
        doc.flag_many("spam", verdicts)
    assert doc.changes == []


def test_flag_many_needs_text_unless_there_is_nothing_to_flag():
    doc = Document.from_bytes(b"raw")
    assert doc.flag_many("spam", []) == []
    with pytest.raises(ValueError):
        doc.flag_many("spam", [(0, 0, "label:ad", None, ())])


@given(text_and_edit_steps())
def test_logged_changes_equal_changes_built_by_the_dataclass(case):
    text, steps = case
    doc = Document.from_text(text)
    for edits in steps:
        doc.apply("stage", edits)
    doc.flag("spam", 0, 0, "label:ad", 0.5, ["w"])
    for change in doc.changes:
        rebuilt = Change(**{name: getattr(change, name) for name in Change.__dataclass_fields__})
        assert rebuilt == change and hash(rebuilt) == hash(change) and repr(rebuilt) == repr(change)


def test_a_refused_apply_leaves_text_and_log_untouched_and_its_step_number_used():
    doc = Document.from_text("abcd")
    with pytest.raises(OverlappingEditsError):
        doc.apply("x", [Edit(0, 2, "", "a"), Edit(1, 3, "", "b")])
    doc.apply("x", [Edit(0, 1, "", "a")])
    assert doc.text == "bcd" and [c.step for c in doc.changes] == [2]


@given(text_and_edit_steps())
def test_apply_many_logs_what_apply_logs(case):
    text, steps = case
    with_edits, with_rows = Document.from_text(text), Document.from_text(text)
    for edits in steps:
        counted = with_edits.apply("stage", edits)
        rows = [(e.start, e.end, e.after, e.reason, e.score, list(e.evidence)) for e in edits]
        assert with_rows.apply_many("stage", rows) == counted
    assert with_rows.text == with_edits.text and with_rows.changes == with_edits.changes
    assert all(type(c.evidence) is tuple for c in with_rows.changes)


def test_apply_many_is_all_or_nothing_and_needs_text():
    doc = Document.from_text("abcd")
    with pytest.raises(OverlappingEditsError):
        doc.apply_many("x", [(0, 2, "", "a", None, ()), (1, 3, "", "b", None, ())])
    assert doc.text == "abcd" and doc.changes == []
    with pytest.raises(ValueError, match="no text yet"):
        Document.from_bytes(b"x").apply_many("x", [])
