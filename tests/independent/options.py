"""Settings of the independent tenant: rate-limit quotas, bulk-job timing and the flaws broken variants switch on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["DEFAULT_QUOTAS", "GROUPS", "MAX_BODY_BYTES", "Flaws", "JobTiming", "Quota"]

MAX_BODY_BYTES = 80_000_000
"""The document's "80MB" per call, read as decimal megabytes: a body over it answers 413."""

GROUPS = ("single", "bulk", "query", "events")
"""Rate-limit groups. single: save, delete, abort; bulk: bulk save and update; query: read, job status,
fetch deleted; events: the Events API."""


@dataclass(frozen=True, slots=True)
class Quota:
    """At most ``limit`` calls per fixed window of ``seconds``; ``spent`` calls are used up in the first window."""

    limit: int
    seconds: float
    spent: int = 0

    def __post_init__(self) -> None:
        if self.limit < 1 or self.seconds <= 0 or not 0 <= self.spent <= self.limit:
            raise ValueError(f"a quota needs limit >= 1, seconds > 0 and 0 <= spent <= limit, not {self}")


DEFAULT_QUOTAS: Mapping[str, Quota] = MappingProxyType(
    {
        "single": Quota(200, 60.0),
        "bulk": Quota(12, 3600.0, spent=6),  # half of the hour's bulk calls are gone when the tenant starts
        "query": Quota(100, 60.0),
        "events": Quota(100, 60.0),
    }
)


@dataclass(frozen=True, slots=True)
class JobTiming:
    """How a bulk job progresses: SUBMITTED for ``submitted_seconds``, then INPROGRESS, then COMPLETED.

    A job completes once its status has been read ``progress_polls`` times while INPROGRESS, or
    ``finish_seconds`` after it was submitted, whichever comes first; so every job is finished within
    ``finish_seconds`` whether anybody polls or not.
    """

    submitted_seconds: float = 0.5
    progress_polls: int = 3
    finish_seconds: float = 3.0

    def __post_init__(self) -> None:
        if self.submitted_seconds < 0 or self.progress_polls < 0 or self.finish_seconds < self.submitted_seconds:
            raise ValueError(f"need 0 <= submitted_seconds <= finish_seconds and progress_polls >= 0, not {self}")


@dataclass(frozen=True, slots=True)
class Flaws:
    """Deliberate breaks of one promise each, for the broken variants; all off in the clean tenant."""

    reject_company_saves: bool = False
    """The single save fails every Company-context record (valid records refused)."""
    skip_subject_check: bool = False
    """A record without a Subject is saved (an invalid record accepted)."""
    delete_keeps_records: bool = False
    """Delete answers with the ids and logs them as deleted, but the activities stay readable."""
    skip_duplicate_checks: bool = False
    """A repeated ExternalId is saved again, within a payload and across saves."""
    jobs_never_finish: bool = False
    """Bulk jobs stay INPROGRESS forever."""
    abort_lies: bool = False
    """Abort always answers "Job has been aborted", but the job carries on and saves its records."""
    reject_non_insert_events: bool = False
    """Valid events whose operation is not INSERT are refused."""
    skip_operation_check: bool = False
    """An event's ``operation`` is not checked at all (missing, wrong type or outside the enum)."""
    skip_secret_check: bool = False
    """An Events Framework publish is taken whatever its ``sharedSecret`` (the tenant id is still checked)."""
