"""No input makes the mock answer 5xx: every field of every body, replaced by odd JSON values or left out.

A fast, deterministic net under the schemathesis runs (which are slow and random): each case is one
request through the in-process app, and the answer must be a documented 2xx or 4xx.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from mockkit import body, record, sample

from gscontract.pointer import PathPart

ABSENT = object()
ODD: list[Any] = [ABSENT, None, {}, [], [{}], [[1]], {"a": [1]}, 0, -1.5, True, "", " ", "x", "2022-02-30T25:00:00Z"]
ALLOWED = {200, 400}

QUERY = {
    "select": ["ExternalId", "Gsid"],
    "where": {
        "conditions": [{"name": "ExternalId", "alias": "A", "value": ["e1"], "operator": "EQ"}],
        "expression": "A",
    },
    "orderBy": {"CreatedDate": "desc"},
    "limit": 10,
    "offset": 0,
}
EVENT = {
    "eventType": "sample_event",
    "objectType": "Company",
    "operation": "INSERT",
    "payload": {"hello": "world"},
    "timestamp": "2022-07-01T06:36:00Z",
    "companyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
    "sourceSystem": "crm",
}


def _paths(value: Any, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    """Every member and item path inside ``value``, outermost first."""
    items: Any = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _variants(document: Any) -> Iterator[Any]:
    """Copies of ``document`` with one member replaced by each odd value (or removed); and each odd
    member left alone in its object, its siblings removed (rules that read one key when another is absent).
    """
    for path in _paths(document):
        for odd in ODD:
            for alone in (False, True):
                variant = copy.deepcopy(document)
                parent = variant
                for key in path[:-1]:
                    parent = parent[key]
                if alone and isinstance(parent, dict):
                    parent.clear()
                if odd is ABSENT:
                    parent.pop(path[-1], None) if isinstance(parent, dict) else parent.pop(int(path[-1]))
                else:
                    parent[path[-1]] = odd
                yield variant


def _bodies() -> dict[str, tuple[str, str, Any]]:
    lookups_record = record("e1", internalAttendees=["hysty@gainsight.com"], externalAttendees=["tammy aar2"])
    save = body(lookups_record)
    save["lookups"].update(sample("timeline", "/v1/ant/es/activity/bulk", "post")["lookups"])
    return {
        "save": ("POST", "/v1/ant/es/activity", save),
        "update": ("PUT", "/v1/ant/es/activity/bulk?identifier=externalid", save),
        "delete": ("DELETE", "/v1/ant/es/activity", ["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"]),
        "deleted": ("POST", "/v1/ant/es/activity/deleted", sample("timeline", "/v1/ant/es/activity/deleted", "post")),
        "query": ("POST", "/v1/data/objects/query/activity_timeline", QUERY),
        "event": ("POST", "/v1/events", EVENT),
        "events": ("POST", "/v1/events/bulk", {"records": [EVENT, EVENT]}),
    }


@pytest.mark.parametrize("operation", sorted(_bodies()))
def test_no_odd_value_anywhere_in_a_body_causes_a_server_error(client: Any, operation: str) -> None:
    method, url, document = _bodies()[operation]
    seen = set()
    for variant in _variants(document):
        response = client.request(method, url, json=variant)
        assert response.status_code in ALLOWED, (variant, response.text)
        seen.add(response.status_code)
    assert seen  # the operation was exercised


@pytest.mark.parametrize("odd", [o for o in ODD if o is not ABSENT], ids=repr)
def test_an_odd_top_level_body_is_a_400(client: Any, odd: Any) -> None:
    for method, url, _ in _bodies().values():
        assert client.request(method, url, json=odd).status_code in ALLOWED
