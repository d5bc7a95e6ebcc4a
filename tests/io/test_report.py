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
    assert "| a | 3 | 0.9 | a, b | c | (a member) 同一\\|篇 文章 |" in text
    assert "### reprint_groups: 1 groups" in text and "| a | 3 | a, b, c | a, c |" in text
    assert '"threshold": 0.5' in text
    assert "kept 1 + rejected 0 + duplicates 1 (balanced)" in text


def test_cluster_row_shows_the_kept_members_text_when_known():
    corpus = {"documents": {"clusters_total": 1, "clusters": [
        {"kept": "a", "size": 2, "min_similarity": 0.9, "members": ["a", "b"], "examples": ["乙的文字"]},
    ]}}
    text = render_markdown(_report(corpus), texts={"a": "甲的文字", "b": "乙的文字"})
    assert "| a | 2 | 0.9 | a, b |  | 甲的文字 |" in text


def test_a_run_writes_a_line_per_document_and_an_html_row_per_document(tmp_path):
    import json
    import re

    from cleanse.cli import main

    inputs = tmp_path / "in.jsonl"
    texts = ["首页 > 新闻\n正文第一段，内容完整。", "", "正文第一段，内容完整。", "另一篇文章的正文，讲的是别的事情。"]
    inputs.write_text("".join(json.dumps({"id": f"n{i}", "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(texts)), "utf-8")
    out = tmp_path / "out"
    main(["run", str(inputs), "-o", str(out), "--no-progress"])
    markdown = (out / "report.md").read_text("utf-8")
    lines = [line for line in markdown.splitlines() if line.startswith("- `n")]
    assert [line.split("`")[1] for line in lines] == ["n0", "n1", "n2", "n3"]
    assert "dropped by intake: empty_document" in lines[1]
    page = (out / "report.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1))
    assert [row["id"] for row in data["rows"]] == ["n0", "n1", "n2", "n3"]
    assert data["rows"][0]["removed"]
