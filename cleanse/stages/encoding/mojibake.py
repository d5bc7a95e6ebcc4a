"""Repair mojibake spans inside otherwise correct text.

Kinds handled, each by re-encoding the damaged span with the codec that misread it and
decoding the bytes with the one that wrote them:

* UTF-8 read as GBK/GB18030 or Big5 (``鍏ㄥ浗``): the span's bytes hold valid UTF-8;
* Big5 read as GBK and GBK read as Big5: one character maps to one character, so the
  span is found as the stretch where the other reading most improves the language model.

A cheap screen keeps good text fast: only windows around characters the language model
finds rare (or Latin-1 letters) are examined. A span is replaced only when the repaired
reading beats the damaged one by ``min_gain`` nats under the character bigram model.
Chinese read as Latin-1 or cp1252, and Latin-script mojibake, are in :mod:`.latin_mojibake`.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import regex

from cleanse.document import Edit
from cleanse.stages.encoding._lm import CharLanguageModel, codepoints, language_model
from cleanse.stages.encoding._script import (
    Script,
    context_on_line,
    script_of,
    strangers_by_line,
    wrong_script_penalty,
)
from cleanse.stages.encoding._stretches import best_stretches

CJK_MOJIBAKE = "cjk_mojibake"
#: unigram log-probability under which a character counts as rare and opens a window.
RARE_LOGP = -11.0
WINDOW_CONTEXT = 24
#: rare characters at most this far apart form a cluster worth examining.
RARE_CLUSTER_GAP = 2
#: Latin letters with accents are pinyin or Latin text, never double-byte mojibake by themselves.
_FIRST_NON_LATIN = 0x0370
#: a Big5/GBK misreading is undone only towards punctuation, symbols and CJK, never towards Latin letters.
_FIRST_REMAPPED_CHAR = "\u2000"
#: Latin-1 marks GBK and Big5 both carry: a misreading is undone towards them too (never towards letters).
_REMAPPED_LATIN1_MARKS = frozenset("·×÷°±§¨")
#: a remapped span (Big5 and GBK read as each other) must gain this much per character it changes:
#: both readings are real characters, so a small gain is a coin toss, not a repair.
REMAP_GAIN_PER_CHANGE = 4.0
#: a remapped span must change at least this many characters: two rare characters side by side (a given
#: name such as 梓鎔) that happen to be Big5/GBK neighbours of two common ones are a name, not evidence.
MIN_REMAPPED_CHANGES = 3
#: a repaired span must read like text: at least this many nats per character on average.
MIN_REPAIRED_LOGP = -10.5
MAX_WINDOW = 320
#: characters each side of a window that decide its script (Simplified or Traditional)
SCRIPT_CONTEXT = 200

_UTF8_RUN = regex.compile(rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}){2,}")
_HAN = regex.compile(r"\p{Han}")
#: how many ends, longest first, a UTF-8 stretch offers for the gain to choose from.
MAX_UTF8_ENDS = 3
#: letters of other scripts (Latin-1 up to Greek Extended): never in a Chinese repair.
_NOT_CHINESE = re.compile("[\u0080-\u00b6\u00b8-\u1fff]")  # but the middle dot of transliterated names
_WRONG_READINGS = (("gb18030", "big5"), ("big5", "gb18030"))


def fix_double_byte_mojibake(text: str, min_gain: float = 4.0, lm: CharLanguageModel | None = None) -> list[Edit]:
    """Edits for UTF-8 read as GBK/Big5 and for Big5/GBK read as each other.

    Candidates from every suspicious window are gathered first and scored in one batch.

    >>> [e.after for e in fix_double_byte_mojibake("他说" + "全国人民".encode("utf-8").decode("gbk") + "很好")]
    ['全国人民']
    """
    if text.isascii():
        return []
    model = lm or language_model()
    windows = list(_suspicious_windows(text, model))
    if not windows:
        return []
    candidates: list[tuple[int, int, str, str]] = []
    for start, end in windows:
        window = text[start:end]
        for codec in ("gb18030", "big5"):
            for span_start, span_end, repaired in _utf8_inside(window, codec):
                candidates.append((start + span_start, start + span_end, repaired, f"utf-8 read as {codec}"))
    remapped, remapped_scores = _remapped_spans(text, windows, model)
    edits = _scored_edits(text, candidates, model, min_gain)
    edits += _scored_edits(text, remapped, model, min_gain, remapped_scores)
    return [_without_lone_edges(text, edit, model) for edit in _non_overlapping(edits)]


def _without_lone_edges(text: str, edit: Edit, model: CharLanguageModel) -> Edit:
    """A remapped stretch without an edge change cut off from its other changes that does not pay its own way.

    Every changed character must gain ``REMAP_GAIN_PER_CHANGE``; one at the edge of a stretch,
    separated from the stretch's other changes by a Han character both readings share (``認爲,拜``:
    ``爲`` unchanged, then ``拜`` read as ``問``), sits in clean Chinese text and is judged alone:
    the stretch is cut before it unless keeping it gains that much. ASCII digits and marks between
    changes (``11る12ら``) are the same in every encoding and say nothing.
    """
    if len(edit.after) != edit.end - edit.start or edit.score is None:
        return edit
    before = text[edit.start : edit.end]
    changed = [i for i, (a, b) in enumerate(zip(before, edit.after, strict=True)) if a != b]
    if len(changed) <= MIN_REMAPPED_CHANGES:
        return edit
    start, end, gain = edit.start, edit.end, edit.score
    if _HAN.search(before, changed[-2] + 1, changed[-1]):
        trimmed_end = edit.start + changed[-2] + 1
        trimmed_gain = _gain(text, start, trimmed_end, edit.after[: trimmed_end - edit.start], model)
        if gain - trimmed_gain < REMAP_GAIN_PER_CHANGE:
            end, gain = trimmed_end, trimmed_gain
    if _HAN.search(before, changed[0] + 1, changed[1]):
        trimmed_start = edit.start + changed[1]
        trimmed_gain = _gain(text, trimmed_start, end, edit.after[trimmed_start - edit.start : end - edit.start], model)
        if gain - trimmed_gain < REMAP_GAIN_PER_CHANGE:
            start, gain = trimmed_start, trimmed_gain
    if (start, end) == (edit.start, edit.end):
        return edit
    after = edit.after[start - edit.start : end - edit.start]
    return Edit(start, end, after, edit.reason, round(gain, 2), edit.evidence)


def _scored_edits(
    text: str,
    candidates: list[tuple[int, int, str, str]],
    model: CharLanguageModel,
    min_gain: float,
    scores: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> list[Edit]:
    """Edits for the candidates that read like text and beat the damaged span by ``min_gain``.

    ``scores`` (repaired with context, damaged with context, repaired alone), when the
    caller has them, spare scoring every candidate's text again.
    """
    if not candidates:
        return []
    if scores is None:
        contexts = [(text[s - 1] if s else "", text[e] if e < len(text) else "") for s, e, _, _ in candidates]
        pairs = list(zip(contexts, candidates, strict=True))
        befores, afters = [b for b, _ in contexts], [a for _, a in contexts]
        repaired_scores, plain = model.score_in_context(befores, [r for _, _, r, _ in candidates], afters)
        damaged_scores = model.score_many([b + text[s:e] + a for (b, a), (s, e, _, _) in pairs])
    else:
        repaired_scores, damaged_scores, plain = scores
    gains = np.asarray(repaired_scores, dtype=np.float64) - np.asarray(damaged_scores, dtype=np.float64)
    lengths = np.array([len(repaired) for _, _, repaired, _ in candidates], dtype=np.float64)
    # every edit must gain at least min_gain and read like text: most candidates stop here, in one array pass
    hopeful = np.nonzero((gains >= min_gain) & (np.asarray(plain) / lengths >= MIN_REPAIRED_LOGP))[0]
    edits = []
    for index in hopeful.tolist():
        start, end, repaired, evidence = candidates[index]
        gain = float(gains[index])
        required = min_gain
        if len(repaired) == end - start:  # one character for one: Big5 and GBK read as each other
            changed = sum(map(operator.ne, repaired, text[start:end]))
            if changed < MIN_REMAPPED_CHANGES or not _shown_by(text[start:end], evidence):
                continue
            if not _repairs_towards_han(text[start:end], repaired):
                continue
            required = max(min_gain, REMAP_GAIN_PER_CHANGE * changed)
        if gain >= required and plain[index] / len(repaired) >= MIN_REPAIRED_LOGP:
            edits.append(Edit(start, end, repaired, CJK_MOJIBAKE, round(gain, 2), (evidence,)))
    return edits


def _repairs_towards_han(damaged: str, repaired: str) -> bool:
    """Whether a Big5/GBK misreading is undone towards Chinese: at least half the changed characters become Han.

    Chinese text misread between the two codes changes mostly Han characters; a stretch whose repair is mostly
    symbols (fullwidth ``ＰＯＳＴ`` in GBK-era text is GBK's circled ``⑥⑤⑨⑩`` read as Big5) is text as it stands.
    """
    changes = [b for a, b in zip(damaged, repaired, strict=True) if a != b]
    towards_han = sum(_HAN.match(b) is not None for b in changes)
    return towards_han > 0 and 2 * towards_han >= len(changes)


def _shown_by(damaged: str, evidence: str) -> bool:
    """Whether the codec that misread a remapped span can show every character of it.

    A decoder only shows characters of its own table: ``贤`` (Simplified only) is never Big5
    output, so a stretch holding it was not read as Big5, whatever its neighbours look like.
    Without this, converting one character of a stretch to the other script (as the script
    stage does) would drop it from the changed characters and lower the gain a repair needs.
    """
    written, _, read = evidence.partition(" read as ")
    if written == "utf-8" or not read:
        return True
    return all(_encode(char, read) is not None for char in set(damaged) if not _DECODER_STAND_IN.match(char))


#: what a decoder shows for bytes it cannot map (ASCII passes through every codec): the replacement
#: character, an escaped byte (a lone surrogate), a private-use code point
_DECODER_STAND_IN = re.compile("[\x00-\x7f\ufffd\ud800-\udfff\ue000-\uf8ff]")


def _suspicious_windows(text: str, model: CharLanguageModel) -> Iterator[tuple[int, int]]:
    """Windows of non-ASCII text around clusters of rare characters; good text yields none.

    One rare character alone (a name, a rare word) opens no window: mojibake always puts
    several rare characters close together. A character only the other script uses (``輪``
    in a Simplified line) counts as rare: Big5 read as GBK and back makes common characters too.
    """
    codes = codepoints(text)
    candidates = np.nonzero(codes >= _FIRST_NON_LATIN)[0]
    if not len(candidates):
        return
    candidate_codes = codes[candidates]
    rare = candidates[(model.unigram_logp(candidate_codes) < RARE_LOGP) | strangers_by_line(codes, candidates)]
    if len(rare) < 2:
        return
    close = np.diff(rare) <= RARE_CLUSTER_GAP
    clustered = rare[np.concatenate(([False], close)) | np.concatenate((close, [False]))]
    if not len(clustered):
        return
    breaks = np.nonzero((codes < 0x20) | (codes == 0x7F))[0]
    after = np.searchsorted(breaks, clustered)
    if len(breaks):
        run_starts = np.where(after > 0, breaks[np.maximum(after - 1, 0)] + 1, 0)
        run_ends = np.where(after < len(breaks), breaks[np.minimum(after, len(breaks) - 1)], len(text))
    else:
        run_starts, run_ends = np.zeros_like(clustered), np.full_like(clustered, len(text))
    starts = np.maximum(run_starts, clustered - WINDOW_CONTEXT)
    ends = np.minimum(run_ends, clustered + WINDOW_CONTEXT + 1)
    window_start = window_end = -1
    for start, end, run_start in zip(starts.tolist(), ends.tolist(), run_starts.tolist(), strict=True):
        if window_end >= start and end - window_start <= MAX_WINDOW and run_start <= window_start:
            window_end = max(window_end, end)
            continue
        if window_end > window_start:
            yield window_start, window_end
        window_start, window_end = start, end
    if window_end > window_start:
        yield window_start, window_end


def _utf8_inside(window: str, codec: str) -> Iterator[tuple[int, int, str]]:
    """Spans of ``window`` whose bytes in ``codec`` are valid UTF-8, aligned on characters."""
    if not _UTF8_RUN.search(window.encode(codec, errors="replace")):
        return  # the same bytes but for the stand-in of unencodable characters: no run, nothing to align
    # the same bytes, with a one-byte stand-in for what the codec cannot encode; offsets from a length table
    data = window.encode(codec, errors="replace")
    offsets = np.cumsum(_encoded_lengths(codepoints(window), codec))
    boundaries = dict(zip([0, *offsets.tolist()], range(len(window) + 1), strict=True))
    for match in _UTF8_RUN.finditer(data):
        starts = [b for b in range(match.start(), min(match.start() + 4, match.end())) if b in boundaries]
        ends = [b for b in range(match.end(), match.start(), -1) if b in boundaries]
        for first in starts:
            found = 0
            for last in ends:
                if last - first < 6 or found == MAX_UTF8_ENDS:
                    break
                try:
                    repaired = data[first:last].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if _HAN.search(repaired) and not _NOT_CHINESE.search(repaired):
                    found += 1
                    yield boundaries[first], boundaries[last], repaired


@lru_cache(maxsize=4)
def _length_table(codec: str) -> np.ndarray:
    """Bytes per character in ``codec`` by code point (0x10000: every one beyond the BMP), 0 until first needed."""
    return np.zeros(0x10001, dtype=np.int64)


def _encoded_lengths(codes: np.ndarray, codec: str) -> np.ndarray:
    """Bytes of each character in ``codec``, 1 for what it cannot encode (the stand-in ``?``)."""
    table = _length_table(codec)
    slots = np.minimum(codes, 0x10000)
    lengths = table[slots]
    if not lengths.all():
        for slot, code in zip(*np.unique(np.stack((slots, codes))[:, lengths == 0], axis=1).tolist(), strict=True):
            table[slot] = len(_encode(chr(code), codec) or b"?")
        lengths = table[slots]
    return lengths


def _remapped_spans(
    text: str, windows: list[tuple[int, int]], model: CharLanguageModel
) -> tuple[list[tuple[int, int, str, str]], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per window and wrong reading, the stretch where the other reading gains most (Kadane over gains).

    Returns the candidates and their scores as :func:`_scored_edits` wants them (repaired
    and damaged with one character of context each side, repaired alone), taken from the
    windows' own position scores: only the two transitions at a candidate's edges are new.
    """
    found: list[tuple[int, int, str, str]] = []
    inner_repaired, inner_damaged, first_codes, edge_left, edge_right = [], [], [], [], []
    texts = [text[start:end] for start, end in windows]
    base: list[np.ndarray] | None = None  # each window's own scores: the same for both readings
    scripts: list[Script] = []
    for written, read in _WRONG_READINGS:
        chosen, alternatives = [], []
        for index, window in enumerate(texts):
            alternative = window.translate(_remap_table(read, written))
            if alternative != window:
                chosen.append(index)
                alternatives.append(alternative)
        if not chosen:
            continue
        if base is None:
            base = model.position_logp_many(texts)
        gains_all = model.position_logp_many(alternatives)
        base_all = [base[index] for index in chosen]
        lengths = np.array([len(alternative) for alternative in alternatives])
        gains, bases = np.concatenate(gains_all), np.concatenate(base_all)
        spans = best_stretches(gains - bases, lengths)
        # running sums over all windows at once; a window's own sums are differences from its offset
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).tolist()
        running_gain = np.concatenate(([0.0], np.cumsum(gains, dtype=np.float64))).tolist()
        running_base = np.concatenate(([0.0], np.cumsum(bases, dtype=np.float64))).tolist()
        differs = codepoints("".join(alternatives)) != codepoints("".join(texts[index] for index in chosen))
        running_changes = np.concatenate(([0], np.cumsum(differs))).tolist()
        # a character of the other script than the text around it (問 in Simplified text) is likelier damage than
        # text: weighed in the candidates' scores, not in finding the stretch (there it moves edges the wrong way)
        if not scripts:
            # the script of the text around the window, not of the window: its damage has a script of its own
            scripts = [_script_around(text, a, b) for a, b in windows]
        penalty_repaired = _running_penalties(alternatives, [scripts[index] for index in chosen])
        penalty_damaged = _running_penalties([texts[index] for index in chosen], [scripts[index] for index in chosen])
        for index, alternative, offset, span in zip(chosen, alternatives, offsets, spans, strict=True):
            if span is None:
                continue
            start, window = windows[index][0], texts[index]
            # the stretch's edges are scored with the wrong neighbours; let the exact gain pick among shifted edges
            for first in range(max(0, span[0] - 1), min(span[0] + 2, span[1])):
                for last in range(max(first + 1, span[1] - 1), min(span[1] + 2, len(window) + 1)):
                    if running_changes[offset + last] - running_changes[offset + first] >= 2:
                        found.append(
                            (start + first, start + last, alternative[first:last], f"{written} read as {read}")
                        )
                        inner_repaired.append(
                            running_gain[offset + last]
                            - running_gain[offset + first + 1]
                            + penalty_repaired[offset + last]
                            - penalty_repaired[offset + first]
                        )
                        inner_damaged.append(
                            running_base[offset + last]
                            - running_base[offset + first + 1]
                            + penalty_damaged[offset + last]
                            - penalty_damaged[offset + first]
                        )
                        before = text[start + first - 1] if start + first else ""
                        after = text[start + last] if start + last < len(text) else ""
                        first_codes.append((ord(alternative[first]), ord(window[first])))
                        edge_left.append(ord(before) if before else -1)
                        edge_right.append(
                            (ord(alternative[last - 1]), ord(window[last - 1]), ord(after) if after else -1)
                        )
    empty = np.zeros(0, dtype=np.float64)
    if not found:
        return found, (empty, empty, empty)
    return found, _edge_scores(model, inner_repaired, inner_damaged, first_codes, edge_left, edge_right)


