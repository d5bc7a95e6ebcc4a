"""MinHash signature speed: cleanse against datasketch and rensa, one run, the same paragraphs.

Every contender signs the same normalised paragraphs of the seeds (replicated), with 128
permutations over character 5-grams. The baselines get their shingle lists prebuilt and untimed
(``MinHash.bulk`` takes lists of bytes, rensa's ``RMinHash.update`` lists of str), which is their
fastest use; cleanse starts from the text and shingles, hashes and signs it inside the timing. A
second cleanse row also includes normalisation (script, width, case folding, punctuation removal).
Sizes are UTF-8 bytes of the normalised paragraphs; ratios compare runs made in this process. The
contenders run in interleaved rounds and each keeps its fastest round, so a burst of load on the
shared machine does not fall on one contender only.

Targets (issue 8): cleanse >= 10x ``datasketch.MinHash.bulk`` and >= 0.5x rensa.

    python -m benchmarks.minhash [--quick]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from benchmarks.common import best_of, throughput_mb_s, utf8_size, write_result
from benchmarks.reprints import seed_paragraphs
from cleanse.stages.dedup._native import native
from cleanse.stages.dedup.minhash import signatures
from cleanse.stages.dedup.normalise import normalise_batch, normalise_unit
from cleanse.stages.dedup.shingles import hash_shingles, shingle_batch, shingle_strings

NUM_PERM = 128
NGRAM = 5
TARGET_VS_DATASKETCH = 10.0
TARGET_VS_RENSA = 0.5


def corpus(copies: int) -> tuple[list[str], list[str]]:
    """The seed paragraphs ``copies`` times over, raw and normalised (non-empty after normalisation)."""
    raw = [text for _, text in seed_paragraphs() if normalise_unit(text).text]
    raw = raw * copies
    return raw, [normalise_unit(text).text for text in raw]


def contenders(raw: list[str], units: list[str]) -> dict[str, Callable[[], Any]]:
    """Name -> a callable producing all signatures; inputs the baselines need are prepared here, untimed."""
    byte_shingles = [[s.encode("utf-8") for s in shingle_strings(u, NGRAM)] for u in units]
    str_shingles = [shingle_strings(u, NGRAM) for u in units]
    runs: dict[str, Callable[[], Any]] = {
        "cleanse (text -> signatures)": lambda: signatures(shingle_batch(units, NGRAM), NUM_PERM),
        "cleanse incl. normalisation": lambda: signatures(hash_shingles(normalise_batch(raw), NGRAM), NUM_PERM),
    }
    if native is not None:
        runs["cleanse, numpy signature path"] = lambda: signatures(
            shingle_batch(units, NGRAM), NUM_PERM, use_native=False
        )
    from datasketch import MinHash

    runs["datasketch MinHash.bulk"] = lambda: MinHash.bulk(byte_shingles, num_perm=NUM_PERM)
    try:
        import rensa
    except ImportError:
        return runs

    def run_rensa() -> list[Any]:
        digests = []
        for shingles in str_shingles:
            sketch = rensa.RMinHash(num_perm=NUM_PERM, seed=42)
            sketch.update(shingles)
            digests.append(sketch.digest())
        return digests

    runs["rensa RMinHash"] = run_rensa
    return runs


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer copies and repeats (CI smoke run)")
    args = parser.parse_args(argv)
    copies, rounds = (2, 1) if args.quick else (20, 5)
    raw, units = corpus(copies)
    size = utf8_size(units)
    runs = contenders(raw, units)
    for run in runs.values():
        run()  # warm-up: tables, permutations, caches
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):  # interleaved, so a burst of load on the shared machine hits every contender
        for name, run in runs.items():
            best[name] = min(best[name], best_of(run, repeat=1).best)
    results = {
        name: {"seconds": round(seconds, 4), "mb_per_s": round(throughput_mb_s(size, seconds), 2)}
        for name, seconds in best.items()
    }
    ours = results["cleanse (text -> signatures)"]["mb_per_s"]
    ratios = {
        f"vs {name}": round(ours / row["mb_per_s"], 2)
        for name, row in results.items()
        if not name.startswith("cleanse") and row["mb_per_s"] > 0
    }
    payload = {
        "quick": args.quick,
        "paragraphs": len(units),
        "megabytes": round(size / 1e6, 3),
        "num_perm": NUM_PERM,
        "rounds": rounds,
        "ngram": NGRAM,
        "native_core": native is not None,
        "results": results,
        "ratios": ratios,
        "speedup_vs_datasketch": ratios.get("vs datasketch MinHash.bulk"),
        "ratio_vs_rensa": ratios.get("vs rensa RMinHash"),
        "targets": {"vs_datasketch": TARGET_VS_DATASKETCH, "vs_rensa": TARGET_VS_RENSA},
    }
    for name, row in results.items():
        print(f"{name:32s} {row['mb_per_s']:8.2f} MB/s  ({row['seconds']:.3f} s)")
    for name, ratio in ratios.items():
        print(f"cleanse {name}: {ratio}x")
    print(f"wrote {write_result('minhash', payload)}")
    return payload


if __name__ == "__main__":
    main()
