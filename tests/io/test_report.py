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
            {"kept": "a", "size": 3, "min_similarity": 0.9, "members": ["a", "b"], "examples": ["同一|篇\n文章"],
             "related": ["c"]},
        ]},
        "reprint_groups": {"groups_total": 1, "groups": [
            {"representative": "a", "size": 3, "members": ["a", "b", "c"], "kept": ["a", "c"]},
        ]},
        "options": {"threshold": 0.5},
    }
    text = render_markdown(_report(corpus))
    assert "- documents: 2" in text
    assert "| a | 3 | 0.9 | a, b | c | 同一\\|篇 文章 |" in text
    assert "### reprint_groups: 1 groups" in text and "| a | 3 | a, b, c | a, c |" in text
    assert '"threshold": 0.5' in text
    assert "kept 1 + rejected 0 + duplicates 1 (balanced)" in text
