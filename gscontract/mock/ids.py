"""Identifiers and timestamps the mock hands out: activity GSIDs, job and request ids, ISO 8601 times."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

__all__ = ["iso_from_ms", "new_gsid", "new_uuid", "now_ms", "parse_iso_ms"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Every activity id in the Timeline document starts with 1I004 (the object's prefix); the rest varies.
_ACTIVITY_PREFIX = "1I004"
GSID_LENGTH = 36
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TO_ALPHABET = bytes(ord(_ALPHABET[byte % len(_ALPHABET)]) for byte in range(256))


def new_gsid(prefix: str = _ACTIVITY_PREFIX) -> str:
    """A fresh GSID: 36 upper-case alphanumerics, like ``1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY``."""
    # Random bytes mapped onto the alphabet in one C call (a choice per character cost a save 30 us).
    # 256 is not a multiple of 36, so four letters come up a little more often: harmless for ids.
    return prefix + secrets.token_bytes(GSID_LENGTH - len(prefix)).translate(_TO_ALPHABET).decode("ascii")


def new_uuid() -> str:
    """A random UUID string, the shape of the document's job and request ids."""
    return str(uuid.uuid4())


def now_ms() -> int:
    """The current time in epoch milliseconds (what the database stores)."""
    return time.time_ns() // 1_000_000


def iso_from_ms(ms: int) -> str:
    """Epoch milliseconds as ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` in UTC (``...T06:36:00.000Z``)."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso_ms(text: str) -> int | None:
    """Epoch milliseconds of an ISO 8601 date-time with an offset, or ``None`` when it is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    # Integer arithmetic: float timestamps can round .999 down a millisecond.
    return (moment - _EPOCH) // timedelta(milliseconds=1)
