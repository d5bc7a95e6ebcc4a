"""The optional compiled core (``_minhash``); ``None`` when it was not built, and numpy is used instead."""

from __future__ import annotations

from types import ModuleType

from cleanse.native import load_compiled

native: ModuleType | None = load_compiled("cleanse.stages.dedup._native._minhash")

__all__ = ["native"]