def _script_around(text: str, start: int, end: int) -> Script:
    """The script of the text on both sides of a window (up to ``SCRIPT_CONTEXT`` characters each)."""
    return script_of("".join(context_on_line(text, start, end, SCRIPT_CONTEXT)))


def _running_penalties(texts: list[str], scripts: list[Script]) -> list[float]:
    """Running sums (from 0) of the wrong-script penalty over the texts laid end to end."""
    penalties = [wrong_script_penalty(codepoints(piece), script) for piece, script in zip(texts, scripts, strict=True)]
    flat = np.concatenate(penalties) if penalties else np.zeros(0)
    return np.concatenate(([0.0], np.cumsum(flat, dtype=np.float64))).tolist()  # type: ignore[no-any-return]


def _edge_scores(
    model: CharLanguageModel,
    inner_repaired: list[float],
    inner_damaged: list[float],
    first_codes: list[tuple[int, int]],
    edge_left: list[int],
    edge_right: list[tuple[int, int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores of candidates whose inside is known: add their first character and the transitions at both edges.

    Scored as :meth:`CharLanguageModel.score_many` scores ``before + text + after``: the
    first character (the one before, when there is one) by its unigram, every other by its transition.
    """
    n = len(inner_repaired)
    firsts = np.array(first_codes, dtype=np.int64).reshape(n, 2)
    rights = np.array(edge_right, dtype=np.int64).reshape(n, 3)
    before = np.array(edge_left, dtype=np.int64)
    after = rights[:, 2]
    # one call: before -> first (repaired, damaged), last -> after (repaired, damaged)
    left = np.concatenate((before, before, rights[:, 0], rights[:, 1]))
    right = np.concatenate((firsts[:, 0], firsts[:, 1], after, after))
    steps = model.transition_logp(left, right, model.unigram_logp(np.maximum(right, 0))).astype(np.float64)
    into_repaired, into_damaged, out_repaired, out_damaged = steps.reshape(4, n)
    has_before, has_after = before >= 0, after >= 0
    before_unigram = np.where(has_before, model.unigram_logp(np.maximum(before, 0)), 0.0)
    first_unigram = model.unigram_logp(firsts.ravel()).astype(np.float64).reshape(n, 2)
    plain = first_unigram[:, 0] + np.array(inner_repaired)
    repaired = (
        before_unigram
        + np.where(has_before, into_repaired, first_unigram[:, 0])
        + np.array(inner_repaired)
        + np.where(has_after, out_repaired, 0.0)
    )
    damaged = (
        before_unigram
        + np.where(has_before, into_damaged, first_unigram[:, 1])
        + np.array(inner_damaged)
        + np.where(has_after, out_damaged, 0.0)
    )
    return repaired, damaged, plain


class _RemapTable(dict[int, str]):
    """A ``str.translate`` table of :func:`_remap` for one wrong reading, filled as characters turn up."""

    def __init__(self, read: str, written: str) -> None:
        super().__init__()
        self.read, self.written = read, written

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = _remap(char, self.read, self.written) or char
        return self[code]


@lru_cache(maxsize=4)
def _remap_table(read: str, written: str) -> _RemapTable:
    return _RemapTable(read, written)


@lru_cache(maxsize=65536)
def _remap(char: str, read: str, written: str) -> str | None:
    """The character whose ``written`` bytes, read as ``read``, showed as ``char`` (one to one)."""
    if char.isascii():
        return None
    data = _encode(char, read)
    if data is None or len(data) != 2:
        return None
    try:
        original = data.decode(written)
    except UnicodeDecodeError:
        return None
    if len(original) != 1:
        return None
    # punctuation and symbols of both code tables (the middle dot of transliterated names, ×, °) are remapped too
    return original if original >= _FIRST_REMAPPED_CHAR or original in _REMAPPED_LATIN1_MARKS else None


@lru_cache(maxsize=65536)
def _encode(char: str, codec: str) -> bytes | None:
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return None


def _gain(text: str, start: int, end: int, repaired: str, model: CharLanguageModel) -> float:
    """How many nats more probable the repaired span is than the damaged one, with a character of context."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return model.score(before + repaired + after) - model.score(before + text[start:end] + after)


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    """Keep the best-scoring edits that do not overlap."""
    starts: list[int] = []  # the chosen edits, kept sorted by start; they never overlap, so ends are sorted too
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: -(e.score or 0.0)):
        slot = bisect.bisect_right(starts, edit.start)
        if slot and chosen[slot - 1].end > edit.start:
            continue
        if slot < len(chosen) and chosen[slot].start < edit.end:
            continue
        starts.insert(slot, edit.start)
        chosen.insert(slot, edit)
    return chosen
