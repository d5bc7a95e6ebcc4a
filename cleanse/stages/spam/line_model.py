"""A small logistic model over general junk signals, for the lines the rules leave as article.

The rules (:mod:`.rules`) know the kinds of junk the lexicons were written for. Past them, a line is scored
from features anyone can read: the weight of junk-signal words per category (:mod:`.signals`), contact ids,
e-mail addresses, phone numbers and URLs, whether it has sentence punctuation or is a list of short parts,
its share of digits and Latin letters, its length against the article's paragraphs, the label lexicons'
words, and whether a neighbouring line is already junk. ``p = 1 / (1 + exp(-(w . x)))``; the weights and the
decision threshold are learned on the tuning half of ``tests/data/spam_eval`` by
``cleanse/data/spam/learn_line_model.py`` and shipped in ``cleanse/data/spam/line_model.json``.

A line the model calls junk gets the label of its strongest word category (spam for porn, gambling, drugs,
weapons, game cheats, keyword lists and URL lines; ad for goods, services, scams and contacts; chrome for
prompts and navigation; notice for footers) and evidence ``("line_model", <features that pushed it>...,
<signal words>...)``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np

from cleanse.stages.spam.features import DocumentFeatures
from cleanse.stages.spam.normalise import data_file
from cleanse.stages.spam.rules import AD, ARTICLE, CHROME, NOTICE, SPAM, Verdict
from cleanse.stages.spam.signals import CATEGORIES, CONTACT_ID, EMAIL, PHONE, SHOUTING, SignalLexicon

LINE_MODEL = "line_model"
MAX_LENGTH = 200
"""Longer lines are paragraphs; the model does not score them."""
JUNK_LABELS = (SPAM, AD, CHROME, NOTICE)
STRONG_WORD = 0.8
"""A category counts towards ``categories`` (how many kinds of junk a line names) from this weight on: one
strong word, or two weak ones."""
STRUCTURE = (
    "contact_id",
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
    "neighbour_junk",
    "shouting",
    "categories",
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
_STRUCTURE_LABEL = {"contact_id": AD, "email": AD, "phone": AD, "url": SPAM}
_COLUMN = {name: k for k, name in enumerate(FEATURES)}


@lru_cache(maxsize=1)
def shipped_model() -> tuple[np.ndarray, float]:
    """The weights (in ``FEATURES`` order) and threshold of ``line_model.json``."""
    model = json.loads(data_file("line_model.json"))
    if tuple(model["features"]) != FEATURES:
        raise ValueError("line_model.json was learned on other features; rerun learn_line_model.py")
    return np.array(model["weights"], dtype=np.float64), float(model["threshold"])


def candidates(
    verdicts: list[Verdict], f: DocumentFeatures, sums: np.ndarray
) -> list[int]:
    """Lines the model scores: left as article by the rules, at most ``MAX_LENGTH`` long, with a junk cue
    (a signal word, a URL, digits or Latin letters that may be a contact, a label-lexicon word)."""
    cued = sums.any(axis=1)
    return [
        i
        for i, verdict in enumerate(verdicts)
        if verdict.label == ARTICLE
        and f.length[i] <= MAX_LENGTH
        and (cued[i] or f.urls[i] or f.digits[i] >= 5 or f.latin[i] >= 3 or f.hits[i].weights)
    ]


def _article_length(verdicts: list[Verdict], f: DocumentFeatures) -> float:
    lengths = [f.length[i] for i, v in enumerate(verdicts) if v.label == ARTICLE and f.sentence_ends[i]]
    return float(np.median(lengths)) if lengths else 60.0


def feature_matrix(
    rows: list[int], lines: list[str], verdicts: list[Verdict], f: DocumentFeatures, sums: np.ndarray
) -> np.ndarray:
    """One row of ``FEATURES`` per line in ``rows`` (``lines`` is the folded text of every line)."""
    x = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    if not rows:
        return x
    x[:, 0] = 1.0
    x[:, 1 : 1 + len(CATEGORIES)] = np.minimum(sums[rows], 3.0)
    base = 1 + len(CATEGORIES)
    article_length = _article_length(verdicts, f)
    count = len(verdicts)
    for r, i in enumerate(rows):
        line = lines[i]
        n = max(f.length[i], 1)
        ascii_or_digits = f.digits[i] or f.latin[i]
        contact = len(CONTACT_ID.findall(line)) if ascii_or_digits else 0
        email = len(EMAIL.findall(line)) if "@" in line else 0
        phone = len(PHONE.findall(line)) if f.digits[i] >= 7 else 0
        parts = f.gaps[i] + f.separators[i] + 1
        weights = f.hits[i].weights
        neighbour = (i > 0 and verdicts[i - 1].label in JUNK_LABELS) or (
            i + 1 < count and verdicts[i + 1].label in JUNK_LABELS
        )
        x[r, base:] = (
            min(contact, 2),
            min(email, 2),
            min(phone, 2),
            min(f.urls[i], 2),
            f.sentence_ends[i] == 0,
            parts >= 3 and n / parts <= 10,
            f.commas[i] > 0,
            min(f.sentence_ends[i], 4),
            f.digits[i] / n,
            f.latin[i] / n,
            min(n, 300) / 100,
            max(-3.0, min(3.0, math.log((n + 1) / (article_length + 1)))),
            min(sum(weights.get(label, 0.0) for label in JUNK_LABELS), 3.0),
            neighbour,
            min(len(SHOUTING.findall(line)), 3),
            min(int((sums[i] >= STRONG_WORD).sum()), 4),
        )
    return x


def probabilities(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ weights)))


def _verdict(
    row: np.ndarray, weights: np.ndarray, p: float, words: list[str]
) -> Verdict:
    contributions = row * weights
    word_part = contributions[1 : 1 + len(CATEGORIES)]
    best = int(np.argmax(word_part))
    if word_part[best] > 0:
        label = CATEGORY_LABEL[CATEGORIES[best]]
    else:
        structural = {name: contributions[_COLUMN[name]] for name in _STRUCTURE_LABEL}
        strongest = max(structural, key=structural.__getitem__)
        label = _STRUCTURE_LABEL[strongest] if structural[strongest] > 0 else AD
    pushed = [FEATURES[k] for k in np.argsort(-contributions)[:4].tolist() if k and contributions[k] > 0.3]
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
    """Relabel the article lines the model scores at or above its threshold (in place)."""
    positions, ids = found
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=len(spans))
    sums = signals.line_sums(positions, ids, starts, ends)
    rows = candidates(verdicts, f, sums)
    if not rows:
        return
    weights, threshold = shipped_model()
    x = feature_matrix(rows, lines, verdicts, f, sums)
    p = probabilities(x, weights)
    for r in np.flatnonzero(p >= threshold).tolist():
        i = rows[r]
        words = signals.words_in(text, spans[i][0], spans[i][1], positions, ids)
        verdicts[i] = _verdict(x[r], weights, float(p[r]), words)
