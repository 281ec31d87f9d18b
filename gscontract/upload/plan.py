"""The upload plan: which records go in which request, how many bulk calls that is and how long the quota makes it.

A plan is computed before anything is sent, from the validated files alone, so ``--dry-run`` shows
exactly what a real upload would do. Records keep their file order; a request never mixes files (each
file carries its own lookups) and its body stays under the documented body limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..contract.transport.budget import GroupLimit
from ..gainsight.limits import MAX_BODY_BYTES

__all__ = ["Batch", "GroupCalls", "Plan", "UploadRecord", "plan_batches", "quota_seconds"]

# '{"records":[' ... '],"lookups":' ... '}' around the records.
_ENVELOPE = len(b'{"records":[],"lookups":}')


@dataclass(frozen=True, slots=True)
class UploadRecord:
    """One record of a payload file as the upload sends it: where it is, its ExternalId and its JSON."""

    path: str
    index: int
    line: int | None
    column: int | None
    external_id: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class Batch:
    """One request: records ``start`` to ``end`` (exclusive) of the file ``path``, sent as one body."""

    number: int
    path: str
    operation: str
    start: int
    end: int
    size: int

    @property
    def count(self) -> int:
        """How many records the request carries."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class GroupCalls:
    """How many of a plan's calls count against one rate-limit group, and that group's limit."""

    group: str
    calls: int
    limit: GroupLimit | None

    def __str__(self) -> str:
        limit = f"at {self.limit}" if self.limit is not None else "with no rate limit"
        return f"{self.calls} {self.group} calls {limit}"


@dataclass(frozen=True, slots=True)
class Plan:
    """Every request of an upload in sending order, and how long the rate limit makes the bulk ones take."""

    batches: tuple[Batch, ...]
    groups: tuple[GroupCalls, ...] = ()
    """The calls per rate-limit group (``bulk``, ``single``, ``events``) and the limit each keeps to."""

    @property
    def seconds(self) -> float:
        """How long the limits make the calls take, group after group (requests go one at a time)."""
        return sum(quota_seconds(g.calls, g.limit) for g in self.groups)

    @property
    def records(self) -> int:
        """How many records the plan sends."""
        return sum(b.count for b in self.batches)


def body_bytes(records: Sequence[bytes], lookups: Any) -> bytes:
    """The request body of ``records`` (each already JSON) with the file's ``lookups`` (``None``: none)."""
    inner = b",".join(records)
    if lookups is None:
        return b'{"records":[' + inner + b"]}"
    return b'{"records":[' + inner + b'],"lookups":' + orjson.dumps(lookups) + b"}"


def plan_batches(
    path: str,
    operation: str,
    records: Sequence[UploadRecord],
    lookups: Any,
    *,
    first_number: int = 1,
    max_bytes: int = MAX_BODY_BYTES,
    max_records: int | None = None,
) -> list[Batch]:
    """Split one file's records (in order) into requests under ``max_bytes`` and ``max_records`` each.

    A record that alone would pass ``max_bytes`` still gets a request of its own: the tenant, not the
    plan, refuses it, and the report says so at its line.
    """
    fixed = _ENVELOPE + (len(orjson.dumps(lookups)) if lookups is not None else 0)
    batches: list[Batch] = []
    start, size = 0, fixed
    for i, record in enumerate(records):
        extra = len(record.body) + (1 if i > start else 0)
        full = max_records is not None and i - start >= max_records
        if i > start and (size + extra > max_bytes or full):
            batches.append(Batch(first_number + len(batches), path, operation, start, i, size))
            start, size = i, fixed
            extra = len(record.body)
        size += extra
    if len(records) > start:
        batches.append(Batch(first_number + len(batches), path, operation, start, len(records), size))
    return batches


def quota_seconds(calls: int, limit: GroupLimit | None) -> float:
    """How long ``calls`` bulk calls take when spaced to ``limit``: each full window beyond the first waits."""
    if limit is None or calls <= limit.amount:
        return 0.0
    return (math.ceil(calls / limit.amount) - 1) * limit.seconds
