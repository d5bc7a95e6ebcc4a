"""The integrations' dedup step (:func:`cleanse.integrations.dedup.native_verdicts`) on a corpus that repeats
an id: every record gets a verdict or stays kept, none stops the step (issue 15)."""

from __future__ import annotations

from cleanse.integrations.dedup import dedup_options, native_verdicts

A = "国务院办公厅印发关于进一步优化营商环境的意见。各地要加强组织领导，确保政策落实到位。人民群众的获得感不断增强。"
B = "记者从教育部获悉，全国高校毕业生规模预计达到新高。就业服务工作全面展开。中小学课后服务覆盖面持续扩大。"


def test_a_repeated_id_is_admitted_not_a_failure() -> None:
    documents = [("x0", A), ("x0", A + "\n\n" + B), ("x0", B), ("x0", A)]
    verdicts = {v.unit: v for v in native_verdicts(documents, dedup_options())}
    assert 0 not in verdicts and 1 not in verdicts  # the first copy and the digest holding new content stay
    assert verdicts[3].status == "duplicate" and verdicts[3].duplicate_of == "x0"
    assert verdicts[2].status == "duplicate" and verdicts[2].duplicate_of == "x0~2"  # B is held by the digest


def test_the_same_texts_with_distinct_ids_get_the_same_verdicts() -> None:
    texts = [A, A + "\n\n" + B, B, A]
    repeated = [(v.unit, v.status) for v in native_verdicts([("x0", t) for t in texts], dedup_options())]
    named = [(f"d{number}", text) for number, text in enumerate(texts)]
    distinct = [(v.unit, v.status) for v in native_verdicts(named, dedup_options())]
    assert repeated == distinct
