"""Context passes over a document's line verdicts: neighbours, position and advertorial runs.

Line rules see one line; these passes use what surrounds it. A short line with weak ad signs next to an ad
joins the ad block; short lines in the page header next to navigation are site chrome; a standalone name
is an author line; a short line right above a photo credit is its caption. An advertorial reads like news
line by line, so it is found as a run: a two-state (article / ad) Viterbi over paragraphs, each emitting a
Poisson count of promotion and property words, with a price for switching state.
"""

from __future__ import annotations

import math

import numpy as np

from cleanse.stages.spam.features import DocumentFeatures
from cleanse.stages.spam.lexicon import surnames
from cleanse.stages.spam.normalise import code_points, han_mask
from cleanse.stages.spam.rules import (
    AD,
    ARTICLE,
    CAPTION,
    CHROME,
    CREDIT,
    FURNITURE,
    PHOTO_CREDIT,
    Verdict,
)

AD_BLOCK = "next_to_ad"
PAGE_HEADER = "page_header"
SITE_NAME = "next_to_navigation"
NAME_LINE = "standalone_name"
COLUMN_LABEL = "column_label"
ABOVE_PHOTO_CREDIT = "above_photo_credit"
ADVERTORIAL = "advertorial_run"
ADVERTORIAL_TITLE = "advertorial_title"
LINK_LIST = "under_link_list_heading"
LINK_LIST_KIND = "link_list"

ARTICLE_RATE = 0.2
"""Promotion/property lexicon weight per 100 Han characters in ordinary news."""
ADVERTORIAL_RATE = 2.5
"""The same rate inside an advertorial."""
REPORTING_PRICE = 1.5
"""Log-odds against the advertorial state per unit of reporting-cue weight in a paragraph."""
SWITCH_COST = 6.0
"""Log-odds price of entering or leaving an advertorial run."""
MIN_RUN_WEIGHT = 5.0
MIN_RUN_PARAGRAPHS = 3
NAME_SHARE = 0.6
"""Share of a run's paragraphs an advertiser name must appear in."""
BRAND_LOOKBACK = 10
"""Paragraphs just above a run (its lead, in news style) that may already name the advertiser."""
NAME_EVIDENCE = 3.0
"""Log-odds for the advertorial state of a paragraph that names the advertiser."""
TOPIC_SHARE = 0.5
TOPIC_PARAGRAPHS = 4
"""A promotion word in at least this share (and number) of a document's paragraphs is its topic, not a sales
pitch: a statute on the tobacco monopoly says 专卖 in every article, an advertorial uses many promotion words.
Its weight does not count towards advertorial runs."""


def _is_short_bare(f: DocumentFeatures, i: int, limit: int) -> bool:
    return f.length[i] <= limit and f.sentence_ends[i] == 0


def _weak_ad_sign(f: DocumentFeatures, i: int) -> bool:
    """An ad word, or no Han character at all (a code, a price, a Latin brand), or a phone number. A short
    line of Han text and figures (a date line, a row of a table) does not join an ad beside it."""
    n = max(f.length[i], 1)
    no_han = f.han[i] == 0 and f.latin[i] + f.digits[i] > 0
    phone = f.phones[i] > 0 and f.digits[i] / n >= 0.5
    return f.hits[i].weights.get(AD, 0.0) > 0 or no_han or phone


def grow_ad_blocks(verdicts: list[Verdict], f: DocumentFeatures) -> None:
    """Short lines with a weak ad sign (see ``_weak_ad_sign``) beside an ad line join it."""
    if not any(v.label == AD for v in verdicts):
        return
    candidates = [
        i for i, v in enumerate(verdicts) if v.label == ARTICLE and _is_short_bare(f, i, 40) and _weak_ad_sign(f, i)
    ]
    changed = True
    while changed and candidates:
        changed = False
        for i in candidates:
            before = i > 0 and verdicts[i - 1].label == AD
            after = i + 1 < len(verdicts) and verdicts[i + 1].label == AD
            if verdicts[i].label == ARTICLE and (before or after):
                verdicts[i] = Verdict(AD, 0.6, (AD_BLOCK,))
                changed = True


