"""Realign double-byte runs read one byte out of step after a lost lead byte.

When a GBK or Big5 stream loses the lead byte of a character (shown as ``?``), the
decoder pairs each trail byte with the next lead byte and produces wrong characters
until it falls back in step: either by itself, at a trail byte in the ASCII range (the
run ends in a stray ASCII letter), or at the next real ASCII byte, where the last lead
byte is left alone and shows as a second ``?``. The damaged text may have been NFKC
folded since (fullwidth ``，`` read as ``,``), and a pair that decoded to the Private Use
Area may show as ``?`` in the middle of the run.

The repair turns the run back into bytes, with unknown slots for the lost bytes, and
searches the characters those bytes can spell with a beam over the shipped character
bigram model. It replaces the run only when the best reading beats the damaged text by
``min_gain`` nats; a run that parses but cannot be read is reported for flagging.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanse.document import Edit
from cleanse.stages.encoding._codecs import DOUBLE_BYTE_CODECS, PRIVATE, encode_char, folded_forms, pair_table
from cleanse.stages.encoding._lm import CharLanguageModel, codepoints, language_model
from cleanse.stages.encoding._patterns import MISALIGNED_TRIGGER
from cleanse.stages.encoding._script import Script, script_of, wrong_script_penalty

MISALIGNED_RUN = "misaligned_double_byte_run"
UNREADABLE_MISALIGNED_RUN = "unreadable_misaligned_run"
MAX_RUN_UNITS = 40
MAX_ENDINGS = 4
#: readings kept per character: the model is first order, so the best one is enough.
PATHS_PER_CHARACTER = 1
SCRIPT_CONTEXT = 200
CACHE_BONUS = 3.0
BEAM_WIDTH = 32
#: at most this many (state, candidate) pairs are scored per character; weaker states go first.
MAX_EXPANSIONS = 12_000
_LEADS = np.arange(0x81, 0xFF)
_TRAILS = np.arange(0x40, 0xFF)
_IDEOGRAPHIC_SPACE = "\u3000"
#: the context a run at the start of a text or line is scored after.
SENTENCE_END = "。"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: an in-run ``?`` is a pair that decoded to the Private Use Area, or a fullwidth ``？`` NFKC-folded since.
#: reading an in-run ``?`` as a Private Use pair needs a second lossy step (PUA shown as ``?``): a cost in nats.
PRIVATE_PAIR_PENALTY = 6.0
_FULLWIDTH_QUESTION = {codec: tuple("\uff1f".encode(codec)) for codec in DOUBLE_BYTE_CODECS}


@dataclass(frozen=True, slots=True)
class _Run:
    """A parsed run: byte slots (None = lost), slot pairs that decoded as one unknown pair, its span."""

    codec: str
    slots: tuple[int | None, ...]
    unknown_pairs: frozenset[int]
    start: int
    end: int
    resynced: bool


def realign_double_byte_runs(
    text: str, min_gain: float = 4.0, lm: CharLanguageModel | None = None
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Edits that rebuild misaligned runs, and the spans of runs that parse but cannot be read.

    >>> edits, unreadable = realign_double_byte_runs("全體人員?,F在出發")
    >>> [(e.start, e.end, e.after, e.reason) for e in edits]
    [(4, 7, '。現', 'misaligned_double_byte_run')]
    """
    model = lm or language_model()
    edits: list[Edit] = []
    unreadable: list[tuple[int, int]] = []
    cursor = 0
    cache: DocumentBigrams | None = None
    for match in MISALIGNED_TRIGGER.finditer(text):
        start = match.start()
        if start < cursor:
            continue
        best: tuple[float, str, _Run] | None = None
        runs = [run for codec in DOUBLE_BYTE_CODECS for run in _parse_runs(text, start, codec)]
        if runs and cache is None:
            cache = DocumentBigrams(text)
        for run in runs:
            reading = _best_reading(text, run, model, cache)
            if reading is not None and (best is None or reading[0] > best[0]):
                best = (reading[0], reading[1], run)
        if best is not None and best[0] >= min_gain and _in_chinese(text, best[2]):
            gain, repaired, run = best
            kind = "resynced" if run.resynced else "lost_trail"
            edits.append(Edit(run.start, run.end, repaired, MISALIGNED_RUN, round(gain, 2), (run.codec, kind)))
            cursor = run.end
        elif runs:
            run_end = min(run.end for run in runs)
            unreadable.append((start, run_end))
            cursor = run_end
    return edits, unreadable


