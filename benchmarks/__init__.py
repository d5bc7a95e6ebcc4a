"""cleanse's benchmarks: one script per claim, each runnable as ``python -m benchmarks.<name>``.

``python -m benchmarks`` runs the suite and writes ``benchmarks/results/SUMMARY.md``; see docs/benchmarks.md.
Shared helpers live in :mod:`benchmarks.common`, the seeded reprint generator in :mod:`benchmarks.reprints`.
"""
