"""Deliberately broken tenants: ASGI wrappers around the mock that each break one promise of the contract.

Used in-process by the runner's tests and served as a real process by ``broken_server.py`` for the
pytest plugin's tests. Each wrapper changes as little as possible, so the run must find exactly that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from gscontract.contract.transport.asgi import ASGIApp as App
from gscontract.contract.transport.asgi import Message, Receive, Scope, Send, read_body, replay_body

SAVE = re.compile(r"^/v1/ant/es/activity$")
STATUS = re.compile(r"^/v1/ant/es/job/status/[^/]+$")


async def _call(app: App, scope: Scope, body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Call ``app`` with a buffered body; return its status, headers and body."""
    status, headers, chunks = 500, [], []

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, replay_body(body), send)
    return status, headers, b"".join(chunks)


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    kept.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": kept})
    await send({"type": "http.response.body", "body": body})


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def wrap(app: App, handle: Callable[[App, Scope, bytes, Send], Awaitable[bool]]) -> App:
    """An app that lets ``handle`` answer HTTP requests (it returns False to pass one to ``app``)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        body = await read_body(receive)
        if not await handle(app, scope, body, send):
            await app(scope, replay_body(body), send)

    return wrapped


def server_error_on_company_saves(app: App) -> App:
    """Answers 500 to any single save with a Company-context record (valid input, and the document's sample)."""

    async def handle(inner: App, scope: Scope, body: bytes, send: Send) -> bool:
        sent = _json(body)
        records = sent.get("records") if isinstance(sent, dict) else None
        saves = scope["method"] == "POST" and SAVE.match(scope["path"]) and isinstance(records, list)
        if saves and any(isinstance(r, dict) and r.get("ContextName") == "Company" for r in records or ()):
            await _answer(send, 500, [(b"content-type", b"text/plain")], b"Internal Server Error")
            return True
        return False

    return wrap(app, handle)


def accepts_without_key(app: App, key: str) -> App:
    """Answers every request as if it carried the right access key."""

    async def handle(inner: App, scope: Scope, body: bytes, send: Send) -> bool:
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in (b"accesskey",)]
        scope = {**scope, "headers": [*headers, (b"accesskey", key.encode())]}
        await _answer(send, *(await _call(inner, scope, body)))
        return True

    return wrap(app, handle)


def accepts_wrong_secret(app: App, secret: str) -> App:
    """Answers every Events Framework publish as if it carried the right shared secret."""

    async def handle(inner: App, scope: Scope, body: bytes, send: Send) -> bool:
        if not scope["path"].endswith("/api/eventManager/event"):
            return False
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"sharedsecret"]
        scope = {**scope, "headers": [*headers, (b"sharedsecret", secret.encode())]}
        await _answer(send, *(await _call(inner, scope, body)))
        return True

    return wrap(app, handle)


def rewrite(app: App, method: str, path: re.Pattern[str], change: Callable[[Any, App, Scope], Awaitable[None]]) -> App:
    """Answers ``method path`` as ``app`` does, after ``change`` edited the parsed JSON answer in place."""

    async def handle(inner: App, scope: Scope, body: bytes, send: Send) -> bool:
        if not (scope["method"] == method and path.match(scope["path"])):
            return False
        status, headers, answer = await _call(inner, scope, body)
        parsed = _json(answer)
        if parsed is not None:
            await change(parsed, inner, scope)
            answer = json.dumps(parsed).encode()
        await _answer(send, status, headers, answer)
        return True

    return wrap(app, handle)


def _data(parsed: Any) -> dict[str, Any]:
    data = parsed.get("data") if isinstance(parsed, dict) else None
    return data if isinstance(data, dict) else {}


def job_status_breaks_schema(app: App) -> App:
    """Job status answers carry their counts as strings, which the response schema forbids."""

    async def change(parsed: Any, inner: App, scope: Scope) -> None:
        data = _data(parsed)
        if "successCount" in data:
            data["successCount"] = str(data["successCount"])

    return rewrite(app, "GET", STATUS, change)


def job_never_ends(app: App) -> App:
    """Every job stays INPROGRESS for ever."""

    async def change(parsed: Any, inner: App, scope: Scope) -> None:
        data = _data(parsed)
        if "status" in data:
            data.update(status="INPROGRESS", successes=None, failures=None, successCount=0, failedCount=0)

    return rewrite(app, "GET", STATUS, change)


def undocumented_error_code(app: App) -> App:
    """A duplicate ExternalId fails with a code of the right family that no spec documents (not 0107)."""

    async def change(parsed: Any, inner: App, scope: Scope) -> None:
        for items in (_data(parsed).get("failures") or {}).values():
            for item in items:
                if isinstance(item, dict) and item.get("errorCode") == "GS_TL_10_0107":
                    item["errorCode"] = "GS_TL_10_0999"

    return rewrite(app, "POST", SAVE, change)


def loses_saved_records(app: App) -> App:
    """Answers a single save as the mock does, then quietly deletes the activities it just saved."""

    async def change(parsed: Any, inner: App, scope: Scope) -> None:
        saved = [
            item["activityId"]
            for items in (_data(parsed).get("success") or {}).values()
            for item in items
            if isinstance(item, dict) and "activityId" in item
        ]
        if saved:
            await _call(inner, {**scope, "method": "DELETE"}, json.dumps(saved).encode())

    return rewrite(app, "POST", SAVE, change)


def drops_retry_after(app: App) -> App:
    """Answers 429 without the Retry-After header."""

    async def handle(inner: App, scope: Scope, body: bytes, send: Send) -> bool:
        status, headers, answer = await _call(inner, scope, body)
        if status == 429:
            headers = [(k, v) for k, v in headers if k.lower() != b"retry-after"]
        await _answer(send, status, headers, answer)
        return True

    return wrap(app, handle)


BROKEN: dict[str, Callable[[App, str], App]] = {
    "server-error": lambda app, key: server_error_on_company_saves(app),
    "no-auth": accepts_without_key,
    "job-status-schema": lambda app, key: job_status_breaks_schema(app),
    "job-never-ends": lambda app, key: job_never_ends(app),
    "undocumented-code": lambda app, key: undocumented_error_code(app),
    "loses-records": lambda app, key: loses_saved_records(app),
    "no-retry-after": lambda app, key: drops_retry_after(app),
    # The mock built without a shared secret takes its access key there, so the key is the secret to forge.
    "wrong-secret": accepts_wrong_secret,
}
"""name -> wrapper(mock app, access key)."""
