"""Optional compiled cores: setup.py builds them with ``optional=True``, so a failed compile must leave the
pure-Python (numpy) path in place rather than break the import."""

from __future__ import annotations

import importlib
from types import ModuleType


def load_compiled(module: str) -> ModuleType | None:
    """The compiled extension ``module``, or ``None`` when it was not built on this platform.

    >>> load_compiled("cleanse.no_such_extension") is None
    True
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        return None
