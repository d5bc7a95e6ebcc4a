"""The chain's order gives a fixed point: a stage that rewrites characters (script conversion) is followed by
the stage that judged them before (encoding repair), so a second pass finds nothing the first left undone.

Unit tests use two toy stages whose interaction is known exactly; the property test runs the real encoding
and script stages on texts mixing Traditional characters, mojibake and punctuation (the inputs where a
second pass used to repair, as mojibake, what script conversion had just written).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import _LINE_ENDS, _SIMPLIFIED, _TRADITIONAL
from cleanse.document import Document, Edit
from cleanse.pipeline import SETTLE, STAGE_ERROR, Pipeline
from cleanse.stages.base import DocumentStage
from cleanse.stages.encoding import EncodingRepair
from cleanse.stages.script import ScriptConversion


class Converter(DocumentStage):
    """Rewrites every ``A`` as ``b`` (a stand-in for script conversion)."""

    name = "script"

    def process(self, doc: Document) -> Document:
        text = doc.text or ""
        doc.apply(self.name, [Edit(i, i + 1, "b", "convert") for i, c in enumerate(text) if c == "A"])
        doc.metadata[self.name] = {"converted": text.count("A")}
        return doc


class Judge(DocumentStage):
    """Rewrites ``bb`` as ``A`` (a stand-in for encoding repair acting on what conversion wrote) and
    flags every ``!`` (a verdict that must not be logged twice)."""

    name = "encoding"

    def process(self, doc: Document) -> Document:
        text = doc.text or ""
        edits, at = [], text.find("bb")
        while at >= 0:
            edits.append(Edit(at, at + 2, "A", "repair"))
            at = text.find("bb", at + 2)
        doc.apply(self.name, edits)
        for index, char in enumerate(doc.text or ""):
            if char == "!":
                doc.flag(self.name, index, index + 1, "bang")
        return doc


class Broken(Judge):
    def process(self, doc: Document) -> Document:
        if "b" in (doc.text or ""):
            raise RuntimeError("judge fails on converted text")
        return doc


def _clean(pipeline: Pipeline, text: str) -> str:
    doc = pipeline.process(Document.from_text(text))
    return (doc.text or "") if doc.kept else ""


def test_settle_pairs_name_the_default_stages() -> None:
    names = {stage.name for stage in Pipeline.default().stages}
    assert set(SETTLE) <= names and {judge for judges in SETTLE.values() for judge in judges} <= names


def test_the_judge_sees_what_the_converter_wrote() -> None:
    pipeline = Pipeline([Judge(), Converter()])
    once = _clean(pipeline, "xAAy")  # converter writes "bb", which the judge turns into "A", converted again
    assert once == "xby"
    assert _clean(pipeline, once) == once


def test_without_the_pair_a_second_pass_changes_the_text() -> None:
    """The toy stages really do interact: in an order the settling does not cover, the second pass differs."""
    pipeline = Pipeline([Converter(), Judge()])
    once = _clean(pipeline, "xAAy")
    assert _clean(pipeline, once) != once


def test_a_quiet_round_leaves_no_repeated_verdicts_and_keeps_the_first_summary() -> None:
    doc = Pipeline([Judge(), Converter()]).process(Document.from_text("A! x"))
    assert doc.text == "b! x"
    assert [c.reason for c in doc.changes if c.is_verdict] == ["bang"]
    assert doc.metadata["script"] == {"converted": 1}


def test_a_judge_failing_on_converted_text_is_reported_not_hidden() -> None:
    doc = Pipeline([Broken(), Converter()]).process(Document.from_text("A"))
    assert doc.kept and doc.text == "b"
    assert any(c.reason.startswith(STAGE_ERROR) for c in doc.changes)


_MOJIBAKE = st.builds(
    lambda text, codec, reader: text.encode(codec, "replace").decode(reader, "replace"),
    st.text(alphabet=st.sampled_from(_SIMPLIFIED + _TRADITIONAL), min_size=1, max_size=12),
    st.sampled_from(("utf-8", "gbk", "big5")),
    st.sampled_from(("gbk", "big5")),
)
_PIECES = st.one_of(
    st.text(alphabet=st.sampled_from(_TRADITIONAL + "黨溝賢後來"), min_size=1, max_size=12),
    _MOJIBAKE,
    st.text(alphabet=st.sampled_from("?:,.!;\ufffd"), min_size=1, max_size=3),
    st.sampled_from(_LINE_ENDS),
)


@settings(derandomize=True, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=6).map("".join))
def test_encoding_then_script_is_a_fixed_point(text: str) -> None:
    pipeline = Pipeline([EncodingRepair(), ScriptConversion()])
    once = _clean(pipeline, text)
    assert _clean(pipeline, once) == once


def test_marks_and_pages_left_by_splicing_are_judged_on_the_first_pass() -> None:
    """A line the splice stage drops (spam's deferred ad label) leaves a mark or a run next to Chinese text;
    the judges look again at once, so the second pass has nothing left to do."""
    import cleanse

    for text in (
        "提升经济发展与环境保护\n加微信xxx1234领取优惠，点击链接下载app\n,",
        "人民群众的获得感不断增强记者从教。\n\n?谔玂\n\n計明年完成後旅客運輸能力將大幅。",
    ):
        once = cleanse.clean(text)
        assert cleanse.clean(once) == once


def test_without_settling_after_splice_a_second_pass_changes_the_text(monkeypatch) -> None:
    import cleanse
    import cleanse.pipeline as pipeline

    monkeypatch.setitem(pipeline.SETTLE, "splice", ())
    text = "提升经济发展与环境保护\n加微信xxx1234领取优惠，点击链接下载app\n,"
    once = cleanse.clean(text)
    assert cleanse.clean(once) != once


_KANA_TAIL = (
    "专家提醒节约用电温度设定在二十六度以上，能力將大幅提升經濟發展與環境保，获悉全国高校毕。（すし）本文来源：新华网"
)


def test_what_spam_cuts_is_judged_again_by_script_conversion() -> None:
    """A junk tail (a source line with kana) holds the line's script verdict back; once spam cuts it, script
    conversion must look again on the same pass."""
    import cleanse

    once = cleanse.clean(_KANA_TAIL)
    assert "本文来源" not in once
    assert cleanse.clean(once) == once


def test_without_settling_after_spam_a_second_pass_changes_the_text(monkeypatch) -> None:
    import cleanse
    import cleanse.pipeline as pipeline

    monkeypatch.delitem(pipeline.SETTLE, "spam")
    once = cleanse.clean(_KANA_TAIL)
    assert cleanse.clean(once) != once


def _tuning_pages() -> list[str]:
    """Pages of the spam stage's tuning half: People's Daily and Wikipedia paragraphs with junk lines between
    them, the kind of page on which cutting one stretch leaves another at the page's edge."""
    import json

    from benchmarks.spam_eval import EVAL_DIR

    with open(EVAL_DIR / "tune.jsonl", encoding="utf-8") as rows:
        return ["\n".join(line["text"] for line in json.loads(row)["lines"]) for row in rows]


def _second_pass_changes(pages: list[str]) -> int:
    import cleanse

    return sum(cleanse.clean(once) != once for once in map(cleanse.clean, pages))


def test_splice_settles_its_own_cuts_on_real_pages() -> None:
    """After the splice stage cuts, spam labels again what now stands at an edge and the splice stage acts on
    those labels and on the joined text at once (``SETTLE["splice"]`` holds the stage itself)."""
    assert _second_pass_changes(_tuning_pages()) == 0


def test_without_splice_in_its_own_settling_real_pages_change_on_a_second_pass(monkeypatch) -> None:
    import cleanse.pipeline as pipeline

    monkeypatch.setitem(pipeline.SETTLE, "splice", ("encoding", "script", "spam"))
    assert _second_pass_changes(_tuning_pages()) > 0


_MARKS_HELD_A_RUN = "a\u032e\uef63\uf15f蔼?\ufffdO场?\ufffd雳鷋?惫琁玂"
"""From the fuzz run: ASCII marks and letters make the line read as another language's, so the mojibake run at
its end waits; once the marks between Han characters are fullwidth, the line reads as Chinese."""


def test_encoding_repair_judges_the_marks_it_restored() -> None:
    import cleanse

    once = cleanse.clean(_MARKS_HELD_A_RUN)
    assert cleanse.clean(once) == once


def test_without_encoding_in_its_own_settling_the_run_waits_for_a_second_pass(monkeypatch) -> None:
    import cleanse
    import cleanse.pipeline as pipeline

    monkeypatch.delitem(pipeline.SETTLE, "encoding")
    once = cleanse.clean(_MARKS_HELD_A_RUN)
    assert cleanse.clean(once) != once


class CountingRepair(EncodingRepair):
    """The real encoding stage, counting its runs."""

    def __init__(self) -> None:
        super().__init__()
        self.runs = 0

    def process(self, doc: Document) -> Document:
        self.runs += 1
        return super().process(doc)


_PINYIN_AND_MARKS = "網(wǎng)站(zhàn),全國人民!"
"""A repair round (pinyin annotations) that is not only fullwidth marks, so the stage reads its own output again."""


def test_a_stage_that_read_its_own_output_is_not_run_again_in_its_settling() -> None:
    stage = CountingRepair()
    doc = Pipeline([stage]).process(Document.from_text(_PINYIN_AND_MARKS))
    assert doc.text == "網站，全國人民！"
    assert stage.settled(doc) and stage.runs == 1


def test_without_the_settled_answer_the_settling_runs_the_stage_again(monkeypatch) -> None:
    """The test above can fail: with no stage answering ``settled``, the settling runs the stage a second time."""
    monkeypatch.setattr(CountingRepair, "settled", lambda self, doc: False)
    stage = CountingRepair()
    Pipeline([stage]).process(Document.from_text(_PINYIN_AND_MARKS))
    assert stage.runs == 2


@settings(derandomize=True, deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.sampled_from((_PINYIN_AND_MARKS, "&amp;"))), min_size=1, max_size=6).map("".join))
def test_settled_means_a_second_run_changes_nothing(text: str) -> None:
    """What the encoding stage says of its output holds: run again on a settled text, it changes nothing."""
    stage = EncodingRepair()
    doc = stage.process(Document.from_text(text))
    if stage.settled(doc):
        text = doc.text
        assert stage.process(doc).text == text


def test_a_stage_that_did_not_read_its_output_says_so() -> None:
    """The fuzz input whose restored marks uncover a mojibake run: the stage stopped after a round of marks
    only, so it has not read its output, says so, and a second run does change the text."""
    stage = EncodingRepair()
    doc = stage.process(Document.from_text(_MARKS_HELD_A_RUN))
    once = doc.text
    assert not stage.settled(doc)
    assert stage.process(doc).text != once