def _in_chinese(text: str, run: _Run) -> bool:
    """A misaligned run sits in Chinese text: a non-ASCII character before it or inside it."""
    before = text[run.start - 1] if run.start else ""
    return not before.isascii() or not text[run.start : run.end].isascii()


def _parse_runs(text: str, start: int, codec: str) -> list[_Run]:
    """Turn the text after a ``?`` back into byte slots: every way the run can end, or none.

    An ASCII letter may end the run (a trail byte in the ASCII range, read in step again)
    or be a fullwidth letter NFKC folded since, so each letter gives one ending and the
    parse goes on; a ``?`` before ASCII ends it with a lost trail byte.
    """
    fold_pattern, fold_bytes = folded_forms(codec)
    # after Chinese text a folded letter or digit is read out of step too (。 and ， lost their lead: ｋ, ６)
    after_chinese = start > 0 and not text[start - 1].isascii()
    runs: list[_Run] = []
    slots: list[int | None] = [None]
    unknown_pairs: set[int] = set()
    position = start + 1
    units = 0
    wide = False  # a run needs a non-ASCII character or folded mark read out of step before it can end
    while position < len(text) and units <= MAX_RUN_UNITS and len(runs) < MAX_ENDINGS:
        char = text[position]
        code = ord(char)
        if char == "?":
            following = text[position + 1] if position + 1 < len(text) else ""
            if wide and (not following or ord(following) < 0x80):
                ending = (*slots, None)
                runs.append(_Run(codec, ending, frozenset(unknown_pairs), start, position + 1, resynced=False))
                if not following or not (0x40 <= ord(following) <= 0x7E or following == "?"):
                    return runs
                # or a pair that decoded to nothing, then the decoder back in step at a letter or a lost trail
            unknown_pairs.add(len(slots))
            slots.extend((None, None))
        elif code < 0x20:
            return runs
        elif (folded := fold_pattern.match(text, position)) is not None:
            # NFKC spells ⑴ as "(1)", ⒈ as "1.", … as "...": one double-byte character, several others
            slots.extend(fold_bytes[folded.group()])
            wide = True
            units += 1
            position = folded.end()
            continue
        elif code < 0x80:
            if 0x40 <= code <= 0x7E and wide:
                ending = (*slots, code)
                runs.append(_Run(codec, ending, frozenset(unknown_pairs), start, position + 1, resynced=True))
            encoded = encode_char(_IDEOGRAPHIC_SPACE if char == " " else chr(code + 0xFEE0), codec)
            if encoded is None or len(encoded) != 2:
                return runs
            slots.extend(encoded)
            wide = wide or not char.isalnum() or after_chinese
        else:
            encoded = encode_char(char, codec)
            if encoded is None or len(encoded) != 2:
                return runs
            slots.extend(encoded)
            wide = True
        units += 1
        position += 1
    return runs


def _best_reading(
    text: str, run: _Run, model: CharLanguageModel, cache: DocumentBigrams | None = None
) -> tuple[float, str] | None:
    """The most probable reading of the run and its gain over the damaged text, in nats."""
    table = pair_table(run.codec)
    before = text[run.start - 1] if run.start > 0 else ""
    if not before or before in _LINE_BREAKS:
        before = SENTENCE_END  # a line starts like a sentence: with a word, not with a comma or closing mark
    after = text[run.end] if run.end < len(text) else ""
    script = script_of(text[max(0, run.start - SCRIPT_CONTEXT) : run.end + SCRIPT_CONTEXT])
    states = _beam(run, table, model, ord(before) if before else None, script, cache)
    if not states:
        return None
    scores = np.array([score for score, _ in states], dtype=np.float64)
    if after:
        last = np.array([codes[-1] for _, codes in states], dtype=np.int64)
        after_codes = np.full(len(last), ord(after), dtype=np.int64)
        scores = scores + model.transition_logp(last, after_codes, model.unigram_logp(after_codes))
        if cache is not None:
            scores = scores + cache.bonus(last, after_codes)
    best = int(np.argmax(scores))
    best_score, best_text = float(scores[best]), "".join(map(chr, states[best][1]))
    damaged = model.score(before + text[run.start : run.end] + after)
    prefix = model.score(before) if before else 0.0
    return best_score + prefix - damaged, best_text


