"""Label every line of a text: :func:`label_lines` and :class:`LabelledLine`.

Lines are read on folded text (width, case, Traditional -> Simplified, glued pinyin cut) but offsets and
text are reported on the original. A long line that ends in a different kind of text (a keyword list glued
after the last sentence, ``本文来源 ... |`` after a paragraph) is labelled as two pieces with the same
``index``, so the article part is kept and the tail is not; so is a line opening with a glued keyword list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import regex

from cleanse.stages.spam import context
from cleanse.stages.spam._native import native
from cleanse.stages.spam.features import DocumentFeatures, DocumentIndex, character_classes
from cleanse.stages.spam.lexicon import lexicon_with
from cleanse.stages.spam.line_model import apply_line_model
from cleanse.stages.spam.normalise import Folded, code_points, fold
from cleanse.stages.spam.rules import ARTICLE, NOTICE, SPAM, Verdict, classify, classify_spans
from cleanse.stages.spam.signals import signal_lexicon

_PIECE_BOUNDARY = regex.compile(r"(?:[。!?…]+|\s+)\s*")
_BOUNDARY_CHAR = regex.compile(r"[。!?…\s]")
_BOUNDARY_WINDOW = 64
TAIL_LABELS = (SPAM, NOTICE)
MIN_HEAD = 20


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """One non-empty line (or a piece of one) with its label, confidence and the evidence behind it.

    ``start``/``end`` are offsets in the labelled text, without the newline; ``index`` is the line number.
    """

    index: int
    start: int
    end: int
    text: str
    label: str
    score: float
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": self.score,
            "evidence": list(self.evidence),
        }


_SLOTS = LabelledLine.__dict__
_SETTERS = tuple(_SLOTS[name].__set__ for name in ("index", "start", "end", "text", "label", "score", "evidence"))


class LineRows(NamedTuple):
    """Every line's span in the labelled text, line number and verdict, index-aligned: what
    :func:`label_lines` returns, before it is wrapped in :class:`LabelledLine` objects."""

    spans: list[tuple[int, int]]
    numbers: list[int]
    verdicts: list[Verdict]


def label_lines(text: str, extra_words: Iterable[tuple[str, str]] = ()) -> list[LabelledLine]:
    """Label every non-empty line of ``text``; ``extra_words`` adds ``(label, word)`` pairs to the lexicons.

    >>> [(line.label, line.text) for line in label_lines("首页 > 新闻 > 正文\\n今天天气很好,我们去公园散步。")]
    [('chrome', '首页 > 新闻 > 正文'), ('article', '今天天气很好,我们去公园散步。')]
    """
    return _labelled(text, *label_rows(text, extra_words))


def label_rows(text: str, extra_words: Iterable[tuple[str, str]] = (), line_model: bool = True) -> LineRows:
    """:func:`label_lines` as index-aligned rows, for callers (the stage) that need no line objects;
    ``line_model=False`` leaves out the line model (the rules and context passes only)."""
    state = rule_state(text, extra_words)
    if state is None:
        return LineRows([], [], [])
    if line_model:
        signals = signal_lexicon()
        found = signals.find(state.folded.text, state.codes)
        apply_line_model(state.verdicts, state.features, state.lines, state.spans, signals, found, state.folded.text)
    return LineRows(original_spans(state), state.numbers, state.verdicts)


class RuleState(NamedTuple):
    """A document after the line rules and context passes, before the line model: folded text and its code
    points, line spans (in the folded text), line numbers, features, verdicts and the folded lines."""

    folded: Folded
    codes: np.ndarray
    spans: list[tuple[int, int]]
    numbers: list[int]
    features: DocumentFeatures
    verdicts: list[Verdict]
    lines: list[str]


def rule_state(text: str, extra_words: Iterable[tuple[str, str]] = ()) -> RuleState | None:
    """Label ``text`` with the line rules and context passes (``None`` when it has no non-empty line)."""
    if not isinstance(text, str):
        raise TypeError(f"label_lines() takes str, not {type(text).__name__}")
    lexicon = lexicon_with(tuple(extra_words))
    folded = fold(text)
    spans, numbers = _line_spans(folded.text)
    if not spans:
        return None
    codes = folded.codes if folded.codes is not None else code_points(folded.text)
    classes = character_classes(codes)
    index = DocumentIndex(folded.text, lexicon, codes, classes)
    features, verdicts = _label_spans(folded.text, spans, index)
    split = _split_tails(folded.text, spans, numbers, features, verdicts)
    if split is not None:
        uncut_spans = spans
        spans, numbers, cuts = split
        features = _features_for(index, spans, uncut_spans, features)
        verdicts = _relabel_pieces(folded.text, spans, features, verdicts, cuts)
        cut_spans = list(spans)
        if _merge_article_junk(spans, numbers, verdicts, cuts):
            features = _features_for(index, spans, cut_spans, features)
    lines = [folded.text[s:e] for s, e in spans]
    _apply_context(verdicts, features, lines)
    return RuleState(folded, codes, spans, numbers, features, verdicts, lines)


def original_spans(state: RuleState) -> list[tuple[int, int]]:
    """The line spans as offsets in the original text (they differ only where glued pinyin was cut)."""
    spans, folded = state.spans, state.folded
    if folded.to_original is None:
        return spans
    starts, ends = _span_arrays(spans)
    return list(zip(folded.to_original[starts].tolist(), (folded.to_original[ends - 1] + 1).tolist(), strict=True))


def _labelled(
    text: str, spans: list[tuple[int, int]], numbers: list[int], verdicts: list[Verdict]
) -> list[LabelledLine]:
    """The :class:`LabelledLine` of every span, set through its slots in one loop: the frozen dataclass
    ``__init__`` costs several times more, which shows on documents of thousands of lines."""
    set_index, set_start, set_end, set_text, set_label, set_score, set_evidence = _SETTERS
    new = object.__new__
    lines: list[LabelledLine] = []
    append = lines.append
    for (start, end), number, (label, score, evidence) in zip(spans, numbers, verdicts, strict=True):
        line = new(LabelledLine)
        set_index(line, number)
        set_start(line, start)
        set_end(line, end)
        set_text(line, text[start:end])
        set_label(line, label)
        set_score(line, score)
        set_evidence(line, evidence)
        append(line)
    return lines


def _line_spans(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """``(start, end)`` of every line holding more than whitespace (a trailing ``\\r`` left out), and its number.

    One pass over ``str.split`` lines: cheaper than array work, whose fixed cost shows on short documents;
    one pass over the characters in the compiled core when it was built.
    """
    if native is not None:
        found: tuple[list[tuple[int, int]], list[int]] = native.line_spans(text)
        return found
    spans: list[tuple[int, int]] = []
    numbers: list[int] = []
    add_span, add_number = spans.append, numbers.append
    start = 0
    for number, line in enumerate(text.split("\n")):
        end = start + len(line)
        if line and not line.isspace():
            add_span((start, end - 1 if line[-1] == "\r" else end))
            add_number(number)
        start = end + 1
    return spans, numbers


def _span_arrays(spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(spans, dtype=np.int64).reshape(-1, 2).T.copy()
    return pairs[0], pairs[1]


def _label_spans(
    text: str, spans: list[tuple[int, int]], index: DocumentIndex
) -> tuple[DocumentFeatures, list[Verdict]]:
    features = index.features(*_span_arrays(spans))
    return features, classify_spans(text, spans, features)


def _features_for(
    index: DocumentIndex, spans: list[tuple[int, int]], known_spans: list[tuple[int, int]], known: DocumentFeatures
) -> DocumentFeatures:
    """Features of ``spans`` (ascending): rows of ``known`` for the spans measured before (``known_spans``),
    and only the others measured, since a line's features depend on its span alone."""
    row_of = {span: row for row, span in enumerate(known_spans)}
    new = [span for span in spans if span not in row_of]
    measured = index.features(*_span_arrays(new)) if new else None
    row_of.update((span, len(known_spans) + k) for k, span in enumerate(new))
    return known.select([row_of[span] for span in spans], measured)


