"""Response bodies of the independent tenant, and reading a request body within the size limit.

Every JSON object it answers carries ``localizedErrorDesc`` and ``localizedMessage`` besides the
documented keys: Gainsight's data APIs send them, and a client must not trip over keys it did not expect.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["BodyError", "data_body", "error_response", "read_json", "timeline_body"]


def _localized(desc: str | None, message: str | None) -> dict[str, Any]:
    return {"localizedErrorDesc": desc, "localizedMessage": message}


def timeline_body(data: Any, *, result: bool = True, message: str | None = None) -> dict[str, Any]:
    """The envelope of the ``/v1/ant/es/...`` answers, as the Timeline document's samples show it."""
    return {"data": data, "result": result, "message": message, "additionalInfo": None, **_localized(None, message)}


def data_body(data: Any) -> dict[str, Any]:
    """The envelope of the read, fetch-deleted and Events answers (Gainsight's data-API shape)."""
    return {
        "result": True,
        "errorCode": None,
        "errorDesc": None,
        "requestId": str(uuid.uuid4()),
        "data": data,
        "message": None,
        **_localized(None, None),
    }


def error_response(
    status: int, desc: str, *, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An HTTP-level error: ``result: false``, ``errorCode``, ``errorDesc``, ``requestId``, ``message``, ``data``."""
    body = {
        "result": False,
        "errorCode": code,
        "errorDesc": desc,
        "requestId": str(uuid.uuid4()),
        "message": desc,
        "data": None,
        **_localized(desc, desc),
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class BodyError(Exception):
    """The request body cannot be used: ``status`` 413 (too large) or 400 (not the JSON expected)."""

    def __init__(self, status: int, desc: str) -> None:
        super().__init__(desc)
        self.status = status
        self.desc = desc


async def read_json(request: Request, limit: int) -> Any:
    """The request body parsed as JSON, refusing a body over ``limit`` bytes before holding it all.

    Raises:
        BodyError: 413 for a body over the limit (declared or streamed), 400 for one that is not JSON.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyError(413, f"The request body of {int(declared)} bytes is over the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413, f"The request body is over the {limit}-byte limit")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise BodyError(400, "The request body is empty; JSON was expected")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BodyError(400, f"The request body is not valid JSON: {exc}") from None
