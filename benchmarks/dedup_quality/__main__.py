"""``python -m benchmarks.dedup_quality [--quick]``: see :mod:`benchmarks.dedup_quality`."""

from benchmarks.dedup_quality import main

main()
