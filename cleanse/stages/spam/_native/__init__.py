"""The optional compiled core (``_scan``); ``None`` when it was not built, and numpy is used instead."""

from __future__ import annotations

import importlib
from types import ModuleType


def _load() -> ModuleType | None:
    try:
        return importlib.import_module("cleanse.stages.spam._native._scan")
    except ImportError:  # built with optional=True: a failed compile leaves the numpy path
        return None


native: ModuleType | None = _load()

__all__ = ["native"]
