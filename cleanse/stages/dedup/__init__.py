"""Stage `dedup`: near-duplicate paragraphs and documents with MinHash (see docs/dedup.md).

One job per module: ``normalise`` (fold script, width, case; drop punctuation), ``shingles``
(n-gram hashes), ``minhash`` (datasketch-compatible signatures), ``lsh`` (bands and rows, band keys),
``edges`` (the edge rule: when two units join one cluster, shared by every mode and engine),
``grouping`` and ``unionfind`` (the reduce step), ``verify`` (exact checks), ``batch`` (the
whole-corpus mode: ``sketch_chunk`` is the map step, ``cluster_units`` the reduce step), ``index``
and ``storage`` (the incremental mode), ``stage`` (the pipeline stage), ``report`` and ``related``
(the report's clusters and reprint groups), ``evaluate`` (scoring against brute force).

>>> find_duplicates(["春季植树造林活动综述", "春季植樹造林活動綜述", "另一篇完全不同的文章"])
[[0, 1]]
"""

from cleanse.stages.dedup.batch import (
    UnitSketches,
    cluster_units,
    concatenate,
    contained_pairs,
    find_duplicates,
    find_pairs,
    sign_units,
    sign_units_sized,
    sketch_chunk,
    sketch_units,
)
from cleanse.stages.dedup.edges import EdgeRule, estimated_common, signature_edges
from cleanse.stages.dedup.index import Match, NearDupIndex
from cleanse.stages.dedup.options import DedupOptions
from cleanse.stages.dedup.stage import NearDupDetector
from cleanse.stages.dedup.storage import IndexStorage, MemoryStorage, storage_from_config

Options = DedupOptions

__all__ = [
    "DedupOptions",
    "EdgeRule",
    "IndexStorage",
    "Match",
    "MemoryStorage",
    "NearDupDetector",
    "NearDupIndex",
    "Options",
    "UnitSketches",
    "cluster_units",
    "concatenate",
    "contained_pairs",
    "estimated_common",
    "find_duplicates",
    "find_pairs",
    "sign_units",
    "sign_units_sized",
    "signature_edges",
    "sketch_chunk",
    "sketch_units",
    "storage_from_config",
]
