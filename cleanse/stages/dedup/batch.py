"""Batch mode over a whole corpus: a per-unit map step, then a reduce step that groups and clusters.

Map (:func:`sketch_units`): normalise, shingle, sign and band every unit; each unit's output depends
on that unit alone, so chunks can run anywhere and be concatenated. Reduce (:func:`cluster_units`):
collapse exact duplicates by the hash of the normalised unit, group band keys by sorting, verify
every candidate pair on exact shingle sets with the edge rule (:mod:`cleanse.stages.dedup.edges`)
and gather the units around representatives (:mod:`cleanse.stages.dedup.stars`).

>>> find_duplicates(["春季植树造林活动综述", "春季植樹造林活動綜述！", "完全不同的一段文字"])
[[0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from cleanse.stages.dedup.edges import EdgeRule
from cleanse.stages.dedup.grouping import bucket_pairs, unique_pairs
from cleanse.stages.dedup.lsh import band_keys, optimal_params
from cleanse.stages.dedup.minhash import signatures
from cleanse.stages.dedup.normalise import normalise_batch
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.shingles import hash_shingles
from cleanse.stages.dedup.stars import StarClusters, star_clusters
from cleanse.stages.dedup.units import sentence_spans
from cleanse.stages.dedup.verify import ShingleSets, containment, intersections, jaccard

CHUNK_UNITS = 20_000
CLUSTER_ALL_PAIRS = 8  # buckets up to this size are fully paired when clustering; larger ones are chained


@dataclass(frozen=True)
class UnitSketches:
    """The map step's output for a list of units, row ``i`` for unit ``i``.

    ``keys`` are the LSH band keys, ``unit_hashes`` hash the whole normalised unit (the exact fast
    path), ``lengths`` count its normalised characters (0: nothing to compare), ``sets`` hold the
    exact shingle sets used to verify candidates, ``signs`` the signatures when asked for.
    """

    keys: np.ndarray
    unit_hashes: np.ndarray
    lengths: np.ndarray
    sets: ShingleSets
    signs: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.lengths)


def lsh_params(options: DedupOptions, threshold: float | None = None) -> tuple[int, int]:
    """Bands and rows for ``threshold`` (default: the options' ``lsh_threshold``)."""
    weight = options.recall_weight
    return optimal_params(threshold or options.lsh_threshold, options.num_perm, round(1 - weight, 9), weight)


def sign_units(texts: Sequence[str], options: DedupOptions) -> tuple[np.ndarray, np.ndarray]:
    """Signatures and normalised lengths of a few units (the streaming stage's map step, no band keys)."""
    signs, lengths, _ = sign_units_sized(texts, options)
    return signs, lengths


def sign_units_sized(
    texts: Sequence[str], options: DedupOptions, sized: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signatures, normalised lengths and distinct shingle counts (the sizes the edge rule needs) of units;
    with ``sized``, counts for the first ``sized`` units only (the others get 0: their sizes are not used)."""
    normal = normalise_batch(texts, options.script_fold)  # type: ignore[arg-type]
    shingles = hash_shingles(normal, options.ngram, options.word_ngram)
    counted = shingles
    if sized is not None and sized < shingles.units:
        end = int(shingles.offsets[sized])
        counted = replace(shingles, hashes=shingles.hashes[:end], offsets=shingles.offsets[: sized + 1])
    sizes = np.zeros(shingles.units, dtype=np.int64)
    sizes[: counted.units] = ShingleSets.from_batch(counted).sizes()
    return signatures(shingles, options.num_perm, options.seed), normal.lengths, sizes


def sketch_chunk(texts: Sequence[str], options: DedupOptions, keep_signs: bool = False) -> UnitSketches:
    """The map step for one chunk of units: normalise, shingle, sign, band."""
    normal = normalise_batch(texts, options.script_fold)  # type: ignore[arg-type]
    shingles = hash_shingles(normal, options.ngram, options.word_ngram)
    signs = signatures(shingles, options.num_perm, options.seed)
    bands, rows = lsh_params(options)
    keys = band_keys(signs, bands, rows)
    sets = ShingleSets.from_batch(shingles)
    return UnitSketches(keys, shingles.unit_hashes, normal.lengths, sets, signs if keep_signs else None)


def sketch_units(texts: Sequence[str], options: DedupOptions, keep_signs: bool = False) -> UnitSketches:
    """The map step over any number of units, in chunks of :data:`CHUNK_UNITS` to bound memory."""
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{index}] is {type(text).__name__}, not str")
    if len(texts) <= CHUNK_UNITS:
        return sketch_chunk(texts, options, keep_signs)
    return _sketch_in_chunks(texts, options, keep_signs)


def _sketch_in_chunks(texts: Sequence[str], options: DedupOptions, keep_signs: bool) -> UnitSketches:
    """Chunked map written straight into preallocated arrays (no second copy when joining the chunks).

    Chunks run on ``options.jobs`` threads: the heavy steps are numpy and the compiled core, which
    release the GIL, so threads share the input without copying it into worker processes.

    A unit never has more shingles than characters, so the raw text length bounds the shingle array;
    the unused tail is never touched and costs no resident memory.
    """
    count = len(texts)
    bands, _ = lsh_params(options)
    values = np.empty(sum(len(t) for t in texts), dtype=np.uint32)
    offsets = np.zeros(count + 1, dtype=np.int64)
    keys = np.empty((count, bands), dtype=np.uint64)
    unit_hashes = np.empty(count, dtype=np.uint64)
    lengths = np.empty(count, dtype=np.int64)
    signs = np.empty((count, options.num_perm), dtype=np.uint32) if keep_signs else None
    filled = 0
    spans = [(start, min(start + CHUNK_UNITS, count)) for start in range(0, count, CHUNK_UNITS)]
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        parts = pool.map(lambda span: sketch_chunk(texts[span[0] : span[1]], options, keep_signs), spans)
        for (start, stop), part in zip(spans, parts, strict=True):
            size = len(part.sets.values)
            values[filled : filled + size] = part.sets.values
            offsets[start + 1 : stop + 1] = filled + part.sets.offsets[1:]
            filled += size
            keys[start:stop] = part.keys
            unit_hashes[start:stop] = part.unit_hashes
            lengths[start:stop] = part.lengths
            if signs is not None and part.signs is not None:
                signs[start:stop] = part.signs
    return UnitSketches(keys, unit_hashes, lengths, ShingleSets(values[:filled], offsets), signs)


def concatenate(parts: Sequence[UnitSketches]) -> UnitSketches:
    """Join map outputs in order (the sketches of chunks computed separately, e.g. on other workers)."""
    sizes = [p.sets.sizes() for p in parts]
    all_sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
    sets = ShingleSets(
        np.concatenate([p.sets.values for p in parts]).astype(np.uint32),
        np.concatenate(([0], np.cumsum(all_sizes))).astype(np.int64),
    )
    signs = None if any(p.signs is None for p in parts) else np.concatenate([p.signs for p in parts])  # type: ignore[misc]
    return UnitSketches(
        np.concatenate([p.keys for p in parts]),
        np.concatenate([p.unit_hashes for p in parts]),
        np.concatenate([p.lengths for p in parts]),
        sets,
        signs,
    )


def exact_groups(sketches: UnitSketches) -> tuple[np.ndarray, np.ndarray]:
    """For every non-empty unit, the first unit with the same normalised text; and those representatives."""
    valid = np.flatnonzero(sketches.lengths > 0)
    _, first, inverse = np.unique(sketches.unit_hashes[valid], return_index=True, return_inverse=True)
    representative = np.full(len(sketches), -1, dtype=np.int64)
    representative[valid] = valid[first][inverse.ravel()]
    return representative, np.sort(valid[first])


def candidate_pairs(sketches: UnitSketches, units: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per band, the pairs (in original unit indices) of ``units`` that share a band key."""
    result = []
    for band in range(sketches.keys.shape[1]):
        left, right = bucket_pairs(sketches.keys[units, band])
        result.append((units[left], units[right]))
    return result


def candidate_edges(sketches: UnitSketches, rule: EdgeRule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every LSH candidate pair of distinct normalised units that ``rule`` joins, with its shared shingles.

    Exact copies are collapsed first (only the first unit of each exact group takes part); candidate pairs
    of all bands are pooled, filtered on set sizes, then verified on their exact shingle sets.
    """
    _, reps = exact_groups(sketches)
    sizes = sketches.sets.sizes()
    width = np.int64(max(len(sketches), 1))
    codes = []  # one int64 per pair (left * width + right): half the memory of two index arrays
    for band in range(sketches.keys.shape[1]):
        left, right = bucket_pairs(sketches.keys[reps, band], CLUSTER_ALL_PAIRS)
        left, right = reps[left], reps[right]
        possible = rule.possible(sizes[left], sizes[right])
        low, high = np.minimum(left, right)[possible], np.maximum(left, right)[possible]
        codes.append(low * width + high)
        del left, right, low, high, possible
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    every = np.concatenate(codes)
    del codes
    every.sort()
    fresh = np.ones(len(every), dtype=bool)
    fresh[1:] = every[1:] != every[:-1]
    every = every[fresh]
    del fresh
    left, right = every // width, every % width
    del every
    common = intersections(sketches.sets, left, right)
    edge = rule.joins(common, sizes[left], sizes[right])
    return left[edge], right[edge], common[edge]


def cluster_units(sketches: UnitSketches, rule: EdgeRule | float) -> StarClusters:
    """The reduce step: exact groups, LSH candidates verified by the edge rule, then stars around
    representatives (:mod:`cleanse.stages.dedup.stars`: every member matches its representative directly).

    ``rule`` is an :class:`~cleanse.stages.dedup.edges.EdgeRule`, or a bare Jaccard threshold.
    """
    rule = rule if isinstance(rule, EdgeRule) else EdgeRule(rule)
    representative, _ = exact_groups(sketches)
    left, right, common = candidate_edges(sketches, rule)
    return star_clusters(len(sketches), left, right, common, sketches.sets.sizes(), representative)


def verified_pairs(sketches: UnitSketches, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair ``i < j`` found and verified (exact Jaccard >= threshold), with its similarity.

    Unlike :func:`cluster_units`, nothing is skipped because it is already clustered, so the result
    can be compared pair by pair with brute force; quadratic in cluster sizes, for evaluation.
    """
    representative, reps = exact_groups(sketches)
    lefts, rights = [], []
    for left, right in candidate_pairs(sketches, reps):
        lefts.append(left)
        rights.append(right)
    left, right = unique_pairs(np.concatenate(lefts), np.concatenate(rights)) if lefts else (reps[:0], reps[:0])
    score = jaccard(sketches.sets, left, right)
    keep = score >= threshold
    members: dict[int, list[int]] = {}
    for unit, rep in enumerate(representative.tolist()):
        if rep >= 0:
            members.setdefault(rep, []).append(unit)
    out_left, out_right, out_score = [], [], []
    for group in members.values():
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                out_left.append(group[a])
                out_right.append(group[b])
                out_score.append(1.0)
    for i, j, s in zip(left[keep].tolist(), right[keep].tolist(), score[keep].tolist(), strict=True):
        for a in members[i]:
            for b in members[j]:
                out_left.append(min(a, b))
                out_right.append(max(a, b))
                out_score.append(s)
    order = np.lexsort((out_right, out_left)) if out_left else np.zeros(0, dtype=np.int64)
    return (
        np.asarray(out_left, dtype=np.int64)[order],
        np.asarray(out_right, dtype=np.int64)[order],
        np.asarray(out_score, dtype=np.float64)[order],
    )


def contained_pairs(texts: Sequence[str], options: DedupOptions) -> list[tuple[int, int, float]]:
    """``(shorter, longer, containment)``: units whose shingles lie mostly inside another, longer unit.

    Candidates come from sentences: two units sharing a near-identical sentence are checked on their
    whole shingle sets, so an edited paragraph inside a long page is found although its Jaccard with
    the page is tiny (the job datasketch's ``MinHashLSHEnsemble`` does with size partitions).
    """
    if options.containment_threshold <= 0 or len(texts) < 2:
        return []
    sketches = sketch_units(texts, options)
    owners, sentences = [], []
    for index, text in enumerate(texts):
        for span in sentence_spans(text):
            owners.append(index)
            sentences.append(span.text)
    sentence_options = replace(options, threshold=min(options.threshold, 0.7))
    sentence_sketches = sketch_units(sentences, sentence_options)
    owner = np.asarray(owners, dtype=np.int64)
    usable = np.flatnonzero(sentence_sketches.lengths >= options.min_sentence_chars)
    lefts, rights = [], []
    for left, right in candidate_pairs(sentence_sketches, usable):
        lefts.append(owner[left])
        rights.append(owner[right])
    if not lefts:
        return []
    left, right = np.concatenate(lefts), np.concatenate(rights)
    low, high = np.minimum(left, right), np.maximum(left, right)
    left, right = unique_pairs(low[low != high], high[low != high])
    sizes = sketches.sets.sizes()
    lengths = sketches.lengths
    shorter = np.where(sizes[left] <= sizes[right], left, right)
    longer = np.where(shorter == left, right, left)
    score = containment(sketches.sets, shorter, longer)
    keep = (score >= options.containment_threshold) & (lengths[shorter] >= options.min_containment_chars)
    return [(int(s), int(g), float(c)) for s, g, c in zip(shorter[keep], longer[keep], score[keep], strict=True)]


def find_pairs(texts: Sequence[str], threshold: float = 0.8, **options: object) -> list[tuple[int, int, float]]:
    """Every pair of near-duplicate texts ``(i, j, jaccard)`` with ``i < j``, verified exactly."""
    settings = DedupOptions(threshold=threshold, **options)  # type: ignore[arg-type]
    left, right, score = verified_pairs(sketch_units(texts, settings), threshold)
    return [(int(i), int(j), float(s)) for i, j, s in zip(left, right, score, strict=True)]


def find_duplicates(texts: Sequence[str], threshold: float = 0.5, **options: object) -> list[list[int]]:
    """Clusters of near-duplicate texts (size two or more), each sorted, ordered by first index.

    Every cluster has a representative, and every other member matches it **directly**: by the edge rule
    of :mod:`cleanse.stages.dedup.edges` (Jaccard similarity of normalised character 5-gram sets, word
    3-grams for mostly Latin text, at least ``threshold``; or one text at least ``reprint_containment``
    inside the other, a reprint with sentences added or dropped; ``reprint_containment=0`` for Jaccard
    alone), and holding more than half of the representative's shingles. Clusters never chain through a
    third text: for an article A, a digest page A + B and an article B sharing nothing with A, A and B
    are never in one cluster (:mod:`cleanse.stages.dedup.stars`). ``options`` are any other
    :class:`DedupOptions` fields.
    """
    settings = DedupOptions(threshold=threshold, **options)  # type: ignore[arg-type]
    return cluster_units(sketch_units(texts, settings), EdgeRule.from_options(settings)).groups()
