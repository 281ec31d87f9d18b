"""Names of the operations the contract checks refer to, as reports name them (``METHOD /v1/path``)."""

from __future__ import annotations

__all__ = [
    "ABORT",
    "BULK_SAVE",
    "BULK_UPDATE",
    "DELETE",
    "EVENTS",
    "EVENTS_BULK",
    "EVENT_TYPES",
    "FETCH_DELETED",
    "JOB_STATUS",
    "QUERY",
    "SAVE",
]

SAVE = "POST /v1/ant/es/activity"
DELETE = "DELETE /v1/ant/es/activity"
BULK_SAVE = "POST /v1/ant/es/activity/bulk"
BULK_UPDATE = "PUT /v1/ant/es/activity/bulk"
JOB_STATUS = "GET /v1/ant/es/job/status/{jobId}"
ABORT = "PUT /v1/ant/es/job/abort/{jobId}"
FETCH_DELETED = "POST /v1/ant/es/activity/deleted"
QUERY = "POST /v1/data/objects/query/activity_timeline"
EVENTS = "POST /v1/events"
EVENTS_BULK = "POST /v1/events/bulk"
EVENT_TYPES = "GET /v1/events/types"
