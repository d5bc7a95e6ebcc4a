from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanse.document import Document, Edit
from cleanse.engines.rows import (
    MAX_CHILDREN,
    child_key,
    from_batch,
    from_row,
    is_derived,
    order_key,
    record_to_document,
    to_batch,
    to_row,
)


def test_a_document_survives_the_trip_with_its_log_and_raw_bytes():
    doc = Document.from_bytes("標題".encode("big5"), id="x", source="a.txt")
    doc.set_decoded("encoding", "標題")
    doc.apply("script", [Edit(0, 2, "标题", "t2s")])
    back = from_row(to_row(doc, order_key(5)))
    assert back == doc and back._steps == doc._steps


@given(st.integers(0, 10**9), st.integers(1, MAX_CHILDREN))
def test_segments_sort_after_their_parent_and_before_the_next_input(position, number):
    parent = order_key(position)
    child = child_key(parent, number)
    assert parent < child < order_key(position + 1)
    assert is_derived(child) and not is_derived(parent)


def test_out_of_range_keys_are_refused():
    with pytest.raises(ValueError, match="input position"):
        order_key(-1)
    with pytest.raises(ValueError, match="segments"):
        child_key(0, MAX_CHILDREN + 1)


def test_batches_keep_order_keys_with_their_documents():
    docs = [Document.from_text(t, id=t) for t in ("a", "b")]
    back, seqs = from_batch(to_batch(docs, [order_key(1), order_key(0)]))
    assert [d.id for d in back] == ["a", "b"] and seqs == [order_key(1), order_key(0)]


def test_dataset_records_become_documents():
    text = record_to_document({"text": "正文", "id": 7, "url": "http://x"})
    assert (text.id, text.text, text.metadata) == ("7", "正文", {"url": "http://x"})
    raw = record_to_document({"body": b"\xd5\xfd", "id": "r"}, text_field="body")
    assert raw.raw == b"\xd5\xfd" and raw.text is None
    with pytest.raises(KeyError, match="no 'text' column"):
        record_to_document({"body": "x"})
