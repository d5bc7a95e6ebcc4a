"""Line rules: each looks at one line's counts and words and proposes a label with a score and evidence.

A rule fires on the *kind* of junk (a keyword list without sentences, a breadcrumb of short parts between
separators, a contact line that is mostly a phone number), never on one phrase, and each demands more than
one weak sign, so a news sentence that mentions a hotline, a price or a brand stays an article.

A line without Han characters (a Vietnamese address, a Russian company name, a Hebrew street) is not junk for
lacking Chinese: the shape rules, which read Chinese menus and breadcrumbs, need a lexicon word on such a line
(a navigation or ad word), and a contact line needs most of it to be the number (``FOREIGN_PHONE_SHARE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import regex

from cleanse.stages.spam import patterns
from cleanse.stages.spam.features import DocumentFeatures
from cleanse.stages.spam.lexicon import surnames

ARTICLE = "article"
SPAM = "spam"
AD = "ad"
CHROME = "chrome"
NOTICE = "notice"
CREDIT = "credit"
CAPTION = "caption"
FURNITURE = "furniture"
LABELS = (ARTICLE, SPAM, AD, CHROME, NOTICE, CREDIT, CAPTION, FURNITURE)

KEYWORD_LIST = "keyword_list"
SPAM_DENSITY = "spam_density"
SPAM_URL = "spam_url"
BREADCRUMB = "separated_short_parts"
NAVIGATION_WORDS = "navigation_words"
MENU = "menu_of_short_words"
BARE_URL = "bare_url"
NOTICE_WORDS = "notice_words"
MASTHEAD = "masthead"
CREDIT_LINE = "credit_line"
BYLINE = "byline"
PHOTO_CREDIT = "photo_credit"
CAPTION_WORDS = "caption_words"
ELLIPSIS = "ellipsis_only"
PAGE_TURN = "page_turn"
END_MARK = "end_mark"
DATELINE = "standalone_dateline"
PAGE_LABEL = "page_label"
CONTACT_LINE = "contact_line"
CARD_NUMBER = "card_number"
AD_WORDS = "ad_words"
SHORT_AD = "short_ad_line"
AD_PHRASES = "ad_phrases_without_sentence"
PLAIN_PROSE = "plain_prose"
NO_RULE = "no_rule"


class Verdict(NamedTuple):
    """A label proposed for a line, with its confidence and the rules and words behind it.

    A named tuple rather than a frozen dataclass: thousands are built per document and it is five times cheaper.
    """

    label: str
    score: float
    evidence: tuple[str, ...]


def _words(hits: dict[str, list[str]], label: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(hits.get(label, ())))


_PLAIN = Verdict(ARTICLE, 0.9, (PLAIN_PROSE,))
_PROSE_WITH_WORDS = Verdict(ARTICLE, 0.8, (PLAIN_PROSE,))
_SHORT_LINE = 80
"""Longer lines with sentences can only be junk through strong word evidence (checked by ``_only_weak_words``)."""


def _only_weak_words(weights: dict[str, float]) -> bool:
    """True when no rule for long lines can fire on these lexicon weights (see ``_proposals``)."""
    return (
        weights.get(SPAM, 0.0) < 1
        and weights.get(NOTICE, 0.0) < 1
        and weights.get(CREDIT, 0.0) < 3
        and weights.get(AD, 0.0) < 2.5
    )


FOREIGN_PHONE_SHARE = 0.4
"""Share of a Han-less line a phone number must fill to make it a contact line without an ad word (a postcode
closing an address in another script fills less)."""

_PHOTO_CUE, _PICTURE_CUE = patterns.PHOTO_CREDIT_CUES
_NOTHING = Verdict(ARTICLE, 0.0, (NO_RULE,))
_NO_RULE = Verdict(ARTICLE, 0.8, (NO_RULE,))


def _mostly_names(parts: list[str]) -> bool:
    """Whether most space-separated parts look like personal names (a list of staff, not a menu)."""
    single, compound = surnames()
    names = sum(1 for p in parts if (2 <= len(p) <= 3 and p[0] in single) or (3 <= len(p) <= 4 and p[:2] in compound))
    return names * 2 >= len(parts)


def _distinct_share(words: list[str] | tuple[str, ...]) -> float:
    """Share of a line's word matches that are distinct words: a word said again is the line's topic (a
    statute on the tobacco monopoly says 专卖 three times in one article), not more of a sales pitch."""
    return len(set(words)) / len(words) if words else 1.0


def classify_spans(text: str, spans: list[tuple[int, int]], f: DocumentFeatures) -> list[Verdict]:
    """:func:`classify` for every span, with its two plain-prose shortcuts tested inline: most lines are long
    article paragraphs, and proving that costs a few list reads instead of a call per line."""
    plain, prose_with_words, short_line = _PLAIN, _PROSE_WITH_WORDS, _SHORT_LINE
    verdicts: list[Verdict] = []
    append = verdicts.append
    rows = zip(f.length, f.hits, f.sentence_ends, f.phones, f.cards, f.urls, f.separators, strict=True)
    for i, (length, hits, sentences, phones, cards, urls, separators) in enumerate(rows):
        weights = hits.weights
        if sentences and not urls:
            if not weights and length > 12 and not (phones or cards or separators):
                append(plain)
                continue
            if length > short_line and _only_weak_words(weights):
                append(prose_with_words)
                continue
        start, end = spans[i]
        append(_classify_by_rules(text, start, end, i, f, max(length, 1), weights, sentences))
    return verdicts


def classify(text: str, start: int, end: int, i: int, f: DocumentFeatures) -> Verdict:
    """Label line ``i`` (``text[start:end]`` of the folded text) from its own evidence; context comes later."""
    n = max(f.length[i], 1)
    weights = f.hits[i].weights
    sentences = f.sentence_ends[i]
    if not weights and sentences and n > 12 and not (f.phones[i] or f.cards[i] or f.urls[i] or f.separators[i]):
        return _PLAIN
    if n > _SHORT_LINE and sentences and not f.urls[i] and _only_weak_words(weights):
        return _PROSE_WITH_WORDS
    return _classify_by_rules(text, start, end, i, f, n, weights, sentences)


def _classify_by_rules(
    text: str, start: int, end: int, i: int, f: DocumentFeatures, n: int, weights: dict[str, float], sentences: int
) -> Verdict:
    """:func:`classify` past its plain-prose shortcuts: the line rules' best proposal."""
    stripped = text[start:end].strip()
    shaped = n <= 60 and (sentences <= 1 or n <= 30) and patterns.has_short_line_shape(stripped)
    if not (weights or shaped) and _only_menu_or_photo_rules_left(stripped, i, f, n, sentences):
        return _NO_RULE
    best = _NOTHING
    for verdict in _proposals(stripped, i, f, n, sentences, shaped):
        if verdict.score > best.score:
            best = verdict
    if best.label == ARTICLE:
        return Verdict(ARTICLE, 0.7 if weights else 0.8, best.evidence)
    return best


