"""The dedup stage: document and paragraph verdicts, keep policies, incremental index, report, bad input."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanse.stages.dedup.stage as dedup_stage_module
from cleanse.document import Document, Edit, replay
from cleanse.errors import ConfigError
from cleanse.pipeline import Pipeline
from cleanse.stages.dedup import DedupOptions, NearDupDetector
from cleanse.stages.dedup.stage import (
    CONTAINED_PARAGRAPH,
    DUPLICATE_PARAGRAPH,
    DUPLICATE_SENTENCE,
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
    REMOVED_DUPLICATE_PARAGRAPH,
)

STORY = (
    "各地认真贯彻落实重要指示精神，深入分析城市发展新情况新要求，积极探索符合城市特点和规律的新路径。\n"
    "社区是城市治理的底座，也是联系服务群众的最后一公里，各地加强对社区的工作支持和资源保障。\n"
    "推动联建共建，普遍开展驻区单位党组织和在职党员到社区报到活动，形成共驻共建的良好局面。"
)
TRADITIONAL = (
    "各地認真貫徹落實重要指示精神，深入分析城市發展新情況新要求，積極探索符合城市特點和規律的新路徑。\n"
    "社區是城市治理的底座，也是聯繫服務群眾的最後一公里，各地加強對社區的工作支持和資源保障。\n"
    "推動聯建共建，普遍開展駐區單位黨組織和在職黨員到社區報到活動，形成共駐共建的良好局面。"
)
OTHER = "今天上午，市体育中心举行了青少年足球联赛的决赛，两支队伍经过九十分钟的激烈争夺，最终以二比一分出胜负。"
# Unrelated text that makes a page long: a paragraph inside it is an excerpt (beyond the edge rule's
# length ratio), not a reprint of it, so the containment verdicts apply rather than a cluster.
PAGE_TAIL = (
    "本报讯，近日，滨江区图书馆推出夜间开放服务，每周五和周六延长至晚上十点，读者可以凭借书证自助入馆。"
    "馆方表示，此举是为了方便上班族利用下班时间阅读学习，同时新增了两百个自习座位和一批电子阅览设备。"
    "不少市民在留言中点赞，希望这项服务能够长期坚持下去，并建议增加儿童阅读区的开放时段和亲子活动。"
)


def run(docs: list[Document], **options: object) -> tuple[list[Document], NearDupDetector]:
    stage = NearDupDetector(**options)
    return list(stage.run(docs)), stage


def test_reprints_are_marked_duplicate_of_the_first_seen_document() -> None:
    docs = [
        Document.from_text(STORY, id="a"),
        Document.from_text(TRADITIONAL, id="b"),
        Document.from_text(OTHER, id="c"),
        Document.from_text(STORY.replace("良好局面", "好局面") + "（完）", id="d"),
    ]
    out, stage = run(docs)
    assert [d.id for d in out] == ["a", "b", "c", "d"]
    assert [d.status for d in out] == ["kept", "duplicate", "kept", "duplicate"]
    assert out[1].duplicate_of == "a" and (out[1].status_reason or "").startswith(EXACT_DUPLICATE)
    assert out[3].duplicate_of == "a" and (out[3].status_reason or "").startswith(NEAR_DUPLICATE)
    assert [d.metadata["dedup_cluster"] for d in out] == ["a", "a", "c", "a"]
    report = stage.report()
    assert report["documents"]["clusters"][0]["kept"] == "a" and report["documents"]["clusters"][0]["size"] == 3
    assert report["counts"]["documents"] == 4


def test_repeated_paragraph_inside_one_document_gets_a_verdict_with_evidence() -> None:
    lines = STORY.split("\n")
    text = "\n".join([lines[0], lines[1], lines[0].replace("，", ","), lines[2]])
    (doc,), _ = run([Document.from_text(text, id="p")])
    verdicts = [c for c in doc.changes if c.reason == DUPLICATE_PARAGRAPH]
    assert len(verdicts) == 1 and verdicts[0].evidence == ("jaccard 1.000 of this paragraph with p:0",)
    assert verdicts[0].before == lines[0].replace("，", ",") and doc.text == text


def test_remove_paragraphs_logs_edits_that_replay_exactly() -> None:
    lines = STORY.split("\n")
    text = "\n".join([lines[0], lines[1], lines[0], lines[2], lines[1]])
    (doc,), stage = run([Document.from_text(text, id="r")], remove_paragraphs=True)
    assert doc.text == "\n".join(lines[:3])
    assert [c.reason for c in doc.changes] == [REMOVED_DUPLICATE_PARAGRAPH] * 2
    assert replay(doc.original or "", doc.changes) == doc.text
    assert stage.report()["counts"]["removed_paragraphs"] == 2


def test_paragraph_whose_sentences_reappear_in_an_earlier_paragraph_is_contained() -> None:
    first = STORY.replace("\n", "") + PAGE_TAIL
    second = "社区是城市治理的底座，也是联系服务群众的最后一公里，各地加强对社区的工作支持和资源保障。"
    out, stage = run([Document.from_text(first, id="long"), Document.from_text(OTHER + "\n" + second, id="short")])
    verdicts = [c for c in out[1].changes if c.reason in (CONTAINED_PARAGRAPH, DUPLICATE_SENTENCE)]
    assert [c.reason for c in verdicts] == [CONTAINED_PARAGRAPH] and verdicts[0].evidence == ("in long:0",)
    assert stage.report()["counts"]["contained_paragraphs"] == 1


def test_shared_sentence_in_a_different_paragraph_gets_a_sentence_verdict() -> None:
    sentence = "社区是城市治理的底座，也是联系服务群众的最后一公里，各地加强对社区的工作支持和资源保障。"
    host = OTHER + sentence + "这是另外一句完全不同的话，讲述了比赛之后球迷们在广场上庆祝的热闹场面。" + PAGE_TAIL
    out, _ = run([Document.from_text(STORY, id="s"), Document.from_text(host, id="h")])
    verdicts = [c for c in out[1].changes if c.reason == DUPLICATE_SENTENCE]
    assert len(verdicts) == 1 and verdicts[0].before == sentence and verdicts[0].evidence == ("of s:1",)


@pytest.mark.parametrize("keep", ["longest", "cleanest"])
def test_batch_keep_policies_choose_the_kept_member(keep: str) -> None:
    short = Document.from_text(STORY, id="short")
    longer = Document.from_text(STORY + "\n（本报记者报道）", id="longer")
    if keep == "cleanest":
        longer.apply("encoding", [Edit(0, 2, "各處", "mojibake")])
    out, _ = run([short, longer], keep=keep, new_content_chars=20)  # a byline is not new content here
    kept = {d.id for d in out if d.kept}
    assert kept == ({"longer"} if keep == "longest" else {"short"})
    duplicate = next(d for d in out if not d.kept)
    assert duplicate.duplicate_of in kept and duplicate.status_stage == "dedup"


def test_incremental_index_is_saved_loaded_and_expires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index_dir = tmp_path / "index"
    run([Document.from_text(STORY, id="day1")], index_path=str(index_dir))
    assert (index_dir / "documents.npz").exists()
    out, _ = run([Document.from_text(TRADITIONAL, id="day2")], index_path=str(index_dir))
    assert out[0].status == "duplicate" and out[0].duplicate_of == "day1"
    out, _ = run(
        [Document.from_text(STORY + "\n附记", id="day2b")],
        index_path=str(index_dir),
        keep="longest",
        new_content_chars=20,
    )
    assert out[0].status == "duplicate" and out[0].duplicate_of == "day1"
    out, stage = run([Document.from_text(TRADITIONAL, id="day3")], index_path=str(index_dir), expire_after=3600)
    assert out[0].status == "duplicate" and stage.report()["counts"]["expired"] == 0
    two_hours_later = time.time() + 7200  # a clock the test controls, not a sleep racing the expiry
    monkeypatch.setattr(dedup_stage_module, "time", SimpleNamespace(time=lambda: two_hours_later))
    out, stage = run([Document.from_text(TRADITIONAL, id="day4")], index_path=str(index_dir), expire_after=3600)
    assert out[0].kept and stage.report()["counts"]["expired"] >= 2


def test_documents_not_to_compare_pass_through_untouched() -> None:
    dropped = Document.from_text(STORY, id="x")
    dropped.drop("spam", "spam_document")
    undecoded = Document.from_bytes(b"\xff\xfe", id="raw")
    punctuation = Document.from_text("……——！！", id="punct")
    segment = Document.from_text(STORY, id="seg", parent="z")
    out, stage = run([Document.from_text(STORY, id="first"), dropped, undecoded, punctuation, segment])
    assert [d.status for d in out] == ["kept", "dropped", "kept", "kept", "kept"]
    assert all(not d.changes for d in out)
    assert stage.report()["counts"]["empty_units"] >= 1
    out, _ = run(
        [Document.from_text(STORY, id="first"), Document.from_text(STORY, id="seg", parent="z")], segments=True
    )
    assert out[1].status == "duplicate"


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="no option"):
        NearDupDetector(treshold=0.5)
    for bad in ({"threshold": 0}, {"keep": "newest"}, {"level": "words"}, {"script_fold": "x"}, {"ngram": 0}):
        with pytest.raises(ValueError):
            DedupOptions(**bad)  # type: ignore[arg-type]


def test_pipeline_runs_the_stage_and_reports_clusters() -> None:
    pipeline = Pipeline.from_config({"stages": ["dedup"], "dedup": {"threshold": 0.7}})
    docs = [
        Document.from_text(STORY, id="1"),
        Document.from_text(TRADITIONAL, id="2"),
        Document.from_text(OTHER, id="3"),
    ]
    out = list(pipeline.run(docs))
    assert [d.status for d in out] == ["kept", "duplicate", "kept"]
    assert pipeline.stats.balanced and pipeline.stats.duplicates == 1
    assert pipeline.stats.corpus_reports["dedup"]["documents"]["clusters_total"] == 1


def test_batch_mode_flags_repeats_and_containment_like_streaming() -> None:
    lines = STORY.split("\n")
    docs = [
        Document.from_text(STORY.replace("\n", "") + PAGE_TAIL, id="long"),
        Document.from_text("\n".join([OTHER, lines[1], OTHER]), id="mixed"),
    ]
    out, _ = run(docs, keep="longest", remove_paragraphs=True)
    reasons = [c.reason for c in out[1].changes]
    assert reasons.count(CONTAINED_PARAGRAPH) == 1 and reasons.count(REMOVED_DUPLICATE_PARAGRAPH) == 1
    assert out[1].text == "\n".join([OTHER, lines[1]])
    assert replay(out[1].original or "", out[1].changes) == out[1].text


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_a_reprint_with_sentences_added_covers_its_original_but_is_not_its_duplicate(keep: str) -> None:
    original = STORY.split("\n")[1]
    reprint = (
        "记者在现场看到，志愿者们正在为前来办事的居民登记信息，并耐心解答他们提出的各类问题。"
        + original
        + "下一步，街道还将开设夜间服务窗口，方便上班族下班后办理业务。"
    )
    docs = [Document.from_text(original, id="original"), Document.from_text(reprint, id="reprint")]
    out, _ = run(docs, keep=keep, level="documents")
    if keep == "first":  # the reprint holds sentences the kept original lacks: not a duplicate of it
        assert [d.status for d in out] == ["kept", "kept"]
    else:  # the reprint is kept first and covers the original entirely
        assert [d.metadata["dedup_cluster"] for d in out] == ["reprint", "reprint"]
        reason = out[0].status_reason or ""
        assert out[0].status == "duplicate" and reason.startswith(NEAR_DUPLICATE + ": reprint_containment ")
        assert float(reason.split()[2]) >= 0.95 and reason.endswith(" of this document in reprint")
    docs = [Document.from_text(original, id="original"), Document.from_text(reprint, id="reprint")]
    out, _ = run(docs, keep=keep, level="documents", reprint_containment=0.0)
    assert all(d.kept for d in out)


PIECES = [STORY, TRADITIONAL, OTHER, STORY.split("\n")[1], "……", "", "Breaking news: markets rallied 3% on Monday."]


@given(
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(PIECES)), max_size=6),
    st.sampled_from(["first", "longest", "cleanest"]),
    st.booleans(),
)
@settings(max_examples=25, deadline=None)
def test_every_document_comes_out_once_and_its_log_replays(
    pairs: list[tuple[str, str]], keep: str, remove: bool
) -> None:
    docs = [Document.from_text(f"{a}\n{b}", id=str(i)) for i, (a, b) in enumerate(pairs)]
    out, stage = run(docs, keep=keep, remove_paragraphs=remove)
    assert [d.id for d in out] == [str(i) for i in range(len(pairs))]
    kept = {d.id for d in out if d.kept}
    for doc in out:
        assert replay(doc.original or "", doc.changes) == doc.text
        if doc.status == "duplicate":
            assert doc.duplicate_of in kept
    report = stage.report()
    assert report["documents"]["duplicates"] == sum(d.status == "duplicate" for d in out)


def test_memory_storage_lookups_agree_before_and_after_merging() -> None:
    from cleanse.stages.dedup import storage as storage_module

    store = storage_module.MemoryStorage(num_perm=4)
    rows = np.arange(40, dtype=np.uint64).reshape(20, 2) % 7
    for entry, row in enumerate(rows):
        store.add_entry(f"e{entry}", np.zeros(4, dtype=np.uint32), added=0.0, cluster=-1)
        store.add_to_buckets(row, entry)
        if entry == 9:
            store._merge()
    keys = np.array([0, 3, 6, 9], dtype=np.uint64)
    expected = sorted(e for key in keys.tolist() for e, row in enumerate(rows.tolist()) for k in row if k == key)
    assert sorted(store.buckets(keys).tolist()) == expected
    assert sorted(e for key in keys.tolist() for e in store.bucket(key)) == expected
    with pytest.raises(ValueError, match="unknown index storage"):
        storage_module.storage_from_config({"type": "redis"})


def test_an_unreadable_index_is_a_clear_input_error(tmp_path: Path) -> None:
    from cleanse.errors import InputError

    (tmp_path / "documents.npz").write_bytes(b"PK\x03\x04 not a zip file")
    with pytest.raises(InputError, match="dedup index_path"):
        run([Document.from_text(STORY, id="x")], index_path=str(tmp_path))


def test_public_names_for_other_engines_behave_as_the_private_ones() -> None:
    from cleanse.stages.dedup.units import SentenceMatches, sentence_spans

    stage = NearDupDetector()
    kept, segment = Document.from_text(STORY, id="k"), Document.from_text(STORY, id="s")
    segment.metadata["parent"] = "k"
    assert [stage.checks(d) for d in (kept, segment)] == [True, False]
    assert stage.shingle_count(12) == 8 and stage.shingle_count(3) == 1 and stage.shingle_count(0) == 0
    paragraph = "".join(STORY.split("\n")[:2])  # two sentences of about equal length
    sentences = sentence_spans(paragraph)
    assert len(sentences) == 2
    doc = Document.from_text(paragraph, id="v")
    span = sentences[0]._replace(start=0, end=len(paragraph), text=paragraph)
    lengths = [len(s.text) for s in sentences]
    stage.containment_verdict(doc, span, len(paragraph), sentences, lengths, {0: SentenceMatches(0.9, "a:1", {"a:1"})})
    assert [(c.reason, c.evidence) for c in doc.changes] == [(DUPLICATE_SENTENCE, ("of a:1",))]
    whole = {n: SentenceMatches(1.0, "b:0", {"b:0"}) for n in range(len(sentences))}
    doc = Document.from_text(paragraph, id="w")
    stage.containment_verdict(doc, span, len(paragraph), sentences, lengths, whole)
    assert [(c.reason, c.evidence) for c in doc.changes] == [(CONTAINED_PARAGRAPH, ("in b:0",))]


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_a_recrawled_document_replaces_its_entries_in_a_saved_index(tmp_path: Path, keep: str) -> None:
    from benchmarks.dedup_digests import load_articles

    other = load_articles()[0]
    index = str(tmp_path / "index")
    run([Document.from_text(STORY, id="page")], index_path=index, keep=keep)
    out, stage = run([Document.from_text(other, id="page")], index_path=index, keep=keep)  # re-crawled, new text
    assert out[0].kept and stage.report()["index"]["documents"] == 1
    out, _ = run([Document.from_text(STORY, id="elsewhere")], index_path=index, keep=keep)
    assert out[0].kept  # the old text of "page" left the index, with its paragraphs
    assert not [c for c in out[0].changes if c.reason == DUPLICATE_PARAGRAPH]
    out, _ = run([Document.from_text(other, id="copy")], index_path=index, keep=keep)
    assert out[0].status == "duplicate" and out[0].duplicate_of == "page"


def test_the_threshold_bounds_every_clause_and_the_reason_names_it() -> None:
    lines = STORY.split("\n")
    shorter = "\n".join(lines[:-1]) + "\n市民们纷纷表示，这样的服务让人感到温暖。"
    docs = [Document.from_text(STORY, id="k"), Document.from_text(shorter, id="d")]
    out, _ = run(docs, level="documents")
    reason = out[1].status_reason or ""
    assert out[1].status == "duplicate" and reason.startswith("near_duplicate: jaccard 0.")
    assert reason.endswith(" of this document with k") and float(reason.split()[2]) < 0.95
    for threshold in (0.9, 0.95):  # no clause may fire below the configured threshold
        docs = [Document.from_text(STORY, id="k"), Document.from_text(shorter, id="d")]
        out, _ = run(docs, level="documents", threshold=threshold)
        assert out[1].kept


@pytest.mark.parametrize("digest", ["keep", "new_parts"])
def test_a_page_holding_a_kept_article_plus_a_new_one_is_a_digest_never_a_duplicate(digest: str) -> None:
    from benchmarks.dedup_digests import load_articles

    articles = sorted(load_articles(), key=len)
    short, long = articles[0], articles[-1]  # the page is mostly the kept article: covered at document level
    page = long + "\n" + short
    out, stage = run([Document.from_text(long, id="a"), Document.from_text(page, id="page")], digest=digest)
    assert [d.status for d in out] == ["kept", "kept"]
    (verdict,) = [c for c in out[1].changes if c.reason == "digest"]
    assert verdict.evidence[0].startswith("holds a: ") and verdict.before == ""
    assert int(verdict.evidence[1].split()[0]) > 0 and stage.report()["counts"]["digests"] == 1
    if digest == "keep":
        assert out[1].text == page
    else:
        assert out[1].text == short and replay(out[1].original or "", out[1].changes) == short
    alone, _ = run([Document.from_text(long, id="a"), Document.from_text(page, id="page")], new_content_chars=10**6)
    assert alone[1].status == "duplicate"  # the check that keeps it: without it the new article would be lost
