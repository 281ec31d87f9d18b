"""How a validation run is configured: :class:`ValidateOptions`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..findings import Severity
from ..folding import DEFAULT_MAX_FINDINGS
from ..payload.kinds import IDENTIFIERS, Kind

if TYPE_CHECKING:
    from ..tenants.registrations import EventRegistry

__all__ = ["ValidateOptions"]


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    """How to validate: forced kind and identifier, rule selection and the tenant's field types.

    ``kind=None`` chooses each file's kind from its name, ``kinds`` (the configuration's glob table)
    and its content. ``identifier`` applies to update files; their default is ``activityid``, as the
    API's.
    """

    kind: Kind | None = None
    identifier: str | None = None
    profile: str = "current"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    custom_field_types: Mapping[str, str] = field(default_factory=dict)
    registrations: EventRegistry | None = None
    """The tenant data's Events Framework registrations; Events Framework files are checked against them."""
    max_findings: int = DEFAULT_MAX_FINDINGS
    """Findings of one rule listed per file before the rest are folded into counts (0: list all)."""
    lookups: Mapping[str, str] = field(default_factory=dict)
    """Lookups files for JSON Lines files: glob (relative to ``root``) to path, as the config's ``lookups``."""
    root: Path | None = None
    """The folder the ``kinds`` and ``lookups`` globs are relative to (the config's); ``None``: the working folder."""

    def __post_init__(self) -> None:
        if self.identifier is not None and self.identifier not in IDENTIFIERS:
            raise UsageError(f"identifier must be one of {', '.join(IDENTIFIERS)}, not {self.identifier!r}")
        if self.max_findings < 0:
            raise UsageError(f"max_findings must be 0 (no limit) or more, not {self.max_findings}")
