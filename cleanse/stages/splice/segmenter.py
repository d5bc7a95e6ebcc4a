"""Find the stories a page is made of: duplicates, layout breaks, paragraph units, boundaries.

The order of work matters and follows what a reader would do with a cut-up page:

1. read each line's layout kind, corrected by the spam stage's label when there is one;
2. drop a paragraph duplicated elsewhere in the page where it does not belong (the copy
   whose neighbours are least like it) and a heading repeated out of place;
3. re-join paragraphs broken mid-sentence, also across a caption (:mod:`.mending`);
4. split the paragraph units into stories with one dynamic programme over lexical
   cohesion, where each gap's boundary penalty is lowered by the layout cues in it
   (datelines, continuation marks, kickers, bylines, column labels, headings);
5. merge a story that resumes after an insertion (A B A) back into one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from cleanse.stages.splice import cohesion, insertions
from cleanse.stages.splice.duplicates import misplaced_duplicates, repeated_headings_out_of_place
from cleanse.stages.splice.insertions import STRONG_CUE
from cleanse.stages.splice.layout import HEADING_MAX_CHARS, Kind, Line, ad_hits, body_chars, split_lines
from cleanse.stages.splice.mending import joined, should_mend

LABEL_KINDS = {
    "caption": Kind.CAPTION,
    "credit": Kind.CREDIT,
    "chrome": Kind.CHROME,
    "notice": Kind.NOTICE,
    "ad": Kind.AD,
    "spam": Kind.AD,
}
LAYOUT_FURNITURE = (Kind.DATELINE, Kind.CONTINUATION, Kind.JUMP, Kind.ELLIPSIS, Kind.COLUMN, Kind.KICKER)
CROSSABLE = (Kind.CAPTION, Kind.PHOTO_CREDIT, Kind.AD, Kind.CHROME, Kind.NOTICE)
CUE_WEIGHTS = {
    "continuation_mark": 3.0,
    "closing_dateline": 3.0,
    "jump_mark": 3.0,
    "opening_dateline": 3.0,
    "kicker": 2.5,
    "byline": 2.0,
    "column_label": 2.0,
    "markup_heading": 0.4,
    "heading": 0.2,
    "ad_lines": 0.5,
}
LEAD_MAX_UNITS = 2
#: spam label actions that take a line out of the article
REMOVING = ("drop", "set_aside")
#: line kinds that show a page is laid out with several stories (a newspaper page, a portal's front page)
STORY_KINDS = frozenset({Kind.BYLINE, Kind.KICKER, Kind.DATELINE, Kind.CONTINUATION, Kind.JUMP})
#: a story without layout of its own is cut only when the rest of the page shares less than this share of its
#: vocabulary (the higher bar on a page whose layout shows other stories), and it has at least this much
#: vocabulary (commonness-weighted bigrams) to tell; see docs/splice.md
TOPIC_SHARED = 0.10
TOPIC_SHARED_LAID_OUT = 0.15
TOPIC_MIN_WEIGHT = 25.0
TOPIC_MIN_REST = 150.0
RESUME_MARGIN = 0.1
MAX_WINDOW_UNITS = 400
AD_RATE = 1.2


@dataclass(frozen=True, slots=True)
class Tuning:
    """The numbers the segmentation runs on (see docs/splice.md for how they were chosen).

    The ``laid_out_*`` ratios replace ``outlier_ratio`` and ``insertion_ratio`` on a page with a
    strong layout cue (a dateline, a continuation mark, a byline): there spliced text mostly
    brings its own layout, and the cue-free tests for an insertion are kept for clear cases.
    """

    boundary_margin: float = 0.08
    cue_weight: float = 0.35
    merge_similarity: float = 0.12
    outlier_ratio: float = 0.3
    resume_margin: float = 0.05
    insertion_flow: float = 0.3
    insertion_ratio: float = 0.2
    laid_out_outlier_ratio: float = 0.1
    laid_out_insertion_ratio: float = 0.1


@dataclass(slots=True)
class Analysis:
    """Everything the segmenter found on one text; roles are assigned from it by :mod:`.roles`."""

    text: str
    lines: list[Line]
    kinds: list[Kind]
    labels: list[dict[str, Any] | None]
    units: list[list[int]] = field(default_factory=list)
    unit_story: list[int] = field(default_factory=list)
    line_story: list[int] = field(default_factory=list)
    gap_cues: list[tuple[str, ...]] = field(default_factory=list)
    mends: list[tuple[int, int]] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)
    repeated_headings: dict[int, int] = field(default_factory=dict)
    #: the body lines the mending step looked at (before short open lines left unmended became headings)
    mend_candidates: frozenset[int] = frozenset()
    vocabulary: PageVocabulary | None = None

    def page_vocabulary(self) -> PageVocabulary:
        """The Han bigrams of every paragraph unit, built once per page (the topic tests ask many times)."""
        if self.vocabulary is None:
            self.vocabulary = PageVocabulary(self)
        return self.vocabulary


class PageVocabulary:
    """Bigram counts per paragraph unit and for the whole page, so a unit set's coverage by the rest of the
    page costs the set's own vocabulary, not the page's."""

    def __init__(self, analysis: Analysis) -> None:
        lines = analysis.lines
        texts = ["\n".join(lines[i].text for i in unit) for unit in analysis.units]
        self.units = [cohesion.han_bigrams(text) for text in texts]
        self.total = cohesion.han_bigrams("\n".join(texts))
        self.total_weight = cohesion.weighted_size(self.total)

    def of(self, units: Iterable[int]) -> dict[str, int]:
        """The bigram counts of ``units`` together, in page order."""
        merged: dict[str, int] = {}
        for unit in sorted(units):
            for pair, count in self.units[unit].items():
                merged[pair] = merged.get(pair, 0) + count
        return merged

    def coverage_by_rest(self, units: Iterable[int]) -> tuple[float, float, float]:
        """:func:`cohesion.coverage` of ``units`` by all the other units of the page."""
        own = self.of(units)
        rest = {pair: self.total[pair] - count for pair, count in own.items() if self.total[pair] > count}
        shared, weight = cohesion.coverage(own, rest)
        rest_weight = self.total_weight - cohesion.weighted_size(own, minus=rest, total=self.total)
        return shared, weight, rest_weight


def analyse(text: str, labels: Sequence[Mapping[str, Any]] | None = None, tuning: Tuning | None = None) -> Analysis:
    """Run steps 1-5 on ``text``; ``labels`` are the spam stage's line labels (dicts with start, end, label)."""
    tuning = tuning or Tuning()
    lines = split_lines(text)
    line_labels = _align_labels(lines, labels)
    kinds = _kinds(lines, line_labels)
    analysis = Analysis(text=text, lines=lines, kinds=kinds, labels=line_labels)
    removed = frozenset(i for i, label in enumerate(line_labels) if label and label.get("action") in REMOVING)
    analysis.repeated_headings = repeated_headings_out_of_place(lines, kinds, removed)
    for i in analysis.repeated_headings:
        kinds[i] = Kind.ELLIPSIS
    body = [i for i, kind in enumerate(kinds) if kind is Kind.BODY]
    analysis.duplicates = misplaced_duplicates(text, lines, body)
    body = [i for i in body if i not in analysis.duplicates]
    analysis.mends = _mends(analysis, body)
    analysis.mend_candidates = frozenset(body)
    _demote_open_short_lines(analysis, body)
    body = [i for i in body if analysis.kinds[i] is Kind.BODY]
    analysis.units = _units(body, analysis.mends)
    _find_stories(analysis, tuning)
    return analysis


