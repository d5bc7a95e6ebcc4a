"""The ``splice`` stage: keep the main article, cut the rest out, mend layout breaks.

Every change is an :class:`~cleanse.document.Edit` with a reason: a cut line
(``cut_off_topic``, ``cut_ad``, ``cut_continuation``, ``cut_inserted``), a line set aside
(``set_aside:caption``), a dropped duplicate (``drop_duplicate_paragraph``,
``drop_repeated_heading``), a mended break (``mend_layout_break``) or the blank lines a
cut leaves behind (``collapse_gap``). Lines the spam stage labelled and deferred get its
action and reason (``drop:ad``, ``set_aside:credit``), all in one ``doc.apply``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import regex

from cleanse.document import Document, Edit
from cleanse.stages.base import DocumentStage
from cleanse.stages.splice.layout import Kind
from cleanse.stages.splice.mending import joiner, mend_score, should_mend
from cleanse.stages.splice.roles import (
    CONTINUATION,
    INSERTED,
    MAIN,
    OFF_TOPIC,
    Plan,
    keep_stories_shown_by_topic_only,
    label_keeps,
    plan,
)
from cleanse.stages.splice.segmenter import Tuning, analyse
from cleanse.stages.splice.segments import Segment, segments_of, spam_labels

MEND_LAYOUT_BREAK = "mend_layout_break"
COLLAPSE_GAP = "collapse_gap"
NO_ARTICLE_TEXT = "no_article_text"
SEGMENT_VERDICT = "segment:{role}"
KEPT_TOPIC_ONLY = "kept:topic_only"
"""Evidence on the flag of a segment kept because only its topic set it apart (``cut_on_topic_alone`` off)."""
_LINE = regex.compile(r"[^\n]+")
_DEFAULT_TUNING = Tuning()


@dataclass(frozen=True)
class SpliceOptions:
    """Options of :class:`SpliceSplitter`.

    ``split_documents``: list the cut-out articles in ``metadata["emit"]`` so the pipeline
    turns them into documents of their own (ids ``<doc id>#<n>``), cleaned and deduplicated
    like any other. ``emit_roles``: which segment roles count as articles to emit.
    ``cut_on_topic_alone``: also cut a story that nothing but its topic sets apart (no dateline, byline,
    continuation mark or ad labels of its own); off by default, such a story is flagged
    (``segment:<role>`` with evidence ``kept:topic_only``) and kept, since a topic shift alone is
    the weakest evidence of a splice and clean articles show it too.
    ``mend_breaks``: re-join paragraphs broken mid-sentence by layout. ``use_spam_labels``:
    read the spam stage's line labels. The last four numbers tune the segmentation (see
    docs/splice.md): the cohesion margin a cue-less boundary must beat, how much layout
    cues lower it, the similarity at which a story resumed after an insertion is merged, and
    how poorly a paragraph must fit its story to count as inserted.
    """

    split_documents: bool = True
    emit_roles: tuple[str, ...] = (OFF_TOPIC, CONTINUATION, INSERTED)
    cut_on_topic_alone: bool = False
    mend_breaks: bool = True
    use_spam_labels: bool = True
    boundary_margin: float = _DEFAULT_TUNING.boundary_margin
    cue_weight: float = _DEFAULT_TUNING.cue_weight
    merge_similarity: float = _DEFAULT_TUNING.merge_similarity
    outlier_ratio: float = _DEFAULT_TUNING.outlier_ratio


class SpliceSplitter(DocumentStage):
    """Keep the main article of each document; record the spliced segments (and emit them if asked)."""

    name = "splice"
    Options = SpliceOptions
    options: SpliceOptions

    def __init__(self, options: Any = None, **overrides: Any) -> None:
        super().__init__(options, **overrides)
        tuned = self.options
        self.tuning = Tuning(tuned.boundary_margin, tuned.cue_weight, tuned.merge_similarity, tuned.outlier_ratio)

    def process(self, doc: Document) -> Document:
        text = doc.text
        if not text or not text.strip():
            return doc
        labels = self._labels(doc, text) if self.options.use_spam_labels else None
        result = plan(analyse(text, labels, self.tuning))
        segments = segments_of(result)
        story_at = {line.start: d.story for line, d in zip(result.analysis.lines, result.lines, strict=True)}
        kept = set() if self.options.cut_on_topic_alone else keep_stories_shown_by_topic_only(result)
        records = []
        for segment in segments:
            if segment.role != MAIN:
                evidence = segment.evidence
                if segment.role in (OFF_TOPIC, INSERTED) and story_at.get(segment.start) in kept:
                    evidence = (*evidence, KEPT_TOPIC_ONLY)
                verdict = SEGMENT_VERDICT.format(role=segment.role)
                doc.flag(self.name, segment.start, segment.end, verdict, segment.score, evidence)
                records.append({**_record(segment), "evidence": list(evidence)})
        doc.metadata["segments"] = records
        _record_set_aside(doc, result)
        if self.options.split_documents:
            doc.metadata["emit"] = emitted_stories(result, self.options.emit_roles)
        doc.apply(self.name, build_edits(result, mend=self.options.mend_breaks))
        if not (doc.text or "").strip():
            doc.drop(self.name, NO_ARTICLE_TEXT)
        return doc

    @staticmethod
    def _labels(doc: Document, text: str) -> list[dict[str, Any]] | None:
        recorded = doc.metadata.get("line_labels")
        if recorded:
            starts = {m.start() for m in _LINE.finditer(text) if m.group().strip()}
            if {int(label["start"]) for label in recorded} == starts:
                return list(recorded)
        return spam_labels(text)


def _record(segment: Segment) -> dict[str, Any]:
    record = dataclasses.asdict(segment)
    record["evidence"] = list(segment.evidence)
    return record


def _record_set_aside(doc: Document, result: Plan) -> None:
    kept_aside = doc.metadata.setdefault("set_aside", [])
    seen = {item.get("text") for item in kept_aside if isinstance(item, dict)}
    for line, decision in zip(result.analysis.lines, result.lines, strict=False):
        if decision.reason and decision.reason.startswith("set_aside:") and line.text not in seen:
            kept_aside.append({"label": decision.reason.split(":", 1)[1], "text": line.text, "stage": "splice"})


def kept_mends(result: Plan) -> list[tuple[int, int]]:
    """The layout breaks to re-join in the main text: both parts kept.

    Besides the breaks found on the page, a break between two kept body lines that only the lines this
    stage removes stand between (a continuation mark, a column label, a dropped ad) is re-joined when it
    reads as one sentence: on its own output the stage would see the two lines adjacent and re-join them
    then, so it does it now and a second run changes nothing.
    """
    analysis = result.analysis
    mends = [(a, b) for a, b in analysis.mends if result.lines[a].keep and result.lines[b].keep]
    found = {a for a, _ in analysis.mends}
    candidates = analysis.mend_candidates
    kept = [i for i, decision in enumerate(result.lines) if decision.keep]
    for a, b in zip(kept, kept[1:], strict=False):
        joinable = b > a + 1 and a not in found and a in candidates and b in candidates
        if joinable and should_mend(analysis.lines[a], analysis.lines[b]):
            mends.append((a, b))
    return mends


def build_edits(result: Plan, mend: bool = True) -> list[Edit]:
    """The edits that turn the analysed text into the main article (see the module docstring)."""
    lines = result.analysis.lines
    edits = [
        Edit(line.start, line.end, "", decision.reason or "", evidence=(f"role:{decision.role}",))
        for line, decision in zip(lines, result.lines, strict=False)
        if not decision.keep
    ]
    kept = [i for i, decision in enumerate(result.lines) if decision.keep]
    if not kept:
        return edits
    mends = set(kept_mends(result)) if mend else set()
    for a, b in zip(kept, kept[1:], strict=False):
        edits.extend(_gap_edits(result, a, b, (a, b) in mends))
    edits.extend(_edge_edits(result, kept[0], kept[-1]))
    return edits


def _gaps(result: Plan, start: int, stop: int, first: int, last: int) -> list[tuple[int, int]]:
    """The whitespace pieces in ``[start, stop)`` around the removed lines ``first..last``."""
    lines = result.analysis.lines
    pieces: list[tuple[int, int]] = []
    cursor = start
    for j in range(first, last + 1):
        if cursor < lines[j].start:
            pieces.append((cursor, lines[j].start))
        cursor = max(cursor, lines[j].end)
    if cursor < stop:
        pieces.append((cursor, stop))
    return pieces


def _gap_edits(result: Plan, a: int, b: int, mended: bool) -> list[Edit]:
    lines = result.analysis.lines
    left, right = lines[a], lines[b]
    if not mended:
        pieces = _gaps(result, left.end, right.start, a + 1, b - 1)
        return [Edit(s, e, "", COLLAPSE_GAP) for s, e in pieces[1:]]
    start = left.start + len(left.text.rstrip())
    stop = right.start + (len(right.text) - len(right.text.lstrip()))
    pieces = _gaps(result, start, stop, a + 1, b - 1)
    evidence = (f"mend_score={mend_score(left, right)}",)
    glue = joiner(left, right)
    return [Edit(s, e, glue if n == 0 else "", MEND_LAYOUT_BREAK, evidence=evidence) for n, (s, e) in enumerate(pieces)]


def _edge_edits(result: Plan, first_kept: int, last_kept: int) -> list[Edit]:
    """Blank lines left by cuts before the first and after the last kept line."""
    lines = result.analysis.lines
    text = result.analysis.text
    edits: list[Edit] = []
    if first_kept > 0:
        leading = _gaps(result, 0, lines[first_kept].start, 0, first_kept - 1)
        edits.extend(Edit(s, e, "", COLLAPSE_GAP) for s, e in leading if s > 0)
    if last_kept < len(lines) - 1:
        trailing = _gaps(result, lines[last_kept].end, len(text), last_kept + 1, len(lines) - 1)
        edits.extend(Edit(s, e, "", COLLAPSE_GAP) for s, e in trailing[:-1])
        if trailing and trailing[-1][1] < len(text):
            edits.append(Edit(*trailing[-1], "", COLLAPSE_GAP))
    return edits


def emitted_stories(result: Plan, roles: tuple[str, ...]) -> list[dict[str, str]]:
    """The cut-out stories with a role in ``roles``, in page order, as ``{"role", "text"}`` records."""
    stories = [story for story, role in result.story_roles.items() if role in roles]
    first_line = {story: result.analysis.line_story.index(story) for story in stories}
    records = []
    for story in sorted(stories, key=first_line.__getitem__):
        role = result.story_roles[story]
        members = [i for i, decision in enumerate(result.lines) if decision.story == story and decision.role == role]
        text = cleaned_text(result, members)
        if text:
            records.append({"role": role, "text": text})
    return records


def cleaned_text(result: Plan, members: list[int]) -> str:
    """Lines of a cut-out story as a document of its own, cleaned as the main article is: captions and the
    lines its labels set aside or drop (byline, dateline, masthead) left out, layout breaks mended."""
    analysis = result.analysis
    kept = [
        i
        for i in members
        if analysis.kinds[i] not in (Kind.CAPTION, Kind.PHOTO_CREDIT) and label_keeps(analysis.labels[i])
    ]
    mends = set(analysis.mends)
    pieces: list[str] = []
    for n, i in enumerate(kept):
        line = analysis.lines[i]
        if n:
            previous = kept[n - 1]
            pieces.append(joiner(analysis.lines[previous], line) if (previous, i) in mends else "\n\n")
        pieces.append(line.text.strip())
    return "".join(pieces)
