"""The encoding stage: decode bytes documents, then repair and flag encoding damage."""

from __future__ import annotations

from typing import cast

import regex

from cleanse.document import Document, Edit
from cleanse.stages.base import DocumentStage
from cleanse.stages.encoding.decoding import decode
from cleanse.stages.encoding.latin_mojibake import POSSIBLE_LATIN1_MOJIBAKE
from cleanse.stages.encoding.misaligned import UNREADABLE_MISALIGNED_RUN
from cleanse.stages.encoding.options import EncodingOptions
from cleanse.stages.encoding.repair import EditRows, RepairPlan, repair_and_explain

UNDECODABLE_BYTES = "undecodable_bytes"
BINARY_CONTENT = "binary_content"
STRAY_NUL = "stray_nul"
_NUL = regex.compile("\x00+")
#: repair rounds at most; the last round's edits are left unmade (and its damage flagged) if it still finds some
MAX_ROUNDS = 3
#: steps that reach their own fixed point and make nothing another fixer reads: a round that made only these
#: needs no second round (restored fullwidth marks are common characters, no ``?`` trigger, no Latin-1)
FIXED_POINT_STEPS = frozenset({"fullwidth_punctuation"})
FIXER_DOUBTS = frozenset({UNREADABLE_MISALIGNED_RUN, POSSIBLE_LATIN1_MOJIBAKE})


class EncodingRepair(DocumentStage):
    """Decode bytes and repair encoding damage; every edit and verdict goes to the change log."""

    name = "encoding"
    Options = EncodingOptions
    _settled: str | None = None

    def process(self, doc: Document) -> Document:
        self._settled = None
        ensure_decoded(doc, self.name)
        if not doc.kept or not doc.text:
            return doc
        options = cast(EncodingOptions, self.options)
        plan = repair_and_explain(doc.text, options)
        for _ in range(MAX_ROUNDS):  # a repair can uncover more damage: repeat until nothing changes (idempotence)
            if not plan.steps:
                self._settled = doc.text  # the last repair read this very text and found nothing to do
                break
            for _, edits in plan.steps:
                if isinstance(edits, EditRows):
                    doc.apply_many(self.name, edits.rows)
                else:
                    doc.apply(self.name, edits)
            if _at_fixed_point(plan):
                plan = RepairPlan(doc.text, damage=plan.damage)
                break
            plan = repair_and_explain(doc.text, options)
        for start, end, reason in plan.damage:
            doc.flag(self.name, start, end, reason)
        return doc

    def settled(self, doc: Document) -> bool:
        """True when the last :meth:`process` ended on a repair round that read ``doc.text`` and found nothing
        to do: a repair is a function of the text and the options, so running it again changes nothing."""
        return self._settled is not None and doc.text == self._settled


def _at_fixed_point(plan: RepairPlan) -> bool:
    """Whether another round would find nothing new: only fixed-point steps, and no damage a fixer reported
    (a fixer's doubts are found again on the next round's text, which the steps may have changed)."""
    return all(name in FIXED_POINT_STEPS for name, _ in plan.steps) and all(
        reason not in FIXER_DOUBTS for _, _, reason in plan.damage
    )


def ensure_decoded(doc: Document, stage: str = "encoding") -> Document:
    """Decode a bytes document in place: record encoding and confidence, flag bad bytes, drop binary.

    Stray NUL characters are removed as logged edits; binary content is dropped with a reason.
    """
    if doc.text is not None or doc.raw is None:
        return doc
    result = decode(doc.raw)
    if result.is_binary:
        doc.set_decoded(stage, "", encoding=result.encoding, encoding_confidence=round(result.confidence, 3))
        doc.drop(stage, BINARY_CONTENT)
        return doc
    doc.set_decoded(stage, result.text, encoding=result.encoding, encoding_confidence=round(result.confidence, 3))
    doc.raw = None
    for start, end in result.damaged:
        doc.flag(stage, start, end, UNDECODABLE_BYTES)
    if "\x00" in result.text:
        doc.apply(stage, [Edit(m.start(), m.end(), "", STRAY_NUL) for m in _NUL.finditer(result.text)])
    return doc