def _align_labels(lines: list[Line], labels: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any] | None]:
    if not labels:
        return [None] * len(lines)
    by_start = {int(label["start"]): dict(label) for label in labels}
    return [by_start.get(line.start) for line in lines]


def _kinds(lines: list[Line], labels: list[dict[str, Any] | None]) -> list[Kind]:
    kinds = [line.kind for line in lines]
    for i, label in enumerate(labels):
        name = label.get("label") if label else None
        if name in LABEL_KINDS and kinds[i] not in LAYOUT_FURNITURE:
            kinds[i] = LABEL_KINDS[name]
        elif name == "furniture" and kinds[i] in (Kind.BODY, Kind.HEADING):
            kinds[i] = Kind.COLUMN
    for i in range(len(lines) - 1):
        if kinds[i + 1] is Kind.PHOTO_CREDIT and kinds[i] is Kind.BODY and len(lines[i].core) <= 60:
            kinds[i] = Kind.CAPTION
    return kinds


def _mends(analysis: Analysis, body: list[int]) -> list[tuple[int, int]]:
    lines, kinds = analysis.lines, analysis.kinds
    mends: list[tuple[int, int]] = []
    current = lines[body[0]] if body else None
    for first, second in zip(body, body[1:], strict=False):
        between = range(first + 1, second)
        if (
            current is not None
            and all(kinds[j] in CROSSABLE or j in analysis.duplicates for j in between)
            and should_mend(current, lines[second])
        ):
            mends.append((first, second))
            current = joined(current, lines[second])
        else:
            current = lines[second]
    return mends


