from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.document import Document
from cleanse.io.changes import CUT, EDITED, final_text, reason_group, trace, undo


@st.composite
def edited_documents(draw):
    doc = Document.from_text(draw(st.text(alphabet="甲乙丙丁 \n,。", min_size=0, max_size=40)))
    for _ in range(draw(st.integers(0, 4))):
        length = len(doc.text)
        cuts = sorted(draw(st.lists(st.integers(0, length), max_size=6)))
        edits = [
            (start, end, draw(st.sampled_from(["", "戊", "己庚"])), f"r{n}", None, ())
            for n, (start, end) in enumerate(zip(cuts[::2], cuts[1::2], strict=False))
        ]
        doc.apply_many("s", edits)
        if doc.text and draw(st.booleans()):
            start = draw(st.integers(0, len(doc.text)))
            doc.flag("v", start, draw(st.integers(start, len(doc.text))), "verdict")
    return doc


@settings(max_examples=200, deadline=None)
@given(edited_documents())
def test_trace_and_undo_agree_with_the_log(doc):
    assert undo(doc.text, doc.changes) == doc.original
    pieces = trace(doc.changes, final=doc.text)
    assert final_text(pieces) == doc.text
    for piece in pieces:
        if piece.kind == CUT:
            assert piece.text == doc.changes[piece.change].before
        elif piece.kind == EDITED:
            assert piece.text in doc.changes[piece.change].after


def test_reason_group_drops_per_document_detail():
    assert reason_group("near_duplicate (similarity 0.912)") == "near_duplicate"
    assert reason_group("error: ValueError: bad span") == "error: ValueError"
