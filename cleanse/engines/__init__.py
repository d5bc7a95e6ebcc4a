"""Engines beyond the local one: Ray for a cluster, Redis for a dedup index shared across processes and runs.

Both are optional extras (``pip install "cleanse[ray]"``, ``pip install "cleanse[redis]"``); importing this
package needs neither, and using an engine without its extra raises
:class:`~cleanse.errors.MissingDependencyError` naming the extra.
"""

from __future__ import annotations

from cleanse.engines._optional import EngineError
from cleanse.engines.ray_engine import RayOptions, connect, run_ray

__all__ = ["EngineError", "RayOptions", "connect", "run_ray"]
