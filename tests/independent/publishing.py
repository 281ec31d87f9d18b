"""The independent tenant's Events Framework: ``POST /{version}/api/eventManager/event``, Gainsight's publish call.

Written from Gainsight's public Events API page alone: a publisher sends its ``sharedSecret`` and the
``tenantId`` with ``eventName`` and ``eventVersion`` (and, as public clients do, ``topicName``), and a
JSON object as the body. Where the page is silent this tenant chooses differently from the project's
mock: a wrong or missing secret or tenant id answers **400 GSOBJ_1024** "Invalid authorization
headers" (as its access key does); an event it has not registered answers **404**; a missing naming
header or a registered field missing from the payload answers 400 GSOBJ_1007, a body that is not an
object 400 GSOBJ_1002. Only the version segment ``v1.0`` exists. Accepted events count against the
``events`` rate-limit group and are kept in the store.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .data import PUBLISHER_TENANT_ID, REGISTERED_EVENTS
from .envelopes import data_body, error_response
from .state import TenantState

__all__ = ["authorized", "publish"]

_NAMING = ("topicName", "eventName", "eventVersion")


def authorized(state: TenantState, request: Request) -> bool:
    """Whether the request carries this tenant's shared secret and id (unless the flaw skips the secret)."""
    secret = request.headers.get("sharedSecret") or ""
    right_secret = state.flaws.skip_secret_check or hmac.compare_digest(secret.encode(), state.shared_secret.encode())
    return right_secret and request.headers.get("tenantId") == PUBLISHER_TENANT_ID


async def publish(state: TenantState, request: Request, body: Any) -> Response:
    """One event of a registered topic: 200 with its id, else the refusals above."""
    if request.path_params.get("version") != "v1.0":
        return error_response(404, f"Invalid API path: {request.url.path}", code="GSOBJ_1023")
    names = [request.headers.get(h) for h in _NAMING]
    missing = [h for h, v in zip(_NAMING, names, strict=True) if not v]
    if missing:
        return error_response(400, f"{', '.join(missing)} header is required", code="GSOBJ_1007")
    required = REGISTERED_EVENTS.get((names[0] or "", names[1] or "", names[2] or ""))
    if required is None:
        return error_response(404, f"Event {names[1]} {names[2]} is not registered in topic {names[0]}")
    if not isinstance(body, dict):
        return error_response(400, "The event payload must be a JSON object", code="GSOBJ_1002")
    absent = [name for name in required if body.get(name) in (None, "")]
    if absent:
        return error_response(400, f"{', '.join(absent)} is required", code="GSOBJ_1007")
    event_id = str(uuid.uuid4())
    state.store.events.append({"eventId": event_id, "topicName": names[0], "eventName": names[1], **body})
    return JSONResponse(data_body({"eventId": event_id}))
