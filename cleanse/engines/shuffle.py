"""Shuffles on Ray Core tasks: each map task splits its output into partitions, each reduce task takes one.

A Ray Data ``groupby`` starts an executor per shuffle (seconds each on Ray 2.60, whatever the input size);
the dedup steps need a dozen shuffles, each moving small numpy columns, so they run as plain Ray tasks
instead: a task returns ``partitions`` objects (``num_returns``), and reduce task ``j`` receives object
``j`` of every map task, straight from the object store of the node that made it. Nothing passes through
the driver but object references, and every reference is a top-level task argument, so a task is
scheduled only once its inputs exist.

Each task can run under ``tracemalloc`` and report its peak, the node and the process it ran on, and how
many bytes it received, so the memory a dedup step needs per worker is measured apart from Ray's own.

The partitioning helpers are plain numpy and testable without Ray:

>>> import numpy as np
>>> parts = split_columns({"k": np.array([5, 6, 7, 8])}, partition_of(np.array([5, 6, 7, 8]), 2), 2)
>>> sorted(int(v) for part in parts for v in part["k"])
[5, 6, 7, 8]
>>> group_starts(np.array([1, 1, 4, 9, 9, 9])).tolist()
[0, 2, 3, 6]
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from cleanse.engines._optional import require_ray

Columns = dict[str, np.ndarray]
_MIX = np.uint64(0x9E3779B97F4A7C15)


def partition_of(keys: np.ndarray, partitions: int) -> np.ndarray:
    """The partition of each key: a multiplicative mix, so sequential ordinals spread as well as hashes."""
    with np.errstate(over="ignore"):
        mixed = np.asarray(keys).astype(np.uint64) * _MIX
    return ((mixed >> np.uint64(32)) % np.uint64(partitions)).astype(np.int64)


def split_columns(columns: Mapping[str, np.ndarray], part: np.ndarray, partitions: int) -> list[Columns]:
    """Rows of ``columns`` split by ``part`` (the partition of each row), input order kept within a part."""
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(partitions + 1))
    return [
        {name: np.asarray(values)[order[lo:hi]] for name, values in columns.items()}
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]


def concat_columns(parts: Sequence[Mapping[str, np.ndarray]], empty: Mapping[str, np.ndarray]) -> Columns:
    """Parts joined row-wise; ``empty`` gives the columns (names, dtypes, trailing shape) when there are none."""
    present = [part for part in parts if len(next(iter(part.values()), ()))]
    if not present:
        return {name: np.asarray(values)[:0] for name, values in empty.items()}
    return {name: np.concatenate([np.asarray(part[name]) for part in present]) for name in empty}


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts in a sorted array, with the array's length appended."""
    if not len(sorted_keys):
        return np.zeros(1, dtype=np.int64)
    starts = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return np.concatenate(([0], starts, [len(sorted_keys)])).astype(np.int64)


