"""Answers are read within a size cap, an inflation cap and a deadline, and failures are named in our words."""

from __future__ import annotations

import http.client
import io
import zlib

import pytest
import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from gscontract.contract.transport.capped import MB, read_capped
from gscontract.contract.transport.no_answer import NoAnswer, no_answer


class Raw:
    """Stands in for urllib3's raw response: hands out the body a piece at a time, as a socket would."""

    def __init__(self, body: bytes) -> None:
        self.stream = io.BytesIO(body)
        self.reads = 0

    def read1(self, amount: int, decode_content: bool = True) -> bytes:
        assert decode_content is False  # inflating is ours, within the cap
        self.reads += 1
        return self.stream.read(min(amount, 4096))


def read(body: bytes, encoding: str | None = None, declared: str | None = None, limit: int = MB) -> bytes:
    return read_capped(Raw(body), encoding=encoding, declared=declared, limit=limit, deadline=float("inf"))


def gzip(data: bytes, wbits: int = 31) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return squeeze.compress(data) + squeeze.flush()


def test_plain_gzip_and_both_kinds_of_deflate_are_read_whole() -> None:
    body = b'{"result": true}' * 100
    assert read(body) == body
    assert read(gzip(body), "gzip") == body
    assert read(gzip(body, 15), "deflate") == body
    assert read(gzip(body, -15), "deflate") == body


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it() -> None:
    bomb = gzip(bytes(200 * MB))
    assert len(bomb) < MB
    raw = Raw(bomb)
    with pytest.raises(NoAnswer, match="larger than the 1 MB cap"):
        read_capped(raw, encoding="gzip", declared=str(len(bomb)), limit=MB, deadline=float("inf"))
    assert raw.reads < 5  # it gave up after a few pieces, long before the end of the bomb


def test_a_declared_size_over_the_cap_is_refused_before_reading() -> None:
    raw = Raw(b"[0,")
    with pytest.raises(NoAnswer, match="declares 2,000,000,000 bytes"):
        read_capped(raw, encoding=None, declared="2000000000", limit=10 * MB, deadline=float("inf"))
    assert raw.reads == 0


def test_an_undeclared_body_over_the_cap_is_refused() -> None:
    with pytest.raises(NoAnswer, match="larger than the 1 MB cap"):
        read(bytes(MB + 1))


def test_an_encoding_not_asked_for_and_a_corrupt_one_are_refused() -> None:
    with pytest.raises(NoAnswer, match="not asked for"):
        read(b"{}", "br")
    with pytest.raises(NoAnswer, match="corrupt"):
        read(b"not gzip at all", "gzip")


def test_a_trickle_is_cut_at_the_deadline() -> None:
    now = [0.0]

    class Trickle(Raw):
        def read1(self, amount: int, decode_content: bool = True) -> bytes:
            now[0] += 1.0  # each piece takes a second
            return b"0,"

    with pytest.raises(NoAnswer, match="did not arrive in time") as info:
        read_capped(Trickle(b""), encoding=None, declared=None, limit=MB, deadline=5.0, clock=lambda: now[0])
    assert info.value.timed_out


T = "TENANT-TEXT"


@pytest.mark.parametrize(
    ("exc", "reason", "timed_out"),
    [
        (requests.ConnectionError(ProtocolError("aborted", http.client.RemoteDisconnected(T))), "closed", False),
        (requests.ConnectionError(ProtocolError("aborted", ConnectionResetError(104, T))), "reset", False),
        (requests.ConnectionError(ConnectionRefusedError(111, T)), "refused", False),
        (requests.ConnectionError(ProtocolError("aborted", http.client.BadStatusLine(T))), "not HTTP", False),
        (requests.ReadTimeout(ReadTimeoutError(None, "/", T)), "no answer within 2 s", True),
        (requests.ConnectTimeout(T), "no connection", True),
        (ProtocolError("broken", http.client.IncompleteRead(T.encode())), "broke while the answer was read", False),
        (requests.TooManyRedirects(T), "failed (TooManyRedirects)", False),
    ],
)
def test_failures_are_named_in_our_words(exc: BaseException, reason: str, timed_out: bool) -> None:
    found = no_answer(exc, timeout=2)
    assert reason in found.reason
    assert found.timed_out is timed_out
    assert T not in found.reason  # never the tenant's text
