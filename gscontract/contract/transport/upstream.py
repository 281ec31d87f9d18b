"""The tenant at a base URL, reached over HTTP with ``requests``: one bounded exchange at a time.

Every exchange has a deadline (its timeout counts from the moment the request is sent, never while it
waited for a rate-limit slot) and a size cap on the answer; anything short of an HTTP answer within both
raises :class:`~gscontract.contract.transport.no_answer.NoAnswer` with a reason of our own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from .capped import ACCEPT_ENCODING, read_capped
from .no_answer import NoAnswer, no_answer

__all__ = ["Answer", "Upstream"]


@dataclass(frozen=True, slots=True)
class Answer:
    """What the tenant answered: status, headers (names lower-case) and the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes


class Upstream:
    """Sends requests to the tenant at ``base_url`` over one ``requests`` session (thread-safe use)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: Any = None
        self._lock = threading.Lock()

    def _requests_session(self) -> Any:
        import requests

        with self._lock:
            if self._session is None:
                self._session = requests.Session()
            return self._session

    def exchange(
        self, method: str, target: str, headers: dict[str, str], body: bytes, *, timeout: float, limit: int
    ) -> Answer:
        """Send one request to ``base_url + target`` and read the answer within ``timeout`` and ``limit``.

        Raises:
            NoAnswer: no connection, no HTTP answer, no answer in time, or an answer over ``limit``.
        """
        import requests
        from urllib3.exceptions import HTTPError

        deadline = time.monotonic() + timeout
        session = self._requests_session()
        sent = {**headers, "accept-encoding": ACCEPT_ENCODING}
        try:
            response = session.request(
                method,
                f"{self.base_url}{target}",
                headers=sent,
                data=body or None,
                timeout=(timeout, timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            raise no_answer(exc, timeout=timeout) from None
        try:
            content = read_capped(
                response.raw,
                encoding=response.headers.get("content-encoding"),
                declared=response.headers.get("content-length"),
                limit=limit,
                deadline=deadline,
            )
        except (HTTPError, OSError, NoAnswer) as exc:
            # An answer abandoned half-read must not go back to the pool: close its connection.
            with contextlib.suppress(Exception):
                response.raw.close()
            if isinstance(exc, NoAnswer):
                raise
            raise no_answer(exc, timeout=timeout) from None
        response.raw.release_conn()
        answer = {k.lower(): v for k, v in response.headers.items()}
        return Answer(status=response.status_code, headers=answer, body=content)

    def close(self) -> None:
        """Close the session's connections, if any were opened."""
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None
