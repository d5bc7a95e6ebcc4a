"""The docstring examples of the benchmark modules run (pytest's doctest run covers only ``cleanse/``)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "benchmarks.common",
    "benchmarks.reprints",
    "benchmarks.reprints.corpus",
    "benchmarks.reprints.generate",
    "benchmarks.dedup_quality.metrics",
    "benchmarks.scaling",
    "benchmarks.targets",
    "benchmarks.summary",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    failures, attempted = doctest.testmod(importlib.import_module(name))
    assert attempted > 0 and failures == 0
