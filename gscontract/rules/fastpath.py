"""Guards: one quick whole-record test per kind that lets the engine skip the record rules of a clean record.

An 80 MB bulk file holds about 160,000 records, nearly all of them clean. Calling twenty small rule
functions on each costs several seconds in CPython; one function that checks everything they check,
inline, costs a fraction of that. A guard is *conservative*: it answers ``True`` only when none of the
rules it covers would report anything; on ``False`` (or any doubt) the engine runs those rules, which
stay the single source of every finding, message and pointer. The guard reuses the rules' own
helpers and constants, and ``tests/rules/test_fastpath.py`` checks that every failing fixture, every
bad doc example and every record made by ``invalid_activity_records`` fails its guard.

Rules that need tenant state are never covered: they ask the tenant about every record.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ..payload.kinds import Kind
from . import Context
from ._helpers import (
    LIST_FIELDS,
    STANDARD_FIELDS,
    STRING_FIELDS,
    is_custom_field,
    is_date,
    is_datetime,
    is_rfc3339,
    lookup_sources,
)
from .dates import custom_date_kind
from .events import OPERATIONS
from .fields import _SPELLING, NOTES_LIMIT, SUBJECT_LIMIT, custom_type_ok

__all__ = ["GUARDS", "Guard", "Test"]


Test = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Guard:
    """A quick test that a record passes every rule in ``covers``.

    ``prepare(ctx)`` makes the test for one body (the engine calls it once per :func:`~gscontract.lint.check`),
    so whatever it works out from the context lives only as long as that check: nothing is cached globally.
    """

    covers: frozenset[str]
    prepare: Callable[[Context], Test]


def _custom_ok(name: str, value: Any, declared: Mapping[str, str]) -> bool:
    if value is None:
        return True
    if declared and name in declared:
        if not custom_type_ok(declared[name], value):
            return False
    elif value.__class__ is not str or not value[:1].isdigit():
        return True  # not declared and not date-like: nothing to check
    elif len(value) == 10 and is_date(value):
        return True  # the common date value, without asking what it looks like
    if value.__class__ is not str:
        return True
    kind = custom_date_kind(name, value, declared)
    if kind == "date":
        return is_date(value)
    if kind == "datetime":
        return is_datetime(value)
    return True


_STR: Final = frozenset({str})
_STR_OR_NONE: Final = frozenset({str, type(None)})
_MAX_PLANS: Final = 256
_MAX_DATES: Final = 50_000


def _getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]] | None:
    """A C-level getter of ``names``' values as a tuple (``None`` for no names)."""
    if not names:
        return None
    if len(names) == 1:
        only = names[0]
        return lambda record: (record[only],)
    return operator.itemgetter(*names)  # a tuple for two names or more


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a clean record with one set of keys must satisfy, worked out once per key set and body.

    ``required`` gets the values that must be non-blank strings; ``strings`` the other documented string
    fields (``null`` allowed); ``relationship`` the values a Relationship activity also needs (``None``:
    this key set cannot make a valid Relationship insert).
    """

    insert: bool
    required: Callable[[dict[str, Any]], tuple[Any, ...]]
    strings: Callable[[dict[str, Any]], tuple[Any, ...]] | None
    relationship: Callable[[dict[str, Any]], tuple[Any, ...]] | None
    lists: tuple[str, ...]
    customs: tuple[str, ...]
    dated: bool


def _first(present: set[str], *names: str) -> str | None:
    return next((name for name in names if name in present), None)


def _plan(keys: tuple[str, ...], ctx: Context) -> _Plan | None:
    """The checks for records with these keys; ``None`` when such a record cannot be clean (or is odd)."""
    present = set(keys)
    customs = []
    for name in keys:
        if name in STANDARD_FIELDS:
            continue
        if is_custom_field(name):
            customs.append(name)
        elif name.casefold() in _SPELLING or name[:4].casefold() == "ant_":
            return None  # TL306, TL307
    insert = ctx.kind is Kind.TIMELINE_INSERT
    type_field = _first(present, "TypeName", "ActivityTypeId")
    if type_field is None:
        return None
    required = ["Subject", "Notes", type_field]
    if insert:
        author = _first(present, "Author", "AuthorId")
        if author is None:
            return None
        required += ["ContextName", "ExternalId", author]
        if "GsCompanyId" in present:
            required.append("GsCompanyId")
        else:
            sources = lookup_sources(ctx.lookups, "GsCompanyId")
            if not sources or not sources <= present:
                return None
            required += sorted(sources)
    else:
        required.append("ExternalId" if ctx.identifier == "externalid" else "Gsid")
    required = list(dict.fromkeys(required))
    if not set(required) <= present:
        return None
    named = _first(present, "RelationshipName", "GsRelationshipId")
    relationship = ["GsRelationshipTypeId", named] if named and "GsRelationshipTypeId" in present else None
    strings = [name for name in keys if name in STRING_FIELDS and name not in required]
    getter = _getter(required)
    assert getter is not None
    return _Plan(
        insert=insert,
        required=getter,
        strings=_getter(strings),
        relationship=_getter(relationship) if relationship else None,
        lists=tuple(name for name in keys if name in LIST_FIELDS),
        customs=tuple(customs),
        dated="ActivityDate" in present,
    )


_UNPLANNED: Final[Any] = object()


def _activity_guard(ctx: Context) -> Test:
    """The activity test for one body: its plans (one per key set) live as long as the check."""
    plans: dict[tuple[str, ...], _Plan | None] = {}
    declared = ctx.custom_field_types
    # Date values repeat across a bulk file (many activities a day): remember the ones seen clean.
    dates: set[str] = set()

    def clean(record: dict[str, Any]) -> bool:
        # Written for speed: it runs once per record. Every test is C-level where it can be (map, set,
        # itemgetter); the common values take the first exit of each check.
        if record.__class__ is not dict:
            return not isinstance(record, dict)  # not a record (GS106's), or a dict subclass: no shortcut
        keys = tuple(record)
        plan = plans.get(keys, _UNPLANNED)
        if plan is _UNPLANNED:
            plan = _plan(keys, ctx)
            if len(plans) < _MAX_PLANS:
                plans[keys] = plan
        if plan is None:
            return False
        values = plan.required(record)  # all non-blank strings
        if set(map(type, values)) != _STR or "" in values or any(map(str.isspace, values)):
            return False
        context = record.get("ContextName")
        if context == "Relationship":
            if plan.insert:
                if plan.relationship is None:
                    return False
                values = plan.relationship(record)
                if set(map(type, values)) != _STR or "" in values or any(map(str.isspace, values)):
                    return False
        elif context != "Company" and (plan.insert or context is not None):
            return False  # a value TL202/TL203 speak about
        if len(record["Subject"]) > SUBJECT_LIMIT or len(record["Notes"]) > NOTES_LIMIT:
            return False
        if plan.strings is not None and not set(map(type, plan.strings(record))) <= _STR_OR_NONE:
            return False
        for name in plan.lists:
            value = record[name]
            if value is not None and (value.__class__ is not list or not set(map(type, value)) <= _STR):
                return False
        if plan.dated:
            value = record["ActivityDate"]
            if value is not None and not is_datetime(value):
                return False
        for name in plan.customs:
            value = record[name]
            if value.__class__ is str:
                # Undeclared text that cannot read as a date (most text) has nothing to check.
                if value in dates or not (declared or value[:1].isdigit()):
                    continue
            elif not declared:
                continue  # only a declared type checks values that are not strings
            if not _custom_ok(name, value, declared):
                return False
            if not declared and value.__class__ is str and len(dates) < _MAX_DATES:
                dates.add(value)  # an untyped field is judged by its value alone: clean anywhere
        return True

    return clean


def _event_guard(ctx: Context) -> Test:
    return _event_ok


def _event_ok(event: dict[str, Any]) -> bool:
    if event.__class__ is not dict:
        return not isinstance(event, dict)  # not a record (GS106's), or a dict subclass: no shortcut
    get = event.get
    if get("operation") not in OPERATIONS or get("payload").__class__ is not dict:
        return False
    if get("eventType").__class__ is not str or get("objectType").__class__ is not str:
        return False
    for name in ("companyId", "sourceSystem"):
        if name in event and event[name].__class__ is not str:
            return False
    timestamp = get("timestamp", "")
    return "timestamp" not in event or (timestamp.__class__ is str and is_rfc3339(timestamp))


_COMMON: Final = frozenset(
    {"TL202", "TL203", "TL301", "TL302", "TL303", "TL304", "TL305", "TL306", "TL307", "TL401", "TL402", "TL403"}
)
_ACTIVITY: Final = Guard(_COMMON | {"TL101", "TL102", "TL201", "TL204", "TL205", "TL206"}, _activity_guard)
_EVENT: Final = Guard(frozenset({"EV101", "EV102", "EV103", "EV104", "EV105"}), _event_guard)

GUARDS: Final[Mapping[Kind, Guard]] = {
    Kind.TIMELINE_INSERT: _ACTIVITY,
    Kind.TIMELINE_UPDATE: _ACTIVITY,
    Kind.EVENT: _EVENT,
    Kind.EVENTS_BULK: _EVENT,
}
