"""The documented operations: method, path, API, operationId, payload kind and rate-limit group.

An operation is named as reports name it, ``METHOD /v1/path`` with the path template the spec writes
(``GET /v1/ant/es/job/status/{jobId}``); the name constants (:data:`SAVE`, :data:`QUERY` ...) are those
names. The mock serves exactly these operations, the contract runner groups its requests by them, and a
test holds the bundled specs to the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from . import rate_limits as _groups
from .objects import TIMELINE_OBJECT

__all__ = [
    "ABORT",
    "APIS",
    "BULK_SAVE",
    "BULK_UPDATE",
    "DELETE",
    "EVENTS",
    "EVENTS_BULK",
    "EVENT_TYPES",
    "FETCH_DELETED",
    "FRAMEWORK_EVENT",
    "JOB_STATUS",
    "OPERATIONS",
    "QUERY",
    "SAVE",
    "TIMELINE_OBJECT",
    "UNCONFIRMED",
    "UPDATE",
    "ApiOperation",
    "by_name",
    "for_request",
    "may_write",
    "rate_group",
]

_READS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class ApiOperation:
    """One documented operation.

    ``kind`` is the payload kind of its request body by name, a value of ``gscontract.payload.kinds.Kind``
    (facts import nothing of the project), or ``None`` when it takes no body. ``group`` is the rate-limit
    group it counts against; ``writes`` says whether it may change tenant data (query and fetch deleted
    are POSTs that only read). ``object_name`` is the data object a data-API path ends in; that last
    segment matches in any letter case, as Gainsight's data APIs read object names.
    """

    method: str
    path: str
    api: str
    operation_id: str
    kind: str | None
    group: str
    writes: bool
    object_name: str | None = None
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(f"^{self.path_regex}/?$"))

    @property
    def path_regex(self) -> str:
        """A regular expression (no anchors) for the concrete paths of this operation.

        A path parameter (``{jobId}``) matches one path segment; the object name of a data-API path
        matches in any letter case.
        """
        if self.object_name is not None:
            prefix = self.path.removesuffix("/" + self.object_name)
            return f"{re.escape(prefix)}/(?i:{re.escape(self.object_name)})"
        return re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self.path))

    @property
    def name(self) -> str:
        """How reports name the operation: ``METHOD /v1/path/{param}``."""
        return f"{self.method} {self.path}"

    def matches_path(self, path: str) -> bool:
        """Whether a concrete request path (``/v1/ant/es/job/status/abc``) is this operation's path."""
        return self._pattern.match(path) is not None


_T, _E, _F = "timeline", "events", "events-framework"
APIS: Final = (_T, _E, _F)
"""The APIs, by the names ``--api`` takes: the supplied Timeline and Events documents, and the Events
Framework of Gainsight's public pages."""
_SAVE = ApiOperation("POST", "/v1/ant/es/activity", _T, "saveActivity", "timeline-insert", _groups.SINGLE, writes=True)
# Not in the supplied Timeline document: Gainsight's newer Timeline pages list a synchronous single-record
# update at the single save's path (docs/decisions.md#the-single-update).
_UPDATE = ApiOperation(
    "PUT", "/v1/ant/es/activity", _T, "updateActivity", "timeline-update", _groups.SINGLE, writes=True
)
_DELETE = ApiOperation(
    "DELETE", "/v1/ant/es/activity", _T, "deleteActivities", "timeline-delete", _groups.SINGLE, writes=True
)
_BULK_SAVE = ApiOperation(
    "POST", "/v1/ant/es/activity/bulk", _T, "bulkSaveActivities", "timeline-insert", _groups.BULK, writes=True
)
_BULK_UPDATE = ApiOperation(
    "PUT", "/v1/ant/es/activity/bulk", _T, "bulkUpdateActivities", "timeline-update", _groups.BULK, writes=True
)
_JOB_STATUS = ApiOperation(
    "GET", "/v1/ant/es/job/status/{jobId}", _T, "getJobStatus", None, _groups.QUERY, writes=False
)
_ABORT = ApiOperation("PUT", "/v1/ant/es/job/abort/{jobId}", _T, "abortJob", None, _groups.SINGLE, writes=True)
_FETCH_DELETED = ApiOperation(
    "POST",
    "/v1/ant/es/activity/deleted",
    _T,
    "fetchDeletedActivities",
    "timeline-deleted-filter",
    _groups.QUERY,
    writes=False,
)
_QUERY = ApiOperation(
    "POST",
    f"/v1/data/objects/query/{TIMELINE_OBJECT}",
    _T,
    "queryActivities",
    "timeline-query",
    _groups.QUERY,
    writes=False,
    object_name=TIMELINE_OBJECT,
)
_EVENTS = ApiOperation("POST", "/v1/events", _E, "publishEvent", "event", _groups.EVENTS, writes=True)
_EVENTS_BULK = ApiOperation(
    "POST", "/v1/events/bulk", _E, "publishEventsBulk", "events-bulk", _groups.EVENTS, writes=True
)
_EVENT_TYPES = ApiOperation("GET", "/v1/events/types", _E, "listEventTypes", None, _groups.EVENTS, writes=False)
# Gainsight's public Events API page writes the path "version/eventManager/event"; public clients
# (RudderStack's Gainsight destination among them) call /v1.0/api/eventManager/event.
_FRAMEWORK_EVENT = ApiOperation(
    "POST",
    "/{version}/api/eventManager/event",
    _F,
    "publishFrameworkEvent",
    "framework-events",
    _groups.FRAMEWORK,
    writes=True,
)

