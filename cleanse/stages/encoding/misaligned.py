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

import dataclasses
from functools import lru_cache

import numpy as np
import regex

from cleanse.document import Edit
from cleanse.stages.encoding._beam import DocumentBigrams, Run, _candidates, search
from cleanse.stages.encoding._codecs import alphanumeric_folds, encode_char, folded_forms, pair_table
from cleanse.stages.encoding._lm import CharLanguageModel, codepoints, language_model
from cleanse.stages.encoding._pairs import pair_table as running_pairs
from cleanse.stages.encoding._patterns import MISALIGNED_TRIGGER
from cleanse.stages.encoding._script import Script, context_on_line, script_of

MISALIGNED_RUN = "misaligned_double_byte_run"
UNREADABLE_MISALIGNED_RUN = "unreadable_misaligned_run"
MAX_RUN_UNITS = 40
MAX_ENDINGS = 4
SCRIPT_CONTEXT = 200
#: nats for a quote that balances the quotes of its line (or against one that unbalances them)
QUOTE_BALANCE = 2.0
#: the weight of the document's own character counts (a cache model) for the first character of a run
CHARACTER_CACHE = 0.02
#: how far along its line, each way, a run looks for quotes
QUOTE_CONTEXT = 2000
_IDEOGRAPHIC_SPACE = "\u3000"
#: a GBK trail byte that cannot lead a pair: a run whose last trail byte it is ends in a lone U+FFFD
_LONE_TRAIL = 0x80
#: the context a run at the start of a text or line is scored after.
SENTENCE_END = "。"
_UNFOLD_PUNCTUATION = str.maketrans(",;:?!()", "，；：？！（）")
_HAN = regex.compile(r"\p{Han}")
_CHINESE_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》「」『』【】—…")
#: a one-character run's best reading must beat the next best by this many nats, or the run is only flagged
ONE_CHARACTER_MARGIN = 2.0
#: the weight of running-text pair evidence between a run's first character and the character after it
PAIR_WEIGHT = 0.5
#: that evidence is clipped to [-PAIR_FLOOR, PAIR_CLIP] nats
PAIR_CLIP = 2.0
PAIR_FLOOR = 1.0
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


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
        best: tuple[float, str, Run] | None = None
        runs = _parse_runs_and_unfolded(text, start, "gb18030")
        end = max((run.end for run in runs), default=start + 1)
        left, right = context_on_line(text, start, end, SCRIPT_CONTEXT)
        script = script_of(left + text[start:end] + right)
        # Big5 spells no Simplified-only character, nor any other it lacks (爲, 着): such a text was not Big5
        if (script != "simplified" or not runs) and _could_be_big5(text, start, end):
            runs += _parse_runs_and_unfolded(text, start, "big5")
        if runs and cache is None:
            cache = DocumentBigrams(text)
        one_character_readings: list[tuple[float, str]] = []
        for run in runs:
            reading = _best_reading(text, run, model, cache, script)
            if reading is not None and run.one_character:
                one_character_readings.append((reading[0], reading[1]))
                if reading[2] < ONE_CHARACTER_MARGIN:
                    reading = None  # no clear winner among the characters the trail byte allows: flag, not guess
            if reading is not None and (best is None or reading[0] > best[0]):
                best = (reading[0], reading[1], run)
        if best is not None and best[2].one_character and _contested(best[0], best[1], one_character_readings):
            best = None  # GBK and Big5 spell different characters about as well: flag, not guess
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


def _in_chinese(text: str, run: Run) -> bool:
    """A misaligned run sits in Chinese text: a non-ASCII character just before it, inside it or just after it."""
    return not text[max(0, run.start - 1) : run.end + 1].isascii()


def _parse_runs_and_unfolded(text: str, start: int, codec: str) -> list[Run]:
    """:func:`_parse_runs`, and the runs parsed with the first letters or digits after the ``?`` read as the symbol
    NFKC folded to them (``7`` as ``⑦``, ``XII`` as ``Ⅻ``): a second reading of the same text, in its own indices.
    """
    runs = _parse_runs(text, start, codec)
    pattern, symbols = alphanumeric_folds(codec)
    reach = text.find("\n", start, start + 1 + MAX_RUN_UNITS)
    token = pattern.search(text, start + 1, reach if reach >= 0 else start + 1 + MAX_RUN_UNITS)
    if token is None or not token.group().isascii():
        return runs
    shift = len(token.group()) - 1
    unfolded = text[: token.start()] + symbols[token.group()] + text[token.end() :]
    for run in _parse_runs(unfolded, start, codec):
        if run.end > token.start():  # a run that ends before the token is one the text as it stands gives
            runs.append(dataclasses.replace(run, end=run.end + shift))
    return runs


