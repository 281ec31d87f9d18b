"""gscontract: contract tests, payload validation and compliance reports for Gainsight CS APIs.

The library's stable entry points are re-exported here; everything else is importable from its module.
"""

from __future__ import annotations

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
