"""Exceptions raised by gscontract for problems that are not findings.

A bad payload is a :class:`~gscontract.findings.Finding`; a bad configuration, an unloadable spec,
a misuse of the API or a bug is an exception from this hierarchy::

    GscontractError
    ├── UsageError        a command was called wrongly (bad option, missing file): exit 2
    ├── ConfigError       [tool.gscontract] or a tenant file is invalid: exit 2
    ├── SpecError         a spec a command needs cannot be loaded: exit 2
    └── RegistryError     a rule, check or reporter was registered twice or looked up wrongly
"""

from __future__ import annotations

__all__ = ["ConfigError", "GscontractError", "RegistryError", "SpecError", "UsageError"]


class GscontractError(Exception):
    """Base class of every error gscontract raises on purpose; printed as one line by the CLI."""


class UsageError(GscontractError):
    """A command or function was called with arguments it cannot work with."""


class ConfigError(GscontractError):
    """A configuration file (pyproject's [tool.gscontract], a tenant file) is invalid."""


class SpecError(GscontractError):
    """An OpenAPI document that a command needs cannot be loaded."""


class RegistryError(GscontractError):
    """A registry (rules, checks, reporters) was given a duplicate or asked for an unknown name."""
