"""Property tests of ``cleanse.clean`` on hostile text: idempotent, no stage error, an exact change log.

Hypothesis builds texts from the kinds of trouble real pages carry (lone surrogates, CR and CRLF line
ends, combining marks, private-use characters, long lines, mixed scripts, Chinese text read with the wrong
codec); ``benchmarks/fuzz.py`` runs the same checks on a million generated inputs.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleanse
from benchmarks.fuzz import _FOREIGN, _HEADINGS, _LINE_ENDS, _SIMPLIFIED, _SPAM, _TRADITIONAL, failures
from cleanse.pipeline import STAGE_ERROR

_HAN = st.text(alphabet=st.sampled_from(_SIMPLIFIED + _TRADITIONAL), min_size=1, max_size=30)
_SENTENCE = st.builds(lambda body, mark: body + mark, _HAN, st.sampled_from("。！？；，,.?!:;"))
_DAMAGED = st.builds(
    lambda text, codec, reader: text.encode(codec, "replace").decode(reader, "replace"),
    _HAN,
    st.sampled_from(("utf-8", "gbk", "big5")),
    st.sampled_from(("gbk", "big5", "latin-1", "cp1252")),
)
_ODD = st.text(
    alphabet=st.characters(categories=("Cs", "Co", "Mn", "Me", "Cc", "Zl", "Zp", "Zs", "Lo", "Po")),
    min_size=1,
    max_size=6,
)
_PIECE = st.one_of(
    _SENTENCE,
    st.sampled_from(_HEADINGS + _SPAM + _FOREIGN),
    _DAMAGED,
    _ODD,
    st.sampled_from(_LINE_ENDS),
    st.builds(lambda sentence, times: sentence * times, _SENTENCE, st.integers(20, 60)),  # a long line
)
TEXTS = st.builds(
    lambda pieces, glue: glue.join(pieces),
    st.lists(_PIECE, max_size=8),
    st.sampled_from(("", "\n", "\r", "\r\n", "\n\n")),
)
FUZZ = settings(derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(TEXTS)
def test_no_stage_fails_and_the_change_log_replays(text: str) -> None:
    assert [kind for kind in failures(text) if kind != "idempotent"] == []


@FUZZ
@given(st.text(max_size=40))
def test_any_short_text_never_fails_a_stage(text: str) -> None:
    assert [kind for kind in failures(text) if kind != "idempotent"] == []


@FUZZ
@given(TEXTS)
def test_clean_is_idempotent(text: str) -> None:
    assert "idempotent" not in failures(text)


def test_the_checks_can_fail() -> None:
    """The checker reports a stage error when a stage fails, rather than passing everything."""
    doc = cleanse.clean_document("")
    assert not any(change.reason.startswith(STAGE_ERROR) for change in doc.changes)
    assert failures("中文?:") == [] and cleanse.clean("中文?:") == "中文？："


def test_known_cases_of_issue_14() -> None:
    assert cleanse.clean(cleanse.clean("中文?:")) == cleanse.clean("中文?:")
    assert cleanse.split_articles("\udc80")[0].text == "\udc80"
    assert cleanse.clean_document("担保、无抵押、放款快,最高可贷30万元。 本文来源").status_reason == "no_article_text"
    page = "首页 > 新闻 > 正文\r今天天气很好，我们去公园散步，看到很多人。\r本文来源：新华网\r责任编辑：张三"
    assert cleanse.clean(page) == "今天天气很好，我们去公园散步，看到很多人。"
