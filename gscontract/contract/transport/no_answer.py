"""Why a request got no usable answer from the tenant, in words of our own that a finding can carry.

A refused, reset or closed connection, bytes that are not HTTP, no answer in time, an answer over its size
cap: each is a failure of the tenant on the operation, never a reason to skip it. The words are fixed
here, never copied from the tenant's bytes or from an exception's text (which quotes them), so a hostile
tenant cannot put anything into the marker the guard sets or into the finding made from it.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator

__all__ = ["UNREACHABLE_AFTER", "NoAnswer", "Silence", "no_answer"]

UNREACHABLE_AFTER = 5
"""Requests in a row with no usable answer after which a tenant counts as unreachable and the run stops.

A tenant that is down, not HTTP, or never answers would otherwise cost every remaining request its
timeout, up to ``--max-duration``; five in a row rules out a single dropped connection.
"""


class NoAnswer(Exception):
    """The tenant gave no usable answer to a request; ``reason`` says why, in gscontract's words.

    ``timed_out`` says the answer did not come in time (the run may have cut that time short itself).
    """

    def __init__(self, reason: str, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every one it wraps: causes, contexts, and exceptions carried in args or ``reason``."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        todo.extend(e for e in wrapped if isinstance(e, BaseException))


def no_answer(exc: BaseException, *, timeout: float) -> NoAnswer:
    """What went wrong with a request to the tenant, from the exception ``requests`` or urllib3 raised."""
    chain = list(_chain(exc))
    names = {type(e).__name__ for e in chain}
    if names & {"ConnectTimeout", "ConnectTimeoutError"}:
        return NoAnswer(f"no connection to the tenant within {timeout:g} s", timed_out=True)
    if names & {"ReadTimeout", "ReadTimeoutError"} or any(isinstance(e, socket.timeout) for e in chain):
        return NoAnswer(f"no answer within {timeout:g} s", timed_out=True)
    return NoAnswer(_broken(chain, names, exc))


def _broken(chain: list[BaseException], names: set[str], exc: BaseException) -> str:
    """Why a connection gave no HTTP answer, other than time."""
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "the tenant refused the connection"
    # RemoteDisconnected is a ConnectionResetError (and a BadStatusLine) too: it is asked first.
    if any(isinstance(e, http.client.RemoteDisconnected) for e in chain):
        return "the tenant closed the connection without answering"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "the tenant reset the connection"
    if any(isinstance(e, http.client.BadStatusLine | http.client.LineTooLong) for e in chain):
        return "the tenant's answer is not HTTP"
    if names & {"IncompleteRead", "ProtocolError", "ChunkedEncodingError"}:
        return "the connection broke while the answer was read"
    return f"the request to the tenant failed ({type(exc).__name__})"


class Silence:
    """Counts requests in a row that got no usable answer, to tell when a tenant is unreachable.

    Any answer, whatever its status, resets the count: a tenant answering 500s is reachable (and its
    500s are findings of their own).
    """

    def __init__(self, limit: int = UNREACHABLE_AFTER) -> None:
        self.limit = limit
        self.in_a_row = 0
        self._lock = threading.Lock()

    @property
    def unreachable(self) -> bool:
        """Whether the last ``limit`` requests all went unanswered."""
        return self.in_a_row >= self.limit

    def answered(self) -> None:
        """A request got an answer."""
        with self._lock:
            self.in_a_row = 0

    def unanswered(self) -> bool:
        """A request got no usable answer; true when this one made the tenant unreachable."""
        with self._lock:
            self.in_a_row += 1
            return self.in_a_row == self.limit
