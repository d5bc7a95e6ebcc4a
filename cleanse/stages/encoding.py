"""Encoding repair: decode bytes with a recorded verdict. (Repairs arrive with issue #4.)"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from cleanse.document import Document
from cleanse.stages.base import DocumentStage

UNDECODABLE_BYTES = "undecodable_bytes"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class DecodeResult:
    """The decoded text and how it was decided; ``damaged`` lists spans that could not be decoded."""

    text: str
    encoding: str
    confidence: float
    damaged: list[tuple[int, int]] = field(default_factory=list)


def decode(data: bytes) -> DecodeResult:
    """Decode bytes: BOM, then strict UTF-8, then a detected encoding; never raises."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode() takes bytes, not {type(data).__name__}")
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with(data, encoding, 1.0)
    try:
        return DecodeResult(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    import chardet

    guess = chardet.detect(data[:65536])
    encoding = guess.get("encoding") or "utf-8"
    return _decode_with(data, encoding, float(guess.get("confidence") or 0.0))


def _decode_with(data: bytes, encoding: str, confidence: float) -> DecodeResult:
    try:
        return DecodeResult(data.decode(encoding), codecs.lookup(encoding).name, confidence)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("utf-8", errors="replace")
        damaged = [(i, i + 1) for i, ch in enumerate(text) if ch == "\ufffd"]
        return DecodeResult(text, "utf-8", 0.0, damaged)


@dataclass(frozen=True, slots=True)
class EncodingOptions:
    """Options of the encoding stage."""

    flag_undecodable: bool = True


class EncodingRepair(DocumentStage):
    """Decode bytes and repair encoding damage."""

    name = "encoding"
    Options = EncodingOptions

    def process(self, doc: Document) -> Document:
        ensure_decoded(doc, self.name)
        return doc


def ensure_decoded(doc: Document, stage: str = "encoding") -> Document:
    """Decode a bytes document in place, recording the encoding and flagging undecodable spans."""
    if doc.text is not None or doc.raw is None:
        return doc
    result = decode(doc.raw)
    doc.set_decoded(stage, result.text, encoding=result.encoding, encoding_confidence=round(result.confidence, 3))
    doc.raw = None
    for start, end in result.damaged:
        doc.flag(stage, start, end, UNDECODABLE_BYTES)
    return doc
