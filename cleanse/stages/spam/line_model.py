"""A small logistic model over general junk signals, for the lines the rules leave as article.

The rules (:mod:`.rules`) know the kinds of junk the lexicons were written for. Past them, a line is scored
from features anyone can read: the weight of junk-signal words per category (:mod:`.signals`), contact ids,
bare account names (Latin letters with digits or an underscore), e-mail addresses, phone numbers, prices and
URLs, whether it has sentence punctuation or is a list of short parts (spaces, bars or, in a line with no
sentence end, commas between them), its share of digits and Latin letters, its length against the article's
paragraphs, the label lexicons' words, its share of Han characters (prose in another script is not a junk id),
and the reporting cues of ``article.tsv`` (a headline about a drug bust or a sales event names the same goods
as the ad for them, but in the words of news). No feature reads the neighbouring lines' labels: taking a
junk line out must not change how its neighbours score on a second pass (``clean`` is idempotent).
``p = 1 / (1 + exp(-(w . x)))``; the weights and the decision threshold are learned on every file of
``tests/data/spam_eval`` (each made from its own junk templates; the threshold by leaving one template set out at
a time) by ``cleanse/data/spam/learn_line_model.py`` and shipped in ``cleanse/data/spam/line_model.json``.

A line the model calls junk gets the label of its strongest word category (spam for porn, gambling, drugs,
weapons, game cheats, keyword lists and URL lines; ad for goods, services, scams and contacts; chrome for
prompts and navigation; notice for footers) and evidence ``("line_model", <features that pushed it>...,
<signal words>...)``.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from functools import lru_cache

import numpy as np

from cleanse.stages.spam.features import DocumentFeatures
from cleanse.stages.spam.normalise import data_file
from cleanse.stages.spam.rules import AD, ARTICLE, CHROME, NOTICE, SPAM, Verdict
from cleanse.stages.spam.signals import CATEGORIES, CONTACT_ID, EMAIL, HANDLE, PHONE, PRICE, SHOUTING, SignalLexicon

LINE_MODEL = "line_model"
MAX_LENGTH = 200
"""Longer lines are paragraphs; the model does not score them."""
MAX_SENTENCES = 1
"""Lines of more sentences are prose; the model does not score them either. Exclamation marks do not count
as sentences here (``清仓！清仓！最后三天`` is a banner): they count in ``shouting``."""
JUNK_LABELS = (SPAM, AD, CHROME, NOTICE)
CONTACT_DIGITS = 7
"""Digits a line needs to be scored for them alone (a phone or an account number; a date has fewer)."""
STRONG_WORD = 0.8
"""A category counts towards ``categories`` (how many kinds of junk a line names) from this weight on: one
strong word, or two weak ones."""
STRUCTURE = (
    "contact_id",
    "handle",
    "email",
    "phone",
    "url",
    "no_sentence_end",
    "spaced_parts",
    "has_comma",
    "sentences",
    "digit_share",
    "latin_share",
    "length_100",
    "relative_length",
    "label_words",
    "shouting",
    "price",
    "categories",
    "reporting",
    "han_share",
)
FEATURES = ("bias", *CATEGORIES, *STRUCTURE)
CATEGORY_LABEL = {
    **dict.fromkeys(("porn", "gambling", "drugs", "weapons", "game", "keyword", "url_words"), SPAM),
    **dict.fromkeys(
        ("counterfeit", "fake_docs", "loans", "invest", "jobs", "medical", "dating", "seo", "sales", "contact"), AD
    ),
    **dict.fromkeys(("prompt", "navigation"), CHROME),
    "footer": NOTICE,
}
_STRUCTURE_LABEL = {"contact_id": AD, "handle": AD, "email": AD, "phone": AD, "url": SPAM}
_COLUMN = {name: k for k, name in enumerate(FEATURES)}


@lru_cache(maxsize=1)
def shipped_model() -> tuple[list[float], float]:
    """The weights (in ``FEATURES`` order) and threshold of ``line_model.json``."""
    model = json.loads(data_file("line_model.json"))
    if tuple(model["features"]) != FEATURES:
        raise ValueError("line_model.json was learned on other features; rerun learn_line_model.py")
    return [float(w) for w in model["weights"]], float(model["threshold"])


def line_sums(
    spans: list[tuple[int, int]], found: tuple[np.ndarray, np.ndarray], signals: SignalLexicon
) -> dict[int, dict[int, float]]:
    """Signal-word weight per category (index into ``CATEGORIES``) of each line holding one, by line index."""
    positions, ids = found
    sums: dict[int, dict[int, float]] = {}
    if not positions.size:
        return sums
    starts = [start for start, _ in spans]
    category, weight = signals.category_list, signals.weight_list
    for position, word_id in zip(positions.tolist(), ids.tolist(), strict=True):
        i = bisect_right(starts, position) - 1
        if i >= 0 and position < spans[i][1]:
            row = sums.setdefault(i, {})
            column = category[word_id]
            row[column] = row.get(column, 0.0) + weight[word_id]
    return sums


def candidates(verdicts: list[Verdict], f: DocumentFeatures, sums: dict[int, dict[int, float]]) -> list[int]:
    """Lines the model scores: left as article by the rules, at most ``MAX_LENGTH`` long and ``MAX_SENTENCES``
    sentences, with a Han character (its features are those of Chinese lines: words matched inside Latin words,
    ``line`` in ``Céline`` or ``av`` in ``Av.``, and the Latin share of a name or an address are no evidence;
    lines in other scripts are left to the rules) and a junk cue: a signal word, a URL, enough digits for a
    phone or an id, Latin letters, or a junk-label lexicon word."""
    found = []
    for i, (verdict, length, urls, digits, latin, hits) in enumerate(
        zip(verdicts, f.length, f.urls, f.digits, f.latin, f.hits, strict=True)
    ):
        if length > MAX_LENGTH or verdict.label != ARTICLE or f.sentence_ends[i] - f.exclaims[i] > MAX_SENTENCES:
            continue
        if not f.han[i]:
            continue
        words = i in sums or _junk_words(hits.weights)
        if words or urls or digits >= CONTACT_DIGITS or latin >= 3:
            found.append(i)
    return found


def _junk_words(weights: dict[str, float]) -> bool:
    return bool(weights) and any(label in weights for label in JUNK_LABELS)


def _article_length(verdicts: list[Verdict], f: DocumentFeatures) -> float:
    lengths = sorted(f.length[i] for i, v in enumerate(verdicts) if f.sentence_ends[i] and v.label == ARTICLE)
    if not lengths:
        return 60.0
    middle = len(lengths) // 2
    return float(lengths[middle]) if len(lengths) % 2 else (lengths[middle - 1] + lengths[middle]) / 2


_PATTERNS = ("contact_id", "handle", "email", "phone", "shouting", "price")
_PATTERN_CAPS = (2.0, 2.0, 2.0, 2.0, 3.0, 2.0)
_NO_WORDS: dict[int, float] = {}


def _shape_features(i: int, f: DocumentFeatures, verdicts: list[Verdict], article_length: float) -> list[float]:
    """The structure features but the pattern ones (``STRUCTURE`` order, patterns left at 0)."""
    n = max(f.length[i], 1)
    ends = f.sentence_ends[i]
    sentences = ends - f.exclaims[i]
    parts = f.gaps[i] + f.separators[i] + (f.commas[i] if not ends else 0) + 1
    weights = f.hits[i].weights
    return [
        0.0,
        0.0,
        0.0,
        0.0,
        min(f.urls[i], 2),
        ends == 0,
        parts >= 3 and n / parts <= 10,
        f.commas[i] > 0,
        min(sentences, 4),
        f.digits[i] / n,
        f.latin[i] / n if f.digits[i] else 0.0,
        min(n, 300) / 100,
        max(-3.0, min(3.0, math.log((n + 1) / (article_length + 1)))),
        _label_words(weights, f.hits[i].property) if weights else 0.0,
        0.0,
        0.0,
        0.0,
        min(f.hits[i].reporting, 2.0),
        f.han[i] / n,
    ]


def _label_words(weights: dict[str, float], property_weight: float) -> float:
    """The junk labels' lexicon weight of a line, property words aside (capped at 2): a flat or a down payment
    is evidence of an advertorial in a run of paragraphs (:mod:`.context`), but a headline on the housing
    market names them too."""
    return min(max(sum(weights.get(label, 0.0) for label in JUNK_LABELS) - property_weight, 0.0), 2.0)


def _pattern_features(i: int, line: str, f: DocumentFeatures) -> tuple[float, float, float, float, float, float]:
    contact = min(len(CONTACT_ID.findall(line)), 2) if f.digits[i] or f.latin[i] else 0
    handle = min(len(HANDLE.findall(line)), 2) if f.latin[i] >= 2 else 0
    email = min(len(EMAIL.findall(line)), 2) if "@" in line else 0
    phone = min(len(PHONE.findall(line)), 2) if f.digits[i] >= 7 else 0
    price = min(len(PRICE.findall(line)), 2) if f.digits[i] else 0
    return contact, handle, email, phone, min(len(SHOUTING.findall(line)), 3), price


_BASE = 1 + len(CATEGORIES)
_LABEL_WORDS_AT = STRUCTURE.index("label_words")
_URL_AT = STRUCTURE.index("url")
_PATTERN_AT = tuple(_COLUMN[name] for name in _PATTERNS)
_CATEGORIES_AT = _COLUMN["categories"]


def feature_row(
    i: int, line: str, f: DocumentFeatures, verdicts: list[Verdict], words: dict[int, float], article_length: float
) -> list[float]:
    """Every feature of line ``i`` (``FEATURES`` order)."""
    row = [1.0, *(min(words.get(k, 0.0), 3.0) for k in range(len(CATEGORIES)))]
    row.extend(_shape_features(i, f, verdicts, article_length))
    row[_CATEGORIES_AT] = min(sum(1 for w in words.values() if w >= STRONG_WORD), 4)
    for at, value in zip(_PATTERN_AT, _pattern_features(i, line, f), strict=True):
        row[at] = value
    return row


def feature_matrix(
    rows: list[int],
    lines: list[str],
    verdicts: list[Verdict],
    f: DocumentFeatures,
    sums: dict[int, dict[int, float]],
) -> np.ndarray:
    """One row of ``FEATURES`` per line in ``rows`` (``lines`` is the folded text of every line): what the
    learning script fits on."""
    article_length = _article_length(verdicts, f)
    matrix = [feature_row(i, lines[i], f, verdicts, sums.get(i, _NO_WORDS), article_length) for i in rows]
    return np.array(matrix, dtype=np.float64).reshape(len(rows), len(FEATURES))


def _verdict(contributions: dict[int, float], p: float, words: list[str]) -> Verdict:
    """The verdict of a line the model calls junk, from its non-zero feature contributions (by column)."""
    word_part = [(value, -k) for k, value in contributions.items() if 1 <= k < _BASE]
    best = max(word_part) if word_part else (0.0, 0)
    if best[0] > 0:
        label = CATEGORY_LABEL[CATEGORIES[-best[1] - 1]]
    else:
        value, name = max((contributions.get(_COLUMN[name], 0.0), name) for name in _STRUCTURE_LABEL)
        label = _STRUCTURE_LABEL[name] if value > 0 else AD
    strong = sorted(((value, k) for k, value in contributions.items() if k and value > 0.3), reverse=True)
    pushed = [FEATURES[k] for _, k in strong[:4]]
    return Verdict(label, round(min(0.99, p), 3), (LINE_MODEL, *pushed, *dict.fromkeys(words[:6])))


def apply_line_model(
    verdicts: list[Verdict],
    f: DocumentFeatures,
    lines: list[str],
    spans: list[tuple[int, int]],
    signals: SignalLexicon,
    found: tuple[np.ndarray, np.ndarray],
    text: str,
) -> None:
    """Relabel the article lines the model scores at or above its threshold (in place).

    A line is called junk only with some evidence beyond its shape: a signal or label word, a URL or a contact,
    handle, e-mail, phone, price or shouting pattern (a name glossed in pinyin or a foreign address has the shape
    of a list with no sentence end, and nothing else).

    A line is scored in two steps: first without the pattern features (contact ids, e-mail, phones, shouting
    marks), which need a regular expression each; they are only looked for when the score could still reach
    the threshold with them at their most, so the rest cost no pattern search and get the same verdict.
    """
    sums = line_sums(spans, found, signals)
    rows = candidates(verdicts, f, sums)
    if not rows:
        return
    weights, threshold = shipped_model()
    cut = math.log(threshold / (1 - threshold))
    pattern_room = sum(max(weights[at], 0.0) * cap for at, cap in zip(_PATTERN_AT, _PATTERN_CAPS, strict=True))
    word_weights = weights[1:_BASE]
    shape_weights = weights[_BASE:]
    strong_weight = weights[_CATEGORIES_AT]
    article_length = _article_length(verdicts, f)
    positions = found[0].tolist()
    for i in rows:
        words = sums.get(i, _NO_WORDS)
        z = weights[0]
        strong = 0
        if words:
            strong = min(sum(1 for w in words.values() if w >= STRONG_WORD), 4)
            z += strong * strong_weight + sum((w if w < 3.0 else 3.0) * word_weights[k] for k, w in words.items())
        shape = _shape_features(i, f, verdicts, article_length)
        z += sum(x * c for x, c in zip(shape, shape_weights, strict=True) if x)
        if z + pattern_room < cut:
            continue
        patterns = _pattern_features(i, lines[i], f)
        z += sum(x * weights[at] for x, at in zip(patterns, _PATTERN_AT, strict=True))
        if z < cut or not (words or shape[_LABEL_WORDS_AT] or shape[_URL_AT] or any(patterns)):
            continue
        contributions = {1 + k: (w if w < 3.0 else 3.0) * word_weights[k] for k, w in words.items()}
        contributions.update((_BASE + j, x * shape_weights[j]) for j, x in enumerate(shape) if x)
        contributions.update((at, x * weights[at]) for x, at in zip(patterns, _PATTERN_AT, strict=True) if x)
        if strong:
            contributions[_CATEGORIES_AT] = strong * strong_weight
        start, end = spans[i]
        first, last = bisect_left(positions, start), bisect_left(positions, end)
        found_words = [signals.lexicon.words[word_id] for word_id in found[1][first:last].tolist()]
        verdicts[i] = _verdict(contributions, 1.0 / (1.0 + math.exp(-z)), found_words)
