"""Read a tenant's answer body within a size cap, a decompression cap and a deadline.

A tenant may declare a body of gigabytes and trickle it, or send a small gzip body that inflates to
gigabytes. The body is read in small pieces as they arrive, inflated with a bound on the output, and
abandoned as soon as it passes its cap or its deadline, so a run's memory and time stay bounded whatever
the tenant sends. Only ``gzip`` and ``deflate`` are asked for (:data:`ACCEPT_ENCODING`), and only they are
inflated.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import Any

from .no_answer import NoAnswer

__all__ = ["ACCEPT_ENCODING", "ANSWER_CAP", "JOB_STATUS_CAP", "MB", "read_capped"]

MB = 1024 * 1024
ANSWER_CAP = 10 * MB
"""The largest answer body read: far above any documented answer but a job status."""
JOB_STATUS_CAP = 80 * MB
"""A job status may list every record of a bulk upload, which may itself be 80 MB."""
ACCEPT_ENCODING = "gzip, deflate"

_PIECE = 64 * 1024


class _Inflater:
    """Inflates gzip or zlib/raw deflate data, never producing more than asked for at once."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in {"gzip", "x-gzip"}
        self._object: Any = zlib.decompressobj(31 if self._gzip else 15)
        self._raw_tried = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to ``room`` + 1 inflated bytes from ``data`` and what was held back before."""
        try:
            return bytes(self._object.decompress(self._object.unconsumed_tail + data, room + 1))
        except zlib.error:
            # Some servers send raw deflate for "deflate"; try that once before giving up.
            if self._gzip or self._raw_tried:
                raise NoAnswer("the tenant's compressed answer is corrupt") from None
            self._raw_tried = True
            self._object = zlib.decompressobj(-15)
            return self.feed(data, room)

    @property
    def pending(self) -> bool:
        """Whether input is held back because the last output reached its bound."""
        return bool(self._object.unconsumed_tail)


def read_capped(
    raw: Any,
    *,
    encoding: str | None,
    declared: str | None,
    limit: int,
    deadline: float,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The body of a streamed urllib3 response, read without decoding and inflated here.

    Args:
        raw: the response's ``raw`` (urllib3's ``HTTPResponse``), not yet read.
        encoding: its Content-Encoding header.
        declared: its Content-Length header.
        limit: the most bytes the (inflated) body may have.
        deadline: ``clock()`` value by which the whole body must be in.
        clock: the clock of ``deadline``.

    Raises:
        NoAnswer: the body is, or declares to be, larger than ``limit``; it inflates past it; it arrives
            too slowly; or it uses an encoding that was not asked for.
    """
    coding = (encoding or "identity").strip().lower()
    if coding not in {"identity", "gzip", "x-gzip", "deflate"}:
        raise NoAnswer("the tenant's answer uses a content encoding that was not asked for")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit and coding == "identity":
        raise NoAnswer(f"the tenant's answer declares {int(declared):,} bytes, over the {limit // MB} MB cap")
    inflater = _Inflater(coding) if coding != "identity" else None
    # read1 returns what one read of the socket gave, so a trickle still meets the deadline check below.
    read = getattr(raw, "read1", None) or raw.read
    parts: list[bytes] = []
    size = 0
    while True:
        if clock() > deadline:
            raise NoAnswer("the tenant's answer did not arrive in time", timed_out=True)
        room = limit - size
        if inflater is not None and inflater.pending:
            piece = inflater.feed(b"", room)
        else:
            data = read(_PIECE, decode_content=False)
            if not data:
                break
            piece = inflater.feed(data, room) if inflater is not None else data
        size += len(piece)
        if size > limit:
            raise NoAnswer(f"the tenant's answer is larger than the {limit // MB} MB cap")
        parts.append(piece)
    return b"".join(parts)
