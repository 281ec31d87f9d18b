"""Date and date-time parsing for the independent tenant: ISO 8601 in, epoch milliseconds and ISO strings out."""

from __future__ import annotations

import datetime as dt
import re
import time

__all__ = ["date_ok", "datetime_ms", "iso_utc", "now_ms"]

# yyyy-MM-dd'T'HH:mm:ss, optional fraction, then Z or an offset written +hh:mm or +hhmm. The document
# writes the pattern both as ...ss.SSSXXX (-07:00) and as ...ssZ (which in that notation is -0700), so
# this tenant takes either offset spelling; an offset is required, seconds are required.
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$", re.ASCII
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def datetime_ms(text: str) -> int | None:
    """Epoch milliseconds of an ISO 8601 date-time with an offset, or ``None`` when it is not one."""
    match = _DATETIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone == "Z":
        offset = dt.timedelta(0)
    else:
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            return None
        offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
    micros = int((fraction or "0").ljust(6, "0")[:6])
    try:
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micros, dt.timezone(offset)
        )
    except ValueError:
        return None
    return (moment - _EPOCH) // dt.timedelta(milliseconds=1)


def date_ok(text: str) -> bool:
    """Whether ``text`` is a real calendar date written ``yyyy-MM-dd``."""
    match = _DATE.match(text)
    if match is None:
        return False
    try:
        dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


def iso_utc(ms: int) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` in UTC for epoch milliseconds."""
    moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def now_ms() -> int:
    """The current time in epoch milliseconds."""
    return time.time_ns() // 1_000_000
