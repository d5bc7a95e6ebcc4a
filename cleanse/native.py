"""Optional compiled cores: setup.py builds them with ``optional=True``, so a failed compile must leave the
pure-Python (numpy) path in place rather than break the import. :func:`core_status` says which path runs, so
CI (which has a compiler) can fail when a core was not built, and benchmarks can record it."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

#: Every compiled core setup.py builds (kept in step with its ``ext_modules``).
CORES: tuple[str, ...] = (
    "cleanse.stages.dedup._native._minhash",
    "cleanse.stages.spam._native._scan",
)


def load_compiled(module: str) -> ModuleType | None:
    """The compiled extension ``module``, or ``None`` when it was not built on this platform.

    >>> load_compiled("cleanse.no_such_extension") is None
    True
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def core_status() -> dict[str, bool]:
    """Whether each compiled core loads here (``False``: the numpy path runs instead).

    >>> sorted(core_status()) == sorted(CORES)
    True
    """
    return {name: load_compiled(name) is not None for name in CORES}


def main() -> int:
    """``python -m cleanse.native``: list the cores; exit 1 if any did not load (CI's build check)."""
    status = core_status()
    for name, loaded in status.items():
        print(f"{name}: {'compiled core loaded' if loaded else 'NOT BUILT (numpy path)'}")
    return 0 if all(status.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
