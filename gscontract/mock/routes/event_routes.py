"""The Events API (the supplied spec), served from the root: publish one, publish many, list types."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from ... import lint
from ...gainsight.operations import EVENT_TYPES, EVENTS, EVENTS_BULK
from ...payload.kinds import Kind
from ...pointer import parse_pointer
from ..endpoint import Call, Operation
from ..http import JSONResponse, data_body, error_response
from ..ids import new_uuid, now_ms
from ..rule_runner import context, errors, reject_envelope, rules_for
from ..schemas import schema_problem

__all__ = ["OPERATIONS"]


async def publish(call: Call) -> Response:
    """Publish one event; an invalid event answers 400 with its rule's code, naming the field."""
    state, event = call.state, call.body
    ctx = context(Kind.EVENT, None, event, state.tenant, state.profile)
    problems = errors(lint.check(event, rules_for(Kind.EVENT)[0], ctx))
    if problems:
        first = problems[0]
        where = f" (at {first.pointer})" if first.pointer else ""
        return error_response(400, f"{first.message}{where}", code=first.code)
    mismatch = schema_problem("events", "EventInput", event)
    if mismatch is not None:
        return error_response(400, mismatch)
    event_id = new_uuid()

    def work() -> None:
        with state.store.write() as tx:
            tx.insert_events([(event_id, orjson.dumps(event))], now=now_ms())

    await state.run(work, inline=call.small)
    return JSONResponse(data_body({"eventId": event_id}))


async def publish_bulk(call: Call) -> Response:
    """Publish many events: ``successCount``/``failureCount`` and failures keyed by the record's index."""
    state, body = call.state, call.body
    reject_envelope(body, Kind.EVENTS_BULK, identifier=None, tenant=state.tenant, profile=state.profile)
    records = body["records"]
    ctx = context(Kind.EVENTS_BULK, None, body, state.tenant, state.profile)
    failures: dict[str, list[dict[str, Any]]] = {}
    for finding in errors(lint.check(body, rules_for(Kind.EVENTS_BULK)[0], ctx)):
        tokens = parse_pointer(finding.pointer or "")
        indexes = [tokens[1]] if len(tokens) >= 2 and tokens[0] == "records" else [str(i) for i in range(len(records))]
        for index in indexes:
            item = {"errorCode": finding.code, "errorMessage": finding.message}
            if item not in failures.setdefault(index, []):
                failures[index].append(item)
    accepted = [(new_uuid(), orjson.dumps(r)) for i, r in enumerate(records) if str(i) not in failures]

    def work() -> None:
        with state.store.write() as tx:
            tx.insert_events(accepted, now=now_ms())

    await state.run(work, inline=call.small)
    data = {"successCount": len(accepted), "failureCount": len(failures), "failures": failures}
    return JSONResponse(data_body(data))


async def event_types(call: Call) -> Response:
    """The tenant's event types (``eventTypes`` of the tenant data)."""
    return JSONResponse(data_body([dict(t) for t in call.state.tenant.event_types]))


OPERATIONS = (
    Operation.serving(EVENTS, publish),
    Operation.serving(EVENTS_BULK, publish_bulk),
    Operation.serving(EVENT_TYPES, event_types),
)
