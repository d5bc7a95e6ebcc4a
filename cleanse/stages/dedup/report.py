"""The dedup report: clusters with their sizes, members and example texts, bounded in memory.

Only clusters that gained a second member are tracked, each with at most ``examples`` previews
and the first members' names; :meth:`ClusterReport.to_dict` lists the largest ``limit`` clusters.

>>> report = ClusterReport(examples=2)
>>> report.add("doc-1", "doc-2", "第二份的文字", 0.91)
>>> report.add("doc-1", "doc-3", "第三份的文字", 1.0)
>>> report.to_dict(limit=5)["clusters"][0]["size"]
3
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


class ClusterReport:
    """Clusters of one level (documents or paragraphs), keyed by the name of their kept member."""

    def __init__(self, examples: int = 3) -> None:
        self.examples = examples
        self.clusters: dict[str, _Cluster] = {}
        self.duplicates = 0

    def add(self, kept: str, duplicate: str, text: str, similarity: float, kept_text: str | None = None) -> None:
        """Record that ``duplicate`` (with this text and similarity to the kept member) joined ``kept``'s cluster."""
        cluster = self.clusters.get(kept)
        if cluster is None:
            cluster = self.clusters[kept] = _Cluster(members=[kept])
            if kept_text is not None:
                cluster.examples.append(_preview(kept_text))
        cluster.size += 1
        self.duplicates += 1
        cluster.min_similarity = min(cluster.min_similarity, similarity)
        if len(cluster.members) < MEMBERS_LISTED:
            cluster.members.append(duplicate)
        if len(cluster.examples) < self.examples:
            cluster.examples.append(_preview(text))

    def to_dict(self, limit: int = 50) -> dict[str, Any]:
        ranked = sorted(self.clusters.items(), key=lambda item: (-item[1].size, item[0]))[:limit]
        return {
            "clusters_total": len(self.clusters),
            "duplicates": self.duplicates,
            "clusters": [
                {
                    "kept": kept,
                    "size": cluster.size,
                    "min_similarity": round(cluster.min_similarity, 3),
                    "members": cluster.members,
                    "examples": cluster.examples,
                }
                for kept, cluster in ranked
            ],
        }


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