OPERATIONS: Final = (
    _SAVE,
    _UPDATE,
    _DELETE,
    _BULK_SAVE,
    _BULK_UPDATE,
    _JOB_STATUS,
    _ABORT,
    _FETCH_DELETED,
    _QUERY,
    _EVENTS,
    _EVENTS_BULK,
    _EVENT_TYPES,
    _FRAMEWORK_EVENT,
)
"""Every documented operation of the Timeline, Events and Events Framework APIs."""

SAVE: Final = _SAVE.name
UPDATE: Final = _UPDATE.name
DELETE: Final = _DELETE.name
BULK_SAVE: Final = _BULK_SAVE.name
BULK_UPDATE: Final = _BULK_UPDATE.name
JOB_STATUS: Final = _JOB_STATUS.name
ABORT: Final = _ABORT.name
FETCH_DELETED: Final = _FETCH_DELETED.name
QUERY: Final = _QUERY.name
EVENTS: Final = _EVENTS.name
EVENTS_BULK: Final = _EVENTS_BULK.name
EVENT_TYPES: Final = _EVENT_TYPES.name
FRAMEWORK_EVENT: Final = _FRAMEWORK_EVENT.name

UNCONFIRMED: Final = frozenset({UPDATE})
"""Operations the supplied documents do not give, only Gainsight's newer pages: a tenant may not offer them."""

_BY_NAME: Final = {op.name: op for op in OPERATIONS}


def by_name(name: str) -> ApiOperation | None:
    """The operation a report names ``METHOD /v1/path``; ``None`` for a name no document gives."""
    return _BY_NAME.get(name)


def for_request(method: str, path: str) -> ApiOperation | None:
    """The operation a concrete request calls; ``None`` for a method and path no document gives.

    ``HEAD`` is read as the ``GET`` it mirrors.
    """
    wanted = "GET" if method.upper() == "HEAD" else method.upper()
    clean = "/" + path.lstrip("/")
    return next((op for op in OPERATIONS if op.method == wanted and op.matches_path(clean)), None)


def rate_group(path: str) -> str | None:
    """The rate-limit group of a request; ``None`` for a path no documented operation has.

    Every operation on one path counts against the same group, so the path decides.
    """
    clean = "/" + path.lstrip("/")
    return next((op.group for op in OPERATIONS if op.matches_path(clean)), None)


def may_write(method: str, path: str) -> bool:
    """Whether a request may change tenant data; an undocumented request may unless it is a GET."""
    found = for_request(method, path)
    if found is not None:
        return found.writes
    return method.upper() not in _READS
