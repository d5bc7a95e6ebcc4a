"""Speed and quality of the spam stage's line labeller on the seeds.

Speed: :func:`cleanse.stages.spam.label_lines` over the five seeds replicated (each seed one document, the set
repeated ``--copies`` times), in MB/s of UTF-8 input, against a named baseline run in the same process on the
same documents: the naive keyword filter most pipelines start with, which folds each line and tests every
lexicon word with ``in`` (``naive_keyword_in_loop``). The baseline does less (no rules, no context, no
offsets), so the ratio is a floor. The target is 10 MB/s for ``label_lines``.

Quality: precision and recall of the lines to drop (spam, ad, chrome, notice) and per-label accuracy against
the hand-reviewed gold labels in ``tests/data/spam/``, plus the article lines that would be taken out.

Run ``python -m benchmarks.spam`` (``--copies N`` to change the replication); it prints a table and writes
``benchmarks/results/spam.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, best_of, throughput_mb_s, utf8_size, write_result
from cleanse.stages.spam import label_lines
from cleanse.stages.spam.lexicon import Lexicon
from cleanse.stages.spam.normalise import fold_chars

DROPPED = {"spam", "ad", "chrome", "notice"}
GOLD_DIR = ROOT / "tests" / "data" / "spam"


def seed_texts() -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted((ROOT / "seeds").glob("*.txt"))]


def naive_keyword_in_loop(text: str, words: list[str]) -> list[int]:
    """The baseline: per line, fold it and count lexicon words found with ``in``."""
    counts = []
    for line in text.split("\n"):
        if line.strip():
            folded = fold_chars(line)
            counts.append(sum(1 for word in words if word in folded))
    return counts


def label_all(documents: list[str]) -> int:
    return sum(len(label_lines(text)) for text in documents)


def baseline_all(documents: list[str], words: list[str]) -> int:
    return sum(len(naive_keyword_in_loop(text, words)) for text in documents)


def gold_quality() -> dict[str, Any]:
    """Drop precision/recall, per-label accuracy and dropped article lines against the gold files."""
    tp = fp = fn = 0
    per_label: Counter[str] = Counter()
    per_label_right: Counter[str] = Counter()
    confusions: list[str] = []
    articles_out: list[str] = []
    for name, text in seed_texts():
        gold = json.loads((GOLD_DIR / f"{name[:3]}.gold.json").read_text(encoding="utf-8"))["labels"]
        lines = label_lines(text)
        for row in gold:
            overlaps = [(min(row["end"], p.end) - max(row["start"], p.start), p.label) for p in lines]
            shared, label = max(overlaps, default=(0, "missing"))
            label = label if shared > 0 else "missing"
            gold_drop, drop = row["label"] in DROPPED, label in DROPPED
            tp += gold_drop and drop
            fp += drop and not gold_drop
            fn += gold_drop and not drop
            per_label[row["label"]] += 1
            per_label_right[row["label"]] += label == row["label"]
            if label != row["label"]:
                confusions.append(f"{name[:3]}:{row['index']} gold={row['label']} got={label}")
            if row["label"] == "article" and label != "article":
                articles_out.append(f"{name[:3]}:{row['index']} -> {label}")
    return {
        "lines": sum(per_label.values()),
        "drop_precision": tp / (tp + fp) if tp + fp else 1.0,
        "drop_recall": tp / (tp + fn) if tp + fn else 1.0,
        "drop_true_positive": tp,
        "drop_false_positive": fp,
        "drop_false_negative": fn,
        "label_accuracy": {label: per_label_right[label] / n for label, n in sorted(per_label.items())},
        "label_counts": dict(sorted(per_label.items())),
        "confusions": confusions,
        "article_lines_taken_out": articles_out,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--copies", type=int, default=20, help="how many times the seed set is repeated")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per contender (best is kept)")
    args = parser.parse_args(argv)
    documents = [text for _ in range(args.copies) for _, text in seed_texts()]
    size = utf8_size(documents)
    words = list(Lexicon.default().entries)
    ours = best_of(lambda: label_all(documents), repeat=args.repeat, warmup=1)
    baseline = best_of(lambda: baseline_all(documents, words), repeat=args.repeat, warmup=1)
    quality = gold_quality()
    result = {
        "input_bytes": size,
        "documents": len(documents),
        "baseline": "naive_keyword_in_loop",
        "label_lines_mb_s": throughput_mb_s(size, ours.best),
        "baseline_mb_s": throughput_mb_s(size, baseline.best),
        "speedup_vs_baseline": baseline.best / ours.best,
        "target_mb_s": 10.0,
        "lexicon_words": len(words),
        "quality": quality,
    }
    print(f"input: {len(documents)} documents, {size / 1e6:.2f} MB (seeds x {args.copies})")
    print(f"label_lines            {result['label_lines_mb_s']:8.2f} MB/s   (target 10)")
    print(f"naive_keyword_in_loop  {result['baseline_mb_s']:8.2f} MB/s   ({len(words)} words)")
    print(f"ratio label_lines / baseline: {result['speedup_vs_baseline']:.2f}x")
    print(
        f"gold: {quality['lines']} lines; drop precision {quality['drop_precision']:.3f}, "
        f"recall {quality['drop_recall']:.3f}; article lines taken out: {len(quality['article_lines_taken_out'])}"
    )
    for label, accuracy in quality["label_accuracy"].items():
        print(f"  {label:<10} {accuracy:6.3f}  ({quality['label_counts'][label]} lines)")
    for confusion in quality["confusions"]:
        print(f"  miss: {confusion}")
    path = write_result("spam", result)
    print(f"wrote {Path(path).relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()
