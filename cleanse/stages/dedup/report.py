"""The dedup report: clusters with their sizes, members and example texts, bounded in memory.

Only clusters that gained a second member are tracked, each with at most ``examples`` previews
and the first members' names; :meth:`ClusterReport.to_dict` lists the largest ``limit`` clusters.

In streaming mode a unit can match two clusters that were kept apart because the unit joining them
came later: :meth:`ClusterReport.link` records that, and the report lists the two as one cluster (the
first one reported names it; the others' kept members are listed as ``also_kept``, since they were
already written out as kept when the link appeared).

A cluster also lists the kept units *related* to its kept member (:mod:`cleanse.stages.dedup.related`):
reprints that hold its content plus new content, kept because they add something. ``related`` names
them; ``shared`` names those of them that are related to other clusters too (a digest page: listed in
each, its own cluster, never merging them). ``size`` counts the kept member, its duplicates and the
related units that are not shared. A duplicate holding at most half of the kept member (a part of a
digest page: removed, its content is in the kept page) is listed under ``parts``, not as a member, so two
members of a cluster always share part of its kept member.

>>> report = ClusterReport(examples=2)
>>> report.add("doc-1", "doc-2", "第二份的文字", 0.91)
>>> report.add("doc-1", "doc-3", "第三份的文字", 1.0)
>>> report.to_dict(limit=5)["clusters"][0]["size"]
3
>>> report.link("doc-1", "doc-7")
>>> cluster = report.to_dict(limit=5)["clusters"][0]
>>> cluster["kept"], cluster["also_kept"], cluster["size"], report.root("doc-7")
('doc-1', ['doc-7'], 4, 'doc-1')
>>> report.relate("doc-1", "doc-9", "第一份加上新的段落", 0.95)
>>> report.relate("doc-1", "digest-1", "第一份和另一篇", 0.97, shared=True)
>>> cluster = report.to_dict(limit=5)["clusters"][0]
>>> cluster["related"], cluster["shared"], cluster["size"]
(['doc-9', 'digest-1'], ['digest-1'], 5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PREVIEW_CHARS = 120
MEMBERS_LISTED = 20


@dataclass
class _Cluster:
    size: int = 1
    members: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    min_similarity: float = 1.0
    related: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


class ClusterReport:
    """Clusters of one level (documents or paragraphs), keyed by the name of their kept member."""

    def __init__(self, examples: int = 3) -> None:
        self.examples = examples
        self.clusters: dict[str, _Cluster] = {}
        self.duplicates = 0
        self.related = 0
        self._parent: dict[str, str] = {}
        self._ranks: dict[str, int] = {}

    def add(self, kept: str, duplicate: str, text: str, similarity: float, kept_text: str | None = None) -> None:
        """Record that ``duplicate`` (with this text and similarity to the kept member) joined ``kept``'s cluster."""
        cluster = self.clusters.get(kept)
        if cluster is None:
            cluster = self._new_cluster(kept)
            if kept_text is not None:
                cluster.examples.append(_preview(kept_text))
        cluster.size += 1
        self.duplicates += 1
        cluster.min_similarity = min(cluster.min_similarity, similarity)
        if len(cluster.members) < MEMBERS_LISTED:
            cluster.members.append(duplicate)
        if len(cluster.examples) < self.examples:
            cluster.examples.append(_preview(text))

    def add_part(self, kept: str, duplicate: str) -> None:
        """Record a duplicate of ``kept`` that holds at most half of it (a part of a digest page): removed
        as a duplicate, listed as a ``part``, not a member of the reprint group."""
        cluster = self.clusters.get(kept)
        if cluster is None:
            cluster = self._new_cluster(kept)
        self.duplicates += 1
        if len(cluster.parts) < MEMBERS_LISTED:
            cluster.parts.append(duplicate)

    def relate(self, kept: str, unit: str, text: str, similarity: float, shared: bool = False) -> None:
        """Record that kept ``unit`` is related to ``kept``'s cluster (``shared``: to other clusters too)."""
        cluster = self.clusters.get(kept)
        if cluster is None:
            cluster = self._new_cluster(kept)
        self.related += 1
        if len(cluster.related) < MEMBERS_LISTED:
            cluster.related.append(unit)
            if shared:
                cluster.shared.append(unit)
        if shared:
            return
        cluster.size += 1
        cluster.min_similarity = min(cluster.min_similarity, similarity)
        if len(cluster.examples) < self.examples:
            cluster.examples.append(_preview(text))

    def _new_cluster(self, kept: str) -> _Cluster:
        self._ranks[kept] = len(self._ranks)  # links name a merged cluster by the one reported first
        cluster = self.clusters[kept] = _Cluster(members=[kept])
        return cluster

    def link(self, kept: str, other: str) -> None:
        """Record that a later unit matched both clusters (named by their kept members): one cluster now."""
        for name in (kept, other):
            if name not in self.clusters:
                self._new_cluster(name)
        first, second = self.root(kept), self.root(other)
        if first == second:
            return
        if self._ranks[second] < self._ranks[first]:
            first, second = second, first
        self._parent[second] = first

    def root(self, kept: str) -> str:
        """The kept member that names ``kept``'s cluster after the links (``kept`` itself when unlinked)."""
        while kept in self._parent:
            kept = self._parent[kept]
        return kept

    def to_dict(self, limit: int = 50) -> dict[str, Any]:
        merged: dict[str, list[str]] = {}
        for kept in self.clusters:
            merged.setdefault(self.root(kept), []).append(kept)
        rows = [self._merged_row(names) for names in merged.values()]
        ranked = sorted(rows, key=lambda row: (-row["size"], row["kept"]))[:limit]
        return {
            "clusters_total": len(rows),
            "duplicates": self.duplicates,
            "related": self.related,
            "clusters": ranked,
        }

    def _merged_row(self, names: list[str]) -> dict[str, Any]:
        parts = [self.clusters[name] for name in names]
        row: dict[str, Any] = {
            "kept": names[0],
            "size": sum(part.size for part in parts),
            "min_similarity": round(min(part.min_similarity for part in parts), 3),
            "members": [member for part in parts for member in part.members][:MEMBERS_LISTED],
            "examples": [example for part in parts for example in part.examples][: self.examples],
        }
        pieces = [unit for part in parts for unit in part.parts]
        if pieces:
            row["parts"] = pieces[:MEMBERS_LISTED]
        related = [unit for part in parts for unit in part.related]
        if related:
            row["related"] = related[:MEMBERS_LISTED]
            shared = [unit for part in parts for unit in part.shared]
            if shared:
                row["shared"] = shared[:MEMBERS_LISTED]
        if len(names) > 1:
            row["also_kept"] = names[1:]
        return row


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
