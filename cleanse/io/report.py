"""The run report: ``report.json`` for machines, ``report.md`` and ``report.html`` for people."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cleanse.io.run_log import RunLog


def write_report(report: dict[str, Any], out_dir: Path, log: RunLog | None = None) -> None:
    """Write report.json and report.md; with the run's :class:`RunLog`, also report.html and a line per document.

    Call it once the output JSONL files are complete: cluster members' texts are read back from them.
    """
    from cleanse.io.html_report import cluster_levels, member_texts, write_html_report

    texts = member_texts(cluster_levels(report), out_dir)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), "utf-8")
    (out_dir / "report.md").write_text(render_markdown(report, log, texts), "utf-8")
    if log is not None:
        write_html_report(report, log, out_dir, texts)


def render_markdown(report: dict[str, Any], log: RunLog | None = None, texts: Mapping[str, str] | None = None) -> str:
    stats = report["stats"]
    lines = [
        "# cleanse run report",
        "",
        f"- input: `{report.get('input', '')}`",
        f"- cleanse {report.get('version', '')}, {stats['seconds']} s",
        f"- documents in: {stats['documents_in']} (+ {stats['derived']} split off) = kept {stats['kept']}"
        f" + rejected {stats['dropped']} + duplicates {stats['duplicates']}"
        f" ({'balanced' if stats['balanced'] else 'NOT BALANCED'})",
        "",
        "## Stages",
        "",
        "| stage | docs changed | chars changed | edits | verdicts | lines dropped | docs dropped | duplicates |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in stats["stages"].items():
        lines.append(
            f"| {name} | {s['documents_changed']} | {s['characters_changed']} | {s['edits']} | {s['verdicts']} "
            f"| {s['lines_dropped']} | {s['documents_dropped']} | {s['duplicates']} |"
        )
    lines += ["", "## Reasons", ""]
    for name, s in stats["stages"].items():
        for reason, count in sorted(s["reasons"].items(), key=lambda kv: -kv[1]):
            lines.append(f"- {name} / {reason}: {count}")
    if log is not None:
        lines += ["", "## Documents", ""]
        lines += log.markdown_lines()
    for name, corpus in stats.get("corpus_reports", {}).items():
        if corpus:
            lines += ["", f"## {name}", ""]
            lines += _render_corpus_report(corpus, texts or {})
    lines.append("")
    return "\n".join(lines)


def _render_corpus_report(corpus: dict[str, Any], texts: Mapping[str, str]) -> list[str]:
    """Counts as a list and cluster lists as tables; anything else as JSON (report.json has it all)."""
    lines: list[str] = []
    rest: dict[str, Any] = {}
    for key, value in corpus.items():
        if key == "counts" and isinstance(value, dict):
            lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in value.items()]
        elif isinstance(value, dict) and isinstance(value.get("clusters"), list):
            lines += ["", f"### {key}: {value.get('clusters_total', len(value['clusters']))} clusters", ""]
            lines += _cluster_table(value["clusters"], texts)
        elif isinstance(value, dict) and isinstance(value.get("groups"), list):
            lines += ["", f"### {key}: {value.get('groups_total', len(value['groups']))} groups", ""]
            lines += _group_table(value["groups"])
        else:
            rest[key] = value
    if rest:
        lines += ["", "```json", json.dumps(rest, ensure_ascii=False, indent=2, default=str)[:20000], "```"]
    return lines


def _cluster_table(clusters: list[dict[str, Any]], texts: Mapping[str, str]) -> list[str]:
    """One row per cluster; the example is the kept member's own text when the output files have it."""
    if not clusters:
        return ["none found"]
    rows = [
        "| kept | size | min similarity | members | related | kept member's text |",
        "|---|---:|---:|---|---|---|",
    ]
    for cluster in clusters:
        members = _names(cluster.get("members", []))
        related = _names(cluster.get("related", []))
        kept_text = texts.get(str(cluster.get("kept", "")))
        example = kept_text if kept_text is not None else (cluster.get("examples") or [""])[0]
        example = " ".join(example.split()).replace("|", "\\|")
        if kept_text is None and example:
            example = "(a member) " + example
        example = example if len(example) <= 60 else example[:59] + "…"
        rows.append(
            f"| {cluster.get('kept', '')} | {cluster.get('size', '')} | {cluster.get('min_similarity', '')} "
            f"| {members} | {related} | {example} |"
        )
    return rows


def _group_table(groups: list[dict[str, Any]]) -> list[str]:
    if not groups:
        return ["none found"]
    rows = ["| representative | size | members | kept |", "|---|---:|---|---|"]
    for group in groups:
        rows.append(
            f"| {group.get('representative', '')} | {group.get('size', '')} | {_names(group.get('members', []))} "
            f"| {_names(group.get('kept', []))} |"
        )
    return rows


def _names(names: list[Any], shown: int = 6) -> str:
    text = ", ".join(map(str, names[:shown]))
    return text + ", …" if len(names) > shown else text
