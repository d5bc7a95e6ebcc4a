from __future__ import annotations

from cleanse.io.report import render_markdown


def _report(corpus: dict) -> dict:
    stats = {
        "documents_in": 2, "derived": 0, "kept": 1, "dropped": 0, "duplicates": 1, "balanced": True,
        "seconds": 0.1, "stages": {}, "corpus_reports": {"dedup": corpus},
    }
    return {"input": "in", "version": "x", "stats": stats}


def test_clusters_render_as_a_table_and_the_rest_as_json():
    corpus = {
        "counts": {"documents": 2},
        "documents": {"clusters_total": 1, "clusters": [
            {"kept": "a", "size": 2, "min_similarity": 0.9, "members": ["a", "b"], "examples": ["同一|篇\n文章"]},
        ]},
        "options": {"threshold": 0.5},
    }
    text = render_markdown(_report(corpus))
    assert "- documents: 2" in text
    assert "| a | 2 | 0.9 | a, b | (a member) 同一\\|篇 文章 |" in text
    assert '"threshold": 0.5' in text
    assert "kept 1 + rejected 0 + duplicates 1 (balanced)" in text


def test_cluster_row_shows_the_kept_members_text_when_known():
    corpus = {"documents": {"clusters_total": 1, "clusters": [
        {"kept": "a", "size": 2, "min_similarity": 0.9, "members": ["a", "b"], "examples": ["乙的文字"]},
    ]}}
    text = render_markdown(_report(corpus), texts={"a": "甲的文字", "b": "乙的文字"})
    assert "| a | 2 | 0.9 | a, b | 甲的文字 |" in text