def _relabel_pieces(
    text: str,
    spans: list[tuple[int, int]],
    features: DocumentFeatures,
    verdicts: list[Verdict],
    cuts: list[tuple[int, bool]],
) -> list[Verdict]:
    """Verdicts for the spans after cutting: the cut pieces are classified, every other line keeps its verdict
    (a line rule reads only its own line)."""
    pieces = {first + offset for first, _ in cuts for offset in (0, 1)}
    cut_lines = _cut_lines(cuts)
    uncut = iter(verdict for i, verdict in enumerate(verdicts) if i not in cut_lines)
    return [
        classify(text, start, end, i, features) if i in pieces else next(uncut) for i, (start, end) in enumerate(spans)
    ]


def _cut_lines(cuts: list[tuple[int, bool]]) -> set[int]:
    """Line positions before cutting of the lines that were cut (each cut adds one line before the next)."""
    return {first - number for number, (first, _) in enumerate(cuts)}


def _split_tails(
    text: str, spans: list[tuple[int, int]], numbers: list[int], f: DocumentFeatures, verdicts: list[Verdict]
) -> tuple[list[tuple[int, int]], list[int], list[tuple[int, bool]]] | None:
    """Cut long lines where spam or notice words sit at one end: before a trailing run (at the last sentence
    or space break before it) or after a leading keyword list (at the first break after it).

    Returns the new spans, their line numbers and, per cut, the position of its first piece and whether the
    junk is that first piece (or ``None`` when nothing was cut).
    """
    found: dict[int, tuple[int, int, bool]] = {}
    for i, hits in enumerate(f.hits):
        weights = hits.weights
        if weights and f.length[i] > MIN_HEAD and (weights.get(SPAM, 0.0) >= 1 or weights.get(NOTICE, 0.0) >= 1):
            start, end = spans[i]
            cut = _tail_cut(text, start, end, f, i) or _head_cut(text, start, end, f, i)
            if cut is not None:
                found[i] = cut
    if not found:
        return None
    new_spans: list[tuple[int, int]] = []
    new_numbers: list[int] = []
    cuts: list[tuple[int, bool]] = []
    for i, (start, end) in enumerate(spans):
        cut = found.get(i)
        if cut is None:
            new_spans.append((start, end))
            new_numbers.append(numbers[i])
            continue
        head_end, tail_start, junk_first = cut
        cuts.append((len(new_spans), junk_first))
        new_spans.extend([(start, head_end), (tail_start, end)])
        new_numbers.extend([numbers[i], numbers[i]])
    return (new_spans, new_numbers, cuts) if cuts else None


