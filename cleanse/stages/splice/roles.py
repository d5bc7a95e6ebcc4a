"""Roles: which story is the main article, what the others are, and what happens to each line.

The main article is the story the bulk of the body text belongs to, with the story that
opens the page (its title) favoured. Another story is a *continuation* when it opens
with a continuation mark, an *ad* when commercial vocabulary or the spam stage's ad
labels are dense in it, *inserted* when it sits inside the main article, else
*off_topic*. Inside the main article, captions, ellipsis lines and column labels are set
aside; lines the spam stage labelled follow the action it recorded for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cleanse.stages.splice.layout import COLUMN_MAX_CHARS, Kind, ad_hits
from cleanse.stages.splice.segmenter import (
    AD_RATE,
    TOPIC_MIN_WEIGHT,
    Analysis,
    body_size,
    cue_strength,
    topic_bar,
    topic_coverage,
)

MAIN = "main"
OFF_TOPIC = "off_topic"
AD = "ad"
CONTINUATION = "continuation"
INSERTED = "inserted"
CAPTION = "caption"
FURNITURE = "furniture"
ROLES = (MAIN, OFF_TOPIC, AD, CONTINUATION, INSERTED, CAPTION, FURNITURE)

CUT_OFF_TOPIC = "cut_off_topic"
CUT_AD = "cut_ad"
CUT_CONTINUATION = "cut_continuation"
CUT_INSERTED = "cut_inserted"
SET_ASIDE_CAPTION = "set_aside:caption"
SET_ASIDE_FURNITURE = "set_aside:furniture"
DROP_DUPLICATE_PARAGRAPH = "drop_duplicate_paragraph"
DROP_REPEATED_HEADING = "drop_repeated_heading"
CUT_REASONS = {OFF_TOPIC: CUT_OFF_TOPIC, AD: CUT_AD, CONTINUATION: CUT_CONTINUATION, INSERTED: CUT_INSERTED}

DEFAULT_LABEL_ACTIONS = {
    "article": "keep",
    "spam": "drop",
    "ad": "drop",
    "chrome": "drop",
    "notice": "drop",
    "credit": "set_aside",
    "caption": "set_aside",
    "furniture": "set_aside",
}
LABEL_ROLES = {"caption": CAPTION, "ad": AD, "spam": AD}
STORY_LABELS = ("article", "credit", "furniture")  # a cut story keeps its own byline, dateline, marks
FIRST_STORY_BONUS = 1.5
AD_DENSITY = AD_RATE
INSERTED_MAX_UNITS = 2
#: a story is an ad on the spam stage's word when most of its text is on lines it labelled ad; an ad line or
#: two inside a section are dropped by their own label and are no evidence that the section is another story
AD_LABEL_SHARE = 0.5
#: layout that only another story brings; headings and label lines are not in it (see docs/splice.md)
#: what a column label is followed by (a title or more furniture), as opposed to a one-line sub-heading
COLUMN_FOLLOWERS = (Kind.HEADING, Kind.KICKER, Kind.COLUMN, Kind.CHROME)
#: cues and line kinds of a sub-heading: a heading or a short label line followed by body text
SUB_HEADINGS = ("heading", "markup_heading", "column_label")
SECTION_HEADING_KINDS = (Kind.HEADING, Kind.COLUMN)
#: a story nothing but its topic sets apart is cut only when the rest of the page shares less than this share
#: of the topic bar of its vocabulary (see :func:`keep_stories_shown_by_topic_only`)
TOPIC_ALONE_SHARE = 0.5
STORY_CUES = frozenset({"continuation_mark", "jump_mark", "closing_dateline", "opening_dateline", "byline", "kicker"})


@dataclass(frozen=True, slots=True)
class LinePlan:
    """What happens to one line: its role, whether it stays in the main text, and why not."""

    role: str
    story: int
    keep: bool
    reason: str | None = None


@dataclass(slots=True)
class Plan:
    """The roles of the stories and lines of one analysed text."""

    analysis: Analysis
    main_story: int
    story_roles: dict[int, str]
    story_evidence: dict[int, tuple[str, ...]]
    lines: list[LinePlan]


def plan(analysis: Analysis) -> Plan:
    """Assign a role to every story and line of ``analysis``."""
    stories = sorted(set(analysis.unit_story)) or [0]
    opening = analysis.unit_story[0] if analysis.unit_story else 0
    main = max(stories, key=lambda s: body_size(analysis, s) * (FIRST_STORY_BONUS if s == opening else 1.0))
    evidence = _story_evidence(analysis)
    roles = {s: MAIN if s == main else _story_role(analysis, s, main, evidence) for s in stories}
    for _ in range(len(stories)):  # what rejoins the article is judged with it, as a second run would see it
        kept = [
            s for s in stories if roles[s] != MAIN and not has_evidence_of_another_story(analysis, s, evidence, main)
        ]
        if not kept:
            break
        _merge_into(analysis, kept, main)
        stories = [s for s in stories if s not in kept]
        roles = {s: roles[s] for s in stories}
        evidence = {s: cues for s, cues in evidence.items() if s in stories}
    lines = [_line_plan(analysis, i, roles) for i in range(len(analysis.lines))]
    _set_aside_column_labels(analysis, lines)
    return Plan(analysis, main, roles, evidence, lines)


def has_evidence_of_another_story(
    analysis: Analysis, story: int, evidence: dict[int, tuple[str, ...]], main: int | None = None
) -> bool:
    """Whether a story the segmentation set apart shows that it is not part of the page's article.

    Evidence is layout that only another story brings (its own dateline, byline or kicker, a continuation
    or jump mark), the spam stage's ad labels on most of its text, a paragraph duplicated elsewhere, or a topic
    the rest of the page does not share: at least ``TOPIC_MIN_WEIGHT`` of vocabulary of which the rest of
    the page's body text shares less than :func:`~.segmenter.topic_bar` (more on a page whose layout shows
    several stories: there a splice is likelier). Headings and short label lines are no evidence:
    sub-headings inside one article look the same (``基本案情``, ``专家提醒节约用电``).
    """
    if any(cue in STORY_CUES for cue in evidence.get(story, ())):
        return True
    if _ads_or_marks(analysis, [i for i, s in enumerate(analysis.line_story) if s == story]):
        return True
    units = {k for k, number in enumerate(analysis.unit_story) if number == story}
    if not units:  # no body text at all (ad, chrome or caption lines): nothing of an article to keep
        return True
    if main is not None and is_section(analysis, units, main):
        return False
    shared, weight = topic_coverage(analysis, units)
    return weight >= TOPIC_MIN_WEIGHT and shared < topic_bar(analysis)


def shows_only_its_topic(analysis: Analysis, story: int, evidence: dict[int, tuple[str, ...]]) -> bool:
    """Whether a story set apart from the article shows nothing of another story but its topic: no layout cue
    where it opens (a dateline, byline, kicker, continuation or jump mark, but also a heading or column label),
    no ad labels on most of it.

    A topic the rest of the page does not share is the weakest evidence there is: a feature that turns to a
    second scene or a report that adds a related item reads the same (about 1% of clean People's Daily stories).
    """
    if any(cue != "lexical_cohesion" for cue in evidence.get(story, ())):
        return False
    members = [i for i, s in enumerate(analysis.line_story) if s == story]
    return bool(members) and not _ads_or_marks(analysis, members)


def _ads_or_marks(analysis: Analysis, members: list[int]) -> bool:
    """Whether a story's lines are mostly labelled ad, or its first lines carry a continuation or jump mark or
    open with a dateline: evidence of another story that is not layout between stories."""
    if labelled_ad_share(analysis, members) >= AD_LABEL_SHARE:
        return True
    marks = (Kind.CONTINUATION, Kind.JUMP)
    return any(analysis.kinds[i] in marks or analysis.lines[i].opens_with_dateline for i in members[:3])


def keep_stories_shown_by_topic_only(result: Plan) -> set[int]:
    """Give back to the article the off-topic and inserted stories that only their topic sets apart (see
    :func:`shows_only_its_topic`) unless the rest of the page shares less than ``TOPIC_ALONE_SHARE`` of the
    bar of their vocabulary (a clear change of subject): the stage flags them and keeps them. Returns the
    stories kept."""
    analysis = result.analysis
    bar = topic_bar(analysis) * TOPIC_ALONE_SHARE
    kept = set()
    for story, role in result.story_roles.items():
        if role not in (OFF_TOPIC, INSERTED) or not shows_only_its_topic(analysis, story, result.story_evidence):
            continue
        units = {k for k, number in enumerate(analysis.unit_story) if number == story}
        if topic_coverage(analysis, units)[0] >= bar:
            kept.add(story)
    if kept:
        roles = {story: MAIN if story in kept else role for story, role in result.story_roles.items()}
        result.story_roles = roles
        result.lines = [_line_plan(analysis, i, roles) for i in range(len(analysis.lines))]
        _set_aside_column_labels(analysis, result.lines)
    return kept


def is_section(analysis: Analysis, units: set[int], main: int) -> bool:
    """Whether a story is a section of the main article by its layout: inside it, or among its closing sections."""
    return is_headed_section(analysis, units, main) or is_closing_section(analysis, units, main)


def is_headed_section(analysis: Analysis, units: set[int], main: int) -> bool:
    """Whether a story without layout of its own is a section of the main article: it lies inside that
    article (main text before and after it), a heading opens it, and either a heading opens the text after
    it (sections under sub-headings run from one heading to the next: ``第九条 ...`` items, ``二、主要做法``)
    or it is longer than a brief: a brief laid into an article under its own title is one or two paragraphs
    and has no heading where the article resumes."""
    first, last = min(units), max(units)
    stories = analysis.unit_story
    if first == 0 or last >= len(stories) - 1 or main not in stories[:first] or main not in stories[last + 1 :]:
        return False
    opening, closing = analysis.gap_cues[first - 1], analysis.gap_cues[last]
    if not any(cue in SUB_HEADINGS for cue in opening):
        return False
    return any(cue in SUB_HEADINGS for cue in closing) or len(units) > INSERTED_MAX_UNITS


def is_closing_section(analysis: Analysis, units: set[int], main: int) -> bool:
    """Whether a story without layout of its own among the sections that close the page is one of the article's
    last sections (an explainer, a Q&A, ``典型意义``, ``相关链接``): the article before it is laid out in sections
    under sub-headings, and from the end of the article to the end of the page every story opens with one
    sub-heading line alone (a new story brings a title and more: a subtitle, a byline, a dateline) no longer
    than the article's own sub-headings (a title is), so this story is one of them."""
    first = min(units)
    stories = analysis.unit_story
    if first == 0 or main not in stories[:first] or main in stories[first:]:
        return False
    start = max(k for k in range(first) if stories[k] == main) + 1
    sub_headings = [
        len(analysis.lines[i].core)
        for k in range(start - 1)
        if stories[k + 1] == main
        for i in _lines_between(analysis, k)
        if analysis.kinds[i] in SECTION_HEADING_KINDS
    ]
    if not sub_headings:
        return False
    longest = max(*sub_headings, COLUMN_MAX_CHARS)
    for k in (k for k in range(start, len(stories)) if stories[k] != stories[k - 1]):
        between = _lines_between(analysis, k - 1)
        heading = between[0] if len(between) == 1 else None
        if heading is None or analysis.kinds[heading] not in SECTION_HEADING_KINDS:
            return False
        if len(analysis.lines[heading].core) > longest or analysis.lines[analysis.units[k][0]].opens_with_dateline:
            return False
    return True


def _lines_between(analysis: Analysis, gap: int) -> list[int]:
    """The non-empty lines between paragraph unit ``gap`` and the next one (dropped copies left out)."""
    before, after = analysis.units[gap][-1], analysis.units[gap + 1][0]
    skipped = analysis.duplicates.keys() | analysis.repeated_headings.keys()
    return [j for j in range(before + 1, after) if analysis.lines[j].core and j not in skipped]


def _merge_into(analysis: Analysis, stories: list[int], main: int) -> None:
    """Give the units and lines of ``stories`` to the ``main`` story: they are sections of the article."""
    merged = set(stories)
    analysis.unit_story = [main if s in merged else s for s in analysis.unit_story]
    analysis.line_story = [main if s in merged else s for s in analysis.line_story]


def _story_evidence(analysis: Analysis) -> dict[int, tuple[str, ...]]:
    evidence: dict[int, tuple[str, ...]] = {}
    for k, cues in enumerate(analysis.gap_cues):
        before, after = analysis.unit_story[k], analysis.unit_story[k + 1]
        if before != after and after not in evidence:
            evidence[after] = cues + ("lexical_cohesion",)
    return evidence


def _story_role(analysis: Analysis, story: int, main: int, evidence: dict[int, tuple[str, ...]]) -> str:
    members = [i for i, s in enumerate(analysis.line_story) if s == story]
    if "continuation_mark" in evidence.get(story, ()) or any(
        analysis.kinds[i] is Kind.CONTINUATION for i in members[:3]
    ):
        return CONTINUATION
    if ad_density(analysis, members) >= AD_DENSITY:
        return AD
    main_lines = [i for i, s in enumerate(analysis.line_story) if s == main]
    units = sum(1 for s in analysis.unit_story if s == story)
    inside = bool(main_lines) and main_lines[0] < members[0] and members[-1] < main_lines[-1]
    weak = cue_strength(evidence.get(story, ())) < 2.0
    if inside and weak and units <= INSERTED_MAX_UNITS:
        return INSERTED
    return OFF_TOPIC


def labelled_ad_share(analysis: Analysis, members: list[int]) -> float:
    """The share of the lines' characters on lines the spam stage labelled ad or spam."""
    total = labelled = 0
    for i in members:
        size = len(analysis.lines[i].core)
        total += size
        label = analysis.labels[i]
        if label and label.get("label") in ("ad", "spam"):
            labelled += size
    return labelled / total if total else 0.0


def ad_density(analysis: Analysis, members: list[int]) -> float:
    """Commercial cue words per 100 characters of the given lines; lines labelled ad count in full."""
    text_chars = 0
    hits = 0.0
    for i in members:
        line = analysis.lines[i]
        text_chars += len(line.core)
        label = analysis.labels[i]
        if label and label.get("label") in ("ad", "spam"):
            hits += len(line.core) / 100 * AD_DENSITY * 2
        else:
            hits += ad_hits(line.core)
    return 100.0 * hits / max(text_chars, 1)


def _line_plan(analysis: Analysis, i: int, roles: dict[int, str]) -> LinePlan:
    story = analysis.line_story[i] if analysis.line_story else 0
    if i in analysis.duplicates:
        return LinePlan(INSERTED, -1, False, DROP_DUPLICATE_PARAGRAPH)
    if i in analysis.repeated_headings:
        return LinePlan(FURNITURE, story, False, DROP_REPEATED_HEADING)
    role = roles.get(story, MAIN)
    label = analysis.labels[i]
    name = str(label.get("label", "article")) if label else "article"
    if role != MAIN:
        labelled = LABEL_ROLES.get(name, FURNITURE) if name not in STORY_LABELS else role
        return LinePlan(labelled, story, False, CUT_REASONS.get(labelled, CUT_REASONS[role]))
    if label and name != "article":
        action = str(label.get("action") or DEFAULT_LABEL_ACTIONS.get(name, "keep"))
        keep = action in ("keep", "flag")
        return LinePlan(LABEL_ROLES.get(name, FURNITURE), story, keep, None if keep else f"{action}:{name}")
    kind = analysis.kinds[i]
    if kind in (Kind.CAPTION, Kind.PHOTO_CREDIT):
        return LinePlan(CAPTION, story, False, SET_ASIDE_CAPTION)
    if kind in (Kind.ELLIPSIS, Kind.CONTINUATION, Kind.JUMP):
        return LinePlan(FURNITURE, story, False, SET_ASIDE_FURNITURE)
    return LinePlan(MAIN, story, True)


def label_keeps(label: Mapping[str, Any] | None) -> bool:
    """Whether a line with this spam label stays in an article (no label, ``article``, or a keep/flag action)."""
    if not label or label.get("label", "article") == "article":
        return True
    name = str(label.get("label"))
    return str(label.get("action") or DEFAULT_LABEL_ACTIONS.get(name, "keep")) in ("keep", "flag")


def _set_aside_column_labels(analysis: Analysis, lines: list[LinePlan]) -> None:
    """A short label line kept in the main text is a column label (furniture) when the line that follows it
    in the cleaned text is a title or other furniture.

    "Follows in the cleaned text": the next line this stage keeps, not the next line of the page, so that
    the decision is the same when the stage runs again on its own output (a label line before an ad that
    is dropped would otherwise be set aside only on the second pass). Read from the last line up, a label
    before another label that is set aside sees what follows that one.
    """
    following: Kind | None = None
    for i in range(len(lines) - 1, -1, -1):
        decision = lines[i]
        if not decision.keep:
            continue
        kind = analysis.kinds[i]
        if decision.role == MAIN and kind is Kind.COLUMN and following in COLUMN_FOLLOWERS:
            lines[i] = LinePlan(FURNITURE, decision.story, False, SET_ASIDE_FURNITURE)
            continue
        following = kind
