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
            lines += ["", f"## {name}", "", "```json", json.dumps(corpus, ensure_ascii=False, indent=2)[:20000], "```"]
    lines.append("")
    return "\n".join(lines)