def mark_page_header(verdicts: list[Verdict], f: DocumentFeatures, header_lines: int = 5) -> None:
    """Short bare lines at the top of the page above navigation (site names) are chrome; so is a short
    first line carrying navigation or shop words before the title. A title below a breadcrumb stays, and so
    does a first line with prose right under it: that line is the title."""
    for i in range(min(header_lines, len(verdicts) - 1) - 1, -1, -1):
        if verdicts[i].label != ARTICLE or not _is_short_bare(f, i, 12) or f.commas[i]:
            continue
        above_is_chrome_or_top = i == 0 or verdicts[i - 1].label == CHROME
        if above_is_chrome_or_top and verdicts[i + 1].label == CHROME:
            verdicts[i] = Verdict(CHROME, 0.65, (SITE_NAME,))
    if len(verdicts) > 1 and verdicts[0].label == ARTICLE and _is_short_bare(f, 0, 8) and not f.sentence_ends[1]:
        weights = f.hits[0].weights
        if weights.get(CHROME) or weights.get(AD):
            verdicts[0] = Verdict(CHROME, 0.6, (PAGE_HEADER,))


def mark_link_lists(verdicts: list[Verdict], f: DocumentFeatures) -> None:
    """Short lines without sentences under a link-list heading (related news, recommended) are links."""
    for i, verdict in enumerate(verdicts):
        if verdict.label != CHROME or LINK_LIST_KIND not in f.hits[i].kinds:
            continue
        j = i + 1
        while j < len(verdicts) and verdicts[j].label == ARTICLE and _is_short_bare(f, j, 40):
            verdicts[j] = Verdict(CHROME, 0.65, (LINK_LIST,))
            j += 1


def mark_column_labels(verdicts: list[Verdict], f: DocumentFeatures) -> None:
    """A very short line with a column word (关注, 时评, 观察...) opening the page or an article is a column label."""
    for i, verdict in enumerate(verdicts):
        if verdict.label != ARTICLE or not 2 <= f.length[i] <= 6 or f.han[i] != f.length[i]:
            continue
        opens = i == 0 or verdicts[i - 1].label in (CREDIT, FURNITURE)
        if opens and f.hits[i].weights.get(FURNITURE):
            verdicts[i] = Verdict(FURNITURE, 0.55, (COLUMN_LABEL, *dict.fromkeys(f.hits[i].words[FURNITURE])))


def mark_name_lines(verdicts: list[Verdict], f: DocumentFeatures, lines: list[str]) -> None:
    """A line that is only a personal name (surname + one or two characters) below a title or beside a
    credit is an author credit; below a paragraph it is more likely a short heading."""
    single, compound = surnames()
    for i, verdict in enumerate(verdicts):
        if verdict.label != ARTICLE or f.han[i] != f.length[i] or not 2 <= f.han[i] <= 4:
            continue
        below_title = i > 0 and f.sentence_ends[i - 1] == 0
        if not below_title and not any(0 <= j < len(verdicts) and verdicts[j].label == CREDIT for j in (i - 1, i + 1)):
            continue
        name = "".join(lines[i].split())
        beside_credit = any(0 <= j < len(verdicts) and verdicts[j].label == CREDIT for j in (i - 1, i + 1))
        full_name = (len(name) == 3 and name[0] in single) or (len(name) >= 3 and name[:2] in compound)
        if full_name or (len(name) == 2 and name[0] in single and beside_credit):
            verdicts[i] = Verdict(CREDIT, 0.6, (NAME_LINE,))


def mark_captions(verdicts: list[Verdict], f: DocumentFeatures) -> None:
    """A short line directly above a photo credit is the photo's caption."""
    for i in range(len(verdicts) - 1):
        below = verdicts[i + 1]
        bare_credit = below.label == CAPTION and PHOTO_CREDIT in below.evidence and f.sentence_ends[i + 1] == 0
        if verdicts[i].label == ARTICLE and bare_credit and f.length[i] <= 30 and f.sentence_ends[i] <= 1:
            verdicts[i] = Verdict(CAPTION, 0.6, (ABOVE_PHOTO_CREDIT,))


