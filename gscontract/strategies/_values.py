"""Building blocks of the valid and the broken strategies: text, ids, dates, tenant names, option checks."""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Mapping
from typing import Any, Final

from hypothesis import strategies as st

from ..gainsight.profiles import LEGACY_CONTEXTS, PROFILES
from ..tenants.reference import TenantData, demo_tenant

Record = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

_OFFSETS: Final = ("Z", "+00:00", "-07:00", "+05:30", "+09:00", "-03:00")
_LETTERS: Final = string.ascii_letters
# Any text JSON can carry (no lone surrogates): the tail of generated names, subjects and notes.
_TEXT: Final = st.text(st.characters(codec="utf-8"), max_size=40)


def _tenant(tenant: TenantData | None) -> TenantData:
    return tenant if tenant is not None else demo_tenant()


def _non_blank(max_size: int) -> st.SearchStrategy[str]:
    """Text up to ``max_size`` characters that starts with a letter (never blank, never date-like)."""
    return st.builds(lambda head, tail: (head + tail)[:max_size], st.sampled_from(_LETTERS), _TEXT)


def _external_ids() -> st.SearchStrategy[str]:
    return st.text(string.ascii_lowercase + string.digits + "-", min_size=6, max_size=32).map(lambda s: f"ext-{s}")


@st.composite
def _datetimes(draw: Draw) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss[.SSS](Z|±hh:mm)`` on a real date, as the document writes ActivityDate."""
    moment = draw(st.datetimes(min_value=_dt(2000), max_value=_dt(2099)))
    millis = draw(st.sampled_from(["", f".{moment.microsecond // 1000:03d}"]))
    return f"{moment:%Y-%m-%dT%H:%M:%S}{millis}{draw(st.sampled_from(_OFFSETS))}"


def _dt(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1)


def _dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=_dt(2000).date(), max_value=_dt(2099).date()).map(lambda d: d.isoformat())


def _custom_values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "date":
        return _dates()
    if kind == "datetime":
        return _datetimes()
    if kind == "number":
        return st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return _non_blank(80)


def _names(rows: tuple[Mapping[str, Any], ...], field: str) -> list[Any]:
    return [row[field] for row in rows if row.get(field)]


def _profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"profile must be {' or '.join(map(repr, PROFILES))}, not {profile!r}")
    return profile


def _context(context: str | None) -> str | None:
    if context not in (None, *LEGACY_CONTEXTS):
        raise ValueError(f"context must be one of {', '.join(LEGACY_CONTEXTS)} or None, not {context!r}")
    return context