def _demote_open_short_lines(analysis: Analysis, body: list[int]) -> None:
    """A short body line left open and not re-joined is a heading after all (e.g. one with a comma).

    So is a run of re-joined lines that, joined, is still a short open line: on the stage's own output that
    line would stand alone and be read as a heading, so its parts are not joined and are headings now.
    """
    lines = analysis.lines
    chains: list[list[int]] = []
    for first, second in analysis.mends:
        if chains and chains[-1][-1] == first:
            chains[-1].append(second)
        else:
            chains.append([first, second])
    for chain in chains:
        if not lines[chain[-1]].ends_sentence and sum(len(lines[i].core) for i in chain) <= HEADING_MAX_CHARS:
            analysis.mends = [pair for pair in analysis.mends if pair[0] not in chain[:-1]]
            analysis.mend_candidates = analysis.mend_candidates - set(chain)
    mended = {i for pair in analysis.mends for i in pair}
    for i in body:
        line = analysis.lines[i]
        if i not in mended and not line.ends_sentence and len(line.core) <= HEADING_MAX_CHARS:
            analysis.kinds[i] = Kind.HEADING


def _units(body: list[int], mends: list[tuple[int, int]]) -> list[list[int]]:
    joined_to_next = {first for first, _ in mends}
    units: list[list[int]] = []
    current: list[int] = []
    for i in body:
        current.append(i)
        if i not in joined_to_next:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def gap_cues(analysis: Analysis, before: int, after: int) -> tuple[str, ...]:
    """The layout cues on the lines between body lines ``before`` and ``after`` (and on ``after`` itself)."""
    kinds = analysis.kinds
    cues: list[str] = []
    for j in range(before + 1, after):
        if j in analysis.duplicates or j in analysis.repeated_headings:
            continue
        kind = kinds[j]
        if kind is Kind.CONTINUATION:
            cues.append("continuation_mark")
        elif kind is Kind.DATELINE:
            cues.append("closing_dateline")
        elif kind is Kind.JUMP:
            cues.append("jump_mark")
        elif kind is Kind.KICKER:
            cues.append("kicker")
        elif kind in (Kind.BYLINE, Kind.CREDIT):
            cues.append("byline")
        elif kind is Kind.COLUMN:
            cues.append("column_label")
        elif kind is Kind.HEADING:
            cues.append("markup_heading" if analysis.lines[j].markup_heading else "heading")
        elif kind is Kind.AD:
            cues.append("ad_lines")
    if analysis.lines[after].opens_with_dateline:
        cues.append("opening_dateline")
    return tuple(dict.fromkeys(cues))


def cue_strength(cues: Sequence[str]) -> float:
    return sum(CUE_WEIGHTS.get(cue, 0.0) for cue in cues)


def _find_stories(analysis: Analysis, tuning: Tuning) -> None:
    units, lines = analysis.units, analysis.lines
    if not units:
        analysis.line_story = [0] * len(lines)
        return
    spans = [[(lines[i].start, lines[i].end) for i in unit] for unit in units]
    vectors = cohesion.bigram_vectors(analysis.text, spans)
    cues = [gap_cues(analysis, units[k][-1], units[k + 1][0]) for k in range(len(units) - 1)]
    analysis.gap_cues = cues
    strength = [cue_strength(c) for c in cues]
    boundaries = _boundaries(vectors, cues, tuning)
    boundaries = insertions.resumptions(vectors, boundaries, strength, tuning)
    blocks = np.split(np.arange(len(units)), boundaries)
    commercial = [_ad_rate(analysis, [i for u in block for i in units[int(u)]]) >= AD_RATE for block in blocks]
    merged = _merge_blocks(vectors, blocks, cues, commercial, tuning)
    if any(s >= STRONG_CUE for s in strength):  # a laid-out page
        tuning = replace(
            tuning, outlier_ratio=tuning.laid_out_outlier_ratio, insertion_ratio=tuning.laid_out_insertion_ratio
        )
    merged = insertions.split_off_outliers(vectors, merged, strength, tuning)
    sizes = [sum(body_chars(lines[i]) for i in unit) for unit in units]
    analysis.unit_story = insertions.split_off_insertions(vectors, merged, strength, sizes, tuning)
    analysis.unit_story = _split_off_headed_briefs(analysis, cues)
    analysis.line_story = _story_per_line(analysis)