def _only_menu_or_photo_rules_left(stripped: str, i: int, f: DocumentFeatures, n: int, sentences: int) -> bool:
    """True when a line without lexicon words and without a short-line shape cannot be labelled by any rule
    in ``_proposals``: no number, URL or separator for the rest, not menu-like, no photo-credit cue.

    Most lines that reach the rules are headlines and subtitles; this proves them plain in a few reads.
    """
    hits = f.hits[i]
    if f.phones[i] or f.cards[i] or f.urls[i] or f.separators[i] or hits.strong_direct_ad:
        return False
    if -hits.property / 2 - hits.reporting >= 1.5:
        return False
    words = f.gaps[i] + 1
    if n <= 80 and sentences == 0 and f.commas[i] == 0 and words >= 4 and n / words <= 4:
        return False
    return not (n <= 40 and sentences <= 1 and (_PHOTO_CUE in stripped or _PICTURE_CUE in stripped))


_PROSE_WORD = regex.compile(r"[\p{Latin}\p{Cyrillic}]{2,}|[\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _prose_beside_url(stripped: str) -> bool:
    """Whether the text beside a line's URLs is prose in another script (``Read the full report at ...``,
    ``詳しくは ... をご覧ください``): three words of Latin or Cyrillic letters, or three kana or Hangul letters."""
    rest = patterns.URL.sub(" ", stripped)
    return len(_PROSE_WORD.findall(rest)) >= 3


def _proposals(stripped: str, i: int, f: DocumentFeatures, n: int, sentences: int, shaped: bool) -> Iterator[Verdict]:
    """Every label the line rules propose for line ``i`` (``stripped``: the line without edge whitespace;
    ``shaped``: whether it has a short-line shape); :func:`classify` keeps the most confident."""
    hits = f.hits[i]
    weights = hits.weights
    commas = f.commas[i]

    spam = weights.get(SPAM, 0.0)
    if spam >= 1:
        distinct = len(_words(hits.words, SPAM))
        density = spam * 10 / n
        fragments = commas + f.gaps[i] + 1
        listy = sentences == 0 and fragments >= 3 and n / fragments <= 20
        piled = density >= 1.0 and spam >= 4 and sentences <= 1
        long_list = sentences == 0 and fragments >= 5 and n / fragments <= 12
        if spam >= 2 and distinct >= 3 and (listy or piled or (density >= 0.5 and sentences == 0)):
            evidence = (KEYWORD_LIST if listy else SPAM_DENSITY, *_words(hits.words, SPAM))
            yield Verdict(SPAM, min(1.0, 0.6 + 0.04 * distinct + 0.2 * density), evidence)
        elif long_list and spam >= 1.2:
            yield Verdict(SPAM, 0.7, (KEYWORD_LIST, *_words(hits.words, SPAM)))
        elif f.urls[i] and sentences == 0:
            yield Verdict(SPAM, 0.75, (SPAM_URL, *_words(hits.words, SPAM)))

    foreign = f.han[i] == 0  # only lexicon words, not the shape alone, make such a line chrome or an ad
    if n <= 80 and sentences == 0:
        separators = f.separators[i]
        if separators and n / (separators + 1) <= 15 and (not foreign or CHROME in weights):
            yield Verdict(CHROME, 0.85 + (0.1 if CHROME in weights else 0.0), (BREADCRUMB, *_words(hits.words, CHROME)))
        if weights.get(CHROME, 0.0) >= 1 and n <= 30:
            yield Verdict(CHROME, 0.8, (NAVIGATION_WORDS, *_words(hits.words, CHROME)))
        words = f.gaps[i] + 1
        ends_sentence = stripped.endswith((".", "."))
        menu_like = (
            commas == 0 and words >= 4 and n / words <= 4 and (CHROME in weights or words >= 6) and not ends_sentence
        )
        if menu_like and not (foreign and CHROME not in weights) and not _mostly_names(stripped.split()):
            yield Verdict(CHROME, 0.75, (MENU, *_words(hits.words, CHROME)))
        if (
            f.urls[i]
            and f.han[i] <= 6
            and not weights.get(SPAM)
            and not ends_sentence
            and not _prose_beside_url(stripped)
        ):
            yield Verdict(CHROME, 0.7, (BARE_URL,))

    notice = weights.get(NOTICE, 0.0)
    if notice >= 1 and sentences <= 3 and n <= 200:
        starts = patterns.NOTICE_START.match(stripped) is not None
        piled = notice >= 2 and len(_words(hits.words, NOTICE)) >= 2  # one word said twice is a topic
        if piled or starts or (n <= 40 and sentences == 0):
            score = min(0.95, 0.75 + 0.05 * notice + (0.1 if starts else 0.0))
            yield Verdict(NOTICE, score, (NOTICE_WORDS, *_words(hits.words, NOTICE)))

    credit = weights.get(CREDIT, 0.0)
    if credit >= 3 and f.digits[i] >= 6 and n <= 400 and sentences <= 1:
        yield Verdict(CREDIT, 0.9, (MASTHEAD, *_words(hits.words, CREDIT)))
    if shaped and sentences <= 1:
        if patterns.CREDIT_START.match(stripped):
            yield Verdict(CREDIT, 0.85, (CREDIT_LINE, *_words(hits.words, CREDIT)))
        elif n <= 24 and patterns.BYLINE.match(stripped):
            yield Verdict(CREDIT, 0.8, (BYLINE,))

    if n <= 40 and sentences <= 1:
        if (_PHOTO_CUE in stripped or _PICTURE_CUE in stripped) and patterns.PHOTO_CREDIT.search(stripped):
            yield Verdict(CAPTION, 0.85, (PHOTO_CREDIT,))
        elif (shaped and patterns.CAPTION_START.match(stripped)) or weights.get(CAPTION, 0.0) >= 1:
            yield Verdict(CAPTION, 0.7, (CAPTION_WORDS, *_words(hits.words, CAPTION)))

    if shaped and n <= 30:
        if patterns.ELLIPSIS_ONLY.match(stripped):
            yield Verdict(FURNITURE, 0.95, (ELLIPSIS,))
        elif patterns.END_MARK.match(stripped):
            yield Verdict(FURNITURE, 0.9, (END_MARK,))
        elif patterns.PAGE_TURN.match(stripped):
            yield Verdict(FURNITURE, 0.95, (PAGE_TURN,))
        elif patterns.DATELINE.match(stripped) or patterns.DATE_ONLY.match(stripped):
            yield Verdict(FURNITURE, 0.9, (DATELINE,))
        elif patterns.PAGE_LABEL.match(stripped):
            yield Verdict(FURNITURE, 0.85, (PAGE_LABEL,))

    ad = weights.get(AD, 0.0)
    phone_share = f.phone_chars[i] / n
    weak_contact = sentences == 0 and (ad >= 0.5 or (phone_share >= 0.25 and not (foreign and not ad)))
    if f.phones[i] and n <= 60 and (phone_share >= FOREIGN_PHONE_SHARE or weak_contact):
        yield Verdict(AD, 0.8 + (0.1 if ad else 0.0), (CONTACT_LINE, *_words(hits.words, AD)))
    if f.cards[i] and n <= 40:
        yield Verdict(AD, 0.8, (CARD_NUMBER,))
    selling = ad - hits.property / 2 - hits.reporting
    if selling >= 2.5 and selling * 10 / n >= 0.3 and _distinct_share(hits.words.get(AD, ())) * selling >= 2.5:
        yield Verdict(AD, min(0.95, 0.6 + 0.05 * ad), (AD_WORDS, *_words(hits.words, AD)))
    elif selling >= 1.5 and n <= 60 and sentences == 0:
        yield Verdict(AD, 0.7, (AD_PHRASES, *_words(hits.words, AD)))
    elif n <= 20 and sentences == 0 and hits.strong_direct_ad and not hits.reporting:
        yield Verdict(AD, 0.7, (SHORT_AD, *_words(hits.words, AD)))
