"""Small helpers shared by rule modules: JSON type names, field access, date checks and field names.

Rules run once per record on files of up to 80 MB, so these helpers are written for speed: regular
expressions are compiled once, and the common case (a valid value) returns after a check or two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from ..payload.kinds import Kind

__all__ = [
    "ACTIVITY_KINDS",
    "EVENT_KINDS",
    "GSID",
    "INSERT",
    "LIST_FIELDS",
    "STANDARD_FIELDS",
    "STRING_FIELDS",
    "UPDATE",
    "custom_fields",
    "is_blank",
    "is_custom_datetime",
    "is_custom_field",
    "is_date",
    "is_datetime",
    "is_rfc3339",
    "looks_like_date",
    "lookup_sources",
    "present",
    "type_name",
]

INSERT: Final = frozenset({Kind.TIMELINE_INSERT})
UPDATE: Final = frozenset({Kind.TIMELINE_UPDATE})
ACTIVITY_KINDS: Final = frozenset({Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE})
EVENT_KINDS: Final = frozenset({Kind.EVENT, Kind.EVENTS_BULK})

# The activity fields the Timeline document names, spelled as its samples spell them (a record gives
# the lookup targets GsCompanyId, AuthorId, ... directly when it has the Gsids, as the update sample does).
STRING_FIELDS: Final = frozenset(
    {
        "ContextName",
        "ExternalId",
        "Gsid",
        "Subject",
        "Notes",
        "ActivityDate",
        "Author",
        "AuthorId",
        "TypeName",
        "ActivityTypeId",
        "companyName",
        "GsCompanyId",
        "RelationshipName",
        "GsRelationshipId",
        "GsRelationshipTypeId",
    }
)
LIST_FIELDS: Final = frozenset({"internalAttendees", "externalAttendees", "InternalAttendees", "ExternalAttendees"})
STANDARD_FIELDS: Final = STRING_FIELDS | LIST_FIELDS

# The Timeline document's activity ids: 36 upper-case letters and digits (1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY).
GSID: Final = re.compile(r"[0-9A-Z]{36}")

# `yyyy-MM-dd'T'HH:mm:ss[.SSS](Z|±hh:mm)`: the document's pattern (SSSXXX), milliseconds optional (as the
# 0222 message's pattern leaves them out) but three digits when given, as `SSS` and the Timeline spec say.
_LOCAL_DATETIME: Final = (
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?"
)
_DATETIME: Final = re.compile(_LOCAL_DATETIME + r"(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)")
# A custom date-time may also end as Gainsight's newer custom-field data-type table writes it,
# `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (Java's `Z`: an offset without a colon, `-0700`).
_CUSTOM_DATETIME: Final = re.compile(_LOCAL_DATETIME + r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)")
# RFC 3339 (OpenAPI's `format: date-time`), where `T` and `Z` may be lower case.
_RFC3339: Final = re.compile(
    r"\d{4}-\d\d-\d\d[Tt](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
_DATE: Final = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
# A value a person reads as a date (2022-06-08, 2022/6/8, 08.06.2022), perhaps with a time of day.
_DATE_LIKE: Final = re.compile(
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?P<time>[Tt ]\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?|[AaPp][Mm])?)?"
)


def type_name(value: Any) -> str:
    """JSON's name for a Python value's type, with an article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def is_custom_field(name: str) -> bool:
    """``Ant__<Name>__c``, as every sample spells custom fields (the prose's ``Ant_<fieldName>`` is not)."""
    return name.startswith("Ant__") and name.endswith("__c") and len(name) > 8


def custom_fields(record: Mapping[str, Any]) -> list[str]:
    """The record's custom fields, in record order."""
    if record.keys() <= STANDARD_FIELDS:
        return []
    return [name for name in record if name.startswith("Ant__") and name.endswith("__c") and len(name) > 8]


def is_blank(value: Any) -> bool:
    """Whether a field counts as not given: absent, ``null`` or a string of white space only."""
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def present(record: Mapping[str, Any], name: str) -> bool:
    """Whether ``record`` gives ``name`` a value that is not blank (see :func:`is_blank`)."""
    value = record.get(name)
    return value is not None and not (value.__class__ is str and (not value or value.isspace()))


def _real_date(text: str) -> bool:
    """Whether a ``yyyy-MM-dd`` prefix whose fields are in range is a calendar date."""
    if text[8] != "3" and text[8:10] != "29":
        return True  # days 01-28 exist in every month
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def is_datetime(value: str) -> bool:
    """An ISO 8601 date-time as the Timeline document writes it, on a real calendar date.

    ``2022-07-01T06:36:00.000-07:00`` and ``2022-07-01T13:36:00Z`` pass; a missing offset, a
    ``+0700`` offset, a space for ``T`` or ``2022-02-30T...`` fail.
    """
    return _DATETIME.fullmatch(value) is not None and _real_date(value)


def is_custom_datetime(value: str) -> bool:
    """A custom date-time field's value: :func:`is_datetime`, or the same with a ``±hhmm`` offset.

    ``2022-06-08T21:09:20.000-0700`` passes: Gainsight's newer custom-field data-type table writes
    DateTime as ``yyyy-MM-dd'T'HH:mm:ss.SSSZ``, an offset without a colon.
    """
    return _CUSTOM_DATETIME.fullmatch(value) is not None and _real_date(value)


def is_rfc3339(value: str) -> bool:
    """An RFC 3339 date-time (OpenAPI's ``format: date-time``) on a real calendar date."""
    return _RFC3339.fullmatch(value) is not None and _real_date(value)


def is_date(value: str) -> bool:
    """A ``yyyy-MM-dd`` date that exists on the calendar."""
    return _DATE.fullmatch(value) is not None and _real_date(value)


def looks_like_date(value: str) -> str | None:
    """``"datetime"`` or ``"date"`` when the whole string reads as one, else ``None``.

    This is how a custom field with no known type is checked (docs/decisions.md#one-rule-table): a date with a time part
    must be a date-time (0222), one without must be ``yyyy-MM-dd`` (0223).
    """
    if not value[:1].isdigit():
        return None  # the common case: text, not a date
    match = _DATE_LIKE.fullmatch(value)
    if match is None:
        return None
    return "datetime" if match.group("time") else "date"


def lookup_sources(lookups: Mapping[str, Any], key: str) -> frozenset[str]:
    """The record fields the body's ``key`` lookup reads (``companyName`` for ``GsCompanyId``)."""
    spec = lookups.get(key)
    fields = spec.get("fields") if isinstance(spec, Mapping) else None
    return frozenset(k for k in fields if isinstance(k, str)) if isinstance(fields, Mapping) else frozenset()
