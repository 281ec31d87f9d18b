"""HTTP building blocks of the mock: JSON responses, the vendor's error body, size-limited body reading.

Error bodies have the shape of Gainsight's data APIs and always carry all six keys:
``{"result": false, "errorCode", "errorDesc", "requestId", "message", "data": null}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ..rules.envelope import nests_deeper_than
from .ids import new_uuid

__all__ = [
    "MAX_BODY_DEPTH",
    "BodyError",
    "JSONResponse",
    "data_body",
    "error_body",
    "error_response",
    "parse_json",
    "read_body",
    "timeline_body",
]

# Deeper bodies are refused whole (400). orjson alone parses 1,024 levels, but Python code that meets such a
# value (a repr in a message, schema validation) can run out of stack, and orjson writes no more than 254
# levels: 128 keeps any value of a body printable and serializable, even echoed inside a response, and
# still leaves a record room to nest past GS112's limit, so that a too-deep record fails alone.
MAX_BODY_DEPTH = 128


class JSONResponse(Response):
    """A JSON response serialized with orjson (the mock's hot path)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode the content as compact JSON."""
        return orjson.dumps(content)


def error_body(desc: str, *, code: str | None = None, message: str | None = None) -> dict[str, Any]:
    """The vendor's error body (all six keys); ``message`` defaults to the description."""
    return {
        "result": False,
        "errorCode": code,
        "errorDesc": desc,
        "requestId": new_uuid(),
        "message": desc if message is None else message,
        "data": None,
    }


def error_response(
    status: int, desc: str, *, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An HTTP-level error with the vendor's body."""
    return JSONResponse(error_body(desc, code=code), status_code=status, headers=dict(headers or {}))


def timeline_body(data: Any, *, result: bool = True, message: str | None = None) -> dict[str, Any]:
    """The envelope of the Timeline (``/v1/ant/es/...``) responses in the document's samples."""
    return {"data": data, "result": result, "message": message, "additionalInfo": None}


def data_body(data: Any, *, result: bool = True, error: str | None = None) -> dict[str, Any]:
    """The envelope of Gainsight's data APIs (read, fetch deleted, events): result, error, request id, data."""
    return {
        "result": result,
        "errorCode": None,
        "errorDesc": error,
        "requestId": new_uuid(),
        "message": error,
        "data": data,
    }


class BodyError(Exception):
    """The request body cannot be used: too large (413) or not the JSON the operation takes (400)."""

    def __init__(self, status: int, desc: str) -> None:
        super().__init__(desc)
        self.status = status
        self.desc = desc


async def read_body(request: Request, limit: int) -> bytes:
    """Read the body, refusing one over ``limit`` bytes before holding it in memory.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body without one
    (chunked) is counted while it streams in and refused as soon as it passes the limit.

    Raises:
        BodyError: 413 when too large, 400 when ``Content-Length`` is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BodyError(400, f"Content-Length {declared!r} is not a number of bytes")
        if int(declared) > limit:
            raise BodyError(413, f"request body of {int(declared)} bytes is over the {_mb(limit)} limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413, f"request body is over the {_mb(limit)} limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"


def parse_json(body: bytes) -> Any:
    """Parse a request body as JSON.

    Raises:
        BodyError: 400 naming the problem and where it is (orjson's line and column), or a body that
            nests arrays and objects more than :data:`MAX_BODY_DEPTH` levels deep.
    """
    if not body.strip():
        raise BodyError(400, "request body is empty; expected JSON")
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, f"request body is not valid JSON: {exc}") from None
    if nests_deeper_than(document, MAX_BODY_DEPTH):
        raise BodyError(400, f"request body nests arrays and objects more than {MAX_BODY_DEPTH} levels deep")
    return document
