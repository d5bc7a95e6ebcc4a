"""The corpus every integration test runs on, and the native run each peer's result must equal.

Seeds, generated reprint clusters of seed documents (benchmarks.reprints; edited copies), and a few
documents the chain rejects (empty, only site furniture and link spam). The native reference is
``Pipeline.default().run`` on the same documents in the same order.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for benchmarks.reprints

from cleanse import Document, Pipeline  # noqa: E402

_REJECTS = [
    "",
    "\n".join(f"加微信领取优惠券 http://buy.example.com/x?id={i} 点击购买" for i in range(12)),
    "\n".join(["首页 | 新闻 | 体育 | 娱乐 | 财经", "上一篇 下一篇 返回顶部", "扫一扫关注我们的微信公众号"] * 3),
]


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str | None
    text: str
    duplicate_of: str | None


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, str]]:
    """``[{"id", "text"}]``: seeds, reprints (document unit) and rejects, shuffled together once."""
    import random

    from benchmarks.reprints import generate_reprints

    records = [
        {"id": f"seed-{p.stem[:3]}", "text": p.read_text("utf-8")} for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]
    reprints = generate_reprints(seed=7, clusters=12, copies=3, singletons=6, unit="document")
    records += [{"id": f"reprint-{i:03d}", "text": text} for i, text in enumerate(reprints.texts)]
    records += [{"id": f"reject-{i}", "text": text} for i, text in enumerate(_REJECTS)]
    random.Random(3).shuffle(records)
    return records


def native_outcomes(records: list[dict[str, str]]) -> dict[str, Outcome]:
    """``Pipeline.default().run`` on the records, in order."""
    return _outcomes(records, Pipeline.default())


def native_outcomes_of(records: list[dict[str, str]], config: dict) -> dict[str, Outcome]:
    """``Pipeline.from_config(config).run`` on the records, in order."""
    return _outcomes(records, Pipeline.from_config(config))


def _outcomes(records: list[dict[str, str]], pipeline: Pipeline) -> dict[str, Outcome]:
    docs = [Document.from_text(r["text"], id=r["id"]) for r in records]
    return {
        doc.id: Outcome(doc.status, doc.status_reason, doc.text or "", doc.duplicate_of) for doc in pipeline.run(docs)
    }


@pytest.fixture(scope="session")
def native(corpus: list[dict[str, str]]) -> dict[str, Outcome]:
    return native_outcomes(corpus)


@pytest.fixture(scope="session")
def native_unsplit(corpus: list[dict[str, str]]) -> dict[str, Outcome]:
    """The native default run with ``splice.split_documents`` off (``cleanse run --no-split``): the
    reference of peers that keep one row per input row (Hugging Face datasets, data-juicer)."""
    from cleanse.pipeline import DEFAULT_STAGES

    return native_outcomes_of(corpus, {"stages": list(DEFAULT_STAGES), "splice": {"split_documents": False}})


def reason_code(reason: str | None) -> str | None:
    return reason.split(" (", 1)[0] if reason else reason


def assert_same_outcomes(found: dict[str, Outcome], native: dict[str, Outcome]) -> None:
    """Same documents, statuses, reasons, duplicate targets, and kept texts as the native run.

    Reasons of duplicates are compared without their similarity figure: the native streaming stage
    reports the MinHash estimate against its index, the batch steps the exact Jaccard of the shingle sets.
    """
    assert sorted(found) == sorted(native)
    statuses = {"kept", "dropped", "duplicate"}
    assert {o.status for o in native.values()} == statuses, "the corpus must exercise every status"
    for key, expected in native.items():
        got = found[key]
        assert got.status == expected.status, (key, got, expected)
        if expected.status == "duplicate":
            assert reason_code(got.reason) == reason_code(expected.reason), key
            assert got.duplicate_of == expected.duplicate_of, key
        else:
            assert got.reason == expected.reason, key
        if expected.status == "kept":
            assert got.text == expected.text, key
