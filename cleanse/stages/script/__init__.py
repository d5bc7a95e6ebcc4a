"""Script conversion: detect Simplified and Traditional Chinese per paragraph and convert phrase by phrase.

The conversions are OpenCC's own configurations and dictionaries (shipped in cleanse/data/script/),
run by a pure-Python engine built on compiled regexes, ``str.translate``-style lookup arrays and numpy;
docs/script.md explains the choice.

>>> to_simplified("瞭解黨建工作")
'了解党建工作'
>>> to_traditional("鼠标和软件", variant="twp")
'滑鼠和軟體'
>>> detect_script("這是繁體中文") == "traditional"
True
"""

from __future__ import annotations

from cleanse.errors import ConfigError
from cleanse.stages.script.converter import Converter, get_converter
from cleanse.stages.script.detection import ScriptVerdict, detect_script, paragraph_counts
from cleanse.stages.script.stage import (
    DEFAULT_SOURCE,
    MIXED_SCRIPT,
    SCRIPT_CONVERTED,
    SIMPLIFIED_CONFIGS,
    TRADITIONAL_CONFIGS,
    ScriptConversion,
    ScriptOptions,
    convert_text,
)

VARIANTS = ("standard", "tw", "twp", "hk")

__all__ = [
    "MIXED_SCRIPT",
    "SCRIPT_CONVERTED",
    "Converter",
    "ScriptConversion",
    "ScriptOptions",
    "ScriptVerdict",
    "get_converter",
    "detect_script",
    "paragraph_counts",
    "to_simplified",
    "to_traditional",
]


def to_simplified(text: str, variant: str = DEFAULT_SOURCE) -> str:
    """Convert Traditional Chinese to Simplified, phrase by phrase; ``variant`` names the input's standard.

    ``variant`` is "tw" (the default: OpenCC's tw2s, which reads OpenCC-standard text as well and turns
    the Taiwan forms common on the web, 看著, into 看着), "standard" (t2s), "twp" (tw2sp, also undoing
    Taiwan phrases such as 軟體) or "hk" (hk2s). URLs, e-mail addresses, numbers and Latin text come
    back unchanged.
    """
    if variant not in SIMPLIFIED_CONFIGS:
        raise ConfigError(f"variant must be one of {VARIANTS}, got {variant!r}")
    return convert_text(text, SIMPLIFIED_CONFIGS[variant])


def to_traditional(text: str, variant: str = "standard") -> str:
    """Convert Simplified Chinese to Traditional: "standard" (OpenCC), "tw", "twp" (with Taiwan phrases) or "hk"."""
    if variant not in VARIANTS:
        raise ConfigError(f"variant must be one of {VARIANTS}, got {variant!r}")
    return convert_text(text, TRADITIONAL_CONFIGS[variant])
