"""Request bodies for fuzzing the mock's routes: arbitrary JSON, arbitrary bytes, and JSON shaped like each route's.

Arbitrary JSON alone rarely gets past an envelope check, so each route also gets bodies of its own shape
whose parts are arbitrary: records with odd fields and values, queries with random conditions and
expressions, events with odd payloads. Values stay small, so that one example costs about a millisecond
and ten thousand of them fit in the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from hypothesis import strategies as st

from gscontract.gainsight.operators import OPERATORS

__all__ = ["ROUTES", "Route", "bodies", "json_values"]

_FIELDS = [
    "ContextName", "ExternalId", "Gsid", "Subject", "Notes", "ActivityDate", "Author", "AuthorId", "TypeName",
    "ActivityTypeId", "companyName", "GsCompanyId", "RelationshipName", "GsRelationshipId", "GsRelationshipTypeId",
    "internalAttendees", "externalAttendees", "InternalAttendees", "CreatedDate", "Ant__D__c", "Ant__Raw__c",
    "eventType", "objectType", "operation", "payload", "timestamp", "companyId", "sourceSystem", "records",
    "lookups", "select", "where", "filter",
]  # fmt: skip
_WORDS = [
    "", " ", "Company", "Relationship", "Update", "INSERT", "CUSTOM", "EQ", "BTW", "asc", "desc",
    "2022-06-08", "2022-02-30", "2022-07-01T06:36:00.000-07:00", "2022-07-01T06:36:00Z", "testuser@gainsight.com",
    "Tech systems ABC Ltd", "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O", "1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E",
]  # fmt: skip

# orjson writes any str without surrogates and any 64-bit integer; staying inside both keeps every value encodable.
_TEXT = st.text(st.characters(codec="utf-8"), max_size=4)
_STRINGS = _TEXT | st.sampled_from(_WORDS)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _STRINGS
)
_KEYS = st.sampled_from(_FIELDS) | _TEXT


def json_values() -> st.SearchStrategy[Any]:
    """Small JSON values of every type, nested up to three levels, with keys the routes read among random ones.

    Two fixed levels of containers rather than ``st.recursive``: they draw in half the time, and deeper
    values are the business of the tests that build them on purpose (``tests/mock/test_mock_hostile.py``).
    """
    inner = _SCALARS | st.lists(_SCALARS, max_size=3) | st.dictionaries(_KEYS, _SCALARS, max_size=3)
    return _SCALARS | st.lists(inner, max_size=2) | st.dictionaries(_KEYS, inner, max_size=3)


_VALUES = json_values()


def _changed(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects of ``base`` as they are, or with one key set to any JSON value (most keep a route's shape)."""
    return st.one_of(base, st.builds(lambda body, key, value: {**body, key: value}, base, _KEYS, _VALUES))


_VALID_RECORD = st.just(
    {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": "x",
        "Subject": "s",
        "Notes": "n",
        "Author": "testuser@gainsight.com",
        "companyName": "Tech systems ABC Ltd",
        "Gsid": "1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E",
    }
)
_LOOKUP = _changed(
    st.fixed_dictionaries(
        {},
        optional={
            "fields": st.dictionaries(_KEYS, _STRINGS, max_size=2),
            "lookupField": st.just("Gsid"),
            "objectName": st.sampled_from(["GsUser", "Company", "Relationship", "Company_Person"]),
            "multiMatchOption": st.sampled_from(["FIRSTMATCH", "MARKASERROR"]),
            "onNoMatch": st.sampled_from(["ERROR", "NULLABLE", "DEFAULTVALUE"]),
        },
    )
)
_RECORDS = st.one_of(
    st.dictionaries(_KEYS, _VALUES, max_size=4),
    _changed(_VALID_RECORD),
    st.builds(lambda record, i: {**record, "ExternalId": f"x{i}"}, _changed(_VALID_RECORD), st.integers(0, 50)),
)
_ENVELOPES = _changed(
    st.fixed_dictionaries(
        {"records": st.lists(_RECORDS, max_size=3)},
        optional={"lookups": st.dictionaries(st.sampled_from(_FIELDS[:20]), _LOOKUP, max_size=2)},
    )
)

