"""Bytes in: BOM, UTF-8, legacy encodings, mixed documents, binary, NULs; never a crash."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanse
from cleanse.document import Document, replay
from cleanse.stages.encoding import BINARY_CONTENT, STRAY_NUL, UNDECODABLE_BYTES, EncodingRepair, decode, ensure_decoded

SIMPLIFIED = "全国城市基层党建工作经验交流座谈会在上海召开，会议强调要推进城市基层党建创新发展。"
TRADITIONAL = "全國城市基層黨建工作經驗交流座談會在上海召開，會議強調要推進城市基層黨建創新發展。"


@pytest.mark.parametrize(
    ("data", "text", "family"),
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        (SIMPLIFIED.encode("utf-16"), SIMPLIFIED, "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16"),
    ],
)
def test_decodes_and_records_encoding(data: bytes, text: str, family: str) -> None:
    result = decode(data)
    assert result.text == text
    assert result.encoding.startswith(family)
    assert 0.0 <= result.confidence <= 1.0
    assert cleanse.decode(data).text == text


def test_mixed_document_decodes_piecewise() -> None:
    data = SIMPLIFIED.encode() * 2 + TRADITIONAL.encode("big5") + SIMPLIFIED.encode() + SIMPLIFIED.encode("gbk")
    result = decode(data + SIMPLIFIED.encode())
    assert result.text == SIMPLIFIED * 2 + TRADITIONAL + SIMPLIFIED * 3
    assert result.encoding.startswith("utf-8+")


def test_undecodable_bytes_become_flagged_spans() -> None:
    doc = Document.from_bytes(SIMPLIFIED.encode("gbk")[:-1] + b"\xff" + SIMPLIFIED.encode("gbk"))
    ensure_decoded(doc)
    assert doc.kept and doc.text is not None
    flags = [c for c in doc.changes if c.reason == UNDECODABLE_BYTES]
    assert flags and all(set(c.before) == {"\ufffd"} for c in flags)
    assert doc.metadata["encoding"] == "gb18030"


def test_binary_is_dropped_with_reason() -> None:
    doc = EncodingRepair().process(Document.from_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4))
    assert doc.status == "dropped" and doc.status_reason == BINARY_CONTENT
    doc = EncodingRepair().process(Document.from_bytes(bytes(1000)))
    assert doc.status == "dropped"


def test_stray_nul_is_removed_as_logged_change() -> None:
    doc = EncodingRepair().process(Document.from_bytes(("前文\x00后文").encode("gbk")))
    assert doc.kept and doc.text == "前文后文"
    assert [c.reason for c in doc.changes] == [STRAY_NUL]
    assert replay(doc.original or "", doc.changes) == doc.text


def test_decode_rejects_text() -> None:
    with pytest.raises(TypeError, match="bytes"):
        decode("text")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = decode(data)
    assert isinstance(result.text, str)
    doc = EncodingRepair().process(Document.from_bytes(data))
    assert doc.status in ("kept", "dropped")


def test_clear_chinese_readings_skip_chardet_and_others_still_ask_it(monkeypatch) -> None:
    """The screen: fluent GBK or Big5 Chinese is decided without chardet; text that is not clearly
    Chinese in either reading (Korean, Japanese) still goes through chardet, as before."""
    import chardet

    from cleanse.stages.encoding import decoding

    calls: list[int] = []
    real = chardet.detect

    def counting(data: bytes) -> dict:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(chardet, "detect", counting)
    for data, text in (
        (SIMPLIFIED.encode("gbk") * 5, SIMPLIFIED * 5),
        (TRADITIONAL.encode("big5") * 5, TRADITIONAL * 5),
    ):
        assert decoding.decode(data).text == text
    assert calls == []
    korean = "대한민국은 민주공화국이다. 모든 권력은 국민으로부터 나온다. 서울은 수도이다. " * 8
    japanese = "どこで生れたかとんと見当がつかぬ。東京都の天気予報によると、明日は雨が降るでしょう。" * 8
    for data in (korean.encode("euc-kr"), japanese.encode("shift_jis")):
        decoding.decode(data)
    assert len(calls) == 2
