"""``report.html``: one self-contained page (no network, opens from a file:// URL) showing what a run did.

- waterfalls, drawn as inline SVG, of the documents and of the characters each stage removed, per reason;
- a table of every document (status, reason, characters removed per stage, script, encoding) with search and
  paging done by a small inline script over data embedded as JSON, so it stays fast for 100k documents;
- the duplicate clusters, members side by side, the text they share highlighted;
- per document (up to :data:`cleanse.io.run_log.DETAIL_BUDGET` characters in all), the cleaned text with every
  change highlighted and its stage and reason on hover; removed text is shown struck through.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cleanse.io.run_log import SPLIT_OFF, RunLog, read_texts

SHARED_NGRAM = 6
MEMBERS_SHOWN = 6
MEMBER_CHARS = 3000
REASONS_PER_STAGE = 8


def write_html_report(report: Mapping[str, Any], log: RunLog, out_dir: Path, texts: Mapping[str, str]) -> Path:
    """Write ``out_dir/report.html`` and return its path; ``texts`` are the cluster members' (:func:`member_texts`)."""
    path = out_dir / "report.html"
    path.write_text(render_html(report, log, cluster_levels(report), texts), "utf-8")
    return path


def render_html(
    report: Mapping[str, Any],
    log: RunLog,
    clusters: Sequence[tuple[str, str, Mapping[str, Any]]] = (),
    texts: Mapping[str, str] | None = None,
) -> str:
    stats = report.get("stats", {})
    stage_order = [name for name in stats.get("stages", {})] or log.stage_names
    head = (
        f"{stats.get('documents_in', log.documents_in)} documents in"
        f" (+ {stats.get('derived', log.split_off)} split off)"
        f" = kept {stats.get('kept', '?')} + rejected {stats.get('dropped', '?')}"
        f" + duplicates {stats.get('duplicates', '?')}"
        f" ({'balanced' if stats.get('balanced') else 'NOT BALANCED'}); {stats.get('seconds', '?')} s"
    )
    document_chart = _waterfall(_document_bars(log, stage_order), "documents")
    char_chart = _waterfall(_char_bars(log, stage_order), "characters")
    data = {
        "stages": [s for s in stage_order if any(s in row["removed"] for row in log.rows)],
        "rows": log.rows,
        "details": {str(k): v for k, v in log.details.items()},
    }
    cluster_html = _clusters_html(clusters, texts or {})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>cleanse report: {html.escape(str(report.get('input', '')))}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>cleanse run report</h1>",
        f"<p class=meta>input <code>{html.escape(str(report.get('input', '')))}</code>, "
        f"cleanse {html.escape(str(report.get('version', '')))}, started {html.escape(str(report.get('started', '')))}"
        f"<br>{html.escape(head)}</p>",
        '<nav><a href="#flow">flow</a> · <a href="#documents">documents</a> · <a href="#clusters">clusters</a></nav>',
        '<h2 id="flow">What each stage did</h2>',
        '<div class="charts"><figure><figcaption>documents</figcaption>',
        document_chart,
        "</figure><figure><figcaption>characters (removed per stage and reason; totals grey)</figcaption>",
        char_chart,
        "</figure></div>",
        '<h2 id="documents">Documents</h2>',
        '<div class="controls"><input id="search" type="search" placeholder="search id, status, reason, script, '
        'encoding…" size="40"> <select id="pagesize"><option>50</option><option selected>100</option>'
        "<option>500</option></select> per page <button id=prev>◀</button> <span id=pageinfo></span> "
        "<button id=next>▶</button></div>",
        '<table id="docs"><thead><tr id="dochead"></tr></thead><tbody id="docbody"></tbody></table>',
        '<div id="detail" hidden></div>',
        f'<h2 id="clusters">Duplicate clusters</h2>{cluster_html}',
        f'<script type="application/json" id="data">{_json_for_script(data)}</script>',
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _json_for_script(value: Any) -> str:
    """JSON that cannot end the surrounding script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


# -- waterfalls -----------------------------------------------------------------------------------------------

Bar = tuple[str, float, str]
"""(label, value, kind): kind ``total`` draws from zero, ``delta`` floats from the running total."""


def _document_bars(log: RunLog, stage_order: Sequence[str]) -> list[Bar]:
    bars: list[Bar] = [("documents in", log.documents_in, "total")]
    if log.split_off:
        bars.append((f"splice: {SPLIT_OFF}", log.split_off, "delta"))
    for stage, reason, count in _ordered(log.document_flow, stage_order):
        bars.append((f"{stage}: {reason}", -count, "delta"))
    kept = sum(1 for row in log.rows if row["status"] == "kept")
    bars.append(("kept", kept, "total"))
    return bars


def _char_bars(log: RunLog, stage_order: Sequence[str]) -> list[Bar]:
    bars: list[Bar] = [("characters in", log.chars_in, "total")]
    by_stage: dict[str, list[tuple[str, int]]] = {}
    for stage, reason, delta in _ordered(log.char_flow, stage_order):
        if delta:
            by_stage.setdefault(stage, []).append((reason, delta))
    for stage, items in by_stage.items():
        items.sort(key=lambda item: -abs(item[1]))
        shown, rest = items[:REASONS_PER_STAGE], items[REASONS_PER_STAGE:]
        for reason, delta in shown:
            bars.append((f"{stage}: {reason}", delta, "delta"))
        if rest:
            bars.append((f"{stage}: {len(rest)} other reasons", sum(d for _, d in rest), "delta"))
    bars.append(("characters kept", log.chars_kept, "total"))
    return bars


def _ordered(flow: Mapping[tuple[str, str], int], stage_order: Sequence[str]) -> list[tuple[str, str, int]]:
    rank = {name: number for number, name in enumerate(stage_order)}
    items = [(stage, reason, value) for (stage, reason), value in flow.items()]
    return sorted(items, key=lambda item: (rank.get(item[0], len(rank)), -abs(item[2]), item[1]))


def _waterfall(bars: Sequence[Bar], unit: str) -> str:
    label_width, bar_width, row_height = 300, 420, 20
    running = 0.0
    spans: list[tuple[float, float]] = []
    for _, value, kind in bars:
        if kind == "total":
            spans.append((0.0, value))
            running = value
        else:
            spans.append((running, running + value))
            running += value
    top = max([max(a, b) for a, b in spans] + [1.0])
    scale = bar_width / top
    height = row_height * len(bars) + 10
    out = [
        f'<svg class="waterfall" role="img" aria-label="{unit} waterfall" xmlns="http://www.w3.org/2000/svg" '
        f'width="{label_width + bar_width + 90}" height="{height}">'
    ]
    for number, ((label, value, kind), (a, b)) in enumerate(zip(bars, spans, strict=True)):
        y = 5 + number * row_height
        x0, x1 = sorted((a * scale, b * scale))
        color = "#888" if kind == "total" else ("#c0392b" if value < 0 else "#27ae60")
        shown = f"{value:,.0f}" if kind == "total" else f"{value:+,.0f}"
        text = html.escape(label if len(label) <= 44 else label[:43] + "…")
        out.append(
            f'<g><title>{html.escape(label)}: {shown} {unit}</title>'
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{text}</text>'
            f'<rect x="{label_width + x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 1):.1f}" height="{row_height - 6}" '
            f'fill="{color}"/><text x="{label_width + x1 + 4:.1f}" y="{y + 14}">{shown}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


# -- clusters -------------------------------------------------------------------------------------------------


def cluster_levels(report: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(stage, level, level report) for every corpus report part that lists clusters."""
    levels = []
    for stage, corpus in (report.get("stats", {}).get("corpus_reports") or {}).items():
        for level, value in (corpus or {}).items():
            if isinstance(value, Mapping) and isinstance(value.get("clusters"), list):
                levels.append((stage, level, value))
    return levels


