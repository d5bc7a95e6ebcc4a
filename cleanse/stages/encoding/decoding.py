"""Bytes to text: BOM, strict UTF-8, piecewise mixed UTF-8, then detection; binary refused.

Decoding never raises on bad bytes. Bytes no codec explains become U+FFFD and their
spans are returned in :attr:`DecodeResult.damaged`, so the stage can flag them. A UTF-8
page carrying a GBK or Big5 fragment is decoded piece by piece instead of all or nothing.
Content that is not text in any encoding (images, archives, executables) is reported as
binary, and the stage drops that document with a reason.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

import regex

from cleanse.stages.encoding._lm import language_model

BINARY = "binary"
DETECTION_SAMPLE = 65536
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF", b"MZ", b"BZh")
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20)) + b"\x7f"
#: more control bytes than this share of a sample (NUL aside from UTF-16) means the content is not text.
BINARY_CONTROL_SHARE = 0.10
_UTF8_CHAR = (
    rb"[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_UTF8_RUN = regex.compile(rb"(?:" + _UTF8_CHAR + rb")+")
_ASCII_BYTES = bytes(range(0x80))
_UTF8_TWO_BYTE = regex.compile(rb"[\xc2-\xdf][\x80-\xbf]")
_UTF8_CJK_RUN = regex.compile(rb"(?:[\xe1-\xef][\x80-\xbf]{2}){2,}")
_CHARDET_NAMES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
}
_LEGACY_CANDIDATES = ("gb18030", "big5hkscs")


@dataclass(frozen=True, slots=True)
class DecodeResult:
    """The decoded text and how it was decided; ``damaged`` lists spans that could not be decoded.

    ``encoding`` is a codec name, ``"utf-8+gb18030"`` for a mixed document decoded piecewise,
    or ``"binary"`` (then ``text`` is empty and the content should be rejected).
    """

    text: str
    encoding: str
    confidence: float
    damaged: list[tuple[int, int]] = field(default_factory=list)

    @property
    def is_binary(self) -> bool:
        return self.encoding == BINARY


def decode(data: bytes) -> DecodeResult:
    """Decode bytes of unknown encoding; never raises on bad bytes.

    >>> decode("中文".encode("gbk")).text
    '中文'
    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR").encoding
    'binary'
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode() takes bytes, not {type(data).__name__}")
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with(data, encoding, 1.0)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _decode_with(data, utf16, 0.9)
    if _looks_binary(data):
        return DecodeResult("", BINARY, 1.0)
    try:
        return DecodeResult(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _decode_mixed(data)
    return _decode_legacy(data)


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_MAGIC):
        return True
    sample = data[:DETECTION_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(3, BINARY_CONTROL_SHARE * len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs on one side for Latin text, or a clean CJK reading for Chinese."""
    sample = data[: DETECTION_SAMPLE & ~1]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    try:
        sample.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    model = language_model()
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        han = len(regex.findall(r"[\p{Han}\s，。、]", text))
        if han >= 0.6 * len(text) and model.score(text[:500]) / max(1, len(text[:500])) > -11.0:
            return encoding
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Most non-ASCII bytes sit in runs of well-formed UTF-8 CJK sequences."""
    sample = data[:DETECTION_SAMPLE]
    non_ascii = len(sample.translate(None, _ASCII_BYTES))
    covered = sum(len(m.group()) for m in _UTF8_CJK_RUN.finditer(sample))
    return non_ascii > 0 and covered >= 0.6 * non_ascii


def _decode_mixed(data: bytes) -> DecodeResult:
    """A UTF-8 document with fragments in another encoding: decode each piece on its own."""
    pieces: list[str] = []
    damaged: list[tuple[int, int]] = []
    used: set[str] = set()
    length = 0
    for is_utf8, chunk in _split_utf8(data):
        if is_utf8:
            text = chunk.decode("utf-8")
        else:
            result = _decode_legacy(chunk, detect=False)
            used.add(result.encoding)
            text = result.text
            damaged.extend((length + s, length + e) for s, e in result.damaged)
        pieces.append(text)
        length += len(text)
    encoding = "+".join(["utf-8", *sorted(used)])
    return DecodeResult("".join(pieces), encoding, 0.8, damaged)


def _split_utf8(data: bytes) -> list[tuple[bool, bytes]]:
    """Valid UTF-8 stretches and the gaps between them, each gap owning a trail byte the UTF-8 side took."""
    parts = _raw_split_utf8(data)
    for index in range(len(parts) - 1):
        is_utf8, chunk = parts[index]
        following = parts[index + 1][1]
        takes_trail = not is_utf8 and following and 0x40 <= following[0] <= 0x7E
        if takes_trail and not _strict_legacy(chunk) and _strict_legacy(chunk + following[:1]):
            parts[index] = (False, chunk + following[:1])
            parts[index + 1] = (True, following[1:])
    return [part for part in parts if part[1]]


def _strict_legacy(chunk: bytes) -> bool:
    for encoding in ("big5hkscs", "gb18030"):
        try:
            text = chunk.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not regex.search("[\ue000-\uf8ff]", text):
            return True
    return False


def _raw_split_utf8(data: bytes) -> list[tuple[bool, bytes]]:
    """Valid UTF-8 stretches and the gaps between them; short non-ASCII 'valid' bits inside a gap join it."""
    spans: list[list[int]] = []
    cursor = 0
    for match in _UTF8_RUN.finditer(data):
        if match.start() > cursor:
            spans.append([cursor, match.start()])
        cursor = match.end()
    if cursor < len(data):
        spans.append([cursor, len(data)])
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and not _UTF8_CJK_RUN.search(data, merged[-1][1], start):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    for span in merged:
        while span[0] >= 2 and _UTF8_TWO_BYTE.fullmatch(data, span[0] - 2, span[0]):
            span[0] -= 2
    out: list[tuple[bool, bytes]] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            out.append((True, data[cursor:start]))
        out.append((False, data[start:end]))
        cursor = end
    if cursor < len(data):
        out.append((True, data[cursor:]))
    return out


CLEAR_SCORE = -8.5
"""Per-character language-model score a strict reading must reach to be taken without asking chardet
(Chinese text read in its own encoding scores about -6; Korean EUC-KR read as GB18030 about -10.6)."""
CLEAR_MARGIN = 3.0
"""How far the other legacy reading must score below it (a wrong GBK/Big5 reading scores about -15)."""
CLEAR_MIN_CHARS = 200
CLEAR_CONFIDENCE = 0.99


def _decode_legacy(data: bytes, detect: bool = True) -> DecodeResult:
    """Pick among chardet's guess, GB18030 and Big5: strict decoders first, then the language model.

    The screen first: when one of GB18030 and Big5 reads the bytes strictly as fluent Chinese and the
    other does not come close, that reading is taken and chardet is not asked (it would only add a
    candidate scoring below it). Short fragments of a mixed document skip chardet too (too little to
    go on) and choose between GB18030 and Big5 by the language model alone.
    """
    model = language_model()
    readings = {encoding: _reading(data, encoding, model) for encoding in _LEGACY_CANDIDATES}
    name, confidence = "", 0.0
    if detect:
        clear = _clear_reading(readings)
        if clear is not None:
            return _legacy_result(clear, readings[clear], CLEAR_CONFIDENCE)
        import chardet

        guess = chardet.detect(data[:DETECTION_SAMPLE])
        name = (guess.get("encoding") or "").lower()
        confidence = float(guess.get("confidence") or 0.0)
    guessed = _CHARDET_NAMES.get(name, name)
    if guessed and guessed not in readings and _known(guessed):
        readings[guessed] = _reading(data, guessed, model)
    best: str | None = None
    for encoding, (score, _, _) in readings.items():
        if best is None or score > readings[best][0]:
            best = encoding
    if best is None:
        return DecodeResult(data.decode("gb18030", errors="replace"), "gb18030", 0.0, [])
    return _legacy_result(best, readings[best], confidence if best == guessed else 0.5)


def _reading(data: bytes, encoding: str, model: Any) -> tuple[float, str, bool]:
    """The language-model score per character of ``data`` read as ``encoding``, the text, and whether it
    decoded without errors."""
    try:
        text, strict = data.decode(encoding), True
    except UnicodeDecodeError:
        text, strict = data.decode(encoding, errors="replace"), False
    sample = text[:2000]
    return model.score(sample) / max(1, len(sample)), text, strict


def _clear_reading(readings: dict[str, tuple[float, str, bool]]) -> str | None:
    ranked = sorted(readings, key=lambda encoding: -readings[encoding][0])
    best = ranked[0]
    score, text, strict = readings[best]
    runner_up = readings[ranked[1]][0] if len(ranked) > 1 else float("-inf")
    if strict and len(text) >= CLEAR_MIN_CHARS and score >= CLEAR_SCORE and score - runner_up >= CLEAR_MARGIN:
        return best
    return None


def _legacy_result(encoding: str, reading: tuple[float, str, bool], confidence: float) -> DecodeResult:
    _, text, strict = reading
    damaged = [] if strict else [(m.start(), m.end()) for m in regex.finditer("\ufffd+", text)]
    return DecodeResult(text, codecs.lookup(encoding).name, confidence, damaged)


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _decode_with(data: bytes, encoding: str, confidence: float) -> DecodeResult:
    """Decode with one codec; bytes it cannot read become U+FFFD and are reported as damaged spans."""
    spans: list[tuple[int, int]] = []
    try:
        return DecodeResult(data.decode(encoding), codecs.lookup(encoding).name, confidence)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    for match in regex.finditer("\ufffd+", text):
        spans.append((match.start(), match.end()))
    return DecodeResult(text, codecs.lookup(encoding).name, confidence, spans)