def _parse_runs(text: str, start: int, codec: str) -> list[Run]:
    """Turn the text after a ``?`` back into byte slots: every way the run can end, or none.

    An ASCII letter may end the run (a trail byte in the ASCII range, read in step again)
    or be a fullwidth letter NFKC folded since, so each letter gives one ending and the
    parse goes on; a ``?`` before ASCII ends it with a lost trail byte.
    """
    fold_pattern, fold_bytes = folded_forms(codec)
    fold_starts = _fold_starts(codec)
    # after Chinese text a folded letter or digit is read out of step too (。 and ， lost their lead: ｋ, ６)
    after_chinese = start == 0 or text[start - 1] in _LINE_BREAKS or not text[start - 1].isascii()
    runs: list[Run] = []
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
                runs.append(Run(codec, ending, frozenset(unknown_pairs), start, position + 1, resynced=False))
                if not following or not (0x40 <= ord(following) <= 0x7E or following == "?"):
                    return runs
                # or a pair that decoded to nothing, then the decoder back in step at a letter or a lost trail
            elif wide and following and _ends_alone(codec):
                # a trail byte that is no lead byte (GBK's 0x80) decoded alone as U+FFFD: back in step after it
                runs.append(Run(codec, (*slots, _LONE_TRAIL), frozenset(unknown_pairs), start, position + 1, True))
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
                runs.append(Run(codec, ending, frozenset(unknown_pairs), start, position + 1, resynced=True))
            elif 0x40 <= code <= 0x7E and units == 0 and _between_chinese(text, start - 1, position + 1):
                # one character whose lead byte was lost and whose trail byte is this letter, between Han characters
                runs.append(Run(codec, (None, code), frozenset(), start, position + 1, True, one_character=True))
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
    text: str, run: Run, model: CharLanguageModel, cache: DocumentBigrams | None = None, script: Script = "unknown"
) -> tuple[float, str, float] | None:
    """The most probable reading of the run, its gain over the damaged text and its margin over the next best, in nats.

    A one-character run is scored against the text read as it most charitably can be:
    its ``?`` a question mark of the Chinese text (``吗?A股`` is ``吗？A股``, not damage).
    """
    table = pair_table(run.codec)
    before = text[run.start - 1] if run.start > 0 else ""
    if not before or before in _LINE_BREAKS:
        before = SENTENCE_END  # a line starts like a sentence: with a word, not with a comma or closing mark
    after = text[run.end] if run.end < len(text) else ""
    # the text around was NFKC folded like the run: its "," was a "，" to the model
    before, after = before.translate(_UNFOLD_PUNCTUATION), after.translate(_UNFOLD_PUNCTUATION)
    first = _cache_bonus(run, model, script, cache)
    pair = _pair_bonus(text, run, model, script, cache)
    if pair is not None:
        first = pair if first is None else first + pair
    beam = search(run, table, model, ord(before) if before else None, script, cache, _quote_bonus(text, run), first)
    if beam is None:
        return None
    # one model call for the damaged text's transitions (from the same context) and each state's into ``after``
    as_it_stands = text[run.start : run.end]
    if run.one_character:
        as_it_stands = as_it_stands.translate(_UNFOLD_PUNCTUATION)
    damaged = codepoints(before + as_it_stands + after)
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
    best_codes = beam.trace(best)
    best_text = "".join(map(chr, best_codes))
    margin = float(scores[best] - np.partition(scores, -2)[-2]) if len(scores) > 1 else float("inf")
    gain = float(scores[best]) - float(steps[: len(damaged) - 1].sum())
    if pair is not None:
        # pair evidence chooses among readings; it does not count toward beating the text as it stands
        chosen = _first_candidates(run, model, script) == best_codes[0]
        gain -= max(0.0, float(pair[chosen].max(initial=0.0)))
    return gain, best_text, margin


def _first_candidates(run: Run, model: CharLanguageModel, script: Script) -> np.ndarray:
    candidates = _candidates(run.codec, None, run.slots[1], 3 in run.unknown_pairs, script, model)
    return np.zeros(0, dtype=np.int64) if candidates is None else candidates[0]


