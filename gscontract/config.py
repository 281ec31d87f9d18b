"""Read ``[tool.gscontract]`` from pyproject.toml into a frozen :class:`Config`.

The file is found by walking up from the working directory to the first ``pyproject.toml`` that has a
``[tool.gscontract]`` table. Command-line options win over the file; unknown keys are an error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .envvars import expand_env
from .errors import ConfigError
from .findings import Severity
from .gainsight.profiles import DEFAULT_PROFILE, PROFILES
from .payload.kinds import parse_kind_spec
from .readfile import read_regular

__all__ = ["ALL_FILES", "Config", "find_config", "load_config", "parse_config"]

ALL_FILES = "*"
"""The glob that stands for every file: a name pattern without a slash matches in any folder."""


@dataclass(frozen=True, slots=True)
class Config:
    """The project's gscontract settings; every field has the default a user gets without a file."""

    path: Path | None = None
    payloads: tuple[str, ...] = ()
    kinds: Mapping[str, str] = field(default_factory=dict)
    lookups: Mapping[str, str] = field(default_factory=dict)
    """Glob -> lookups file for JSON Lines files; a plain path in the file is stored as ``{"*": path}``."""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    profile: str = DEFAULT_PROFILE
    base_url: str | None = None
    allow_writes: bool = False
    max_requests: int | None = None
    request_timeout: float | None = None
    max_duration: float | None = None
    report_dir: str = "reports"
    redact_headers: tuple[str, ...] = ()
    redact_fields: tuple[str, ...] = ()
    tenant: str | None = None
    """The contract run's tenant reference data file (``--tenant``), relative to the configuration."""

    @property
    def root(self) -> Path:
        """The folder relative paths of the configuration are read from."""
        return self.path.parent if self.path else Path.cwd()


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _choice(table: Mapping[str, Any], key: str, where: str, choices: tuple[str, ...]) -> str:
    value = table[key]
    if value not in choices:
        raise ConfigError(f"{where}: '{key}' must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _lookups_table(value: Any, where: str) -> dict[str, str]:
    """``lookups``: one file for every JSON Lines file, or a table of glob = file like ``kinds``."""
    if isinstance(value, str):
        return {ALL_FILES: value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where}: 'lookups' must be a file name or a table of glob = \"file\"")
    return dict(value)


def parse_config(table: Mapping[str, Any], *, path: Path | None = None) -> Config:
    """Check a ``[tool.gscontract]`` table and build a :class:`Config` from it.

    ``${NAME}`` in a string value is replaced by the environment variable's value (:mod:`.envvars`).

    Raises:
        ConfigError: an unknown key, a value of the wrong type, or an environment variable not set.
    """
    where = f"{path or 'pyproject.toml'} [tool.gscontract]"
    expanded = expand_env(table, where)
    try:
        return _parse(expanded.table, path, where)
    except ConfigError as exc:
        raise ConfigError(expanded.hide(str(exc))) from None  # a value from the environment may be a secret


def _parse(table: Mapping[str, Any], path: Path | None, where: str) -> Config:
    known = set(Config.__dataclass_fields__) - {"path"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values: dict[str, Any] = {"path": path}
    for key in ("payloads", "select", "ignore", "redact_headers", "redact_fields"):
        if key in table:
            values[key] = _strings(table, key, where)
    if "kinds" in table:
        kinds = table["kinds"]
        if not isinstance(kinds, dict) or not all(isinstance(v, str) for v in kinds.values()):
            raise ConfigError(f"{where}: 'kinds' must be a table of glob = \"kind[:identifier]\"")
        for pattern, spec in kinds.items():
            try:
                parse_kind_spec(spec)
            except ValueError as exc:
                raise ConfigError(f"{where}: kinds[{pattern!r}]: {exc}") from None
        values["kinds"] = dict(kinds)
    if "lookups" in table:
        values["lookups"] = _lookups_table(table["lookups"], where)
    if "severity" in table:
        levels = table["severity"]
        if not isinstance(levels, dict):
            raise ConfigError(f'{where}: \'severity\' must be a table of rule id = "error"|"warning"')
        try:
            values["severity"] = {str(k).upper(): Severity.parse(str(v)) for k, v in levels.items()}
        except ValueError as exc:
            raise ConfigError(f"{where}: severity: {exc}") from None
    if "fail_on" in table:
        values["fail_on"] = Severity.parse(_choice(table, "fail_on", where, ("error", "warning")))
    if "profile" in table:
        values["profile"] = _choice(table, "profile", where, PROFILES)
    for key, kind in (("base_url", str), ("report_dir", str), ("allow_writes", bool), ("tenant", str)):
        if key in table:
            if not isinstance(table[key], kind):
                raise ConfigError(f"{where}: '{key}' must be a {kind.__name__}")
            values[key] = table[key]
    if "max_requests" in table:
        value = table["max_requests"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}: 'max_requests' must be a positive integer")
        values["max_requests"] = value
    for key in ("request_timeout", "max_duration"):
        if key in table:
            value = table[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{where}: '{key}' must be a positive number of seconds")
            values[key] = float(value)
    return Config(**values)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a ``[tool.gscontract]`` table."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "gscontract" in data["tool"]:
                return candidate
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Load the configuration from ``path``, or from the nearest pyproject.toml that has one.

    Raises:
        ConfigError: the file cannot be read or its table is invalid.
    """
    found = path or find_config(start)
    if found is None:
        return Config()
    try:
        data = tomllib.loads(read_regular(found).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{found}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # TOMLDecodeError, or a number too long
        raise ConfigError(f"{found}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("gscontract", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{found}: [tool.gscontract] must be a table")
    return parse_config(table, path=found)
