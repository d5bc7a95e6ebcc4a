"""Errors the library raises on purpose; anything else is a bug."""

from __future__ import annotations


class CleanseError(Exception):
    """Base class: the CLI turns these into one line on stderr and exit code 2."""


class ConfigError(CleanseError, ValueError):
    """A configuration names an unknown stage or option, or gives a bad value."""


class InputError(CleanseError):
    """An input path is missing, unreadable or of a format we cannot read."""


class MissingDependencyError(CleanseError, ImportError):
    """An optional feature needs a package that is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f'this feature needs {package!r}: pip install "cleanse[{extra}]"')
        self.package = package
        self.extra = extra


class WorkerLostError(CleanseError, RuntimeError):
    """A worker process running per-document stages died (killed, or out of memory)."""