def member_document(member: str, known: set[str] | None = None) -> tuple[str, int | None]:
    """The document id and paragraph number a cluster member names: ``doc`` or ``doc:<paragraph>``."""
    if known is not None and member in known:
        return member, None
    head, _, tail = member.rpartition(":")
    if head and tail.isdigit():
        return head, int(tail)
    return member, None


def member_texts(clusters: Sequence[tuple[str, str, Mapping[str, Any]]], out_dir: Path) -> dict[str, str]:
    """The texts of the members shown (and of each cluster's kept member), read back from the output files."""
    members = {c["kept"] for _, _, level in clusters for c in level["clusters"] if "kept" in c}
    members |= {m for _, _, level in clusters for c in level["clusters"] for m in c.get("members", [])[:MEMBERS_SHOWN]}
    if not members:
        return {}
    wanted = {member_document(m)[0] for m in members} | members
    texts = read_texts(out_dir, wanted)
    return {m: text for m in members if (text := member_text(m, texts)) is not None}


def member_text(member: str, texts: Mapping[str, str]) -> str | None:
    """A cluster member's text: the document's, or its paragraph's (the dedup stage's numbering)."""
    if member in texts:
        return texts[member]
    doc_id, paragraph = member_document(member)
    if paragraph is None or doc_id not in texts:
        return None
    from cleanse.stages.dedup.units import paragraph_spans

    spans = paragraph_spans(texts[doc_id])
    return spans[paragraph].text if paragraph < len(spans) else None


