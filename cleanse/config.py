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

import collections.abc
import dataclasses
import json
import math
import sys
import types
import typing
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
        raise ConfigError(f"{source}: 'stages' must be a list of stage names, got {stages!r}")
    for name in stages:
        if name not in REGISTRY:
            raise ConfigError(f"{source}: unknown stage {name!r}; known stages: {', '.join(sorted(REGISTRY))}")
    repeated = sorted({name for name in stages if stages.count(name) > 1})
    if repeated:
        raise ConfigError(f"{source}: stage {', '.join(map(repr, repeated))} listed more than once in 'stages'")
    intake = data.pop("intake", {})
    if not isinstance(intake, Mapping):
        raise ConfigError(f"{source}: [intake] must be a table of options, got {intake!r}")
    from cleanse.intake import IntakeOptions

    _check_options("intake", IntakeOptions, dict(intake), IntakeOptions, source)
    options: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key not in REGISTRY:
            raise ConfigError(
                f"{source}: unknown key {key!r}; expected 'stages', 'intake' or a table named after a stage "
                f"({', '.join(sorted(REGISTRY))})"
            )
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: [{key}] must be a table of options, got {key} = {value!r}")
        if key not in stages:
            raise ConfigError(
                f"{source}: [{key}] configures a stage that is not in stages = {stages!r}; "
                f"add {key!r} to 'stages' or remove the table"
            )
        options[key] = dict(value)
    for name, values in options.items():
        stage = REGISTRY[name]
        _check_options(name, stage.Options, values, stage, source)
    return PipelineSpec(stages=stages, options=options, intake=dict(intake), source=source)


def _check_options(table: str, options_class: Any, values: dict[str, Any], build: Any, source: str) -> None:
    """Check names and types against the options dataclass, then let it check ranges; one line per problem."""
    if options_class is None:
        if values:
            raise ConfigError(f"{source}: [{table}] takes no options, got {', '.join(map(repr, values))}")
        return
    fields = {f.name: f for f in dataclasses.fields(options_class) if not f.name.startswith("_")}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(
                f"{source}: [{table}] unknown option {key!r}; known options: {', '.join(sorted(fields))}"
            )
        expected = _expected_type(options_class, fields[key])
        if expected is not None and not _matches(value, expected):
            raise ConfigError(
                f"{source}: [{table}] {key} = {_show(value)}: expected {_describe(expected)}, "
                f"got {_type_name(value)}"
            )
    try:
        build(**values)
    except (ConfigError, TypeError, ValueError) as exc:
        culprit = _culprit(build, values)
        where = f"[{table}] {culprit} = {_show(values[culprit])}" if culprit else f"[{table}]"
        raise ConfigError(f"{source}: {where}: {exc}") from None


def _culprit(build: Any, values: dict[str, Any]) -> str | None:
    """The one option that fails on its own, if there is one."""
    for key, value in values.items():
        try:
            build(**{key: value})
        except (ConfigError, TypeError, ValueError):
            return key
    return None


def _expected_type(options_class: Any, field: dataclasses.Field[Any]) -> Any:
    try:
        hints = typing.get_type_hints(options_class)
    except Exception:  # an annotation that cannot be resolved: fall back to the default's type
        hints = {}
    hint = hints.get(field.name, field.type)
    if hint is Any or isinstance(hint, str):
        default = field.default
        return type(default) if isinstance(default, (bool, int, float, str)) else None
    return hint


def _matches(value: Any, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arm) for arm in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if origin is typing.Literal:
        return value in typing.get_args(expected)
    if origin in (tuple, list, collections.abc.Sequence):
        args = [a for a in typing.get_args(expected) if a is not Ellipsis]
        if not isinstance(value, (list, tuple)):
            return False
        return not args or all(_matches(item, args[0]) for item in value)
    if origin in (dict, collections.abc.Mapping):
        return isinstance(value, Mapping)
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if isinstance(expected, type):
        return isinstance(value, expected)
    return True


def _describe(expected: Any) -> str:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(arm) for arm in typing.get_args(expected))
    if origin is typing.Literal:
        return "one of " + ", ".join(map(repr, typing.get_args(expected)))
    if origin in (tuple, list, collections.abc.Sequence):
        args = [a for a in typing.get_args(expected) if a is not Ellipsis]
        plural = {bool: "booleans", int: "integers", float: "numbers", str: "strings"}
        return f"a list of {plural.get(args[0], _describe(args[0]))}" if args else "a list"
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", type(None): "none"}
    return names.get(expected, getattr(expected, "__name__", str(expected)))


def _type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)
