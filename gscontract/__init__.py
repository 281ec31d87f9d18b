"""gscontract: contract tests, payload validation and compliance reports for Gainsight CS APIs.

The library's stable entry points are re-exported here; everything else is importable from its module.
They load on first use (PEP 562), so ``import gscontract`` or a submodule such as
``gscontract.reporting`` loads no payload rule, no validator and no HTTP or test library.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from .errors import ConfigError, GscontractError, RegistryError, SpecError, UsageError
    from .findings import Finding, Report, Section, SectionName, Severity, Subject
    from .payload.kinds import Kind
    from .validator import ValidateOptions, validate_document, validate_file, validate_paths, validate_text

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Finding",
    "GscontractError",
    "Kind",
    "RegistryError",
    "Report",
    "Section",
    "SectionName",
    "Severity",
    "SpecError",
    "Subject",
    "UsageError",
    "ValidateOptions",
    "__version__",
    "validate_document",
    "validate_file",
    "validate_paths",
    "validate_text",
]

# Each public name and the module (relative to this package) that defines it.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("ConfigError", "GscontractError", "RegistryError", "SpecError", "UsageError"), ".errors"),
    **dict.fromkeys(("Finding", "Report", "Section", "SectionName", "Severity", "Subject"), ".findings"),
    "Kind": ".payload.kinds",
    **dict.fromkeys(
        ("ValidateOptions", "validate_document", "validate_file", "validate_paths", "validate_text"), ".validator"
    ),
}


def __getattr__(name: str) -> object:
    """Import a public name's module the first time the name is used, and keep the name here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the public ones included before they are loaded."""
    return sorted({*globals(), *__all__})
