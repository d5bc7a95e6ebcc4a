"""Scores of a clustering against the truth: pair precision, recall, F1, ARI, exact clusters, recall per edit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from benchmarks.reprints import EDIT_KINDS, ReprintCorpus

Clusters = list[list[int]]


def pairs_of(clusters: Iterable[Sequence[int]]) -> set[tuple[int, int]]:
    """All pairs ``(i, j)``, ``i < j``, that share a cluster.

    >>> sorted(pairs_of([[2, 0, 1]]))
    [(0, 1), (0, 2), (1, 2)]
    """
    found: set[tuple[int, int]] = set()
    for cluster in clusters:
        members = sorted(cluster)
        found.update((a, b) for position, a in enumerate(members) for b in members[position + 1 :])
    return found


def labels_from_clusters(clusters: Iterable[Sequence[int]], size: int) -> np.ndarray:
    """One label per index: its cluster's number, or a label of its own when it is in no cluster.

    Raises ``ValueError`` for an index out of range or in two clusters (not a partition).

    >>> labels_from_clusters([[1, 3]], 4).tolist()
    [1, 0, 2, 0]
    """
    labels = np.full(size, -1, dtype=np.int64)
    for number, cluster in enumerate(clusters):
        for index in cluster:
            if not 0 <= index < size:
                raise ValueError(f"cluster {number} holds index {index}, outside 0..{size - 1}")
            if labels[index] != -1:
                raise ValueError(f"index {index} is in two clusters; a clustering must be a partition")
            labels[index] = number
    alone = labels == -1
    labels[alone] = np.arange(int(alone.sum())) + int(labels.max()) + 1
    return labels


def pair_scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    """Precision, recall and F1 of ``found`` pairs against ``truth`` (1.0 for an empty side).

    >>> pair_scores({(0, 1), (2, 3)}, {(0, 1)})["precision"]
    0.5
    """
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "found_pairs": len(found), "true_pairs": len(truth)}


def _pair_count(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def adjusted_rand_index(truth: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings (1.0 identical, about 0 for chance).

    From the contingency table with numpy; the same value as ``sklearn.metrics.adjusted_rand_score``.

    >>> round(adjusted_rand_index([0, 0, 0, 1, 1, 2], [0, 0, 2, 1, 1, 3]), 4)
    0.5946
    """
    first, second = np.asarray(truth), np.asarray(predicted)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError(f"labelings must be 1-d and of equal length, got {first.shape} and {second.shape}")
    size = len(first)
    if size < 2:
        return 1.0
    _, first_ids = np.unique(first, return_inverse=True)
    _, second_ids = np.unique(second, return_inverse=True)
    _, cell_counts = np.unique(
        first_ids.astype(np.int64) * (int(second_ids.max()) + 1) + second_ids, return_counts=True
    )
    index = _pair_count(cell_counts)
    rows, columns = _pair_count(np.bincount(first_ids)), _pair_count(np.bincount(second_ids))
    expected = rows * columns / (size * (size - 1) / 2)
    maximum = (rows + columns) / 2
    if maximum == expected:  # both all singletons, or both one cluster: identical by convention
        return 1.0
    return float((index - expected) / (maximum - expected))


def connected_components(size: int, pairs: Iterable[tuple[int, int]]) -> Clusters:
    """Clusters of two or more joined by ``pairs`` (union-find with path halving).

    >>> connected_components(5, [(0, 1), (1, 4)])
    [[0, 1, 4]]
    """
    parent = list(range(size))

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second in pairs:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for item in range(size):
        groups.setdefault(root(item), []).append(item)
    return sorted(group for group in groups.values() if len(group) > 1)


def score_clusters(found: Clusters, corpus_labels: Sequence[int]) -> dict[str, float]:
    """Pair scores, ARI and the share of true clusters reported exactly, for ``found`` against the labels."""
    truth_clusters = _clusters_from_labels(corpus_labels)
    scores = pair_scores(pairs_of(found), pairs_of(truth_clusters))
    scores["ari"] = adjusted_rand_index(corpus_labels, labels_from_clusters(found, len(corpus_labels)))
    found_sets = {frozenset(cluster) for cluster in found}
    exact = sum(frozenset(cluster) in found_sets for cluster in truth_clusters)
    scores["exact_clusters"] = exact / len(truth_clusters) if truth_clusters else 1.0
    return scores


def _clusters_from_labels(labels: Sequence[int]) -> Clusters:
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    return sorted(group for group in members.values() if len(group) > 1)


def recall_by_edit(found: Clusters, corpus: ReprintCorpus) -> dict[str, float]:
    """Per edit kind, the share of reprints carrying it that share a found cluster with their original."""
    cluster_of = {index: number for number, cluster in enumerate(found) for index in cluster}
    original = {corpus.labels[index]: index for index, edits in enumerate(corpus.edits) if not edits}
    hits: dict[str, list[bool]] = {name: [] for name in EDIT_KINDS}
    for index, edits in enumerate(corpus.edits):
        source = original[corpus.labels[index]]
        joined = index in cluster_of and cluster_of[index] == cluster_of.get(source)
        for name in edits:
            hits[name].append(joined)
    return {name: round(sum(values) / len(values), 4) for name, values in hits.items() if values}
