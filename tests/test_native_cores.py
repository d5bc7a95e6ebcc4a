"""The compiled cores: setup.py and cleanse.native name the same ones, and CI requires them all built."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cleanse.native import CORES, core_status

SETUP = Path(__file__).resolve().parent.parent / "setup.py"


def test_every_extension_of_setup_py_is_a_listed_core() -> None:
    built = re.findall(r'Extension\(\s*"([\w.]+)"', SETUP.read_text(encoding="utf-8"))
    assert sorted(built) == sorted(CORES)


@pytest.mark.skipif(
    os.environ.get("CLEANSE_REQUIRE_NATIVE") != "1", reason="set CLEANSE_REQUIRE_NATIVE=1 where a C compiler exists"
)
def test_compiled_cores_were_built() -> None:
    """Without this, the native-vs-numpy tests would skip silently when a core failed to compile."""
    missing = [name for name, loaded in core_status().items() if not loaded]
    assert not missing, f"compiled cores not built: {missing}"
