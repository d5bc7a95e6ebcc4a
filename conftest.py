"""Skip collecting the doctests of integration modules whose peer library (an optional extra) is absent."""

from __future__ import annotations

import importlib.util

_PEERS = {
    "cleanse/integrations/datatrove.py": "datatrove",
    "cleanse/integrations/data_juicer.py": "data_juicer",
    "cleanse/integrations/data_juicer_operators.py": "data_juicer",
    "cleanse/integrations/hf.py": "datasets",
}

collect_ignore = [path for path, module in _PEERS.items() if importlib.util.find_spec(module) is None]