def topic_bar(analysis: Analysis) -> float:
    """The share of a story's vocabulary the rest of its page must reach for the story to be one of its sections.

    Lower on a page that shows no layout of several stories (a plain article), higher on one that does.
    """
    laid_out = any(kind in STORY_KINDS for kind in analysis.kinds)
    return TOPIC_SHARED_LAID_OUT if laid_out else TOPIC_SHARED


def topic_coverage(analysis: Analysis, members: set[int]) -> tuple[float, float]:
    """:func:`cohesion.coverage` of the units in ``members`` by the other body units of the page, and how much
    vocabulary there is to tell: the members' own, or nothing when the rest of the page is too short to show
    what it shares (``TOPIC_MIN_REST``; a short article's sections share few words with each other)."""
    shared, weight, rest_weight = analysis.page_vocabulary().coverage_by_rest(members)
    return shared, weight if rest_weight >= TOPIC_MIN_REST else 0.0


def _split_off_headed_briefs(analysis: Analysis, cues: list[tuple[str, ...]]) -> list[int]:
    """A brief laid into an article under its own title: a heading, one or two paragraphs, then the article
    goes on with no heading at all (a section would run to the next heading), and the page shares little
    of the brief's vocabulary. Such a run becomes a story of its own (the roles step still asks for the
    same evidence of every story it cuts)."""
    story = list(analysis.unit_story)
    bar = topic_bar(analysis)
    next_story = max(story, default=-1) + 1
    count = len(story)
    k = 1
    while k < count - 1:
        opening = cues[k - 1]
        if not any(cue in ("heading", "markup_heading") for cue in opening) or cue_strength(opening) >= STRONG_CUE:
            k += 1
            continue
        best: tuple[float, int] | None = None
        for length in (1, 2):
            last = k + length - 1
            if last >= count - 1 or cues[last] or any(story[u] != story[k - 1] for u in range(k, last + 2)):
                continue
            shared, weight = topic_coverage(analysis, set(range(k, last + 1)))
            if weight < TOPIC_MIN_WEIGHT or shared >= bar or not _resumes_before(analysis, k, last):
                continue
            if best is None or shared < best[0]:
                best = (shared, length)
        if best is None:
            k += 1
            continue
        for u in range(k, k + best[1]):
            story[u] = next_story
        next_story += 1
        k += best[1] + 1
    return story


def _resumes_before(analysis: Analysis, first: int, last: int) -> bool:
    """Whether the paragraph after units ``first..last`` reads on from the text before them rather than from
    them (what a section's next paragraph does with its own first one), by ``RESUME_MARGIN``."""

    vocabulary = analysis.page_vocabulary()
    after = vocabulary.of(range(last + 1, last + 2))
    from_before = cohesion.coverage(after, vocabulary.of(range(max(0, first - 3), first)))[0]
    from_run = cohesion.coverage(after, vocabulary.of(range(first, last + 1)))[0]
    return from_before >= from_run + RESUME_MARGIN


def _ad_rate(analysis: Analysis, members: list[int]) -> float:
    chars = sum(len(analysis.lines[i].core) for i in members)
    return 100.0 * sum(ad_hits(analysis.lines[i].core) for i in members) / max(chars, 1)


def _boundaries(vectors: np.ndarray, cues: list[tuple[str, ...]], tuning: Tuning) -> list[int]:
    """Optimal boundaries, window by window on very long pages (the programme is quadratic in memory).

    A window edge is a provisional boundary; the merge step rejoins the two sides when nothing
    but the window parted them.
    """
    boundaries: list[int] = []
    for start in range(0, vectors.shape[0], MAX_WINDOW_UNITS):
        stop = min(start + MAX_WINDOW_UNITS, vectors.shape[0])
        gram = cohesion.similarity(vectors[start:stop])
        base = cohesion.split_cost(gram) + tuning.boundary_margin
        penalties = [base - tuning.cue_weight * cue_strength(c) for c in cues[start : stop - 1]]
        if start:
            boundaries.append(start)
        boundaries.extend(start + b for b in cohesion.segment(gram, penalties))
    return boundaries


