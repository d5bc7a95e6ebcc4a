"""The encoding stage's options, each switchable; defaults fit Chinese text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EncodingOptions:
    """Options of the encoding stage.

    ``min_gain`` is how many nats (natural-log units) more probable a repair must be than
    the damaged text under the shipped character model before it is made.
    """

    normalize_line_endings: bool = True
    unescape_html: bool = True
    fix_cjk_mojibake: bool = True
    fix_latin_mojibake: bool = True
    realign_double_byte: bool = True
    strip_pinyin: bool = True
    remove_invisible: bool = True
    normalize_nfc: bool = True
    restore_fullwidth_punctuation: bool = True
    flag_damage: bool = True
    flag_undecodable: bool = True
    min_gain: float = 4.0

    def __post_init__(self) -> None:
        if not self.min_gain >= 0:
            raise ValueError(f"min_gain must be a non-negative number of nats, got {self.min_gain!r}")
