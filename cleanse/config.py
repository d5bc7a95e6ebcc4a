"""Pipeline configuration from TOML or a dict.

The format names the stages in order and gives each stage's options in a table
of its own name::

    stages = ["encoding", "script", "spam", "splice", "dedup"]

    [intake]
    max_line_chars = 1000000

    [spam]
    drop_labels = ["spam", "ad", "chrome", "notice"]

    [dedup]
    threshold = 0.8
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanse.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class PipelineSpec:
    stages: list[str]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    intake: dict[str, Any] = field(default_factory=dict)
    source: str = "<dict>"


def load_config(config: str | Path | Mapping[str, Any]) -> PipelineSpec:
    """Read and check a configuration; unknown stages or tables raise ``ConfigError`` naming them."""
    from cleanse.stages import REGISTRY

    source = "<dict>"
    if isinstance(config, (str, Path)):
        path = Path(config)
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    elif isinstance(config, Mapping):
        data = dict(config)
    else:
        raise ConfigError(f"config must be a path or a mapping, not {type(config).__name__}")

    stages = data.pop("stages", None)
    if stages is None:
        from cleanse.pipeline import DEFAULT_STAGES

        stages = list(DEFAULT_STAGES)
    if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
        raise ConfigError(f"{source}: 'stages' must be a list of stage names")
    for name in stages:
        if name not in REGISTRY:
            raise ConfigError(f"{source}: unknown stage {name!r}; known stages: {', '.join(sorted(REGISTRY))}")
    intake = data.pop("intake", {})
    if not isinstance(intake, Mapping):
        raise ConfigError(f"{source}: [intake] must be a table of options")
    _check_intake(dict(intake), source)
    options: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key not in REGISTRY:
            raise ConfigError(f"{source}: unknown key {key!r}; expected 'stages', 'intake' or a stage name")
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: [{key}] must be a table of options")
        options[key] = dict(value)
    for name, values in options.items():
        try:
            REGISTRY[name](**values)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{source}: [{name}] {exc}") from None
    return PipelineSpec(stages=stages, options=options, intake=dict(intake), source=source)


def _check_intake(values: dict[str, Any], source: str) -> None:
    from cleanse.intake import IntakeOptions

    try:
        IntakeOptions(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: [intake] {exc}") from None
