"""Roles: which story is the main article, what the others are, and what happens to each line.

The main article is the story the bulk of the body text belongs to, with the story that
opens the page (its title) favoured. Another story is a *continuation* when it opens
with a continuation mark, an *ad* when commercial vocabulary or the spam stage's ad
labels are dense in it, *inserted* when it sits inside the main article, else
*off_topic*. Inside the main article, captions, ellipsis lines and column labels are set
aside; lines the spam stage labelled follow the action it recorded for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from cleanse.stages.splice.layout import Kind
from cleanse.stages.splice.segmenter import Analysis, body_size, cue_strength

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
FIRST_STORY_BONUS = 1.5
AD_DENSITY = 1.2
INSERTED_MAX_UNITS = 2

_AD_CUES = regex.compile(
    r"热线|熱線|电话|電話|咨询|諮詢|微信|公众号|公眾號|扫码|掃碼|二维码|二維碼|优惠|優惠|折扣|特价|特價|促销|促銷|"
    r"抢购|搶購|热销|熱銷|尊享|品质|品質|楼盘|樓盤|楼市|樓市|户型|戶型|样板|樣板|精装|精裝|交付|业主|業主|置业|置業|"
    r"售楼|售樓|首付|月供|可贷|可貸|放款|无抵押|無抵押|无担保|無擔保|借记卡|借記卡|信用卡|理财|理財|收益率|"
    r"专家门诊|專家門診|疗效|療效|根治|预约|預約|报名|報名|地址[:：]|定价|定價|邮政编码|郵政編碼|[:：]\s*\d{3,4}[-—－]?\d{6,8}"
)


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
    lines = [_line_plan(analysis, i, roles) for i in range(len(analysis.lines))]
    return Plan(analysis, main, roles, evidence, lines)


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
            hits += len(_AD_CUES.findall(line.core))
    return 100.0 * hits / max(text_chars, 1)


def _line_plan(analysis: Analysis, i: int, roles: dict[int, str]) -> LinePlan:
    story = analysis.line_story[i] if analysis.line_story else 0
    if i in analysis.duplicates:
        return LinePlan(INSERTED, -1, False, DROP_DUPLICATE_PARAGRAPH)
    if i in analysis.repeated_headings:
        return LinePlan(FURNITURE, story, False, DROP_REPEATED_HEADING)
    role = roles.get(story, MAIN)
    if role != MAIN:
        return LinePlan(role, story, False, CUT_REASONS[role])
    label = analysis.labels[i]
    if label and label.get("label", "article") != "article":
        name = str(label["label"])
        action = str(label.get("action") or DEFAULT_LABEL_ACTIONS.get(name, "keep"))
        keep = action in ("keep", "flag")
        return LinePlan(LABEL_ROLES.get(name, FURNITURE), story, keep, None if keep else f"{action}:{name}")
    kind = analysis.kinds[i]
    if kind in (Kind.CAPTION, Kind.PHOTO_CREDIT):
        return LinePlan(CAPTION, story, False, SET_ASIDE_CAPTION)
    if kind in (Kind.ELLIPSIS, Kind.COLUMN, Kind.CONTINUATION):
        return LinePlan(FURNITURE, story, False, SET_ASIDE_FURNITURE)
    return LinePlan(MAIN, story, True)
