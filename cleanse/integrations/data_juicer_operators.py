"""The file to list under a data-juicer recipe's ``custom_operator_paths`` (``dj-process`` command line).

data-juicer loads such a file as a module named after the file, so ``data_juicer.py`` itself would clash
with the ``data_juicer`` package; this file only imports :mod:`cleanse.integrations.data_juicer`, which
registers the cleanse operators. Its path: ``python -m cleanse.integrations.data_juicer_operators``.
"""

from __future__ import annotations

from cleanse.integrations.data_juicer import OPERATOR_NAMES

__all__ = ["OPERATOR_NAMES"]

if __name__ == "__main__":
    print(__file__)
