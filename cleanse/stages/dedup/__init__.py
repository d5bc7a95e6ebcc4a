"""Stage `dedup`: near-duplicate paragraphs and documents with MinHash (see docs/dedup.md).

The pieces, one job per module: ``normalise`` (fold script, width, case; drop punctuation),
``shingles`` (n-gram hashes), ``minhash`` (datasketch-compatible signatures), ``lsh`` (bands and
rows, band keys), ``grouping`` and ``unionfind`` (the reduce step), ``verify`` (exact checks),
``batch`` (the whole-corpus mode), ``index`` and ``storage`` (the incremental mode), ``stage``
(the pipeline stage) and ``evaluate`` (scoring against brute force).
"""

from cleanse.stages.dedup.batch import contained_pairs, find_duplicates, find_pairs, sketch_units
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.stage import NearDupDetector

Options = DedupOptions

__all__ = [
    "DedupOptions",
    "NearDupDetector",
    "Options",
    "contained_pairs",
    "find_duplicates",
    "find_pairs",
    "sketch_units",
]
