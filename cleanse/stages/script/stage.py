"""The ``script`` stage: detect the script of every paragraph and convert the ones that need it.

Paragraphs already in the target script, and lines without Han text, are left alone; each
converted phrase or run of characters is one entry of the change log. URLs and e-mail addresses are
never converted. Running the stage twice changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleanse.document import Document, Edit
from cleanse.errors import ConfigError
from cleanse.stages.base import DocumentStage
from cleanse.stages.script.converter import MERGE_GAP, get_converter
from cleanse.stages.script.detection import (
    LABELS,
    MIXED,
    SIMPLIFIED,
    TRADITIONAL,
    ParagraphCounts,
    label_for,
    paragraph_counts,
)

SCRIPT_CONVERTED = "script_converted"
MIXED_SCRIPT = "mixed_script"
JAPANESE_KEPT = "japanese_kept"

TRADITIONAL_CONFIGS = {"standard": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}
"""``to_traditional`` variants and their OpenCC configurations."""
SIMPLIFIED_CONFIGS = {"standard": "t2s", "tw": "tw2s", "twp": "tw2sp", "hk": "hk2s"}
TARGETS = ("simplified", "traditional", "tw", "twp", "hk")

_URL = re.compile(r"(?:https?://|ftp://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+", re.ASCII | re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """URLs and e-mail addresses in ``text``; each regex runs only when its marker is present."""
    spans = []
    if "://" in text or "www." in text or "WWW." in text:
        spans += [found.span() for found in _URL.finditer(text)]
    if "@" in text:
        spans += [found.span() for found in _EMAIL.finditer(text)]
    return sorted(spans)


DEFAULT_SOURCE = "tw"
"""Read Traditional input with tw2s: it also reads OpenCC-standard text (54 of OpenCC's 55 t2s cases, 20 of
21 hk2s) and turns Taiwan forms common on the web (看著, 隨著) into Simplified 看着, 随着, which t2s keeps."""


def config_for(target: str, source: str = DEFAULT_SOURCE) -> str:
    """The OpenCC configuration that converts to ``target`` (from ``source`` when the target is Simplified)."""
    if target == "simplified":
        if source not in SIMPLIFIED_CONFIGS:
            raise ConfigError(f"script source must be one of {sorted(SIMPLIFIED_CONFIGS)}, got {source!r}")
        return SIMPLIFIED_CONFIGS[source]
    if target not in TARGETS:
        raise ConfigError(f"script target must be one of {TARGETS}, got {target!r}")
    return TRADITIONAL_CONFIGS["standard" if target == "traditional" else target]


@dataclass(frozen=True)
class ScriptOptions:
    """Options of the ``script`` stage.

    ``target``: "simplified" (default), "traditional" (OpenCC standard), "tw", "twp" (Taiwan with
    Taiwan phrases such as 軟體 for 软件) or "hk".
    ``source``: which Traditional standard the input follows when converting to Simplified: "tw"
    (default, tw2s, which reads OpenCC-standard text too), "standard" (t2s), "twp" (tw2sp, also undoes
    Taiwan phrases such as 軟體) or "hk" (hk2s).
    ``convert_mixed``: convert paragraphs that mix both scripts (default True); they are flagged either way.
    ``merge_gap``: changes at most this many characters apart on one line, with no ASCII letter or digit
    between them, are logged as one edit (default 4: phrase- to clause-sized entries); 0 logs every
    changed run of characters on its own.
    """

    target: str = "simplified"
    source: str = DEFAULT_SOURCE
    convert_mixed: bool = True
    merge_gap: int = MERGE_GAP

    def __post_init__(self) -> None:
        config_for(self.target, self.source)
        if not isinstance(self.merge_gap, int) or self.merge_gap < 0:
            raise ConfigError(f"script merge_gap must be a non-negative integer, got {self.merge_gap!r}")

    @property
    def config(self) -> str:
        return config_for(self.target, self.source)


class ScriptConversion(DocumentStage):
    """Convert every paragraph to one script, phrase by phrase, logging each change.

    >>> doc = ScriptConversion().process(Document.from_text("黨建引領發展\\nwww.example.com"))
    >>> doc.text
    '党建引领发展\\nwww.example.com'
    >>> doc.metadata["script"]["label"], [c.before + "->" + c.after for c in doc.changes]
    ('traditional', ['黨建引領發->党建引领发'])
    """

    name = "script"
    Options = ScriptOptions
    options: ScriptOptions

    def process(self, doc: Document) -> Document:
        text = doc.text
        if not text:
            return doc
        counts = paragraph_counts(text)
        candidates = self._candidates(counts)
        if len(candidates):
            japanese = counts.japanese[candidates] > 0
            converting = candidates[~japanese].tolist()
            japanese_lines = candidates[japanese].tolist()
        else:  # the usual case: no line carries evidence of the other script
            converting, japanese_lines = [], []
        if counts.traditional.any() and counts.simplified.any():  # a mixed line needs both kinds of evidence
            for index in counts.lines_labelled(MIXED).tolist():
                verdict = counts.verdict(index)
                start, end = int(counts.starts[index]), int(counts.ends[index])
                evidence = (f"traditional_only={verdict.traditional}", f"simplified_only={verdict.simplified}")
                doc.flag(self.name, start, end, MIXED_SCRIPT, evidence=evidence)
        for index in japanese_lines:
            start, end = int(counts.starts[index]), int(counts.ends[index])
            found = (f"kana_or_japanese_forms={int(counts.japanese[index])}",)
            doc.flag(self.name, start, end, JAPANESE_KEPT, evidence=found)
        edits = self._edits(text, counts, converting)
        doc.apply(self.name, edits)
        doc.metadata[self.name] = self._summary(counts, converting, len(edits))
        return doc

    def _candidates(self, counts: ParagraphCounts) -> np.ndarray:
        """Lines the labels say are not in the target script (Japanese ones included; the caller sets them
        apart). Without evidence of the script to convert from, no line is one: a screen on the totals."""
        wanted = SIMPLIFIED if self.options.target == "simplified" else TRADITIONAL
        evidence = counts.traditional if wanted == SIMPLIFIED else counts.simplified
        if wanted == SIMPLIFIED and not evidence.any():
            return _NO_LINES
        other = TRADITIONAL if wanted == SIMPLIFIED else SIMPLIFIED
        labels = (other, MIXED) if self.options.convert_mixed else (other,)
        return counts.lines_labelled(*labels)

    def _edits(self, text: str, counts: ParagraphCounts, paragraphs: list[int]) -> list[Edit]:
        """Edits for the chosen paragraphs, URLs and e-mail addresses excluded.

        When most of the Han text needs converting, the whole text converts in one pass (no
        dictionary key contains a line break, so no match crosses paragraphs) and only the edits
        inside chosen paragraphs are kept; otherwise each chosen paragraph converts on its own.
        """
        if not paragraphs:
            return []
        engine = get_converter(self.options.config)
        chosen = np.zeros(len(counts.starts), dtype=bool)
        chosen[paragraphs] = True
        evidence = (f"opencc:{self.options.config}",)
        if int(counts.han[paragraphs].sum()) * 2 >= int(counts.han.sum()):
            runs = engine.same_length_runs(text, self.options.merge_gap)
            if runs is not None:
                converted, starts, ends = runs
                owner = np.searchsorted(counts.starts, starts, side="right") - 1
                keep = chosen[owner] & ~_protected_mask(text, starts, ends)
                pairs = zip(starts[keep].tolist(), ends[keep].tolist(), strict=True)
                return [
                    Edit(start, end, converted[start:end], SCRIPT_CONVERTED, None, evidence) for start, end in pairs
                ]
        spans: list[tuple[int, int, str]] = []
        for index in paragraphs:
            start, end = int(counts.starts[index]), int(counts.ends[index])
            for left, right, after in engine.edits(text[start:end], self.options.merge_gap):
                spans.append((start + left, start + right, after))
        protected = _protected_mask(text, np.array([span[0] for span in spans]), np.array([span[1] for span in spans]))
        return [
            Edit(start, end, after, SCRIPT_CONVERTED, None, evidence)
            for (start, end, after), hidden in zip(spans, protected.tolist(), strict=True)
            if not hidden
        ]

    def _summary(self, counts: ParagraphCounts, converted: list[int], changes: int) -> dict[str, Any]:
        han, traditional, simplified = (
            int(counts.han.sum()),
            int(counts.traditional.sum()),
            int(counts.simplified.sum()),
        )
        with_han = np.flatnonzero(counts.han)
        was_converted = np.zeros(len(counts.starts), dtype=bool)
        was_converted[converted] = True
        return {
            "label": label_for(han, traditional, simplified),
            "han": han,
            "traditional": traditional,
            "simplified": simplified,
            "target": self.options.target,
            "config": self.options.config,
            "converted_paragraphs": len(converted),
            "changes": changes,
            "paragraphs": {
                "start": counts.starts[with_han].tolist(),
                "end": counts.ends[with_han].tolist(),
                "label": [LABELS[code] for code in counts.label_codes[with_han].tolist()],
                "han": counts.han[with_han].tolist(),
                "traditional": counts.traditional[with_han].tolist(),
                "simplified": counts.simplified[with_han].tolist(),
                "converted": was_converted[with_han].tolist(),
            },
        }


_NO_LINES = np.zeros(0, dtype=np.intp)


def _protected_mask(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which spans overlap a URL or an e-mail address (those are never converted)."""
    hidden = np.zeros(len(starts), dtype=bool)
    if len(starts):
        for left, right in _protected_spans(text):
            hidden |= (starts < right) & (left < ends)
    return hidden


