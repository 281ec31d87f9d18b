"""Broken variants of the independent tenant: each breaks the one promise a contract scenario checks.

``BROKEN[scenario_id](access_key=..., **tenant_options)`` builds an ASGI app that behaves as the clean
tenant (:func:`~.tenant.create_tenant`, which takes the same options) except for one flaw:

=======  ==========================================================================================
CT201    the single save fails every Company-context record (valid records refused)
CT202    a record without a Subject is saved (an invalid record accepted)
CT203    delete answers with the ids and lists them as deleted, but the activities stay readable
CT204    a repeated ExternalId is saved again, within one payload and across saves
CT205    bulk jobs stay INPROGRESS forever
CT206    abort answers "Job has been aborted" for any job, which then carries on (and saves)
CT207    a save without the right access key is stored, and only then refused with 400
CT211    valid events whose operation is not INSERT are refused with 400
CT212    an event's operation is not checked: missing, wrong type or outside the enum, it is accepted
CT222    an Events Framework publish is taken with any shared secret
=======  ==========================================================================================
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .options import Flaws
from .tenant import create_tenant

__all__ = ["BROKEN"]


def _flawed(**flaw: bool) -> Callable[..., ASGIApp]:
    def build(*, access_key: str, **options: Any) -> ASGIApp:
        return create_tenant(access_key=access_key, flaws=Flaws(**flaw), **options)

    build.__doc__ = f"The tenant with {', '.join(flaw)}."
    return build


async def _read_all(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _discard(message: Message) -> None:
    return None


def stores_without_key(*, access_key: str, **options: Any) -> ASGIApp:
    """The tenant, except that a single save without the right key is saved before it is refused."""
    app = create_tenant(access_key=access_key, **options)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/v1/ant/es/activity":
            await app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k.lower() == b"accesskey"), b"")
        if hmac.compare_digest(given, access_key.encode()):
            await app(scope, receive, send)
            return
        body = await _read_all(receive)
        keyed = [(k, v) for k, v in scope["headers"] if k.lower() != b"accesskey"]
        keyed.append((b"accesskey", access_key.encode()))
        await app({**scope, "headers": keyed}, _replay(body), _discard)  # saved, answer thrown away
        await app(scope, _replay(body), send)  # the usual 400 GSOBJ_1024

    return wrapped


BROKEN: dict[str, Callable[..., ASGIApp]] = {
    "CT201": _flawed(reject_company_saves=True),
    "CT202": _flawed(skip_subject_check=True),
    "CT203": _flawed(delete_keeps_records=True),
    "CT204": _flawed(skip_duplicate_checks=True),
    "CT205": _flawed(jobs_never_finish=True),
    "CT206": _flawed(abort_lies=True),
    "CT207": stores_without_key,
    "CT211": _flawed(reject_non_insert_events=True),
    "CT212": _flawed(skip_operation_check=True),
    "CT222": _flawed(skip_secret_check=True),
}
"""Scenario id -> factory ``(*, access_key, **create_tenant options) -> ASGI app`` breaking that scenario's promise."""