def _merge_blocks(
    vectors: np.ndarray,
    blocks: list[np.ndarray],
    cues: list[tuple[str, ...]],
    commercial: list[bool],
    tuning: Tuning,
) -> list[int]:
    """Story number per unit: a block without a strong cue before it rejoins an earlier story it resembles.

    Advertising never merges into news (nor news into advertising), however alike the words.
    """
    story_of_unit = [0] * vectors.shape[0]
    centroids: list[np.ndarray] = []
    story_commercial: list[bool] = []
    for block, is_ad in zip(blocks, commercial, strict=True):
        centroid = vectors[block].sum(axis=0)
        norm = float(np.linalg.norm(centroid)) or 1.0
        centroid = centroid / norm
        first = int(block[0])
        cue = cue_strength(cues[first - 1]) if first > 0 else 0.0
        story = len(centroids)
        if centroids and cue < STRONG_CUE:
            scores = [
                float(c @ centroid) if ad == is_ad else -1.0 for c, ad in zip(centroids, story_commercial, strict=True)
            ]
            candidate = int(np.argmax(scores))
            if scores[candidate] >= tuning.merge_similarity:
                story = candidate
        if story == len(centroids):
            centroids.append(centroid)
            story_commercial.append(is_ad)
        else:
            merged = centroids[story] + centroid
            centroids[story] = merged / (float(np.linalg.norm(merged)) or 1.0)
        for unit in block:
            story_of_unit[int(unit)] = story
    return _attach_lead(story_of_unit, blocks, cues, centroids, tuning)


def _attach_lead(
    story_of_unit: list[int],
    blocks: list[np.ndarray],
    cues: list[tuple[str, ...]],
    centroids: list[np.ndarray],
    tuning: Tuning,
) -> list[int]:
    """A short opening block (title and lead) belongs to the story after it unless a strong cue parts them.

    A lead paragraph or two summarise the whole article, so they share fewer words with
    any one section than sections share with each other; half the merge similarity is asked.
    """
    if len(blocks) < 2 or len(blocks[0]) > LEAD_MAX_UNITS:
        return story_of_unit
    lead, following = story_of_unit[0], story_of_unit[int(blocks[1][0])]
    if lead == following or cue_strength(cues[int(blocks[1][0]) - 1]) >= STRONG_CUE:
        return story_of_unit
    if any(story_of_unit[int(u)] == lead for block in blocks[1:] for u in block):
        return story_of_unit
    if float(centroids[lead] @ centroids[following]) < tuning.merge_similarity / 2:
        return story_of_unit
    return [following if story == lead else story for story in story_of_unit]


def _story_per_line(analysis: Analysis) -> list[int]:
    """Attach every line to a story: body lines by their unit, the lines between stories by layout."""
    lines, kinds = analysis.lines, analysis.kinds
    story = [-1] * len(lines)
    anchors: list[tuple[int, int]] = []
    for unit, number in zip(analysis.units, analysis.unit_story, strict=True):
        for i in range(unit[0], unit[-1] + 1):
            story[i] = number
        anchors.append((unit[0], unit[-1]))
    first_line, _ = anchors[0]
    for i in range(first_line):
        story[i] = analysis.unit_story[0]
    for k in range(len(anchors) - 1):
        before, after = anchors[k][1], anchors[k + 1][0]
        left, right = analysis.unit_story[k], analysis.unit_story[k + 1]
        cut = after if left == right else _split_point(kinds, lines, before + 1, after)
        for j in range(before + 1, after):
            if story[j] == -1:
                story[j] = left if j < cut else right
    last = anchors[-1][1]
    for j in range(last + 1, len(lines)):
        story[j] = analysis.unit_story[-1]
    for j in analysis.duplicates:
        story[j] = -1
    return story


def _split_point(kinds: list[Kind], lines: list[Line], start: int, stop: int) -> int:
    """Where the lines between two stories change hands: the first line that opens the next story."""
    run = range(start, stop)
    closing = [j for j in run if kinds[j] in (Kind.DATELINE, Kind.JUMP)]
    if closing:
        return closing[-1] + 1
    for wanted in ((Kind.CONTINUATION, Kind.KICKER, Kind.COLUMN), (Kind.HEADING,), (Kind.BYLINE, Kind.CREDIT)):
        for j in run:
            if kinds[j] in wanted:
                return j
    return stop


def body_size(analysis: Analysis, story: int) -> int:
    """Han characters of body text in one story."""
    pairs = zip(analysis.units, analysis.unit_story, strict=True)
    return sum(body_chars(analysis.lines[i]) for unit, number in pairs if number == story for i in unit)
