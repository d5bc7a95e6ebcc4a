"""Reprint groups for the report: kept units related to a representative, never chained.

Removal is directional (a unit is a duplicate only when one kept unit covers it), so a reprint that adds
sentences to a kept article is kept. Researchers measuring how an article is reprinted still want it in
the article's group, so the report records *related* units: a kept unit that has an edge with a kept
representative by the same rule and threshold (:meth:`cleanse.stages.dedup.edges.EdgeRule.covers`, in
either direction: most often it holds the representative's content plus new content), measured against
the representative directly. Nothing is removed for it: it gets a ``reprint_of`` verdict (a flag, the
text unchanged) naming the rule, the score and the representative.

Which representatives count: only kept units that are representatives themselves. A kept unit related
to exactly one representative *joins* that group (it is no longer a representative: a later unit related
only to it does not join the group through it). A kept unit related to two or more representatives (a
digest page bundling articles A and B) stays the representative of its own group and is listed as
``related`` (and ``shared``) in each of theirs, without merging them: A's and B's groups stay apart.

A later duplicate of a unit that joined a group is reported in that group only when it has an edge with
the group's representative itself; otherwise it stays in the group of the kept unit it duplicates. So
every member of a group has an edge with its representative: a page A+B that joined A's group does not
pull B (its duplicate) into A's group.

The same object decides for the local stage (keys: unit names) and for the Ray driver (keys: ordinals),
so both give the same groups.

>>> groups = ReprintGroups()
>>> groups.relate("a+x", ["a"])
['a']
>>> groups.relate("a+b", ["a", "b"]), groups.relate("a+x+y", ["a+x"])
(['a', 'b'], [])
>>> groups.group_of("b-copy", "a+x", related={"a+x"}), groups.group_of("a-copy", "a+x", related={"a", "a+x"})
('a+x', 'a')
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from typing import Any, Generic, TypeVar

import numpy as np

from cleanse.stages.dedup.report import MEMBERS_LISTED

Key = TypeVar("Key", bound=Hashable)


class ReprintGroups(Generic[Key]):
    """Which kept units joined which representative's group (``joined[unit] = representative``)."""

    def __init__(self) -> None:
        self.joined: dict[Key, Key] = {}

    def relate(self, unit: Key, related: Iterable[Key]) -> list[Key]:
        """The representatives a newly kept ``unit`` is related to, given every kept unit it has an edge
        with (``related``, best first); it joins the group when there is exactly one."""
        roots = [other for other in dict.fromkeys(related) if other not in self.joined and other != unit]
        if len(roots) == 1:
            self.joined[unit] = roots[0]
        return roots

    def group_of(self, unit: Key, kept: Key, related: Collection[Key]) -> Key:
        """The group a duplicate of ``kept`` is reported in: the group ``kept`` joined when ``unit`` has an
        edge with that group's representative too (``related``: the kept units it has an edge with), else
        ``kept``'s own."""
        root = self.joined.get(kept)
        return root if root is not None and root in related else kept

    def forget(self, unit: Key) -> None:
        """A unit replaced in the index (a re-crawl) no longer belongs to a group."""
        self.joined.pop(unit, None)


class RelationLog:
    """Every direct relation between the documents of a run, for the report's ``reprint_groups``.

    The stage's clusters are decided in stream order, around the first copy kept; the reprint groups are
    decided at the end, as :func:`cleanse.find_duplicates` decides its clusters: stars
    (:func:`cleanse.stages.dedup.stars.star_clusters`) over every pair of documents with an edge by the
    rule in either direction (LSH candidates, duplicates included), each member holding more than half of
    its representative's shingles. Every member of a group therefore relates to the representative
    directly, and two members share part of it: the parts of a digest page never meet in one group.
    Memory: a name, a size and a kept flag per document, and three numbers per related pair. The stage
    logs at most ``reprint_groups_documents`` documents (the first ones) and counts the others in
    ``not_logged``; with ``enabled`` False (``reprint_groups=False``) it logs none.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.not_logged = 0
        self.names: list[str] = []
        self.sizes: list[int] = []
        self.kept: list[bool] = []
        self.left: list[int] = []
        self.right: list[int] = []
        self.common: list[float] = []

    def add(self, name: str, size: int, kept: bool) -> int:
        """A new document; returns its ordinal."""
        self.names.append(name)
        self.sizes.append(size)
        self.kept.append(kept)
        return len(self.names) - 1

    def relate(self, earlier: Iterable[int], later: int, common: Iterable[float]) -> None:
        """Edges between ``later`` and each of ``earlier`` with their estimated shared shingles."""
        earlier, common = [int(ordinal) for ordinal in earlier], [float(shared) for shared in common]
        if len(earlier) != len(common):
            raise ValueError(f"{len(earlier)} documents but {len(common)} shared counts")
        self.left.extend(earlier)
        self.right.extend([later] * len(earlier))
        self.common.extend(common)

    def to_dict(self, limit: int) -> dict[str, Any]:
        """The reprint groups of two documents or more, largest first: representative, size, members and
        which of them were kept (the others were removed as duplicates)."""
        from cleanse.stages.dedup.stars import star_clusters

        count = len(self.names)
        stars = star_clusters(
            count,
            np.asarray(self.left, dtype=np.int64),
            np.asarray(self.right, dtype=np.int64),
            np.asarray(self.common, dtype=np.float64),
            np.asarray(self.sizes, dtype=np.float64),
            np.arange(count, dtype=np.int64),
        )
        rows: list[dict[str, Any]] = []
        for group in stars.groups():
            representative = int(stars.representative[group[0]])
            rows.append(
                {
                    "representative": self.names[representative],
                    "size": len(group),
                    "members": [self.names[member] for member in group][:MEMBERS_LISTED],
                    "kept": [self.names[member] for member in group if self.kept[member]][:MEMBERS_LISTED],
                }
            )
        ranked = sorted(rows, key=lambda row: -row["size"])[:limit]
        return {
            "enabled": self.enabled,
            "documents_not_logged": self.not_logged,
            "groups_total": len(rows),
            "documents_in_groups": sum(row["size"] for row in rows),
            "groups": ranked,
        }