_NAMES = st.sampled_from(_FIELDS[:22])
_CONDITIONS = _changed(
    st.fixed_dictionaries(
        {
            "name": _NAMES,
            "alias": st.sampled_from(["A", "B", "C", "a"]),
            "operator": st.sampled_from(OPERATORS),
            "value": st.lists(_SCALARS, max_size=2),
        }
    )
)
_EXPRESSIONS = st.lists(st.sampled_from(["A", "B", "C", "AND", "OR", "NOT", "not", "(", ")", "x", "&"]), max_size=8)
_QUERIES = _changed(
    st.fixed_dictionaries(
        {"select": st.lists(_NAMES | _TEXT, min_size=1, max_size=3)},
        optional={
            "where": _changed(
                st.fixed_dictionaries(
                    {"conditions": st.lists(_CONDITIONS, max_size=3)},
                    optional={"expression": _EXPRESSIONS.map(" ".join)},
                )
            ),
            "orderBy": st.dictionaries(_NAMES, st.sampled_from(["asc", "DESC", "up"]), max_size=2),
            "limit": st.integers(-1, 6000),
            "offset": st.integers(-1, 10),
        },
    )
)
_DELETES = st.lists(st.sampled_from(_WORDS) | _VALUES, max_size=4)
_DATES = st.sampled_from(["2022-07-01T06:36:00Z", "2030-01-01T00:00:00.000+05:30", "2022-07-01", "x"])
_DATE_FILTERS = _changed(
    st.fixed_dictionaries(
        {
            "dateLiteral": st.sampled_from(["CUSTOM", "custom", "LAST_7_DAYS"]),
            "values": st.lists(_DATES, min_size=2, max_size=2) | st.lists(_DATES, max_size=3),
        }
    )
)
_DELETED_FILTERS = _changed(
    st.fixed_dictionaries({"filter": _changed(st.fixed_dictionaries({"dateFilter": _DATE_FILTERS}))})
)
_VALID_EVENT = st.just(
    {"eventType": "e", "objectType": "Company", "operation": "INSERT", "payload": {"hello": "world"}}
)
_EVENTS = st.dictionaries(_KEYS, _VALUES, max_size=4) | _changed(_VALID_EVENT)
_EVENT_BULKS = _changed(st.fixed_dictionaries({"records": st.lists(_EVENTS, max_size=3)}))
# The demo tenant's sample_event payload (the request's headers name that event).
_FRAMEWORK_PAYLOADS = st.dictionaries(_KEYS, _VALUES, max_size=4) | _changed(st.just({"hello": "world"}))


@dataclass(frozen=True, slots=True)
class Route:
    """One mock operation to fuzz: its method and path (with a query string), and bodies of its own shape."""

    name: str
    method: str
    path: str
    shaped: st.SearchStrategy[Any]


ROUTES = (
    Route("save", "POST", "/v1/ant/es/activity", _ENVELOPES),
    Route("bulk-save", "POST", "/v1/ant/es/activity/bulk", _ENVELOPES),
    Route("bulk-update", "PUT", "/v1/ant/es/activity/bulk?identifier=externalid", _ENVELOPES),
    Route("query", "POST", "/v1/data/objects/query/activity_timeline", _QUERIES),
    Route("delete", "DELETE", "/v1/ant/es/activity", _DELETES),
    Route("fetch-deleted", "POST", "/v1/ant/es/activity/deleted", _DELETED_FILTERS),
    Route("event", "POST", "/v1/events", _EVENTS),
    Route("event-bulk", "POST", "/v1/events/bulk", _EVENT_BULKS),
    Route("framework-event", "POST", "/v1.0/api/eventManager/event", _FRAMEWORK_PAYLOADS),
)

_ENCODE: Callable[[Any], bytes] = orjson.dumps


def bodies(route: Route) -> st.SearchStrategy[bytes]:
    """Raw bodies for ``route``: JSON of its own shape, any JSON, or any bytes."""
    return st.one_of(route.shaped.map(_ENCODE), _VALUES.map(_ENCODE), st.binary(max_size=48))
