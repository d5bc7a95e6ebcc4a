"""Each integration is an optional extra: without its peer, importing it names the extra; the core never needs it."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from cleanse import MissingDependencyError

MODULES = {
    "cleanse.integrations.datatrove": ("datatrove", "cleanse[datatrove]"),
    "cleanse.integrations.data_juicer": ("data_juicer", "cleanse[data-juicer]"),
    "cleanse.integrations.hf": ("datasets", "cleanse[hf]"),
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_import_without_the_peer_names_the_extra(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    peer, extra = MODULES[module]
    for name in [name for name in sys.modules if name == peer or name.startswith(peer + ".")] or [peer]:
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: "import name" raises ImportError
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(MissingDependencyError, match=re.escape(f'pip install "{extra}"')) as caught:
        importlib.import_module(module)
    assert isinstance(caught.value, ImportError)


def test_the_core_imports_no_peer() -> None:
    code = (
        "import sys, cleanse, cleanse.integrations.chain, cleanse.integrations.dedup\n"
        "cleanse.clean('春季植树造林活动综述'); cleanse.find_duplicates(['春季植树造林活动综述'] * 2)\n"
        "print(sorted(m for m in ('datatrove', 'data_juicer', 'datasets') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
