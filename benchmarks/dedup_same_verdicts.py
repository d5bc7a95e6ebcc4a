"""Whether the dedup stage at HEAD gives the same output as an earlier commit on the corpora of
:mod:`benchmarks.dedup_stage_speed` (a speed change must not change a verdict).

Both commits run the stage (default options, streaming) in their own processes, the earlier one
exported with ``git archive`` and its compiled core built in place. Each writes every document as
:meth:`cleanse.document.Document.to_json` (text, status, metadata and the whole change log) and the
stage report; the two outputs must be equal byte for byte. Exits 1 when any differs.

    python -m benchmarks.dedup_same_verdicts --against main
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result
from benchmarks.dedup_stage_speed import against_corpora

DUMP = """
import json, sys
from cleanse.document import Document
from cleanse.stages.dedup import NearDupDetector
texts = json.load(open(sys.argv[1], encoding="utf-8"))
docs = [Document.from_text(text, id=f"d{number}") for number, text in enumerate(texts)]
stage = NearDupDetector()
lines = [doc.to_json() for doc in stage.run(docs)]
lines.append(json.dumps(stage.report(), ensure_ascii=False, sort_keys=True, default=str))
open(sys.argv[2], "w", encoding="utf-8").write("\\n".join(lines))
"""


def dump(source: Path, data: Path, out: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    subprocess.run([sys.executable, "-c", DUMP, str(data), str(out)], env=env, cwd=source, check=True)
    return out.read_text("utf-8").split("\n")


def first_difference(left: list[str], right: list[str]) -> dict[str, Any] | None:
    """The first line (a document, or the report last) where the two outputs differ, or None."""
    for number, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return {"line": number, "against": a[:400], "current": b[:400]}
    if len(left) != len(right):
        return {"line": min(len(left), len(right)), "against": len(left), "current": len(right)}
    return None


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="the commit whose output must be matched (default main)")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with against_corpora(args.against) as (temp, baseline, corpora):
        for name, texts, data in corpora:
            before = dump(baseline, data, temp / "before.jsonl")
            after = dump(ROOT, data, temp / "after.jsonl")
            difference = first_difference(before, after)
            results[name] = {"documents": len(texts), "identical": difference is None, "first_difference": difference}
    payload = {
        "against": args.against,
        "corpora": results,
        "headline": {f"identical to {args.against}, {name}": row["identical"] for name, row in results.items()},
    }
    path = write_result("dedup_same_verdicts", payload)
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print(f"wrote {path}")
    if not all(row["identical"] for row in results.values()):
        sys.exit(1)
    return payload


if __name__ == "__main__":
    main()
