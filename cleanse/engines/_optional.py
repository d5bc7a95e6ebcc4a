"""Import the optional engines' packages once, with an error that names the extra to install."""

from __future__ import annotations

from types import ModuleType

from cleanse.errors import CleanseError, MissingDependencyError


class EngineError(CleanseError):
    """A distributed run or a shared index failed: the cluster or server is unreachable, or work was lost."""


def require_ray() -> ModuleType:
    """``ray`` with Ray Data, or :class:`MissingDependencyError` naming ``pip install "cleanse[ray]"``."""
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data is a separate extra of ray)
    except ImportError:
        raise MissingDependencyError("ray[data]", "ray") from None
    return ray


def require_redis() -> ModuleType:
    """``redis`` (redis-py), or :class:`MissingDependencyError` naming ``pip install "cleanse[redis]"``."""
    try:
        import redis
    except ImportError:
        raise MissingDependencyError("redis", "redis") from None
    return redis
