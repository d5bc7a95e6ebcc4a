"""Junk signals beyond the label lexicons: category words, contact patterns and the shape of a line.

The line model (:mod:`.line_model`) reads these for lines the rules left as article. Category words come from
``signals.tsv`` (20 categories of junk: porn, gambling, drugs, weapons, counterfeit goods, fake documents,
loans, investment scams, job scams, medical claims, dating, SEO services, sales terms, contact words, app
and share prompts, navigation, footers, keyword-list heads, URL words, game cheats), each row with its source
(see ``SOURCES.md``). They are matched with the same leftmost-longest matcher as the label lexicons, once
per document; contact patterns (QQ, WeChat, LINE, Telegram ids, e-mail, phone numbers) are regular
expressions run only on the lines the model scores.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import regex

from cleanse.stages.spam.lexicon import Lexicon
from cleanse.stages.spam.normalise import data_file

CATEGORIES = (
    "porn",
    "gambling",
    "drugs",
    "weapons",
    "counterfeit",
    "fake_docs",
    "loans",
    "invest",
    "jobs",
    "medical",
    "dating",
    "seo",
    "sales",
    "contact",
    "prompt",
    "navigation",
    "footer",
    "keyword",
    "url_words",
    "game",
)
"""Categories of ``signals.tsv``, in the order of the model's word columns."""

CONTACT_ID = regex.compile(
    r"(?:qq|扣扣)(?:群|号|群号)?\s*[::]?\s*\d{5,12}"
    r"|(?:微信|weixin|wechat|vx|wx|v信|薇信|威信|加v|line|telegram|tg|电报)(?:号|id)?\s*[::]\s*@?[a-z0-9][a-z0-9_\-]{2,19}"
    r"|(?:微信|weixin|vx|wx|加v|加微)\s?@?[a-z][a-z0-9_\-]{2,19}"
    r"|(?<![a-z0-9])@[a-z][a-z0-9_]{2,19}(?![a-z0-9.@])"
    r"|群\s*[::]?\s*\d{5,12}"
    r"|(?<![a-z0-9])q\d{6,12}(?!\d)"
)
"""A chat id: QQ number (also as ``Q`` and the digits), WeChat / LINE / Telegram handle after its name, an
@handle, a group number."""
HANDLE = regex.compile(r"(?<![a-z0-9_.@/:\-])[a-z]{2,}[a-z0-9]*?(?:_[a-z0-9]+|\d{2,})(?![a-z0-9_.@/\-])")
"""A bare account name: Latin letters ending in digits or with an underscore (``nomi302``, ``efvnevo_47``), the
shape of a chat handle left after a junk line's pitch with no app named; model names (``iphone15``) have it too,
so it is one feature among the others, not a verdict."""
EMAIL = regex.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,6}")
PHONE = regex.compile(
    r"(?<![\d.])(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?![\d.])"
    r"|(?<![\d.])\(?0\d{2,3}\)?[\s\-]?\d{7,8}(?![\d.])"
    r"|(?<![\d.])(?:400|800)[\s\-]?\d{3}[\s\-]?\d{4}(?![\d.])"
    r"|(?<![\d.])09\d{2}[\s\-]?\d{3}[\s\-]?\d{3}(?![\d.])"
)
"""Mainland mobiles, landlines with area code, 400/800 service numbers, Taiwan mobiles."""
PRICE = regex.compile(
    r"[¥￥$]\s?\d|(?<![\d.])\d{1,6}(?:\.\d{1,2})?\s?(?:元|块|rmb|nt\$)(?!\d)|(?<!\d)\d(?:\.\d)?折|(?:满|减|省)\d{2,5}(?!\d)"
)
"""A price: a currency sign before figures, figures before 元 / 块, a discount (``8折``), a spend-and-save sum."""
SHOUTING = regex.compile(r"[!★☆→【】❤✔✅🔥👉]")


class SignalLexicon:
    """The words of ``signals.tsv``, with each word's category column and weight."""

    def __init__(self, rows: list[tuple[str, float, str, str]]) -> None:
        self.lexicon = Lexicon(("spam", word, weight, category) for word, weight, category, _ in rows)
        self.category = np.zeros(len(self.lexicon.words), dtype=np.int64)
        self.weight = np.zeros(len(self.lexicon.words), dtype=np.float64)
        self.sources = {word: source for word, _, _, source in rows}
        for word_id, word in enumerate(self.lexicon.words):
            entry = self.lexicon.entries[word][0]
            self.category[word_id] = CATEGORIES.index(entry.kind)
            self.weight[word_id] = entry.weight
        self.category_list: list[int] = self.category.tolist()
        self.weight_list: list[float] = self.weight.tolist()

    def find(self, text: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions and word ids of the signal words in folded ``text`` (see :meth:`Lexicon.find_ids`)."""
        return self.lexicon.find_ids(text, codes)

    def line_sums(self, positions: np.ndarray, ids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Weight per category for each ``[starts[i], ends[i])`` span: a ``(spans, categories)`` array."""
        sums = np.zeros((len(starts), len(CATEGORIES)), dtype=np.float64)
        if positions.size and len(starts):
            line = np.searchsorted(starts, positions, side="right") - 1
            inside = (line >= 0) & (positions < ends[np.maximum(line, 0)])
            np.add.at(sums, (line[inside], self.category[ids[inside]]), self.weight[ids[inside]])
        return sums

    def words_in(self, text: str, start: int, end: int, positions: np.ndarray, ids: np.ndarray) -> list[str]:
        """The signal words found in ``[start, end)``, in text order, for evidence."""
        first, last = np.searchsorted(positions, [start, end])
        return [self.lexicon.words[word_id] for word_id in ids[first:last].tolist()]


def read_rows(name: str = "signals.tsv") -> list[tuple[str, float, str, str]]:
    rows = []
    for line in data_file(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, weight, category, source = line.split("\t")
        rows.append((word, float(weight), category, source))
    return rows


@lru_cache(maxsize=1)
def signal_lexicon() -> SignalLexicon:
    """The shipped signal lexicon, built once per process."""
    return SignalLexicon(read_rows())
