"""The run report: ``report.json`` for machines and ``report.md`` for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), "utf-8")
    (out_dir / "report.md").write_text(render_markdown(report), "utf-8")


def render_markdown(report: dict[str, Any]) -> str:
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
    for name, corpus in stats.get("corpus_reports", {}).items():
        if corpus:
            lines += ["", f"## {name}", ""]
            lines += _render_corpus_report(corpus)
    lines.append("")
    return "\n".join(lines)


def _render_corpus_report(corpus: dict[str, Any]) -> list[str]:
    """Counts as a list and cluster lists as tables; anything else as JSON (report.json has it all)."""
    lines: list[str] = []
    rest: dict[str, Any] = {}
    for key, value in corpus.items():
        if key == "counts" and isinstance(value, dict):
            lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in value.items()]
        elif isinstance(value, dict) and isinstance(value.get("clusters"), list):
            lines += ["", f"### {key}: {value.get('clusters_total', len(value['clusters']))} clusters", ""]
            lines += _cluster_table(value["clusters"])
        elif isinstance(value, dict) and isinstance(value.get("groups"), list):
            lines += ["", f"### {key}: {value.get('groups_total', len(value['groups']))} groups", ""]
            lines += _group_table(value["groups"])
        else:
            rest[key] = value
    if rest:
        lines += ["", "```json", json.dumps(rest, ensure_ascii=False, indent=2, default=str)[:20000], "```"]
    return lines


def _cluster_table(clusters: list[dict[str, Any]]) -> list[str]:
    if not clusters:
        return ["none found"]
    rows = ["| kept | size | min similarity | members | related | example |", "|---|---:|---:|---|---|---|"]
    for cluster in clusters:
        members = _names(cluster.get("members", []))
        related = _names(cluster.get("related", []))
        example = (cluster.get("examples") or [""])[0].replace("|", "\\|").replace("\n", " ")
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