def _pair_bonus(
    text: str, run: Run, model: CharLanguageModel, script: Script, cache: DocumentBigrams | None
) -> np.ndarray | None:
    """Nats for each candidate of the run's first character from running-text pairs with the character after it.

    That character is the run's second, decoded from its known bytes, or for a one-character run the
    text after it. The in-word model sees no dependence across a word boundary (``她說``, ``五國``);
    pointwise mutual information from running text does.
    """
    if PAIR_WEIGHT <= 0 or run.slots[0] is not None:
        return None
    if run.one_character:
        following = text[run.end] if run.end < len(text) else ""
        if not following:
            return None
        right = ord(following.translate(_UNFOLD_PUNCTUATION))
    else:
        if len(run.slots) < 4 or run.slots[2] is None or run.slots[3] is None:
            return None
        right = int(pair_table(run.codec)[run.slots[2], run.slots[3]])
        if right <= 0:
            return None
    codes = _first_candidates(run, model, script)
    if not len(codes):
        return None
    rights = np.full(len(codes), right)
    if cache is not None and cache.bonus(codes, rights).any():
        return None  # the document pairs a candidate with this character elsewhere: its own evidence decides
    table = running_pairs()
    right_pmi = np.clip(table.before(codes, right), -PAIR_FLOOR, PAIR_CLIP)
    before = text[run.start - 1] if run.start > 0 else ""
    if not before or before in _LINE_BREAKS:
        before = SENTENCE_END
    left = ord(before.translate(_UNFOLD_PUNCTUATION))
    left_pmi = np.clip(table.after(left, codes), -PAIR_FLOOR, PAIR_CLIP)
    # both sides must agree: evidence against the candidate on either side caps it, so a strong pair on one
    # side (至上 then 海) cannot carry a reading the other side speaks against
    disagree = (left_pmi < 0) | (right_pmi < 0)
    total = np.where(disagree, np.minimum(left_pmi, right_pmi), left_pmi + right_pmi)
    return PAIR_WEIGHT * total  # type: ignore[no-any-return]


def _cache_bonus(
    run: Run, model: CharLanguageModel, script: Script, cache: DocumentBigrams | None
) -> np.ndarray | None:
    """Nats for each candidate of the run's first character: characters the document uses elsewhere are likelier.

    A cache model: the model's unigram ``p`` becomes ``(1 - w) p + w q``, with ``q`` the
    character's share among the document's Han characters and ``w`` = ``CHARACTER_CACHE``;
    the bonus is the log of that ratio (the ``1 - w`` on every candidate alike is dropped).
    A name the text gives elsewhere then beats a common character that merely fits.
    """
    if cache is None or CHARACTER_CACHE <= 0 or run.slots[0] is not None:
        return None
    candidates = _candidates(run.codec, None, run.slots[1], 3 in run.unknown_pairs, script, model)
    if candidates is None:
        return None
    share = cache.char_share(candidates[0])
    odds = CHARACTER_CACHE / (1 - CHARACTER_CACHE)
    return np.log1p(odds * share / np.exp(candidates[3]))  # type: ignore[no-any-return]


def _quote_bonus(text: str, run: Run) -> tuple[float, float]:
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


def _could_be_big5(text: str, start: int, end: int) -> bool:
    """Whether every Han character around the run has a Big5 (or Big5-HKSCS) encoding."""
    around = "".join(context_on_line(text, start, end, SCRIPT_CONTEXT))
    try:
        "".join(_HAN.findall(around)).encode("big5hkscs")
    except UnicodeEncodeError:
        return False
    return True


def _contested(gain: float, reading: str, readings: list[tuple[float, str]]) -> bool:
    """Whether another codec's reading of the same one-character run, a different character, comes close."""
    return any(other != reading and gain - other_gain < ONE_CHARACTER_MARGIN for other_gain, other in readings)


def _between_chinese(text: str, before: int, after: int) -> bool:
    """Han on one side and Han or Chinese punctuation (or, before, a line start) on the other."""
    left = text[before] if before >= 0 else "\n"
    right = text[after] if after < len(text) else ""
    han_left, han_right = bool(_HAN.match(left)), bool(right and _HAN.match(right))
    chinese_left = han_left or left in _LINE_BREAKS or left in _CHINESE_PUNCTUATION
    chinese_right = han_right or (bool(right) and right in _CHINESE_PUNCTUATION)
    return (han_left or han_right) and chinese_left and chinese_right


@lru_cache(maxsize=4)
def _ends_alone(codec: str) -> bool:
    """Whether ``_LONE_TRAIL`` is a trail byte of the codec that leads no pair (so decodes alone, as U+FFFD)."""
    table = pair_table(codec)
    return bool((table[:, _LONE_TRAIL] > 0).any() and (table[_LONE_TRAIL, :] <= 0).all())


@lru_cache(maxsize=4)
def _fold_starts(codec: str) -> frozenset[str]:
    """The characters a multi-character NFKC fold of the codec can start with."""
    return frozenset(form[0] for form in folded_forms(codec)[1])
