"""The Events API of the independent tenant: publish one event, publish many, list the event types.

An event needs ``eventType``, ``objectType``, ``operation`` (INSERT, UPDATE, UPSERT or DELETE, as
spelled) and ``payload`` (an object). A required field absent, null or "" answers GSOBJ_1007; a value of
the wrong type, an operation outside the list or a timestamp that is not an ISO 8601 date-time answers
GSOBJ_1002. Optional fields given as null count as absent. Event types and company ids are not checked
against the tenant's data.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .data import EVENT_TYPES
from .dates import datetime_ms
from .envelopes import BodyError, data_body, error_response
from .lookups import Failure, failure
from .options import Flaws
from .state import TenantState

__all__ = ["event_problems", "event_types", "publish", "publish_bulk"]

OPERATIONS = ("INSERT", "UPDATE", "UPSERT", "DELETE")
_REQUIRED = ("eventType", "objectType", "operation", "payload")
_STRINGS = ("eventType", "objectType", "companyId", "sourceSystem", "timestamp")


def event_problems(event: Any, flaws: Flaws) -> list[Failure]:
    """What is wrong with one event input (empty when it is valid)."""
    if not isinstance(event, dict):
        return [failure("GSOBJ_1002", "An event must be a JSON object")]
    problems: list[Failure] = []
    checked = [name for name in _REQUIRED if not (flaws.skip_operation_check and name == "operation")]
    for name in checked:
        if event.get(name) is None or event.get(name) == "":
            problems.append(failure("GSOBJ_1007", f"{name} is required"))
    for name in _STRINGS:
        if event.get(name) is not None and not isinstance(event[name], str):
            problems.append(failure("GSOBJ_1002", f"Invalid value for {name}: {event[name]!r}"))
    operation = event.get("operation")
    if not flaws.skip_operation_check and operation is not None and operation != "" and operation not in OPERATIONS:
        problems.append(failure("GSOBJ_1002", f"Invalid value for operation: {operation!r}"))
    payload = event.get("payload")
    if payload is not None and payload != "" and not isinstance(payload, dict):
        problems.append(failure("GSOBJ_1002", "payload must be a JSON object"))
    stamp = event.get("timestamp")
    if isinstance(stamp, str) and stamp and datetime_ms(stamp) is None:
        problems.append(failure("GSOBJ_1002", f"timestamp {stamp!r} is not an ISO 8601 date-time"))
    if not problems and flaws.reject_non_insert_events and operation != "INSERT":
        problems.append(failure("GSOBJ_1002", f"operation {operation} is not supported"))
    return problems


async def publish(state: TenantState, request: Request, body: Any) -> Response:
    """One event: 200 with its id, or 400 naming every problem (the first one's code)."""
    problems = event_problems(body, state.flaws)
    if problems:
        desc = "; ".join(p["errorMessage"] for p in problems)
        return error_response(400, desc, code=problems[0]["errorCode"])
    event_id = str(uuid.uuid4())
    state.store.events.append({"eventId": event_id, **body})
    return JSONResponse(data_body({"eventId": event_id}))


async def publish_bulk(state: TenantState, request: Request, body: Any) -> Response:
    """Many events: successCount, failureCount and the failures keyed by the event's index."""
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise BodyError(400, "The body must be an object with a records array")
    failures: dict[str, list[Failure]] = {}
    for index, event in enumerate(records):
        problems = event_problems(event, state.flaws)
        if problems:
            failures[str(index)] = problems
        else:
            state.store.events.append({"eventId": str(uuid.uuid4()), **event})
    data = {"successCount": len(records) - len(failures), "failureCount": len(failures), "failures": failures}
    return JSONResponse(data_body(data))


async def event_types(state: TenantState, request: Request, body: Any) -> Response:
    """This tenant's event types."""
    return JSONResponse(data_body([dict(t) for t in EVENT_TYPES]))
