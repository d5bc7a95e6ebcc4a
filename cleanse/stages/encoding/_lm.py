"""A character bigram language model used to choose between repairs.

The tables ship in ``cleanse/data/encoding/charlm.npz`` (see SOURCES.md there) and are
loaded once per process. Scores are natural-log probabilities; characters the tables do
not know get a log-probability by class (CJK punctuation, ASCII, other), so any text can
be scored. Everything is vectorised with numpy: a text becomes an array of code points,
then of character ids, and bigram look-ups are one ``searchsorted`` over sorted keys.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

ID_BITS = 15
BACKOFF = float(np.log(0.2))
#: after a word ends, how often punctuation follows (about one mark per six words in news text).
PUNCTUATION_AFTER_WORD = 0.15
#: after a closing mark (”）》...) another mark follows often (”。 ”， ）、); after other marks rarely.
PUNCTUATION_AFTER_CLOSING = 0.4
PUNCTUATION_AFTER_MARK = 0.03
#: the share of each mark among Chinese punctuation: commas first, then full stops and enumeration commas.
PUNCTUATION_SHARE = {
    "，": 0.40, "。": 0.25, "、": 0.08, "“": 0.05, "”": 0.05, "：": 0.03, "；": 0.02, "（": 0.02,
    "）": 0.02, "《": 0.02, "》": 0.02, "？": 0.01, "！": 0.01, "…": 0.005, "—": 0.005, "·": 0.005,
    "‘": 0.002, "’": 0.002, "「": 0.002, "」": 0.002, "『": 0.002, "』": 0.002, "【": 0.002, "】": 0.002,
    "〈": 0.002, "〉": 0.002,
}  # fmt: skip
_CLOSING_MARKS = "”’）》」』】〉"
#: marks that end a sentence or clause: one hardly ever follows another (。。 ，。), though quotes and brackets do.
STOP_MARKS = "，。、；：？！"
PUNCTUATION_STOP_AFTER_STOP = 0.001
#: marks written twice in a row (the dash ——, the ellipsis ……): one half follows the other almost always.
DOUBLED_MARKS = "—…"
_LOG_DOUBLED_MARK = float(np.log(0.9))
_LOG_WORD_AFTER_WORD = float(np.log(1 - PUNCTUATION_AFTER_WORD))
#: the table slot of every code point outside the BMP (and of -1, "no character"): unknown to the model.
_OUTSIDE = 0x10000
_CJK_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉「」『』【】—…·"
_ASCII_PUNCTUATION = " ,.;:?!()'\"-"
_LOGP_CJK_PUNCTUATION = float(np.log(0.01))
_LOGP_ASCII_DIGIT = float(np.log(0.002))
_LOGP_ASCII_PUNCTUATION = float(np.log(0.002))
_LOGP_ASCII_LETTER = float(np.log(0.0005))
_LOGP_UNKNOWN_HAN = -17.0
_LOGP_OTHER = -19.0
#: Chinese pages carry other scripts too (names, addresses, quotes): a letter of an alphabet, a syllabary or
#: hangul starts a foreign run at this cost, then each letter of the same script follows at its script's
#: cost, about one over the number of letters in common use. Without this the text as it stands, a
#: Russian name or a Japanese address, scores as a string of unknown characters and any Chinese
#: "repair" of it wins.
_LOGP_FOREIGN_LETTER = -9.0
#: (first code point, last code point, script id, log-probability of a letter after a letter of the same script)
FOREIGN_SCRIPTS: tuple[tuple[int, int, int, float], ...] = (
    (0x0041, 0x005A, 1, -2.8),  # Latin: ASCII capitals
    (0x0061, 0x007A, 1, -2.8),  # ASCII small letters
    (0x00C0, 0x00FF, 1, -5.0),  # Latin-1 letters (× and ÷ are set back below)
    (0x0100, 0x024F, 1, -5.0),  # Latin Extended-A and -B
    (0x0250, 0x02AF, 1, -6.0),  # IPA
    (0x1E00, 0x1EFF, 1, -5.0),  # Latin Extended Additional (Vietnamese)
    (0x0300, 0x036F, 1, -4.0),  # combining diacritics, after a Latin letter
    (0x0370, 0x03FF, 2, -3.3),  # Greek
    (0x1F00, 0x1FFF, 2, -4.0),  # Greek Extended
    (0x0400, 0x052F, 3, -3.3),  # Cyrillic
    (0x0530, 0x058F, 4, -3.3),  # Armenian
    (0x0590, 0x05FF, 5, -3.3),  # Hebrew
    (0x0600, 0x06FF, 6, -3.3),  # Arabic
    (0x0750, 0x077F, 6, -4.0),  # Arabic Supplement
    (0x0900, 0x097F, 7, -3.5),  # Devanagari
    (0x0E00, 0x0E7F, 8, -3.5),  # Thai
    (0x10A0, 0x10FF, 9, -3.3),  # Georgian
    (0x3040, 0x309F, 10, -3.8),  # Hiragana
    (0x30A0, 0x30FF, 11, -3.8),  # Katakana, with the prolonged sound mark
    (0x31F0, 0x31FF, 11, -4.5),  # Katakana phonetic extensions
    (0xFF66, 0xFF9F, 11, -4.5),  # halfwidth Katakana
    (0x1100, 0x11FF, 12, -5.0),  # Hangul jamo
    (0x3130, 0x318F, 12, -5.0),  # Hangul compatibility jamo
    (0xAC00, 0xD7A3, 12, -6.5),  # Hangul syllables
)
#: symbols in common use beside text in any script (prices, units, trademarks): a symbol, not an unknown character.
COMMON_SYMBOLS = "£¥€¢©®™°±×÷µ§¶·½¼¾²³¹«»¿¡‰′″←→↑↓≈≠≤≥∞√ΩΩ℃℉№①②③④⑤⑥⑦⑧⑨⑩•†‡"
_LOGP_COMMON_SYMBOL = -9.0


class CharLanguageModel:
    """Unigram and bigram log-probabilities over characters, with a class fallback."""

    def __init__(
        self,
        codepoints: np.ndarray,
        unigram: np.ndarray,
        keys: np.ndarray,
        bigram: np.ndarray,
        word_start: np.ndarray,
        word_end: np.ndarray,
    ) -> None:
        self.codepoints = codepoints.astype(np.int64)
        self.unigram = unigram.astype(np.float32)
        self.word_start = word_start.astype(np.float32)
        self.word_end = word_end.astype(np.float32)
        marks = sorted(PUNCTUATION_SHARE, key=ord)
        self._punctuation = np.array([ord(c) for c in marks], dtype=np.int64)
        self._punctuation_share = np.log(np.array([PUNCTUATION_SHARE[c] for c in marks], dtype=np.float32))
        self._is_punctuation = np.zeros(_OUTSIDE + 1, dtype=bool)
        self._is_punctuation[self._punctuation] = True
        self._is_closing = np.zeros(_OUTSIDE + 1, dtype=bool)
        self._is_closing[[ord(c) for c in _CLOSING_MARKS]] = True
        #: 32-bit keys and look-ups: half the memory a binary search walks through, so fewer cache misses;
        #: a last key above any look-up, so a search never runs off the end
        self.keys = np.append(keys.astype(np.int32), np.iinfo(np.int32).max)
        self.bigram = np.append(bigram.astype(np.float32), -np.inf).astype(np.float32)
        self.size = len(self.codepoints)
        self._bmp_ids = np.full(_OUTSIDE + 1, -1, dtype=np.int64)
        in_bmp = self.codepoints <= 0xFFFF
        self._bmp_ids[self.codepoints[in_bmp]] = np.nonzero(in_bmp)[0]
        self._left_key = np.where(self._bmp_ids >= 0, self._bmp_ids << ID_BITS, -1).astype(np.int32)
        self._right_key = self._bmp_ids.astype(np.int32)
        self._fallback = {ord(c): _LOGP_CJK_PUNCTUATION for c in _CJK_PUNCTUATION}
        for code in range(0x21, 0x7F):
            char = chr(code)
            if char.isdigit():
                self._fallback[code] = _LOGP_ASCII_DIGIT
            elif char.isalpha():
                self._fallback[code] = _LOGP_ASCII_LETTER
        for char in _ASCII_PUNCTUATION:
            self._fallback[ord(char)] = _LOGP_ASCII_PUNCTUATION
        self._fallback_bmp = np.full(0x10000, _LOGP_OTHER, dtype=np.float32)
        self._fallback_bmp[0x3400:0xA000] = _LOGP_UNKNOWN_HAN
        self._fallback_bmp[list(self._fallback)] = list(self._fallback.values())
        self._script = np.zeros(_OUTSIDE + 1, dtype=np.int8)
        self._within_script = np.zeros(_OUTSIDE + 1, dtype=np.float32)
        for first, last, script, within in FOREIGN_SCRIPTS:
            self._script[first : last + 1] = script
            self._within_script[first : last + 1] = within
            non_ascii = np.arange(max(first, 0x80), last + 1)
            self._fallback_bmp[non_ascii] = np.maximum(self._fallback_bmp[non_ascii], _LOGP_FOREIGN_LETTER)
        for symbol in COMMON_SYMBOLS:
            self._script[ord(symbol)] = 0
            self._fallback_bmp[ord(symbol)] = max(self._fallback_bmp[ord(symbol)], _LOGP_COMMON_SYMBOL)
        self._unigram_bmp = self._unigram_any(np.arange(0x10000, dtype=np.int64))
        self._build_transition_tables()

    def _build_transition_tables(self) -> None:
        """Per BMP code point (and one last slot for anything else), the terms of :meth:`transition_logp`."""
        known = self._bmp_ids >= 0
        safe = np.maximum(self._bmp_ids, 0)
        word_end = np.where(known, self.word_end[safe], 0.0)
        after_mark = np.where(self._is_closing, PUNCTUATION_AFTER_CLOSING, PUNCTUATION_AFTER_MARK)
        punctuation = self._is_punctuation
        #: what the left character adds when a word follows / when a mark follows
        self._left_before_word = np.where(punctuation, np.log1p(-after_mark), word_end + _LOG_WORD_AFTER_WORD)
        self._left_before_mark = np.where(punctuation, np.log(after_mark), word_end + np.log(PUNCTUATION_AFTER_WORD))
        share = np.zeros(len(punctuation), dtype=np.float64)
        share[self._punctuation] = self._punctuation_share
        #: what the right character adds: its chance to start a word, or its share among marks
        self._right_logp = np.where(punctuation, share, np.where(known, self.word_start[safe], 0.0))
        self._modelled = known | punctuation
        self._is_stop = np.zeros(len(punctuation), dtype=bool)
        self._is_stop[[ord(mark) for mark in STOP_MARKS]] = True
        self._stop_after_stop = float(np.log(PUNCTUATION_STOP_AFTER_STOP))
        self._is_doubled = np.zeros(len(punctuation), dtype=bool)
        self._is_doubled[[ord(mark) for mark in DOUBLED_MARKS]] = True

    @classmethod
    def load(cls) -> CharLanguageModel:
        source = resources.files("cleanse").joinpath("data/encoding/charlm.npz")
        with resources.as_file(source) as path, np.load(path) as data:
            return cls(
                data["codepoints"],
                data["unigram"],
                data["bigram_keys"],
                data["bigram"],
                data["word_start"],
                data["word_end"],
            )

    def ids(self, codes: np.ndarray) -> np.ndarray:
        """Character ids for code points; ``-1`` for characters the tables do not know."""
        codes = np.asarray(codes, dtype=np.int64)
        if not len(codes):
            return codes
        out = self._bmp_ids[np.minimum(codes, 0xFFFF)]
        beyond = codes > 0xFFFF
        if beyond.any():
            pos = np.minimum(np.searchsorted(self.codepoints, codes[beyond]), self.size - 1)
            out[beyond] = np.where(self.codepoints[pos] == codes[beyond], pos, -1)
        return out

    def unigram_logp(self, codes: np.ndarray) -> np.ndarray:
        """log P(character): the model's, or its class's for characters it does not know."""
        codes = np.asarray(codes, dtype=np.int64)
        if not len(codes) or int(codes.max()) <= 0xFFFF:
            return self._unigram_bmp[codes]
        return self._unigram_any(codes)

    def _unigram_any(self, codes: np.ndarray) -> np.ndarray:
        ids = self.ids(codes)
        known = self.unigram[np.maximum(ids, 0)]
        if (ids >= 0).all():
            return known
        unknown = codes[ids < 0]
        supplementary_han = (unknown >= 0x20000) & (unknown <= 0x3FFFF)
        fallback = np.where(unknown > 0xFFFF, _LOGP_OTHER, self._fallback_bmp[np.minimum(unknown, 0xFFFF)])
        fallback = np.where(supplementary_han, _LOGP_UNKNOWN_HAN, fallback)
        out = known.copy()
        out[ids < 0] = fallback
        return out

    def transition_logp(self, left: np.ndarray, right: np.ndarray, right_unigram: np.ndarray) -> np.ndarray:
        """log P(right | left) between known characters: inside a word (the bigram) or across a boundary.

        Crossing a boundary costs the chance that ``left`` ends a word times the chance that
        ``right`` starts one; CJK punctuation follows a word end and is followed by a word
        start. Other pairs (and any outside the BMP) fall back to the backed-off unigram.
        Every term comes from a per-code-point table, so a call is a dozen array operations
        whatever its size: the beam search calls it on a handful of pairs at a time.
        """
        left = np.minimum(np.asarray(left, dtype=np.int64), _OUTSIDE)  # -1 (no character) also lands on _OUTSIDE
        right = np.minimum(np.asarray(right, dtype=np.int64), _OUTSIDE)
        keys = self._left_key[left] | self._right_key[right]  # negative when either is unknown
        pos = np.searchsorted(self.keys, keys)
        inside = np.where(self.keys[pos] == keys, self.bigram[pos], -np.inf)
        right_mark = self._is_punctuation[right]
        right_logp = self._right_logp[right]
        script = self._script[right]
        same_script = (script > 0) & (script == self._script[left])
        if not right_mark.any():  # the usual case: no mark on the right, so only the word terms matter
            out = np.logaddexp(inside, self._left_before_word[left] + right_logp)
            out = np.where(self._modelled[left] & self._modelled[right], out, BACKOFF + right_unigram)
            return np.where(same_script, self._within_script[right], out).astype(np.float32)
        context = np.where(right_mark, self._left_before_mark[left], self._left_before_word[left])
        out = np.logaddexp(inside, context + right_logp)
        out = np.where(self._modelled[left] & self._modelled[right], out, BACKOFF + right_unigram)
        out = np.where(same_script, self._within_script[right], out)
        out = np.where(self._is_stop[left] & self._is_stop[right], self._stop_after_stop + right_logp, out)
        return np.where((left == right) & self._is_doubled[left], _LOG_DOUBLED_MARK, out).astype(np.float32)

    def position_logp(self, text: str) -> np.ndarray:
        """The log-probability of each character given the one before it."""
        codes = codepoints(text)
        if not len(codes):
            return np.zeros(0, dtype=np.float32)
        uni = self.unigram_logp(codes)
        out = uni.copy()
        out[1:] = self.transition_logp(codes[:-1], codes[1:], uni[1:])
        return out

    def score(self, text: str) -> float:
        """Total log-probability of ``text``."""
        return float(self.position_logp(text).sum())

    def position_logp_many(self, texts: list[str]) -> list[np.ndarray]:
        """:meth:`position_logp` of each text, computed in one vectorised pass."""
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        logp = self.position_logp("".join(texts))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        nonempty = lengths > 0
        logp[starts[nonempty]] = self.unigram_logp(codepoints("".join(t[0] for t in texts if t)))
        return np.split(logp, np.cumsum(lengths)[:-1])

    def score_in_context(
        self, befores: list[str], middles: list[str], afters: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scores of each ``before + middle + after`` and of each ``middle`` alone, from one pass.

        The middle's own score is its first character's unigram plus the transitions inside
        it, which the pass over the whole text has already computed.
        """
        n_before = np.array([len(t) for t in befores], dtype=np.int64)
        n_middle = np.array([len(t) for t in middles], dtype=np.int64)
        n_after = np.array([len(t) for t in afters], dtype=np.int64)
        lengths = n_before + n_middle + n_after
        whole = np.zeros(len(middles), dtype=np.float64)
        alone = np.zeros(len(middles), dtype=np.float64)
        if not lengths.sum():
            return whole, alone
        joined = "".join(b + m + a for b, m, a in zip(befores, middles, afters, strict=True))
        logp = self.position_logp(joined).astype(np.float64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        nonempty = lengths > 0
        logp[starts[nonempty]] = self.unigram_logp(codepoints(joined)[starts[nonempty]])
        running = np.concatenate(([0.0], np.cumsum(logp)))
        whole = running[starts + lengths] - running[starts]
        middle_start = starts + n_before
        has_middle = n_middle > 0
        first = middle_start[has_middle]
        alone[has_middle] = (
            running[first + n_middle[has_middle]] - running[first + 1] + self.unigram_logp(codepoints(joined)[first])
        )
        return whole, alone

    def score_many(self, texts: list[str]) -> np.ndarray:
        """Total log-probability of each text, all scored in one vectorised pass."""
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        out = np.zeros(len(texts), dtype=np.float64)
        if not lengths.sum():
            return out
        logp = self.position_logp("".join(texts)).astype(np.float64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        nonempty = lengths > 0
        first = starts[nonempty]
        logp[first] = self.unigram_logp(codepoints("".join(t[0] for t in texts if t)))
        out[nonempty] = np.add.reduceat(logp, first)
        return out


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as an int64 array, without a per-character Python loop."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


@lru_cache(maxsize=1)
def language_model() -> CharLanguageModel:
    """The shipped model, loaded on first use and kept for the life of the process."""
    return CharLanguageModel.load()