def _unprotected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` minus URLs and e-mail addresses, as a list of spans to convert."""
    pieces = []
    cursor = start
    for left, right in _protected_spans(text[start:end]):
        if start + left > cursor:
            pieces.append((cursor, start + left))
        cursor = max(cursor, start + right)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def convert_text(text: str, config: str) -> str:
    """Convert all of ``text`` with an OpenCC configuration, leaving URLs and e-mail addresses alone."""
    if not isinstance(text, str):
        raise TypeError(f"script conversion takes str, not {type(text).__name__}")
    if text.isascii():
        return text
    engine = get_converter(config)
    spans = _unprotected(text, 0, len(text))
    if spans == [(0, len(text))]:
        return engine.convert(text)
    # one conversion of the pieces joined by a separator no dictionary key contains: the same result
    # as converting piece by piece, without the fixed cost of a conversion per URL on long pages
    separator = next((c for c in _PIECE_SEPARATORS if c not in text), None)
    converted = [engine.convert(text[start:end]) for start, end in spans] if separator is None else []
    if separator is not None:
        converted = engine.convert(separator.join(text[start:end] for start, end in spans)).split(separator)
    pieces = []
    cursor = 0
    for (start, end), piece in zip(spans, converted, strict=True):
        pieces.append(text[cursor:start])
        pieces.append(piece)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_PIECE_SEPARATORS = ("\ufdd8", "\ufdd9", "\ufdda", "\ufddb")
"""Noncharacters, in no OpenCC dictionary and distinct from the converter's own segment marks."""
