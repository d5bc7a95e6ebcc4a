"""A process that has loaded a compiled core survives that ``.so`` being overwritten in place.

Rewriting a loaded ``.so`` in place (same inode, e.g. ``cp`` over it) makes the kernel drop the process's
relocated copies of its pages and read them back from the file. With single-phase initialisation the module
definition lived in one of those pages and the garbage collector visited it: the next full collection died
with SIGSEGV in ``visit_decref`` (exit 139, no traceback), even in processes that never called the module.
Multi-phase initialisation keeps the definition out of the collector's reach. (At exit the C runtime still
calls the ``.so``'s destructor read back unrelocated; how that ends depends on the platform's loader, so it is
not asserted here: never copy a rebuilt ``.so`` over a loaded one, reinstall with ``pip install -e .``.)
Each check loads a private copy of the extension in a child process, rewrites that copy in place with its
own bytes, and collects.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cleanse.stages.dedup._native import native as dedup_native
from cleanse.stages.spam._native import native as spam_native

_CHILD = """
import gc, importlib.util, sys
path, name = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location(name, path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(path, "rb") as f:
    data = f.read()
with open(path, "r+b") as f:  # same inode: truncated, then the same bytes written back
    f.truncate(0)
    f.write(data)
gc.collect()
print("collected", flush=True)
if sys.argv[3] == "skip-exit-handlers":
    import os
    os._exit(0)
"""


def _run_child(native: ModuleType | None, tmp_path: Path, exit_mode: str) -> subprocess.CompletedProcess[str]:
    if native is None or native.__file__ is None:
        pytest.skip("compiled core not built")
    copy = tmp_path / Path(native.__file__).name
    shutil.copyfile(native.__file__, copy)
    command = [sys.executable, "-c", _CHILD, str(copy), native.__name__, exit_mode]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


CORES = pytest.mark.parametrize("native", [spam_native, dedup_native], ids=["spam", "dedup"])


@CORES
def test_collector_survives_an_in_place_overwrite(native: ModuleType | None, tmp_path: Path) -> None:
    child = _run_child(native, tmp_path, "skip-exit-handlers")
    assert child.returncode == 0, (child.returncode, child.stderr[-2000:])
    assert child.stdout.strip() == "collected"
