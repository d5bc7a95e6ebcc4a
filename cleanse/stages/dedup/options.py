"""The options of the dedup stage, shared by the one-call helpers, the batch functions and the index."""

from __future__ import annotations

from dataclasses import dataclass

from cleanse.stages.dedup.normalise import check_script_fold

LEVELS = ("both", "documents", "paragraphs")
DIGEST_POLICIES = ("keep", "new_parts")
KEEP_POLICIES = ("first", "longest", "cleanest")


@dataclass(frozen=True)
class DedupOptions:
    """How near-duplicates are found and what happens to them.

    threshold: Jaccard similarity of shingle sets at or above which two units are near-duplicates
        (0.5 by default: on generated reprints it keeps most edited copies, see docs/dedup.md).
    reprint_containment, reprint_min_shared, reprint_length_ratio: the reprint clause of the edge rule
        (:mod:`cleanse.stages.dedup.edges`): two units also join one cluster when this fraction of the
        smaller one's shingles lie in the larger, they share at least ``reprint_min_shared`` shingles and
        the larger has at most ``reprint_length_ratio`` times the shingles of the smaller (a reprint with
        sentences added or dropped). ``reprint_containment=0`` clusters by Jaccard alone.
    candidate_threshold: with the reprint clause on, LSH bands and rows are chosen for this Jaccard
        (reprint pairs have Jaccard below ``threshold``); every candidate is verified by the rule.
    num_perm, seed: MinHash permutations (datasketch's affine32 scheme, so signatures interoperate).
    ngram: characters per shingle for Han text (3 to 7 score within 0.015 ARI on reprints; docs/dedup.md).
    word_ngram: words per shingle for text that is mostly Latin letters or digits.
    script_fold: "characters" (fast table, default), "phrases" (``cleanse.to_simplified``) or "none".
    recall_weight: weight of false negatives when choosing LSH bands and rows (datasketch's
        ``weights``); candidates are verified exactly, so recall is favoured.
    containment_threshold: a unit at least this fraction of whose shingles lie in a longer unit is
        "contained" in it (0 turns containment off).
    min_containment_chars: shorter units (normalised characters) are not reported as contained.
    min_sentence_chars: sentences used to find containment candidates have at least this many.
    level: "documents", "paragraphs" or "both".
    keep: which member of a cluster stays: "first" seen (streaming), "longest" or "cleanest"
        (fewest changes by earlier stages per character); the last two buffer the run (batch mode).
    segments: also compare the segments other stages split off (documents with a ``parent``).
    remove_paragraphs: delete repeated paragraphs (as logged edits) instead of only flagging them.
    digest: what happens to a document that matches a kept document but holds paragraphs no kept
        paragraph covers (a digest page bundling a kept article with new ones; with ``level="both"``):
        "keep" (default) keeps it whole with a ``digest`` verdict, its repeated paragraphs flagged;
        "new_parts" keeps it with its repeated paragraphs removed (logged edits), so only the new parts
        stay. Neither loses a paragraph that no kept document holds.
    new_content_chars: a matched document holding at least this many normalised characters in paragraphs
        no kept paragraph covers is a digest, not a duplicate (1: any new paragraph keeps it).
    index_path: a saved index to load before the run and to save after it (incremental mode).
    expire_after: seconds after which index entries expire (None keeps them forever).
    jobs: threads for the batch map step (signatures of chunks of units in parallel).
    report_clusters, report_examples: how many clusters, and example texts per cluster, the report lists.
    reprint_groups: compute the report's ``reprint_groups`` (document level). They need a run-only index
        of every checked document (about 1 KB each), so ``False`` saves that memory and time on streams.
    reprint_groups_documents: the reprint groups cover at most this many documents, the first ones of
        the run (memory stays bounded on a stream); the report says how many were left out.
    """

    threshold: float = 0.5
    reprint_containment: float = 0.6
    reprint_min_shared: int = 25
    reprint_length_ratio: float = 4.0
    candidate_threshold: float = 0.35
    num_perm: int = 128
    seed: int = 1
    ngram: int = 5
    word_ngram: int = 3
    script_fold: str = "characters"
    recall_weight: float = 0.95
    containment_threshold: float = 0.8
    min_containment_chars: int = 20
    min_sentence_chars: int = 8
    level: str = "both"
    keep: str = "first"
    segments: bool = False
    remove_paragraphs: bool = False
    digest: str = "keep"
    new_content_chars: int = 1
    index_path: str | None = None
    expire_after: float | None = None
    jobs: int = 1
    report_clusters: int = 50
    report_examples: int = 3
    reprint_groups: bool = True
    reprint_groups_documents: int = 200_000

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if not 0.0 <= self.containment_threshold <= 1.0:
            raise ValueError(f"containment_threshold must be in [0, 1], got {self.containment_threshold!r}")
        if not 0.0 <= self.reprint_containment <= 1.0:
            raise ValueError(f"reprint_containment must be in [0, 1], got {self.reprint_containment!r}")
        if not 0.0 < self.candidate_threshold <= 1.0:
            raise ValueError(f"candidate_threshold must be in (0, 1], got {self.candidate_threshold!r}")
        if self.reprint_length_ratio < 1.0:
            raise ValueError(f"reprint_length_ratio must be at least 1, got {self.reprint_length_ratio!r}")
        if self.reprint_min_shared < 0:
            raise ValueError(f"reprint_min_shared must be non-negative, got {self.reprint_min_shared!r}")
        if not 0.0 < self.recall_weight < 1.0:
            raise ValueError(f"recall_weight must be in (0, 1), got {self.recall_weight!r}")
        if not 1 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be between 1 and 1024, got {self.num_perm!r}")
        positive = ("ngram", "word_ngram", "min_sentence_chars", "report_examples", "jobs", "reprint_groups_documents")
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)!r}")
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {self.level!r}")
        if self.digest not in DIGEST_POLICIES:
            raise ValueError(f"digest must be one of {', '.join(DIGEST_POLICIES)}, got {self.digest!r}")
        if self.new_content_chars < 1:
            raise ValueError(f"new_content_chars must be at least 1, got {self.new_content_chars!r}")
        if self.keep not in KEEP_POLICIES:
            raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, got {self.keep!r}")
        if self.expire_after is not None and self.expire_after <= 0:
            raise ValueError(f"expire_after must be positive seconds or None, got {self.expire_after!r}")
        check_script_fold(self.script_fold)

    @property
    def lsh_threshold(self) -> float:
        """The Jaccard the LSH bands are chosen for: ``threshold``, lowered to ``candidate_threshold``
        when the reprint clause is on."""
        if self.reprint_containment <= 0:
            return self.threshold
        return min(self.threshold, self.candidate_threshold)