def _looks_like_title(f: DocumentFeatures, lines: list[str], i: int) -> bool:
    return f.length[i] <= 40 and f.sentence_ends[i] <= 1 and not lines[i].rstrip().endswith("。")


_LOG_RATE_RATIO = math.log(ADVERTORIAL_RATE / ARTICLE_RATE)


def _emission(weight: np.ndarray, reporting: np.ndarray, han: np.ndarray) -> np.ndarray:
    """Log-likelihood ratio (advertorial vs article) of each paragraph: its promotion weight under a Poisson
    model, less a fixed price per reporting cue (sources, statistics, officials)."""
    promotion = weight * _LOG_RATE_RATIO - han / 100 * (ADVERTORIAL_RATE - ARTICLE_RATE)
    return promotion - REPORTING_PRICE * reporting


def _viterbi_runs(emissions: list[float]) -> list[tuple[int, int]]:
    """Runs ``[first, last]`` in the advertorial state of the best two-state path."""
    cost = SWITCH_COST
    article, advert = 0.0, -math.inf
    article_came_from: list[int] = []
    advert_came_from: list[int] = []
    from_article, from_advert = article_came_from.append, advert_came_from.append
    for emission in emissions:
        leave, enter = advert - cost, article - cost
        if article >= leave:
            from_article(0)
        else:
            from_article(1)
            article = leave
        if advert >= enter:
            from_advert(1)
            advert += emission
        else:
            from_advert(0)
            advert = enter + emission
    state = 0 if article >= advert else 1
    states = [0] * len(emissions)
    for i in range(len(emissions) - 1, -1, -1):
        states[i] = state
        state = advert_came_from[i] if state else article_came_from[i]
    runs: list[tuple[int, int]] = []
    start = None
    for i, s in enumerate([*states, 0]):
        if s == 1 and start is None:
            start = i
        elif s == 0 and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _best_segment_sum(emissions: np.ndarray) -> float:
    """The largest sum of consecutive emissions: below ``SWITCH_COST`` no advertorial run can pay for entering,
    so the Viterbi pass would find none and is skipped."""
    prefix = np.concatenate(([0.0], np.cumsum(emissions)))
    return float(np.max(prefix[1:] - np.minimum.accumulate(prefix[:-1])))


def _strong_runs(runs: list[tuple[int, int]], f: DocumentFeatures) -> list[tuple[int, int]]:
    return [
        (first, last)
        for first, last in runs
        if sum(f.hits[i].advertorial for i in range(first, last + 1)) >= MIN_RUN_WEIGHT
        and sum(1 for i in range(first, last + 1) if f.sentence_ends[i]) >= MIN_RUN_PARAGRAPHS
    ]


def advertorial_runs(f: DocumentFeatures, lines: list[str]) -> tuple[list[tuple[int, int]], set[str]]:
    """Advertorial runs ``[first, last]`` and the advertiser names found in them.

    A first Viterbi pass finds runs dense in promotion words. Their advertiser names (see
    :func:`advertiser_names`) then count as evidence in a second pass, which extends each run over the
    lead and headings that name the advertiser but use few promotion words.
    """
    count = len(f.length)
    advertorial = [h.advertorial for h in f.hits]
    if count == 0 or sum(advertorial) < MIN_RUN_WEIGHT:
        return [], set()
    advertorial = _without_topic_words(f, advertorial)
    reporting = np.array([h.reporting for h in f.hits])
    emission_array = _emission(np.array(advertorial), reporting, np.array(f.han))
    if _best_segment_sum(emission_array) < SWITCH_COST - 1e-9:
        return [], set()
    emissions: list[float] = emission_array.tolist()
    runs = _strong_runs(_viterbi_runs(emissions), f)
    names = set().union(*(advertiser_names(lines, first, last) for first, last in runs)) if runs else set()
    if names:
        for i, line in enumerate(lines):
            for name in names:
                if name in line:
                    emissions[i] += NAME_EVIDENCE
                    break
        runs = _strong_runs(_viterbi_runs(emissions), f)
    return runs, names


