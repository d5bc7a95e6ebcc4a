"""The distributed dedup steps as plain functions on one group or batch (no Ray needed)."""

from __future__ import annotations

import numpy as np
import pytest

from cleanse.document import Document
from cleanse.engines import EngineError
from cleanse.engines.ray_dedup import best_edge, mark_batch, mark_group, verified_edges
from cleanse.engines.rows import order_key, to_batch


def _signature(values: list[int]) -> bytes:
    return np.array(values, dtype=np.uint32).tobytes()


def test_key_groups_verify_every_pair_later_to_earlier():
    group = {
        "seq": np.array([30, 10, 20]),
        "id": np.array(["c", "a", "b"], dtype=object),
        "sign": np.array([_signature([1, 2, 3, 4]), _signature([1, 2, 3, 9]), _signature([7, 8, 9, 9])], dtype=object),
    }
    edges = verified_edges(group, threshold=0.75)
    assert list(zip(edges["a_id"], edges["b_id"], edges["similarity"], strict=True)) == [("c", "a", 0.75)]
    loose = verified_edges(group, threshold=0.2)
    assert (loose["a_id"].tolist(), loose["b_id"].tolist()) == (["b", "c"], ["a", "a"])


def test_the_best_edge_is_the_most_similar_then_the_earliest():
    group = {
        "a": np.array([9, 9, 9]),
        "a_id": np.array(["x"] * 3, dtype=object),
        "b": np.array([5, 2, 7]),
        "b_id": np.array(["e", "b", "g"], dtype=object),
        "similarity": np.array([0.9, 0.9, 0.8]),
    }
    best = best_edge(group)
    assert (best["b_id"].tolist(), best["similarity"].tolist()) == (["b"], [0.9])


def test_marks_set_the_stage_reason_and_score_by_shuffle_or_by_broadcast():
    docs = [Document.from_text("甲", id="a"), Document.from_text("甲", id="b"), Document.from_text("乙", id="c")]
    seqs = [order_key(i) for i in range(3)]
    batch = to_batch(docs, seqs)
    broadcast = mark_batch(batch, {seqs[1]: ("a", 1.0), seqs[2]: ("a", 0.85)}, "dedup")
    from cleanse.engines.rows import from_batch

    marked, _ = from_batch(broadcast)
    assert [(d.status, d.duplicate_of, d.status_reason) for d in marked] == [
        ("kept", None, None),
        ("duplicate", "a", "exact_duplicate (similarity 1.000)"),
        ("duplicate", "a", "near_duplicate (similarity 0.850)"),
    ]
    group = {
        "seq": np.array([seqs[2]] * 3),
        "doc": np.array([batch["doc"][2], b"", b""], dtype=object),
        "first_id": np.array(["", "a", ""], dtype=object),
        "similarity": np.array([-1.0, -1.0, 0.85]),
    }
    shuffled, _ = from_batch(mark_group(group, "dedup"))
    assert (shuffled[0].duplicate_of, shuffled[0].status_reason) == (marked[2].duplicate_of, marked[2].status_reason)


def test_a_document_in_two_clusters_is_an_error_not_a_guess():
    doc = to_batch([Document.from_text("x", id="x")], [0])["doc"][0]
    group = {
        "seq": np.array([0, 0, 0, 0]),
        "doc": np.array([doc, b"", b"", b""], dtype=object),
        "first_id": np.array(["", "a", "b", ""], dtype=object),
        "similarity": np.array([-1.0, -1.0, -1.0, 0.9]),
    }
    with pytest.raises(EngineError, match="got 2 clusters"):
        mark_group(group, "dedup")
