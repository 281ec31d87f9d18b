"""The request pipeline every operation goes through, and the routes built from operation tables.

Order of checks, so that nothing is read or stored for a request that fails an earlier one:
path (404) and method (405, by Starlette's router) -> credentials (401, before the body is read: the
access key, or the operation's own check, such as the Events Framework's shared secret and tenant id) ->
rate limit of the operation's group (429) -> body size (413, before the body is held in memory) ->
JSON (400) -> the operation's handler. Every response of a rate-limited group carries the
``X-RateLimit-*`` headers.

A client that goes away before it has sent its whole body is a normal event, not a bug of the mock: it is
logged as one warning line, without a traceback (errors are what an embedded contract run counts).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from ..gainsight.codes import UNAUTHORIZED
from ..gainsight.operations import by_name
from .http import BodyError, error_response, parse_json, read_body
from .state import MockState

__all__ = ["Authorizer", "Call", "Handler", "Operation", "build_routes", "same_secret", "unauthorized"]

log = logging.getLogger("gscontract.mock")

ACCESS_KEY_HEADER = "accesskey"
# A body is parsed, checked and saved on the event loop only when it is small in both bytes and items;
# anything larger goes to a worker thread, so one big request never stalls the others. Bytes alone are
# not enough: 60 KB of `{}` records are 20,000 records to judge. Commas bound the number of JSON values
# (strings may hold commas too, which only sends a few more bodies to a thread).
INLINE_BODY_BYTES = 64 * 1024
INLINE_BODY_COMMAS = 256


@dataclass(frozen=True, slots=True)
class Call:
    """One authorized request as a handler sees it: the parsed body and the mock's state."""

    request: Request
    state: MockState
    body: Any = None
    raw: bytes = b""

    @property
    def small(self) -> bool:
        """Whether the body is small enough to be handled on the event loop (see :meth:`MockState.run`)."""
        return is_small(self.raw)

    def path_param(self, name: str) -> str:
        """A path parameter as text."""
        return str(self.request.path_params[name])


Handler = Callable[[Call], Awaitable[Response]]
Authorizer = Callable[[Request, MockState], bool]
"""Whether a request carries the credentials an operation asks for."""


def is_small(raw: bytes) -> bool:
    """Whether a body is cheap enough to parse and judge on the event loop: few bytes and few values."""
    return len(raw) <= INLINE_BODY_BYTES and raw.count(b",") <= INLINE_BODY_COMMAS


@dataclass(frozen=True, slots=True)
class Operation:
    """An API operation: method and path, its handler, its rate-limit group, whether it takes a body.

    ``authorize`` checks the request's credentials; by default the ``accesskey`` header.
    """

    method: str
    path: str
    handler: Handler
    group: str | None = None
    body: bool = False
    auth: bool = True
    path_regex: str | None = None
    authorize: Authorizer | None = None

    @classmethod
    def serving(cls, name: str, handler: Handler, *, authorize: Authorizer | None = None) -> Operation:
        """The route of a documented operation, named as reports name it (``POST /v1/ant/es/activity``).

        Its method, path and rate-limit group come from :mod:`gscontract.gainsight.operations`; it reads
        a body when the operation takes a payload. A data-API path's object name matches in any letter
        case (``.../query/Activity_Timeline``), as Gainsight's data APIs read it.
        """
        documented = by_name(name)
        if documented is None:
            raise ValueError(f"{name!r} is not a documented operation")
        body = documented.kind is not None
        regex = documented.path_regex if documented.object_name is not None else None
        return cls(
            documented.method,
            documented.path,
            handler,
            group=documented.group,
            body=body,
            path_regex=regex,
            authorize=authorize,
        )


def unauthorized() -> Response:
    """The 401 of Gainsight's data APIs."""
    return error_response(401, "Unauthorized", code=UNAUTHORIZED)


def same_secret(given: str | None, expected: bytes) -> bool:
    """Whether a header's value is the expected secret, compared in constant time (a secret even on a mock)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected)


def _authorized(request: Request, state: MockState) -> bool:
    return same_secret(request.headers.get(ACCESS_KEY_HEADER), state.access_key_bytes)


async def _serve(op: Operation, request: Request) -> Response:
    state: MockState = request.app.state.mock
    state.ensure_started()
    if op.auth and not (op.authorize or _authorized)(request, state):
        return unauthorized()
    verdict = state.limiter.hit(op.group, state.rate_key) if op.auth else None
    limit_headers = verdict.headers() if verdict is not None else {}
    if verdict is not None and not verdict.allowed:
        desc = (
            f"Too many requests: the {op.group} limit is {state.limiter.limits[op.group or '']}; "
            f"retry after {verdict.retry_after} s"
        )
        return error_response(429, desc, headers=limit_headers)
    try:
        call = Call(request, state)
        if op.body:
            raw = await read_body(request, state.max_body_bytes)
            document = parse_json(raw) if is_small(raw) else await run_in_threadpool(parse_json, raw)
            call = Call(request, state, document, raw)
        response = await op.handler(call)
    except BodyError as exc:
        response = error_response(exc.status, exc.desc)
    except ClientDisconnect:
        # Nobody is left to answer; the status is for the log and for middleware only.
        log.warning("%s %s: the client disconnected before sending its whole body", request.method, request.url.path)
        response = error_response(400, "the client disconnected before sending its whole body")
    except Exception:
        # A bug, not a bad request: answer with the vendor's body rather than a bare 500 page.
        log.exception("%s %s failed", request.method, request.url.path)
        response = error_response(500, "internal error of the mock tenant; see its log")
    response.headers.update(limit_headers)
    return response


def _dispatcher(operations: dict[str, Operation]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await _serve(operations[method], request)

    return endpoint


def build_routes(operations: Iterable[Operation]) -> list[Route]:
    """One route per path, so a wrong method answers 405 with every allowed method in ``Allow``."""
    by_path: dict[str, dict[str, Operation]] = defaultdict(dict)
    for op in operations:
        if op.method in by_path[op.path]:
            raise ValueError(f"{op.method} {op.path} is declared twice")
        by_path[op.path][op.method] = op
    return [_route(path, ops) for path, ops in by_path.items()]


def _route(path: str, ops: dict[str, Operation]) -> Route:
    route = Route(path, _dispatcher(ops), methods=list(ops))
    regex = next((op.path_regex for op in ops.values() if op.path_regex is not None), None)
    if regex is not None:
        # Starlette matches paths by this public attribute; the documented regex lets the object name of
        # a data-API path come in any letter case, while the rest of the path stays exact.
        route.path_regex = re.compile(f"^{regex}$")
    return route