class DocumentBigrams:
    """The character pairs of the document itself: a name or term used elsewhere in it is a likely reading.

    A cache model in the classic sense: a candidate pair seen in the document earns
    ``CACHE_BONUS`` nats. Built once per document with numpy, looked up by ``searchsorted``.
    """

    def __init__(self, text: str) -> None:
        codes = codepoints(text)
        han = (codes >= 0x3400) & (codes <= 0x9FFF)
        both = han[:-1] & han[1:]
        self.keys = np.unique(((codes[:-1] << 21) | codes[1:])[both]) if len(codes) > 1 else np.zeros(0, dtype=np.int64)

    def bonus(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.zeros(len(right), dtype=np.float64)
        keys = (np.asarray(left, dtype=np.int64) << 21) | np.asarray(right, dtype=np.int64)
        position = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where((self.keys[position] == keys) & (np.asarray(left) >= 0), CACHE_BONUS, 0.0)


def _beam(
    run: _Run,
    table: np.ndarray,
    model: CharLanguageModel,
    before: int | None,
    script: Script = "unknown",
    cache: DocumentBigrams | None = None,
) -> list[tuple[float, list[int]]]:
    """Beam search over the characters the slots can spell; scores exclude the context before.

    All states are extended at once: one language-model call per character position.
    """
    slots = run.slots
    question = _FULLWIDTH_QUESTION[run.codec]
    scores = np.zeros(1, dtype=np.float64)
    last_codes = np.array([before if before is not None else -1], dtype=np.int64)
    last_trails = np.array([-1], dtype=np.int64)
    history: list[tuple[np.ndarray, np.ndarray]] = []
    index = 0
    while index < len(slots) // 2:
        known = _known_stretch(slots, index, table)
        if len(scores) == 1 and known:
            codes = np.array([code for code, _ in known], dtype=np.int64)
            left = np.concatenate((last_codes, codes[:-1]))
            uni = model.unigram_logp(codes)
            steps = np.where(left >= 0, model.transition_logp(np.maximum(left, 0), codes, uni), uni)
            steps = steps + wrong_script_penalty(codes, script)
            if cache is not None:
                steps = steps + cache.bonus(left, codes)
            scores = scores + float(steps.sum())
            for code in codes.tolist():
                history.append((np.zeros(1, dtype=np.int64), np.array([code], dtype=np.int64)))
            last_codes = codes[-1:]
            last_trails = np.array([known[-1][1]], dtype=np.int64)
            index += len(known)
            continue
        lead_slot, trail_slot = slots[2 * index], slots[2 * index + 1]
        leads = _LEADS if lead_slot is None else np.array([lead_slot])
        trails = _TRAILS if trail_slot is None else np.array([trail_slot])
        grid = table[leads[:, None], trails[None, :]]
        lead_index, trail_index = np.nonzero(grid > 0)
        if not len(lead_index):
            return []
        cand_codes = grid[lead_index, trail_index].astype(np.int64)
        cand_leads = leads[lead_index]
        cand_trails = trails[trail_index]
        if (2 * index + 1) in run.unknown_pairs:
            openable = _opens_private_pair(run.codec)[cand_trails] | (cand_trails == question[0])
            cand_codes, cand_leads, cand_trails = cand_codes[openable], cand_leads[openable], cand_trails[openable]
        n_cands = len(cand_codes)
        if len(scores) * n_cands > MAX_EXPANSIONS:
            best_states = np.argsort(-scores)[: max(1, MAX_EXPANSIONS // n_cands)]
            scores, last_codes, last_trails = scores[best_states], last_codes[best_states], last_trails[best_states]
            history_index = best_states
        else:
            history_index = None
        n_states = len(scores)
        state_index = np.repeat(np.arange(n_states), n_cands)
        cand_index = np.tile(np.arange(n_cands), n_states)
        step = np.zeros(n_states * n_cands, dtype=np.float64)
        allowed = np.ones(n_states * n_cands, dtype=bool)
        if (2 * index - 1) in run.unknown_pairs:
            prev_trail = last_trails[state_index]
            lead = cand_leads[cand_index]
            folded = (prev_trail == question[0]) & (lead == question[1])
            allowed = folded | (table[np.maximum(prev_trail, 0), lead] == PRIVATE)
            step -= np.where(folded, 0.0, PRIVATE_PAIR_PENALTY)
        state_index, cand_index, step = state_index[allowed], cand_index[allowed], step[allowed]
        if not len(state_index):
            return []
        codes = cand_codes[cand_index]
        uni = model.unigram_logp(cand_codes)[cand_index]
        step += wrong_script_penalty(cand_codes, script)[cand_index]
        left = last_codes[state_index]
        has_left = left >= 0
        transition = uni.astype(np.float64)
        if has_left.any():
            transition[has_left] = model.transition_logp(left[has_left], codes[has_left], uni[has_left])
            if cache is not None:
                transition += cache.bonus(left, codes)
        totals = scores[state_index] + step + transition
        # The model is first order: only the last character (and its trail byte) matters from here on,
        # so each candidate keeps its best predecessor (Viterbi), then the beam prunes.
        order = np.lexsort((-totals, cand_index))
        grouped = cand_index[order]
        group_start = np.concatenate(([True], grouped[1:] != grouped[:-1]))
        rank = np.arange(len(order)) - np.maximum.accumulate(np.where(group_start, np.arange(len(order)), 0))
        first = order[rank < PATHS_PER_CHARACTER]
        totals, state_index, cand_index = totals[first], state_index[first], cand_index[first]
        keep = _diverse(totals, cand_trails[cand_index], (2 * index + 1) in run.unknown_pairs)
        scores = totals[keep]
        last_codes = cand_codes[cand_index][keep]
        last_trails = cand_trails[cand_index][keep].astype(np.int64)
        parents = state_index[keep] if history_index is None else history_index[state_index[keep]]
        history.append((parents, last_codes))
        index += 1
    results = []
    for final in range(len(scores)):
        chars, pointer = [], final
        for parents, step_codes in reversed(history):
            chars.append(int(step_codes[pointer]))
            pointer = int(parents[pointer])
        results.append((float(scores[final]), chars[::-1]))
    return results


def _known_stretch(slots: tuple[int | None, ...], index: int, table: np.ndarray) -> list[tuple[int, int]]:
    """The characters (code, trail byte) from ``index`` on whose two bytes are both known."""
    stretch = []
    while index < len(slots) // 2:
        lead, trail = slots[2 * index], slots[2 * index + 1]
        if lead is None or trail is None or table[lead, trail] <= 0:
            break
        stretch.append((int(table[lead, trail]), trail))
        index += 1
    return stretch


@lru_cache(maxsize=4)
def _opens_private_pair(codec: str) -> np.ndarray:
    """For each byte, whether some lead byte after it makes a pair that decodes to the Private Use Area."""
    return (pair_table(codec)[:, 0x81:0xFF] == PRIVATE).any(axis=1)


def _diverse(totals: np.ndarray, trails: np.ndarray, by_trail: bool) -> np.ndarray:
    """Indices of the best states; when the next pair is unknown keep a few per trail byte so constraints can bite."""
    if not by_trail:
        return np.argsort(-totals, kind="stable")[:BEAM_WIDTH]
    order = np.lexsort((-totals, trails))
    grouped = trails[order]
    group_start = np.concatenate(([True], grouped[1:] != grouped[:-1]))
    first_of_group = np.maximum.accumulate(np.where(group_start, np.arange(len(order)), 0))
    within = np.arange(len(order)) - first_of_group
    chosen = order[within < 4]
    return chosen[np.argsort(-totals[chosen], kind="stable")][: BEAM_WIDTH * 2]
