"""The beam search under the misaligned-run repair: which characters a run's bytes most probably spell.

A run is byte slots, some unknown (lost, or hidden behind a ``?``). The search extends
every state by every character a slot can spell, scores each step with the character
model (plus the document's own character pairs and, for quotes, their balance in the
line), keeps the best predecessor per character (the model is first order) and prunes
to a beam. Candidate sets per slot, and the transitions into them from one character,
are cached across runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleanse.stages.encoding._codecs import DOUBLE_BYTE_CODECS, PRIVATE, pair_table
from cleanse.stages.encoding._lm import CharLanguageModel, codepoints
from cleanse.stages.encoding._script import Script, wrong_script_penalty

CACHE_BONUS = 3.0
BEAM_WIDTH = 32
#: at most this many (state, candidate) pairs are scored per character; weaker states go first.
MAX_EXPANSIONS = 12_000
#: an in-run ``?`` is a pair that decoded to the Private Use Area, or a fullwidth ``？`` NFKC-folded since.
#: reading an in-run ``?`` as a Private Use pair needs a second lossy step (PUA shown as ``?``): a cost in nats.
PRIVATE_PAIR_PENALTY = 3.0
_HAN_FIRST, _HAN_LAST = 0x3400, 0x9FFF
_HAN_BITS = 15
#: per BMP code point, its offset in the Han blocks the cache keeps, or a negative value outside them
_HAN_OFFSET = np.full(0x10001, -(1 << 16), dtype=np.int32)  # shifted: still negative in 32 bits
_HAN_OFFSET[_HAN_FIRST : _HAN_LAST + 1] = np.arange(_HAN_LAST - _HAN_FIRST + 1, dtype=np.int32)
_LEADS = np.arange(0x81, 0xFF)
_TRAILS = np.arange(0x40, 0xFF)
_OPENING_QUOTE, _CLOSING_QUOTE = 0x201C, 0x201D
_FULLWIDTH_QUESTION = {codec: tuple("\uff1f".encode(codec)) for codec in DOUBLE_BYTE_CODECS}


@dataclass(frozen=True, slots=True)
class Run:
    """A parsed run: byte slots (None = lost), slot pairs that decoded as one unknown pair, its span."""

    codec: str
    slots: tuple[int | None, ...]
    unknown_pairs: frozenset[int]
    start: int
    end: int
    resynced: bool
    #: a run of one character between Han characters: its lead byte lost (``?``), its trail byte an ASCII letter
    one_character: bool = False


class DocumentBigrams:
    """The character pairs of the document itself: a name or term used elsewhere in it is a likely reading.

    A cache model in the classic sense: a candidate pair seen in the document earns
    ``CACHE_BONUS`` nats. Built once per document with numpy, looked up by ``searchsorted``.
    """

    def __init__(self, text: str) -> None:
        codes = codepoints(text)
        han = (codes >= _HAN_FIRST) & (codes <= _HAN_LAST)
        both = han[:-1] & han[1:]
        offsets = (codes - _HAN_FIRST).astype(np.int32)
        pairs = ((offsets[:-1] << _HAN_BITS) | offsets[1:])[both] if len(codes) > 1 else np.zeros(0, dtype=np.int32)
        #: 32-bit keys (two offsets into the Han blocks): half the memory a look-up walks through
        self.keys = np.unique(pairs)
        #: the characters that start a pair (a mark before a run starts none): most look-ups end here
        self.starts_pair = np.zeros(0x10001, dtype=bool)
        self.starts_pair[(self.keys >> _HAN_BITS) + _HAN_FIRST] = True
        counts = np.bincount(np.minimum(codes[han], 0x10000), minlength=0x10001) if len(codes) else np.zeros(0x10001)
        self._share = counts / max(1, int(han.sum()))

    def char_share(self, codes: np.ndarray) -> np.ndarray:
        """The share of each character among the document's Han characters."""
        return self._share[np.minimum(codes, 0x10000)]  # type: ignore[no-any-return]

    def bonus(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        left = np.minimum(left, 0x10000)  # -1 (no character) and anything beyond the BMP: no Han offset
        if not len(self.keys) or not self.starts_pair[left].any():
            return np.zeros(len(right), dtype=np.float64)
        keys = (_HAN_OFFSET[left] << _HAN_BITS) | _HAN_OFFSET[np.minimum(right, 0x10000)]  # negative: not Han
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


def search(
    run: Run,
    table: np.ndarray,
    model: CharLanguageModel,
    before: int | None,
    script: Script = "unknown",
    cache: DocumentBigrams | None = None,
    quote_bonus: tuple[float, float] = (0.0, 0.0),
    first_bonus: np.ndarray | None = None,
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
        known = _known_stretch(slots, index, _pair_rows(run.codec))
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
        if index == 0 and first_bonus is not None:
            step = step + first_bonus[cand_index]
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


def _known_stretch(slots: tuple[int | None, ...], index: int, rows: list[list[int]]) -> list[tuple[int, int]]:
    """The characters (code, trail byte) from ``index`` on whose two bytes are both known."""
    stretch = []
    while index < len(slots) // 2:
        lead, trail = slots[2 * index], slots[2 * index + 1]
        if lead is None or trail is None or rows[lead][trail] <= 0:
            break
        stretch.append((rows[lead][trail], trail))
        index += 1
    return stretch


@lru_cache(maxsize=4)
def _pair_rows(codec: str) -> list[list[int]]:
    """The code table as nested lists: one pair looked up from Python without a numpy scalar."""
    return pair_table(codec).tolist()  # type: ignore[no-any-return]


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
