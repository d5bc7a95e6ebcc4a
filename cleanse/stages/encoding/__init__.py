"""Encoding repair: bytes decoding, CJK and Latin mojibake, misaligned double-byte runs, pinyin artifacts.

The stage runs first in the default chain. ``decode`` turns bytes into text with a
recorded verdict; ``repair_encoding`` / ``repair_and_explain`` repair text; the
:class:`EncodingRepair` stage does both on documents and logs every change.
"""

from __future__ import annotations

from cleanse.stages.encoding.decoding import DecodeResult, decode
from cleanse.stages.encoding.options import EncodingOptions
from cleanse.stages.encoding.repair import RepairPlan, repair_and_explain, repair_encoding
from cleanse.stages.encoding.stage import (
    BINARY_CONTENT,
    STRAY_NUL,
    UNDECODABLE_BYTES,
    EncodingRepair,
    ensure_decoded,
)

__all__ = [
    "BINARY_CONTENT",
    "STRAY_NUL",
    "UNDECODABLE_BYTES",
    "DecodeResult",
    "EncodingOptions",
    "EncodingRepair",
    "RepairPlan",
    "decode",
    "ensure_decoded",
    "repair_and_explain",
    "repair_encoding",
]
