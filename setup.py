"""Builds the optional compiled cores (dedup's MinHash, the spam lexicon's candidate filter); everything else
is in pyproject.toml.

Each extension is ``optional=True``: if no C compiler is available the install still succeeds and
cleanse uses its numpy paths (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "cleanse.stages.dedup._native._minhash",
            sources=["cleanse/stages/dedup/_native/_minhash.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        Extension(
            "cleanse.stages.spam._native._scan",
            sources=["cleanse/stages/spam/_native/_scan.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
    ]
)
