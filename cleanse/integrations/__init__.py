"""cleanse as a pre-processing step in other tools' pipelines (see docs/integrations.md).

Each module is an optional extra and imports its peer library on import, with an error naming the extra:
:mod:`cleanse.integrations.datatrove` (``pip install "cleanse[datatrove]"``),
:mod:`cleanse.integrations.data_juicer` (``cleanse[data-juicer]``) and :mod:`cleanse.integrations.hf`
(``cleanse[hf]``). The shared parts, which need none of them, are :mod:`~cleanse.integrations.chain`
(the per-document chain on one text) and :mod:`~cleanse.integrations.dedup` (near-duplicates in batches).
"""
