"""The ``spam`` stage: label every line, record the verdicts, then act per label (or leave acting to splice).

Label first, act last. The stage records one verdict per non-article line (``doc.flag``) and all labels in
``doc.metadata["line_labels"]``; the actions configured per label (drop, set aside, keep, flag) become edits
through :func:`line_actions`, applied here or, with ``defer_actions=True``, by the splice stage together with
its own cuts. A document whose text is mostly keyword spam is dropped whole, and so is a page that is junk
as a whole by its page signals (see :mod:`.page_signals`).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, ClassVar

import regex

from cleanse.document import Document, Edit
from cleanse.errors import ConfigError
from cleanse.stages.base import DocumentStage
from cleanse.stages.spam import page_signals
from cleanse.stages.spam.labeller import LineRows, label_rows
from cleanse.stages.spam.lexicon import LEXICON_LABELS
from cleanse.stages.spam.rules import ARTICLE, LABELS, SPAM, Verdict

DROP = "drop"
SET_ASIDE = "set_aside"
KEEP = "keep"
FLAG = "flag"
ACTIONS = (DROP, SET_ASIDE, KEEP, FLAG)
MOSTLY_SPAM = "mostly_spam"
JUNK_PAGE = "junk_page"
PAGE_SIGNALS = "page_signals"
PAGE_JUNK_LABELS = frozenset(("spam", "ad", "chrome", "notice"))
"""Labels whose lines count as junk in ``page_signals.junk_line_chars``."""
NO_ARTICLE_TEXT = "no_article_text"
LINE_LABELS = "line_labels"
LINE_LABELS_FINGERPRINT = "line_labels_fingerprint"
SET_ASIDE_KEY = "set_aside"

_TRAILING_SPACE = regex.compile(r"\s*")
_VERDICT_REASONS = {label: f"label:{label}" for label in LABELS}
_ACTION_REASONS = {(action, label): f"{action}:{label}" for action in ACTIONS for label in LABELS}
_START = itemgetter("start")
_LABEL = itemgetter(0)
_SCORE = itemgetter(1)
_CUTTING = (DROP, SET_ASIDE)


@dataclass(frozen=True)
class SpamOptions:
    """Options of the spam stage; every default is listed here.

    ``<label>_action`` is one of "drop" (remove the line), "set_aside" (remove it from the article text, keep
    it in ``doc.metadata["set_aside"]``), "flag" (keep the line, log the verdict) or "keep" (keep the line, no
    verdict). ``threshold`` is the lowest score at which a non-article label counts. ``drop_document_share`` is
    the share of the text (non-space characters) that lines labelled with ``drop_document_labels`` (keyword
    spam by default) must reach for the whole document to be dropped. ``extra_words`` adds words to the
    lexicons: ``{"ad": ["词一", "词二"], "spam": [...], "article": [reporting cues]}``. ``drop_junk_pages`` drops
    a document that is junk as a whole by its page signals (repeated lines, one n-gram everywhere, nearly all
    lines junk; see :mod:`.page_signals`), which are recorded in ``doc.metadata["page_signals"]`` either way.
    ``line_model`` scores the lines the rules leave as article with the line model (see :mod:`.line_model`);
    without it the stage runs the rules and context passes only (faster; junk outside the lexicons is missed).
    """

    spam_action: str = DROP
    ad_action: str = DROP
    chrome_action: str = DROP
    notice_action: str = DROP
    credit_action: str = SET_ASIDE
    caption_action: str = SET_ASIDE
    furniture_action: str = SET_ASIDE
    defer_actions: bool = False
    threshold: float = 0.5
    drop_document_share: float = 0.5
    drop_document_labels: Any = (SPAM,)
    drop_junk_pages: bool = True
    line_model: bool = True
    extra_words: Any = ()
    _actions: ClassVar[dict[str, str]]
    """Every label's action, worked out once per options object (the stage reads it for every document)."""

    def __post_init__(self) -> None:
        for label in LABELS[1:]:
            action = getattr(self, f"{label}_action")
            if action not in ACTIONS:
                raise ConfigError(f"spam option {label}_action={action!r}: expected one of {', '.join(ACTIONS)}")
        for name in ("drop_junk_pages", "line_model"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"spam option {name}={getattr(self, name)!r}: expected true or false")
        for name in ("threshold", "drop_document_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ConfigError(f"spam option {name}={value!r}: expected a number between 0 and 1")
        object.__setattr__(self, "extra_words", _word_pairs(self.extra_words))
        labels = (
            (self.drop_document_labels,) if isinstance(self.drop_document_labels, str) else self.drop_document_labels
        )
        labels = tuple(labels)
        unknown = [label for label in labels if label not in LABELS[1:]]
        if unknown:
            raise ConfigError(f"spam option drop_document_labels: unknown labels {unknown!r}")
        object.__setattr__(self, "drop_document_labels", labels)
        actions = {label: KEEP if label == ARTICLE else str(getattr(self, f"{label}_action")) for label in LABELS}
        object.__setattr__(self, "_actions", actions)

    def action(self, label: str) -> str:
        """The action configured for ``label`` (articles are always kept)."""
        return self._actions[label] if label in self._actions else str(getattr(self, f"{label}_action"))


def _word_pairs(extra: Any) -> tuple[tuple[str, str], ...]:
    """Normalise ``{label: [words]}`` or ``[(label, word), ...]`` into sorted ``(label, word)`` pairs."""
    if isinstance(extra, Mapping):
        items: list[tuple[Any, ...]] = []
        for label, words in extra.items():
            items.extend((label, w) for w in ([words] if isinstance(words, str) else words))
    else:
        items = [tuple(pair) for pair in extra]
    pairs = set()
    for pair in items:
        if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise ConfigError(f"spam option extra_words: expected (label, word) pairs of strings, got {pair!r}")
        label, word = pair
        if label not in LEXICON_LABELS:
            raise ConfigError(f"spam option extra_words: unknown label {label!r}; known: {', '.join(LEXICON_LABELS)}")
        if word.strip():
            pairs.add((label, word.strip()))
    return tuple(sorted(pairs))


def _fingerprint(text: str) -> str:
    return f"{len(text)}:{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"


def labels_match(doc: Document) -> bool:
    """True when ``doc.metadata["line_labels"]`` was computed on the document's current text."""
    return (
        doc.text is not None
        and LINE_LABELS in doc.metadata
        and doc.metadata.get(LINE_LABELS_FINGERPRINT) == _fingerprint(doc.text)
    )


def _spans_to_cut(
    text: str, records: list[dict[str, Any]], in_order: bool = False
) -> list[tuple[int, int, dict[str, Any]]]:
    """Each acted-on line's span, widened to take its own whitespace along so no blank gaps pile up.

    A line that starts its text line takes the whitespace after it (up to the next labelled line); a piece
    cut from the end of a longer line takes the whitespace before it instead, so lines never merge.
    ``in_order``: the records are known to be in text order (the stage's own), so they are not sorted.
    """
    ordered = records if in_order else sorted(records, key=_START)
    cuts: list[tuple[int, int, dict[str, Any]]] = []
    for k, record in enumerate(ordered):
        if record["action"] not in (DROP, SET_ASIDE):
            continue
        start, end = record["start"], record["end"]
        if start == 0 or text[start - 1] == "\n":
            limit = ordered[k + 1]["start"] if k + 1 < len(ordered) else len(text)
            end = min(_TRAILING_SPACE.match(text, end).end(), limit)
        else:
            previous_end = max(ordered[k - 1]["end"] if k > 0 else 0, cuts[-1][1] if cuts else 0)
            while start > previous_end and text[start - 1] in " \t\u3000":
                start -= 1
        cuts.append((start, end, record))
    return cuts


def line_actions(doc: Document) -> list[Edit]:
    """The edits that the recorded labels and actions imply on the document's current text.

    Shared by the spam stage (``defer_actions=False``) and the splice stage, which applies them together
    with its own cuts. Raises ``ValueError`` when the labels were computed on another text.
    """
    if not labels_match(doc):
        raise ValueError(f"document {doc.id!r}: line labels are missing or were computed on another text")
    assert doc.text is not None
    return [_cut_edit(start, end, record) for start, end, record in _spans_to_cut(doc.text, doc.metadata[LINE_LABELS])]


def _cut_edit(start: int, end: int, record: dict[str, Any]) -> Edit:
    reason = f"{record['action']}:{record['label']}"
    return Edit(start, end, "", reason, record["score"], tuple(record.get("evidence", ())))


def set_aside_entries(doc: Document) -> list[dict[str, Any]]:
    """Records ``{"label", "text", "start", "end"}`` of the lines whose action is "set_aside" (current text)."""
    if not labels_match(doc):
        raise ValueError(f"document {doc.id!r}: line labels are missing or were computed on another text")
    assert doc.text is not None
    return [
        {"label": r["label"], "text": doc.text[r["start"] : r["end"]], "start": r["start"], "end": r["end"]}
        for r in doc.metadata[LINE_LABELS]
        if r["action"] == SET_ASIDE
    ]


class SpamLabeller(DocumentStage):
    """Label spam, ads, chrome, notices, credits, captions and furniture line by line, then act per label.

    >>> doc = Document.from_text("首页 > 新闻 > 正文\\n今天天气很好,我们去公园散步。")
    >>> SpamLabeller().process(doc).text
    '今天天气很好,我们去公园散步。'
    >>> [(c.reason, c.before) for c in doc.changes if not c.is_verdict]
    [('drop:chrome', '首页 > 新闻 > 正文\\n')]
    """

    name = "spam"
    Options = SpamOptions

    def process(self, doc: Document) -> Document:
        if doc.text is None:
            raise ValueError(f"document {doc.id!r} has no text yet; decode it first")
        options = self._options
        rows = self._label(doc.text)
        labels = list(map(_LABEL, rows.verdicts))
        present = set(labels)
        share = (
            0.0
            if present.isdisjoint(options.drop_document_labels)
            else _junk_share(doc.text, rows, options.drop_document_labels)
        )
        if share >= options.drop_document_share and share > 0:
            self._record(doc, rows)
            doc.drop(self.name, f"{MOSTLY_SPAM} (share {share:.2f})")
            return doc
        junk = (
            [False] * len(labels)
            if present.isdisjoint(PAGE_JUNK_LABELS)
            else [label in PAGE_JUNK_LABELS for label in labels]
        )
        signals = page_signals.measure(doc.text, rows.spans, junk)
        reasons = signals.junk_reasons() if options.drop_junk_pages else []
        doc.metadata[PAGE_SIGNALS] = {**signals.to_dict(), "junk_reasons": reasons}
        if reasons:
            self._record(doc, rows)
            doc.drop(self.name, f"{JUNK_PAGE}: {'; '.join(reasons)} ({page_signals.SOURCE})")
            return doc
        cutting = {label for label in present if options.action(label) in _CUTTING}
        if options.defer_actions:
            text = doc.text
            if cutting and any(
                label in cutting and _is_piece(text, start, end)
                for (start, end), label in zip(rows.spans, labels, strict=True)
            ):
                self._record(doc, rows, only_pieces=True)
                self._cut_pieces(doc)
                if not doc.text.strip():
                    doc.drop(self.name, NO_ARTICLE_TEXT)
                    return doc
                rows = self._label(doc.text)
            self._record(doc, rows)
            return doc
        records = self._record(doc, rows, fingerprint=False, present=present)
        self._act(doc, _spans_to_cut(doc.text, records, in_order=True) if cutting else [])
        if not (doc.text or "").strip():
            doc.drop(self.name, NO_ARTICLE_TEXT)
        return doc

    def _label(self, text: str) -> LineRows:
        """Every line's span, number and verdict; junk verdicts below the threshold become article."""
        threshold = self._options.threshold
        rows = label_rows(text, self._options.extra_words, self._options.line_model)
        if not rows.verdicts or min(map(_SCORE, rows.verdicts)) >= threshold:
            return rows
        verdicts = [
            verdict if verdict.label == ARTICLE or verdict.score >= threshold else _below_threshold(verdict)
            for verdict in rows.verdicts
        ]
        return LineRows(rows.spans, rows.numbers, verdicts)

    def _record(
        self,
        doc: Document,
        rows: LineRows,
        only_pieces: bool = False,
        fingerprint: bool = True,
        present: set[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Log a verdict per non-article line (or only per piece of a line) and store every line's label and
        action in the metadata (with the text's fingerprint unless the caller acts on them at once).
        ``present``: the labels among the rows, when the caller has them (no verdict is logged without one
        whose action is not "keep")."""
        assert doc.text is not None
        actions = self._options._actions
        text = doc.text
        logged = present is None or any(label != ARTICLE and actions[label] != KEEP for label in present)
        doc.flag_many(
            self.name,
            [
                (start, end, _VERDICT_REASONS[label], score, evidence)
                for (start, end), (label, score, evidence) in zip(rows.spans, rows.verdicts, strict=True)
                if label != ARTICLE and actions[label] != KEEP and (not only_pieces or _is_piece(text, start, end))
            ]
            if logged
            else [],
        )
        rounded = {score: round(score, 3) for score in set(map(_SCORE, rows.verdicts))}
        records = [
            {
                "index": number,
                "start": start,
                "end": end,
                "label": label,
                "score": rounded[score],
                "action": actions[label],
                "evidence": list(evidence),
            }
            for (start, end), number, (label, score, evidence) in zip(
                rows.spans, rows.numbers, rows.verdicts, strict=True
            )
        ]
        doc.metadata[LINE_LABELS] = records
        if fingerprint:
            doc.metadata[LINE_LABELS_FINGERPRINT] = _fingerprint(text)
        return records

    def _cut_pieces(self, doc: Document) -> None:
        """Apply the actions of pieces cut from a line (a glued keyword list or notice) now, even when
        deferring: consumers that act on whole lines cannot remove part of one."""
        assert doc.text is not None
        if not labels_match(doc):
            raise ValueError(f"document {doc.id!r}: line labels are missing or were computed on another text")
        text = doc.text
        pieces = [(r["start"], r["end"]) for r in doc.metadata[LINE_LABELS] if _is_piece(text, r["start"], r["end"])]
        cuts = _spans_to_cut(text, doc.metadata[LINE_LABELS])
        self._act(doc, [cut for cut in cuts if any(cut[0] <= s and end <= cut[1] for s, end in pieces)])

    def _act(self, doc: Document, cuts: list[tuple[int, int, dict[str, Any]]]) -> None:
        """Record the set-aside lines among ``cuts`` and apply them all in one step."""
        assert doc.text is not None
        text = doc.text
        set_aside = [
            {
                "label": record["label"],
                "text": text[record["start"] : record["end"]],
                "start": record["start"],
                "end": record["end"],
            }
            for _, _, record in cuts
            if record["action"] == SET_ASIDE
        ]
        if set_aside:
            doc.metadata.setdefault(SET_ASIDE_KEY, []).extend(set_aside)
        doc.apply_many(
            self.name,
            [
                (start, end, "", _ACTION_REASONS[r["action"], r["label"]], r["score"], r.get("evidence", ()))
                for start, end, r in cuts
            ],
        )

    @property
    def _options(self) -> SpamOptions:
        options = self.options
        if not isinstance(options, SpamOptions):
            raise TypeError(f"spam stage options must be SpamOptions, not {type(options).__name__}")
        return options


def _below_threshold(verdict: Verdict) -> Verdict:
    """A junk verdict too weak to count: the line stays article text, with the complementary score."""
    return Verdict(ARTICLE, 1 - verdict.score, verdict.evidence)


def _is_piece(text: str, start: int, end: int) -> bool:
    """Whether a labelled span is only part of its line (a piece cut off a longer line)."""
    at_line_start = start == 0 or text[start - 1] == "\n"
    at_line_end = end == len(text) or text[end] in "\r\n"
    return not (at_line_start and at_line_end)


def _junk_share(text: str, rows: LineRows, labels: tuple[str, ...]) -> float:
    """Share of the non-space characters of all lines that sit in lines with one of ``labels``.

    Lines are only measured when one of them has such a label: otherwise the share is 0.
    """
    junk = sum(
        end - start - text.count(" ", start, end)
        for (start, end), verdict in zip(rows.spans, rows.verdicts, strict=True)
        if verdict.label in labels
    )
    if not junk:
        return 0.0
    return junk / sum(end - start - text.count(" ", start, end) for start, end in rows.spans)
