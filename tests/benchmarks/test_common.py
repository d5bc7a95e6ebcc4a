"""Benchmark helpers: result files carry their machine, timing and memory helpers behave."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.common import best_of, machine_info, throughput_mb_s, traced_peak, utf8_size, write_result


def test_result_file_records_commit_machine_and_versions(tmp_path: Path) -> None:
    path = write_result("probe", {"value": np.float64(1.5), "sizes": (1, 2)}, directory=tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["benchmark"] == "probe" and record["value"] == 1.5 and record["sizes"] == [1, 2]
    environment = record["environment"]
    assert environment["cores_usable"] >= 1 and environment["memory_gb"] > 0
    assert environment["packages"]["numpy"] == np.__version__
    assert "commit" in environment and "python" in environment


def test_result_name_must_be_a_plain_stem(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="plain file stem"):
        write_result("../escape", {}, directory=tmp_path)


def test_unstorable_values_raise(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot store"):
        write_result("bad", {"value": object()}, directory=tmp_path)


def test_timing_and_memory_helpers() -> None:
    timing = best_of(lambda: 41 + 1, repeat=4, warmup=1)
    assert timing.runs == 4 and timing.value == 42 and 0 <= timing.best <= timing.median
    with pytest.raises(ValueError):
        best_of(lambda: None, repeat=0)
    value, peak = traced_peak(lambda: np.ones(1_000_000, dtype=np.uint8).sum())
    assert value == 1_000_000 and peak >= 1_000_000
    assert throughput_mb_s(3_000_000, 1.5) == pytest.approx(2.0)
    assert utf8_size("中a") == 4 and utf8_size(["中", "a"]) == 4
    assert machine_info()["cores_total"] >= 1
