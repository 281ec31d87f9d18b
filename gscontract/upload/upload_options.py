"""What an upload is told (:class:`UploadOptions`) and what it hands back (:class:`UploadOutcome`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Report, Severity
from ..gainsight.limits import MAX_BODY_BYTES
from ..gainsight.profiles import DEFAULT_PROFILE
from ..redact import Redactor
from ..validating.validate_options import ValidateOptions
from .plan import Batch

__all__ = ["DEFAULT_JOURNAL", "SAVED_OPTIONS", "UploadOptions", "UploadOutcome"]

DEFAULT_JOURNAL = "gscontract-upload.journal.sqlite"
# What the journal keeps so that a resume runs as the upload did: plain settings, never the key.
SAVED_OPTIONS = (
    "base_url",
    "skip_invalid",
    "profile",
    "rate_limit",
    "bulk_share",
    "job_timeout",
    "poll_interval",
    "request_timeout",
    "max_bytes",
    "max_records",
    "single",
    "kind",
    "identifier",
    "tenant_id",
    "lookups",
)


@dataclass(frozen=True, slots=True)
class UploadOptions:
    """Where to upload, what the run may do, and the limits it keeps to."""

    base_url: str | None = None
    access_key: str | None = None
    shared_secret: str | None = None
    """The Events Framework publisher's ``sharedSecret``; masked everywhere and never journalled."""
    tenant_id: str | None = None
    """The Events Framework's ``tenantId`` header."""
    allow_writes: bool = False
    skip_invalid: bool = False
    profile: str = DEFAULT_PROFILE
    rate_limit: str | None = None
    """A ``--rate-limit`` SPEC used as given; ``None``: the profile's limits, bulk cut to ``bulk_share``."""
    bulk_share: float = 0.5
    max_duration: float = 3600.0
    job_timeout: float = 600.0
    poll_interval: float = 1.0
    request_timeout: float = 60.0
    retries: int = 6
    """Retries of a call that is safe to repeat, after no answer or a 5xx (backoff from 0.5 s, doubling)."""
    max_bytes: int = MAX_BODY_BYTES
    max_records: int | None = None
    """Most records per request; ``None``: no limit for bulk calls, one record per call with ``single``."""
    single: bool = False
    """Send inserts with the synchronous save (the single calls' limit) instead of bulk jobs."""
    journal: Path | None = None
    lookups: Mapping[str, str] = field(default_factory=dict)
    """Lookups for JSON Lines files, glob to lookups file, as ``validate`` takes them; sent with their records."""
    kind: str | None = None
    identifier: str | None = None
    validation: ValidateOptions | None = None
    """The rest of how to validate, as ``validate`` takes it from the configuration: rule selection, severities,
    the ``kinds`` table and the folder its globs (and ``lookups``') are relative to. ``kind``, ``identifier``,
    ``profile`` and ``lookups`` above win over its own. Not journalled: a resume reads the configuration again."""
    redactor: Redactor = field(default_factory=Redactor)
    confirm: Callable[[str], None] | None = None
    """Called with the tenant's base URL before the first write; it raises to refuse."""
    on_request: Callable[[Batch], None] | None = None


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """The report of an upload, where its journal is, and why it stopped early (``None``: it did not)."""

    report: Report
    journal: Path | None
    stopped: str | None = None

    @property
    def exit_code(self) -> int:
        """0 when every record was accepted (or, dry, would be sent), else 1."""
        return int(any(f.severity is Severity.ERROR for f in self.report.findings()) or self.stopped is not None)
