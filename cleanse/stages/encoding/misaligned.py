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
SCRIPT_CONTEXT = 200
CACHE_BONUS = 3.0
#: nats for a quote that balances the quotes of its line (or against one that unbalances them)
QUOTE_BALANCE = 2.0
_OPENING_QUOTE, _CLOSING_QUOTE = 0x201C, 0x201D
#: how far along its line, each way, a run looks for quotes
QUOTE_CONTEXT = 2000
BEAM_WIDTH = 32
#: at most this many (state, candidate) pairs are scored per character; weaker states go first.
MAX_EXPANSIONS = 12_000
_LEADS = np.arange(0x81, 0xFF)
_TRAILS = np.arange(0x40, 0xFF)
_IDEOGRAPHIC_SPACE = "\u3000"
#: a GBK trail byte that cannot lead a pair: a run whose last trail byte it is ends in a lone U+FFFD
_LONE_TRAIL = 0x80
#: the context a run at the start of a text or line is scored after.
SENTENCE_END = "。"
_UNFOLD_PUNCTUATION = str.maketrans(",;:?!()", "，；：？！（）")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: an in-run ``?`` is a pair that decoded to the Private Use Area, or a fullwidth ``？`` NFKC-folded since.
#: reading an in-run ``?`` as a Private Use pair needs a second lossy step (PUA shown as ``?``): a cost in nats.
PRIVATE_PAIR_PENALTY = 3.0
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
        runs = _parse_runs(text, start, "gb18030")
        end = max((run.end for run in runs), default=start + 1)
        script = script_of(text[max(0, start - SCRIPT_CONTEXT) : end + SCRIPT_CONTEXT])
        # Big5 spells no Simplified-only character: a Simplified text was not Big5
        if script != "simplified" or not runs:
            runs += _parse_runs(text, start, "big5")
        if runs and cache is None:
            cache = DocumentBigrams(text)
        for run in runs:
            reading = _best_reading(text, run, model, cache, script)
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
    """A misaligned run sits in Chinese text: a non-ASCII character just before it, inside it or just after it."""
    return not text[max(0, run.start - 1) : run.end + 1].isascii()


def _parse_runs(text: str, start: int, codec: str) -> list[_Run]:
    """Turn the text after a ``?`` back into byte slots: every way the run can end, or none.

    An ASCII letter may end the run (a trail byte in the ASCII range, read in step again)
    or be a fullwidth letter NFKC folded since, so each letter gives one ending and the
    parse goes on; a ``?`` before ASCII ends it with a lost trail byte.
    """
    fold_pattern, fold_bytes = folded_forms(codec)
    fold_starts = _fold_starts(codec)
    # after Chinese text a folded letter or digit is read out of step too (。 and ， lost their lead: ｋ, ６)
    after_chinese = start == 0 or text[start - 1] in _LINE_BREAKS or not text[start - 1].isascii()
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
            elif wide and following and _ends_alone(codec):
                # a trail byte that is no lead byte (GBK's 0x80) decoded alone as U+FFFD: back in step after it
                runs.append(_Run(codec, (*slots, _LONE_TRAIL), frozenset(unknown_pairs), start, position + 1, True))
            unknown_pairs.add(len(slots))
            slots.extend((None, None))
        elif code < 0x20:
            return runs
        elif char in fold_starts and (folded := fold_pattern.match(text, position)) is not None:
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
    text: str, run: _Run, model: CharLanguageModel, cache: DocumentBigrams | None = None, script: Script = "unknown"
) -> tuple[float, str] | None:
    """The most probable reading of the run and its gain over the damaged text, in nats."""
    table = pair_table(run.codec)
    before = text[run.start - 1] if run.start > 0 else ""
    if not before or before in _LINE_BREAKS:
        before = SENTENCE_END  # a line starts like a sentence: with a word, not with a comma or closing mark
    after = text[run.end] if run.end < len(text) else ""
    # the text around was NFKC folded like the run: its "," was a "，" to the model
    before, after = before.translate(_UNFOLD_PUNCTUATION), after.translate(_UNFOLD_PUNCTUATION)
    beam = _beam(run, table, model, ord(before) if before else None, script, cache, _quote_bonus(text, run))
    if beam is None:
        return None
    # one model call for the damaged text's transitions (from the same context) and each state's into ``after``
    damaged = codepoints(before + text[run.start : run.end] + after)
    n_states = len(beam.last_codes) if after else 0
    left = np.concatenate((damaged[:-1], beam.last_codes[:n_states]))
    right = np.concatenate((damaged[1:], np.full(n_states, damaged[-1])))
    steps = model.transition_logp(left, right, model.unigram_logp(right))
    scores = beam.scores
    if after:
        scores = scores + steps[len(damaged) - 1 :]
        if cache is not None:
            scores = scores + cache.bonus(left[len(damaged) - 1 :], right[len(damaged) - 1 :])
    best = int(np.argmax(scores))
    best_text = "".join(map(chr, beam.trace(best)))
    return float(scores[best]) - float(steps[: len(damaged) - 1].sum()), best_text