def payload_bytes(value: Any) -> int:
    """Bytes held by the numpy arrays (and strings) in ``value``: what a task received or returns."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return int(value.nbytes) + sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in value.tolist())
        return int(value.nbytes)
    if isinstance(value, (bytes, str)):
        return len(value)
    if isinstance(value, Mapping):
        return sum(payload_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(payload_bytes(v) for v in value)
    if type(value).__name__ == "Table" and hasattr(value, "nbytes"):  # an Arrow block
        return int(value.nbytes)
    if hasattr(value, "__dataclass_fields__"):
        return sum(payload_bytes(getattr(value, name)) for name in value.__dataclass_fields__)
    return 0


class TaskMemory(NamedTuple):
    """What one task of a distributed step received and its peak of traced allocations while it worked."""

    step: str
    node: str
    pid: int
    input_bytes: int
    peak_bytes: int
    seconds: float


def _node_id() -> str:
    """The Ray node this process belongs to, or ``"inline"`` outside Ray (never starts Ray)."""
    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return "inline"
    return str(ray.get_runtime_context().get_node_id())


def flatten(args: tuple[Any, ...]) -> tuple[list[int], list[Any]]:
    """Arguments as a flat list plus their shape (``-1``: one value, ``n``: a list of ``n``).

    Object references must be top-level task arguments for Ray to fetch them before the task starts (a
    reference inside a list would make the task wait, holding a worker, for a task not yet run).

    >>> flatten((1, ["a", "b"], 2))
    ([-1, 2, -1], [1, 'a', 'b', 2])
    """
    shape, flat = [], []
    for arg in args:
        if isinstance(arg, list):
            shape.append(len(arg))
            flat.extend(arg)
        else:
            shape.append(-1)
            flat.append(arg)
    return shape, flat


def unflatten(shape: list[int], flat: tuple[Any, ...]) -> tuple[Any, ...]:
    """The inverse of :func:`flatten`."""
    out, position = [], 0
    for size in shape:
        if size < 0:
            out.append(flat[position])
            position += 1
        else:
            out.append(list(flat[position : position + size]))
            position += size
    return tuple(out)


def run_step(
    step: str, function: Callable[..., list[Any]], trace: bool, shape: list[int], *flat: Any
) -> tuple[Any, ...]:
    """Run ``function(*args)`` (which returns a list of outputs); return them and the task's :class:`TaskMemory`."""
    started = time.perf_counter()
    args = unflatten(shape, flat)
    received = payload_bytes(args) if trace else 0
    if trace:
        tracemalloc.start()
    try:
        outputs = function(*args)
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
    finally:
        if trace:
            tracemalloc.stop()
    return (*outputs, TaskMemory(step, _node_id(), os.getpid(), received, peak, time.perf_counter() - started))


@lru_cache(maxsize=1)
def _remote_step() -> Any:
    return require_ray().remote(run_step)


@dataclass
class Steps:
    """Launches the tasks of the distributed steps and keeps their memory reports.

    ``retries``: how often Ray re-runs a task whose worker died (exceptions raised by our code are not
    retried: they are bugs or bad input and surface as errors). ``trace``: measure each task's memory.
    """

    retries: int = 3
    trace: bool = False

    def __post_init__(self) -> None:
        self.memory: list[Any] = []

    def launch(self, step: str, function: Callable[..., list[Any]], outputs: int, *args: Any) -> list[Any]:
        """One task; returns references to its ``outputs`` results (its memory report is kept aside)."""
        shape, flat = flatten(args)
        refs = (
            _remote_step()
            .options(num_returns=outputs + 1, max_retries=self.retries, retry_exceptions=False)
            .remote(step, function, self.trace, shape, *flat)
        )
        self.memory.append(refs[-1])
        return list(refs[:-1])

    def shuffle(
        self, step: str, function: Callable[..., list[Any]], outputs: int, parts: list[list[Any]], *args: Any
    ) -> list[list[Any]]:
        """Reduce task ``j`` gets part ``j`` of every input task (as a list) and ``args``; ``outputs`` each."""
        count = len(parts[0]) if parts else 0
        return [self.launch(step, function, outputs, [refs[j] for refs in parts], *args) for j in range(count)]

    def put(self, value: Any) -> Any:
        """``value`` in the object store, to be passed to many tasks without copying it into each."""
        return require_ray().put(value)

    def get(self, refs: list[Any]) -> list[Any]:
        """The values behind ``refs`` (waits for the tasks that make them)."""
        return list(require_ray().get(refs))

    def memory_report(self) -> list[TaskMemory]:
        """Every task's memory report so far (waits for the tasks)."""
        return [report for report in self.get(self.memory) if isinstance(report, TaskMemory)]


class InlineSteps(Steps):
    """The same steps run one after another in this process, values in place of references.

    For tests and debugging: the distributed algorithm without Ray, so it can be checked against the local
    stage on many generated corpora in seconds.
    """

    def launch(self, step: str, function: Callable[..., list[Any]], outputs: int, *args: Any) -> list[Any]:
        shape, flat = flatten(args)
        results = run_step(step, function, self.trace, shape, *flat)
        self.memory.append(results[-1])
        return list(results[:-1])

    def put(self, value: Any) -> Any:
        return value

    def get(self, refs: list[Any]) -> list[Any]:
        return list(refs)
