"""Builds the optional compiled MinHash core of the dedup stage; everything else is in pyproject.toml.

The extension is ``optional=True``: if no C compiler is available the install still succeeds and
cleanse uses its numpy path (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "cleanse.stages.dedup._native._minhash",
            sources=["cleanse/stages/dedup/_native/_minhash.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