def _tail_cut(text: str, start: int, end: int, f: DocumentFeatures, i: int) -> tuple[int, int, bool] | None:
    weights = f.hits[i].weights
    firsts = [f.hits[i].first[label] for label in TAIL_LABELS if weights.get(label, 0.0) >= 1]
    if not firsts:
        return None
    position = start + min(firsts)
    boundary = _last_boundary(text, start, position)
    if boundary is None:
        return None
    head_end = boundary.end() if not text[boundary.start()].isspace() else boundary.start()
    head_end = start + len(text[start:head_end].rstrip())
    if len(text[start:head_end].replace(" ", "")) < MIN_HEAD:
        return None
    return head_end, boundary.end(), False


def _last_boundary(text: str, start: int, position: int) -> regex.Match[str] | None:
    """The last ``_PIECE_BOUNDARY`` match ending at or before ``position`` when matching from ``start``.

    Matches are looked for in a window before ``position`` that doubles until its answer is certain: a
    window opening inside a run of boundary characters could cut that run differently from a scan from
    ``start``, so its first match only counts when the character before the window is no boundary.
    A glued tail sits at the end of a long paragraph; scanning all of it would cost a match per sentence.
    """
    width = _BOUNDARY_WINDOW
    while True:
        window = max(start, position - width)
        first = found = None
        for match in _PIECE_BOUNDARY.finditer(text, window, position + 1):
            if first is None:
                first = match
            if match.end() <= position:
                found = match
        certain = found is not None and (found is not first or _BOUNDARY_CHAR.match(text, window - 1) is None)
        if window == start or certain:
            return found
        width *= 2


def _head_cut(text: str, start: int, end: int, f: DocumentFeatures, i: int) -> tuple[int, int, bool] | None:
    """A keyword list glued before the text: cut at the first break after its last spam word."""
    hits = f.hits[i]
    if hits.weights.get(SPAM, 0.0) < 2:
        return None
    boundary = _PIECE_BOUNDARY.search(text, start + hits.last_end[SPAM], end)
    if boundary is None:
        return None
    head_end = boundary.start() if text[boundary.start()].isspace() else boundary.end()
    head_end = start + len(text[start:head_end].rstrip())
    if len(text[boundary.end() : end].replace(" ", "")) < MIN_HEAD:
        return None
    return head_end, boundary.end(), True


def _merge_article_junk(
    spans: list[tuple[int, int]], numbers: list[int], verdicts: list[Verdict], cuts: list[tuple[int, bool]]
) -> bool:
    """Undo each cut whose junk piece turned out to be ordinary text (the line keeps the other verdict).

    Returns whether anything was merged, so the caller knows its features no longer line up.
    """
    merged = False
    for first, junk_first in reversed(cuts):
        junk, other = (first, first + 1) if junk_first else (first + 1, first)
        if verdicts[junk].label == ARTICLE:
            kept = verdicts[other]
            spans[first : first + 2] = [(spans[first][0], spans[first + 1][1])]
            verdicts[first : first + 2] = [kept]
            del numbers[first + 1]
            merged = True
    return merged


def _apply_context(verdicts: list[Verdict], f: DocumentFeatures, lines: list[str]) -> None:
    context.mark_page_header(verdicts, f)
    context.mark_link_lists(verdicts, f)
    context.mark_column_labels(verdicts, f)
    context.mark_name_lines(verdicts, f, lines)
    context.mark_captions(verdicts, f)
    context.mark_advertorials(verdicts, f, lines)
    context.grow_ad_blocks(verdicts, f)
