"""Compiled patterns and character classes shared by the encoding fixers, built once at import."""

from __future__ import annotations

import regex

HAN = r"\p{Han}"
CJK_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉「」『』【】—…·"

#: a ``?`` that may stand for a lost lead byte: followed by something that is not a space.
MISALIGNED_TRIGGER = regex.compile(r"\?(?=\S)")
