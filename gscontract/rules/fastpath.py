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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from ..kinds import Kind
from . import Context
from ._helpers import (
    LIST_FIELDS,
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

__all__ = ["GUARDS", "Guard"]


@dataclass(frozen=True, slots=True)
class Guard:
    """A quick test that a record passes every rule in ``covers``."""

    covers: frozenset[str]
    test: Callable[[dict[str, Any], Context], bool]


def _present(value: Any) -> bool:
    return value is not None and not (value.__class__ is str and (not value or value.isspace()))


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


# 1: a string field, 2: a list of strings (the attendees).
_TYPES: Final = {**dict.fromkeys(STRING_FIELDS, 1), **dict.fromkeys(LIST_FIELDS, 2)}


def _fields_ok(record: dict[str, Any], ctx: Context) -> bool:
    """Types (TL305), spellings (TL306, TL307) and custom fields (TL402, TL403) of every field."""
    declared = ctx.custom_field_types
    for name, value in record.items():
        expected = _TYPES.get(name)
        if expected == 1:
            if value.__class__ is not str and value is not None:
                return False
        elif expected == 2:
            if value is not None:
                if value.__class__ is not list:
                    return False
                for item in value:
                    if item.__class__ is not str:
                        return False
        elif is_custom_field(name):
            if not _custom_ok(name, value, declared):
                return False
        elif name.casefold() in _SPELLING or name[:4].casefold() == "ant_":
            return False
    return True


def _text(value: Any) -> TypeGuard[str]:
    """A non-blank string: stricter than the rules' "present" (a number is present but of the wrong type)."""
    return value.__class__ is str and not value.isspace() and value != ""


def _activity_ok(record: dict[str, Any], ctx: Context) -> bool:
    get = record.get
    insert = ctx.kind is Kind.TIMELINE_INSERT
    context = get("ContextName")
    if context == "Relationship":
        if insert and not (
            (_text(get("RelationshipName")) or _text(get("GsRelationshipId"))) and _text(get("GsRelationshipTypeId"))
        ):
            return False
    elif context != "Company" and (insert or context is not None):
        return False  # missing, or a value TL202/TL203 speak about
    if not _text(get("ExternalId") if insert or ctx.identifier == "externalid" else get("Gsid")):
        return False
    if not (_text(get("TypeName")) or _text(get("ActivityTypeId"))):
        return False
    subject, notes = get("Subject"), get("Notes")
    if not _text(subject) or len(subject) > SUBJECT_LIMIT or not _text(notes) or len(notes) > NOTES_LIMIT:
        return False
    if insert:
        if not (_text(get("Author")) or _text(get("AuthorId"))):
            return False
        if not _text(get("GsCompanyId")) and not _company_by_lookup(record, ctx):
            return False
    activity_date = get("ActivityDate")
    if activity_date.__class__ is str and not is_datetime(activity_date):
        return False
    return _fields_ok(record, ctx)


def _company_by_lookup(record: dict[str, Any], ctx: Context) -> bool:
    sources = lookup_sources(ctx.lookups, "GsCompanyId")
    if not sources:
        return False
    return all(_present(record.get(name)) for name in sources)


def _event_ok(event: dict[str, Any], ctx: Context) -> bool:
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
_ACTIVITY: Final = Guard(_COMMON | {"TL101", "TL102", "TL201", "TL204", "TL205", "TL206"}, _activity_ok)
_EVENT: Final = Guard(frozenset({"EV101", "EV102", "EV103", "EV104", "EV105"}), _event_ok)

GUARDS: Final[Mapping[Kind, Guard]] = {
    Kind.TIMELINE_INSERT: _ACTIVITY,
    Kind.TIMELINE_UPDATE: _ACTIVITY,
    Kind.EVENT: _EVENT,
    Kind.EVENTS_BULK: _EVENT,
}