def _quote_bonus(text: str, run: _Run) -> tuple[float, float]:
    """Nats in favour of reading “ or ” in the run: quotes come in pairs within a line.

    An opening quote is likelier when the line after the run closes one before it opens
    another; a closing quote, when the line before the run left one open. (The run's own
    characters are unknown, so nothing is held against a quote.)
    """
    window_start = max(0, run.start - QUOTE_CONTEXT)
    before = text[window_start : run.start]
    before = before[max(before.rfind("\n"), before.rfind("\r")) + 1 :]
    after = text[run.end : run.end + QUOTE_CONTEXT]
    after = after[: min((i for i in (after.find("\n"), after.find("\r")) if i >= 0), default=len(after))]
    open_before = before.count("\u201c") > before.count("\u201d")
    next_close, next_open = after.find("\u201d"), after.find("\u201c")
    closes_first = next_close >= 0 and (next_open < 0 or next_close < next_open)
    opening = QUOTE_BALANCE if closes_first and not open_before else 0.0
    closing = QUOTE_BALANCE if open_before and not closes_first else 0.0
    return opening, closing


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
        #: the characters that start a pair (a mark before a run starts none): most look-ups end here
        self.starts_pair = np.zeros(0x10001, dtype=bool)
        self.starts_pair[self.keys >> 21] = True

    def bonus(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        if not len(self.keys) or not self.starts_pair[np.minimum(left, 0x10000)].any():
            return np.zeros(len(right), dtype=np.float64)
        keys = (left << 21) | right  # negative when there is no left character (-1): never a hit
        position = np.searchsorted(self.keys, keys)
        np.minimum(position, len(self.keys) - 1, out=position)
        return np.where(self.keys[position] == keys, CACHE_BONUS, 0.0)


@dataclass(slots=True)
class _Beam:
    """The states left after the last character: scores, last characters, and back-pointers to trace them."""

    scores: np.ndarray
    last_codes: np.ndarray
    history: list[tuple[np.ndarray | None, np.ndarray]]

    def trace(self, final: int) -> list[int]:
        """The characters of one final state, first to last."""
        chars, pointer = [], final
        for parents, step_codes in reversed(self.history):
            chars.append(int(step_codes[pointer]))
            pointer = int(parents[pointer]) if parents is not None else 0
        return chars[::-1]


def _beam(
    run: _Run,
    table: np.ndarray,
    model: CharLanguageModel,
    before: int | None,
    script: Script = "unknown",
    cache: DocumentBigrams | None = None,
    quote_bonus: tuple[float, float] = (0.0, 0.0),
) -> _Beam | None:
    """Beam search over the characters the slots can spell; scores exclude the context before.

    All states are extended at once: one language-model call per character position, and
    one for a whole stretch of known characters.
    """
    slots = run.slots
    question = _FULLWIDTH_QUESTION[run.codec]
    scores = np.zeros(1, dtype=np.float64)
    last_codes = np.array([before if before is not None else -1], dtype=np.int64)
    last_trails = np.array([-1], dtype=np.int64)
    history: list[tuple[np.ndarray | None, np.ndarray]] = []
    index = 0
    while index < len(slots) // 2:
        known = _known_stretch(slots, index, table)
        if known:
            # every state enters the stretch at its first character; only the best entry survives (first order),
            # and the stretch itself scores the same after any state: one model call for both
            codes = np.array([code for code, _ in known], dtype=np.int64)
            n_states = len(scores)
            left = np.concatenate((last_codes, codes[:-1]))
            right = np.concatenate((np.full(n_states, codes[0]), codes[1:]))
            steps = _transition(model, left, right, None, cache)
            entry = scores + steps[:n_states]
            best_state = int(np.argmax(entry))
            total = float(entry[best_state]) + float(steps[n_states:].sum())
            scores = np.array([total + float(wrong_script_penalty(codes, script).sum())])
            history.append((np.array([best_state]) if n_states > 1 else None, codes[:1]))
            history.extend((None, codes[position : position + 1]) for position in range(1, len(codes)))
            last_codes = codes[-1:]
            last_trails = np.array([known[-1][1]], dtype=np.int64)
            index += len(known)
            continue
        unknown_next = (2 * index + 1) in run.unknown_pairs
        candidates = _candidates(run.codec, slots[2 * index], slots[2 * index + 1], unknown_next, script, model)
        if candidates is None:
            return None
        cand_codes, cand_leads, cand_trails, cand_unigram, cand_base = candidates
        n_cands = len(cand_codes)
        history_index = None
        if len(scores) * n_cands > MAX_EXPANSIONS:
            history_index = np.argsort(-scores)[: max(1, MAX_EXPANSIONS // n_cands)]
            scores, last_codes, last_trails = (
                scores[history_index],
                last_codes[history_index],
                last_trails[history_index],
            )
        n_states = len(scores)
        if n_states == 1:
            state_index, cand_index = np.zeros(n_cands, dtype=np.intp), np.arange(n_cands)
        else:
            state_index = np.repeat(np.arange(n_states), n_cands)
            cand_index = np.tile(np.arange(n_cands), n_states)
        step = cand_base[cand_index]
        if (2 * index - 1) in run.unknown_pairs:
            prev_trail = last_trails[state_index]
            lead = cand_leads[cand_index]
            folded = (prev_trail == question[0]) & (lead == question[1])
            allowed = folded | (table[np.maximum(prev_trail, 0), lead] == PRIVATE)
            step = step - np.where(folded, 0.0, PRIVATE_PAIR_PENALTY)
            state_index, cand_index, step = state_index[allowed], cand_index[allowed], step[allowed]
            if not len(state_index):
                return None
        codes = cand_codes[cand_index] if n_states > 1 or len(cand_index) != n_cands else cand_codes
        if quote_bonus != (0.0, 0.0):
            step = step + np.where(
                codes == _OPENING_QUOTE, quote_bonus[0], np.where(codes == _CLOSING_QUOTE, quote_bonus[1], 0.0)
            )
        left = last_codes[state_index]
        if n_states == 1 and len(codes) == n_cands:
            # one state before a slot: the same (character, slot) pairs recur across runs (。 then a trail byte)
            key = (run.codec, slots[2 * index], slots[2 * index + 1], unknown_next, script)
            transition = _entry_transition(model, int(left[0]), key)
            if cache is not None:
                transition = transition + cache.bonus(left, codes)
        else:
            transition = _transition(model, left, codes, cand_unigram[cand_index], cache)
        totals = scores[state_index] + step + transition
        if n_states > 1:
            # The model is first order: only the last character (and its trail byte) matters from here on,
            # so each candidate keeps its best predecessor (Viterbi), then the beam prunes.
            order = np.lexsort((-totals, cand_index))
            grouped = cand_index[order]
            first = order[np.concatenate(([True], grouped[1:] != grouped[:-1]))]
            totals, state_index, cand_index = totals[first], state_index[first], cand_index[first]
        keep = _diverse(totals, cand_trails[cand_index], unknown_next)
        scores = totals[keep]
        last_codes = cand_codes[cand_index[keep]]
        last_trails = cand_trails[cand_index[keep]]
        parents = state_index[keep] if history_index is None else history_index[state_index[keep]]
        history.append((parents, last_codes))
        index += 1
    return _Beam(scores, last_codes, history)


def _transition(
    model: CharLanguageModel,
    left: np.ndarray,
    right: np.ndarray,
    right_unigram: np.ndarray | None,
    cache: DocumentBigrams | None,
) -> np.ndarray:
    """log P(right | left) per pair (the unigram where there is no left character), with the document's bonus."""
    uni = model.unigram_logp(right) if right_unigram is None else right_unigram
    out = np.where(left >= 0, model.transition_logp(left, right, uni), uni).astype(np.float64)
    if cache is not None:
        out += cache.bonus(left, right)
    return out


@lru_cache(maxsize=8192)
def _entry_transition(
    model: CharLanguageModel, left: int, key: tuple[str, int | None, int | None, bool, Script]
) -> np.ndarray:
    """log P(candidate | left) for every candidate of a slot (``key`` names the slot as :func:`_candidates` does)."""
    candidates = _candidates(*key, model)
    assert candidates is not None  # the beam only asks for slots that have candidates
    codes, unigram = candidates[0], candidates[3]
    return _transition(model, np.full(len(codes), left), codes, unigram, None)


@lru_cache(maxsize=8192)
def _candidates(
    codec: str,
    lead_slot: int | None,
    trail_slot: int | None,
    unknown_next: bool,
    script: Script,
    model: CharLanguageModel,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """The characters a byte pair with unknown slots can spell: codes, lead and trail bytes, unigram, base score.

    The base score is what does not depend on the state before: the wrong-script penalty.
    When the next pair decoded as unknown, only trail bytes that can open such a pair qualify.
    """
    table = pair_table(codec)
    leads = _LEADS if lead_slot is None else np.array([lead_slot])
    trails = _TRAILS if trail_slot is None else np.array([trail_slot])
    grid = table[leads[:, None], trails[None, :]]
    lead_index, trail_index = np.nonzero(grid > 0)
    codes = grid[lead_index, trail_index].astype(np.int64)
    cand_leads, cand_trails = leads[lead_index], trails[trail_index].astype(np.int64)
    if unknown_next:
        openable = _opens_private_pair(codec)[cand_trails] | (cand_trails == _FULLWIDTH_QUESTION[codec][0])
        codes, cand_leads, cand_trails = codes[openable], cand_leads[openable], cand_trails[openable]
    if not len(codes):
        return None
    penalty = wrong_script_penalty(codes, script).astype(np.float64)
    return codes, cand_leads, cand_trails, model.unigram_logp(codes), penalty


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
def _ends_alone(codec: str) -> bool:
    """Whether ``_LONE_TRAIL`` is a trail byte of the codec that leads no pair (so decodes alone, as U+FFFD)."""
    table = pair_table(codec)
    return bool((table[:, _LONE_TRAIL] > 0).any() and (table[_LONE_TRAIL, :] <= 0).all())


@lru_cache(maxsize=4)
def _fold_starts(codec: str) -> frozenset[str]:
    """The characters a multi-character NFKC fold of the codec can start with."""
    return frozenset(form[0] for form in folded_forms(codec)[1])


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
