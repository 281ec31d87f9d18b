"""Gainsight's public publish-an-event API (the Events Framework): ``POST /{version}/api/eventManager/event``.

The publisher authenticates with its ``sharedSecret`` and ``tenantId`` headers (a wrong or missing one
answers 401, as the data APIs answer a bad key); the ``Accesskey`` header is optional and not checked.
The ``topicName``, ``eventName`` and ``eventVersion`` headers name a registered event, and the free-form
body is its payload. The event is judged by the same EF1xx rules as ``gscontract validate`` judges a
file of events, against the tenant data's registrations: the first error answers 400 with its rule's
code. An accepted event is stored with its naming headers and ``contractId``, and answered 200 with
the data APIs' envelope and the event's id.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ... import lint
from ...gainsight.codes import INVALID_PATH
from ...gainsight.event_headers import API_VERSION, CONTRACT_ID, NAMING_HEADERS, SHARED_SECRET, TENANT_ID
from ...gainsight.operations import FRAMEWORK_EVENT
from ...payload.kinds import Kind
from ...rules import Context
from ..endpoint import Call, Operation, same_secret
from ..http import JSONResponse, data_body, error_response
from ..ids import new_uuid, now_ms
from ..rule_runner import errors, rules_for
from ..state import MockState

__all__ = ["OPERATIONS", "publisher_authorized"]


def publisher_authorized(request: Request, state: MockState) -> bool:
    """Whether the request carries the tenant's shared secret and its tenant id."""
    tenant_id = state.tenant.framework.tenant_id
    given_id = request.headers.get(TENANT_ID)
    right_tenant = tenant_id is None or given_id == tenant_id
    # Both are compared whatever the first says, so the answer's timing does not tell which was wrong.
    right_secret = same_secret(request.headers.get(SHARED_SECRET), state.shared_secret_bytes)
    return right_secret and right_tenant and given_id is not None


def _event(request: Request, payload: Any) -> dict[str, Any]:
    """The event as a record of the ``framework-events`` kind: its naming headers next to its payload."""
    event: dict[str, Any] = {name: request.headers[name] for name in NAMING_HEADERS if name in request.headers}
    event["payload"] = payload
    return event


async def publish(call: Call) -> Response:
    """Publish one event: 404 for another API version, 400 for an unregistered or invalid event, else 200."""
    if call.path_param("version") != API_VERSION:
        return error_response(404, f"Invalid API path: {call.request.url.path}", code=INVALID_PATH)
    state, request = call.state, call.request
    event = _event(request, call.body)
    body = {"records": [event]}
    ctx = Context.for_body(body, Kind.FRAMEWORK_EVENTS, profile=state.profile, registrations=state.tenant.framework)
    problems = errors(lint.check(body, rules_for(Kind.FRAMEWORK_EVENTS)[0], ctx))
    if problems:
        first = problems[0]
        # Pointers name the record of the one-event body; the client knows it as headers and a body.
        where = (first.pointer or "").removeprefix("/records/0")
        at = f" (at {where.removeprefix('/')})" if where else ""
        return error_response(400, f"{first.message}{at}", code=first.code)
    if CONTRACT_ID in request.headers:
        event[CONTRACT_ID] = request.headers[CONTRACT_ID]
    event_id = new_uuid()

    def work() -> None:
        with state.store.write() as tx:
            tx.insert_framework_event(event_id, orjson.dumps(event), now=now_ms())

    await state.run(work, inline=call.small)
    return JSONResponse(data_body({"eventId": event_id}))


OPERATIONS = (Operation.serving(FRAMEWORK_EVENT, publish, authorize=publisher_authorized),)