def _clusters_html(clusters: Sequence[tuple[str, str, Mapping[str, Any]]], texts: Mapping[str, str]) -> str:
    if not clusters:
        return "<p>No corpus stage ran.</p>"
    out = []
    for stage, level, value in clusters:
        listed = value["clusters"]
        total = value.get("clusters_total", len(listed))
        out.append(f"<h3>{html.escape(stage)} / {html.escape(level)}: {total} clusters</h3>")
        if total > len(listed):
            out.append(f"<p>The {len(listed)} largest are listed (the stage's <code>report_clusters</code>).</p>")
        if not listed:
            out.append("<p>none found</p>")
        for number, cluster in enumerate(listed):
            out.append(_cluster_html(f"{level}-{number}", cluster, texts))
    return "\n".join(out)


def _cluster_html(key: str, cluster: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    members = list(cluster.get("members", []))
    kept = cluster.get("kept", members[0] if members else "")
    shown = members[:MEMBERS_SHOWN]
    bodies = {m: texts.get(m) for m in shown}
    grams = {m: _grams(body or "") for m, body in bodies.items()}
    columns = []
    for member in shown:
        body = bodies[member]
        others = set().union(*(g for m, g in grams.items() if m != member)) if len(grams) > 1 else set()
        role = "kept" if member == kept else "duplicate"
        text_html = _highlight_shared(body[:MEMBER_CHARS], others) if body is not None else "<i>text not found</i>"
        columns.append(
            f'<div class="member {role}"><div class="mhead">{html.escape(member)} <span>({role})</span></div>'
            f'<div class="mtext">{text_html}</div></div>'
        )
    more = f" (+{len(members) - len(shown)} more: {html.escape(', '.join(members[len(shown):]))})" if len(
        members
    ) > len(shown) else ""
    also = f"; also kept: {html.escape(', '.join(cluster['also_kept']))}" if cluster.get("also_kept") else ""
    return (
        f'<details class="cluster" data-cluster="{html.escape(key)}" open><summary>kept <b>{html.escape(str(kept))}'
        f"</b>, size {cluster.get('size', len(members))}, min similarity {cluster.get('min_similarity', '')}"
        f"{more}{also}</summary><div class=\"members\">{''.join(columns)}</div></details>"
    )


def _grams(text: str, n: int = SHARED_NGRAM) -> set[str]:
    text = text[:MEMBER_CHARS]
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def _highlight_shared(text: str, others: set[str], n: int = SHARED_NGRAM) -> str:
    """The text with every character covered by an n-gram found in another member wrapped in ``<mark>``.

    Covered characters are gathered as merged spans (one per run of overlapping or touching n-grams), so the
    text is escaped span by span rather than character by character."""
    spans: list[list[int]] = []
    for i in range(len(text) - n + 1):
        if text[i : i + n] in others:
            if spans and i <= spans[-1][1]:
                spans[-1][1] = i + n
            else:
                spans.append([i, i + n])
    out = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    if cursor < len(text):
        out.append(html.escape(text[cursor:]))
    return "".join(out)


_CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ddd;margin-top:1.5em}h3{font-size:1.05em}
.meta{color:#555}code{background:#f3f3f3;padding:0 .2em}
.charts{display:flex;flex-wrap:wrap;gap:2em}figure{margin:0}figcaption{font-weight:600}
svg.waterfall text{font-size:12px;fill:#333}
.controls{margin:.5em 0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e5e5e5;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr{cursor:pointer}tbody tr:hover{background:#f4f8ff}tr.sel{background:#e6efff}
.status-kept{color:#1e7e34}.status-dropped{color:#c0392b}.status-duplicate{color:#b9770e}
td.sum{color:#555;max-width:40em}
#detail{border:1px solid #ccc;padding:.8em;margin:1em 0;background:#fcfcfc}
#detail .text{white-space:pre-wrap;font-family:"Noto Serif CJK SC",serif;line-height:1.8;max-height:40em;overflow:auto}
.k1{background:#d4f3d4;border-bottom:2px solid #27ae60}
.k2{background:#fbdada;color:#a33;text-decoration:line-through}
.k3{background:#fff3c4}
.legend span{padding:0 .4em;margin-right:.6em}
.members{display:flex;gap:1em;overflow-x:auto}
.member{flex:1 1 0;min-width:18em;border:1px solid #ddd;padding:.4em}
.member.kept{border-color:#27ae60}.mhead{font-weight:600;font-size:12px}.mhead span{font-weight:400;color:#777}
.mtext{white-space:pre-wrap;max-height:20em;overflow:auto;font-size:13px}
mark{background:#ffe58a}
details.cluster{margin:.6em 0}
"""

_JS = r"""
(function(){
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
window.CLEANSE_REPORT = DATA;
const rows = DATA.rows, stages = DATA.stages;
const KINDS = ["", "edited", "removed", "flagged"];
const haystack = rows.map(r => (r.id + " " + r.status + " " + r.stage + " " + r.reason + " " + r.of + " " +
  r.script + " " + r.encoding + " " + r.summary).toLowerCase());
let shown = rows.map((_, i) => i), page = 0, selected = -1;
const $ = id => document.getElementById(id);
function el(tag, attrs, text){
  const node = document.createElement(tag);
  if (attrs) for (const k in attrs) node.setAttribute(k, attrs[k]);
  if (text !== undefined) node.textContent = text;
  return node;
}
const head = $("dochead");
["id", "status", "reason"].concat(stages.map(s => "− " + s), ["chars in", "chars out", "script", "encoding",
  "what happened"]).forEach(h => head.appendChild(el("th", null, h)));
function pageSize(){ return parseInt($("pagesize").value, 10); }
function render(){
  const size = pageSize(), pages = Math.max(1, Math.ceil(shown.length / size));
  page = Math.min(page, pages - 1);
  const body = $("docbody"), frag = document.createDocumentFragment();
  for (const i of shown.slice(page * size, page * size + size)) {
    const r = rows[i], tr = el("tr", {"data-row": i});
    if (i === selected) tr.className = "sel";
    tr.appendChild(el("td", null, r.id));
    tr.appendChild(el("td", {"class": "status-" + r.status}, r.status));
    const why = r.status === "kept" ? "" : r.stage + ": " + r.reason + (r.of ? " (of " + r.of + ")" : "");
    tr.appendChild(el("td", null, why));
    for (const s of stages) tr.appendChild(el("td", {"class": "num"}, r.removed[s] ? String(r.removed[s]) : ""));
    tr.appendChild(el("td", {"class": "num"}, String(r.chars_in)));
    tr.appendChild(el("td", {"class": "num"}, String(r.chars_out)));
    tr.appendChild(el("td", null, r.script));
    tr.appendChild(el("td", null, r.encoding));
    tr.appendChild(el("td", {"class": "sum"}, r.summary));
    frag.appendChild(tr);
  }
  body.replaceChildren(frag);
  $("pageinfo").textContent =
    "page " + (page + 1) + " of " + pages + " (" + shown.length + " of " + rows.length + " documents)";
}
let timer = 0;
$("search").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const terms = $("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    shown = [];
    for (let i = 0; i < rows.length; i++) if (terms.every(t => haystack[i].includes(t))) shown.push(i);
    page = 0; render();
  }, 120);
});
$("pagesize").addEventListener("change", () => { page = 0; render(); });
$("prev").addEventListener("click", () => { if (page > 0) { page--; render(); } });
$("next").addEventListener("click", () => { if ((page + 1) * pageSize() < shown.length) { page++; render(); } });
$("docbody").addEventListener("click", ev => {
  const tr = ev.target.closest("tr");
  if (!tr) return;
  selected = parseInt(tr.getAttribute("data-row"), 10);
  render(); showDetail(selected);
});
function showDetail(i){
  const box = $("detail"), r = rows[i], raw = DATA.details[String(i)];
  box.hidden = false; box.replaceChildren();
  const why = r.status === "kept" ? "" : " by " + r.stage + ": " + r.reason;
  box.appendChild(el("h3", null, r.id + ": " + r.status + why));
  box.appendChild(el("p", null, r.summary || "no changes"));
  if (!raw) {
    box.appendChild(el("p", null, "The text view of this document is not embedded (size budget); run: " +
      "cleanse explain --id " + r.id + " OUT/kept.jsonl"));
    return;
  }
  const d = JSON.parse(raw);
  const legend = el("p", {"class": "legend"});
  legend.appendChild(el("span", {"class": "k1"}, "edited"));
  legend.appendChild(el("span", {"class": "k2"}, "removed"));
  legend.appendChild(el("span", {"class": "k3"}, "flagged (verdict, text kept)"));
  legend.appendChild(document.createTextNode("hover for stage and reason"));
  box.appendChild(legend);
  const text = el("div", {"class": "text"});
  for (const p of d.p) {
    if (p.length === 1) { text.appendChild(document.createTextNode(p[0])); continue; }
    const c = d.c[p[2]];
    let tip = c[0] + ": " + c[1] + (c[4] === null ? "" : " (score " + c[4] + ")");
    if (p[1] !== 3) tip += "\n" + JSON.stringify(c[2]) + " → " + JSON.stringify(c[3]);
    if (c[5]) tip += "\nevidence: " + c[5];
    text.appendChild(el("span", {"class": "k" + p[1], "title": tip, "data-kind": KINDS[p[1]]}, p[0]));
  }
  box.appendChild(text);
  box.scrollIntoView({block: "nearest"});
}
render();
})();
"""