def _without_topic_words(f: DocumentFeatures, advertorial: list[float]) -> list[float]:
    """Each line's advertorial weight less that of the document's topic words (see ``TOPIC_SHARE``)."""
    paragraphs = [i for i, ends in enumerate(f.sentence_ends) if ends]
    if len(paragraphs) < TOPIC_PARAGRAPHS:
        return advertorial
    by_line = {i: f.hits[i].advertorial_words() for i, weight in enumerate(advertorial) if weight}
    spread: dict[int, int] = {}
    for i in paragraphs:
        for word_id in by_line.get(i, ()):
            spread[word_id] = spread.get(word_id, 0) + 1
    least = max(TOPIC_PARAGRAPHS, TOPIC_SHARE * len(paragraphs))
    topic = {word_id for word_id, lines in spread.items() if lines >= least}
    if not topic:
        return advertorial
    return [
        max(0.0, weight - sum(w for word_id, w in by_line[i].items() if word_id in topic)) if weight else weight
        for i, weight in enumerate(advertorial)
    ]


def advertiser_names(lines: list[str], first: int, last: int) -> set[str]:
    """Han bigrams that recur through a run's paragraphs and are absent from the text well above it.

    An advertorial names its developer, product or project again and again, from its lead on; ordinary
    words of the run (city, development) also occur in the news above it and are left out.
    """
    paragraphs = [lines[i] for i in range(first, last + 1) if len(lines[i]) > 40]
    if not paragraphs:
        return set()
    frequent = han_bigram_spread(paragraphs, at_least=max(3, NAME_SHARE * len(paragraphs)))
    before = "\n".join(lines[: max(first - BRAND_LOOKBACK, 0)])
    return {bigram for bigram in frequent if bigram not in before}


def han_bigram_spread(paragraphs: list[str], at_least: float = 1) -> dict[str, int]:
    """How many of ``paragraphs`` contain each bigram of two Han characters (those in ``at_least`` or more),
    counted in one array pass.

    Characters are Han as ``\\p{Han}`` of the regex module sees them (see ``normalise.han_mask``); every pair
    of neighbouring Han code points is a bigram, keyed with its paragraph so each paragraph counts once.
    """
    codes = code_points("\x00".join(paragraphs))
    han = han_mask(codes)
    at = np.flatnonzero(han[:-1] & han[1:])
    if not at.size:
        return {}
    paragraph_starts = np.cumsum([0] + [len(paragraph) + 1 for paragraph in paragraphs[:-1]])
    paragraph = np.searchsorted(paragraph_starts, at, side="right") - 1
    pairs = (codes[at].astype(np.int64) << 21) | codes[at + 1].astype(np.int64)
    found, counts = _sorted_counts(_distinct((paragraph.astype(np.int64) << 42) | pairs) & ((1 << 42) - 1))
    common = counts >= at_least
    found, counts = found[common], counts[common]
    return {
        chr(pair >> 21) + chr(pair & 0x1FFFFF): count
        for pair, count in zip(found.tolist(), counts.tolist(), strict=True)
    }


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (``np.unique`` without its hashing pass, slower on small arrays)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _sorted_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, ascending, and how often each occurs (``np.unique(..., return_counts=True)``)."""
    ordered = np.sort(values)
    firsts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[firsts], np.diff(np.append(firsts, ordered.size))


def mark_advertorials(verdicts: list[Verdict], f: DocumentFeatures, lines: list[str]) -> None:
    """Relabel article and caption lines inside an advertorial run as ads, and its title just above."""
    runs, names = advertorial_runs(f, lines)
    for first, last in runs:
        for i in range(first, last + 1):
            if verdicts[i].label in (ARTICLE, CAPTION):
                named = sorted(name for name in names if name in lines[i])
                verdicts[i] = Verdict(AD, 0.75, (ADVERTORIAL, *named))
        title = first - 1
        if title >= 0 and verdicts[title].label == ARTICLE and _looks_like_title(f, lines, title):
            named = sorted(name for name in names if name in lines[title])
            verdicts[title] = Verdict(AD, 0.65, (ADVERTORIAL_TITLE, *named))
