"""Readers of the tenant's answers, and the request bodies and comparisons scenarios and cleanup share.

All pure functions of a :class:`~gscontract.contract.engine.client.Call` or a payload: where an answer files a
record's activityId or failures, what a query returned, which fields a round trip can compare, and
whether a value read back is the one sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...gainsight.operators import EQ
from .calls import Call

__all__ = [
    "activity_gsid",
    "failure_items",
    "iso_now",
    "query_body",
    "returned_fields",
    "same_value",
    "stored_fields",
]

# Record fields a save resolves through lookups or may reformat; a round trip compares the others.
_NOT_ECHOED = frozenset({"author", "companyname", "relationshipname", "internalattendees", "externalattendees"})


def iso_now(offset_seconds: float = 0.0) -> str:
    """Now (UTC) plus an offset, in the document's ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` format."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def _entries(call: Call, group: str, key: str) -> list[Any]:
    data = call.data if isinstance(call.data, dict) else {}
    entries = data.get(group)
    items = entries.get(key) if isinstance(entries, dict) else None
    return items if isinstance(items, list) else []


def failure_items(call: Call, key: str) -> list[Any]:
    """The failure items filed under ``key`` in ``data.failures``."""
    return _entries(call, "failures", key)


def activity_gsid(call: Call, key: str, *, field: str = "success") -> str | None:
    """The activityId a save (``success``) or job status (``successes``) files under ``key``."""
    for item in _entries(call, field, key):
        if isinstance(item, dict) and isinstance(item.get("activityId"), str):
            return str(item["activityId"])
        if isinstance(item, str):
            return item
    return None


def returned_fields(call: Call) -> list[dict[str, Any]]:
    """The records of a query or fetch-deleted answer (``data.records``); empty when there are none."""
    data = call.data if isinstance(call.data, dict) else {}
    records = data.get("records")
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def stored_fields(payload: dict[str, Any]) -> list[str]:
    """The fields of the first record a round trip compares: scalars the save keeps as they were sent."""
    record = payload["records"][0]
    lookup_sources = {
        str(source).lower()
        for spec in (payload.get("lookups") or {}).values()
        if isinstance(spec, dict)
        for source in (spec.get("fields") or {})
    }
    return [
        name
        for name, value in record.items()
        if name.lower() not in _NOT_ECHOED | lookup_sources and isinstance(value, str | int | float | bool)
    ]


def query_body(external_id: str, select: list[str]) -> dict[str, Any]:
    """A query for the activity with ``external_id``, selecting ``select``."""
    return {
        "select": select,
        "where": {
            "conditions": [{"name": "ExternalId", "alias": "A", "value": [external_id], "operator": EQ}],
            "expression": "A",
        },
        "limit": 10,
        "offset": 0,
    }


def same_value(sent: Any, got: Any) -> bool:
    """Whether a value read back is the one sent; date-times compare as instants.

    The documents show no query result, so a date-time may come back as an ISO string or as epoch
    milliseconds (as Gainsight's data APIs give dates); both are the instant sent.
    """
    if sent == got:
        return True
    if isinstance(sent, str) and isinstance(got, str):
        try:
            return dt.datetime.fromisoformat(sent) == dt.datetime.fromisoformat(got)
        except ValueError:
            return False
    if isinstance(sent, str) and isinstance(got, int) and not isinstance(got, bool):
        try:
            moment = dt.datetime.fromisoformat(sent)
        except ValueError:
            return False
        return moment.tzinfo is not None and round(moment.timestamp() * 1000) == got
    if isinstance(sent, int | float) and isinstance(got, int | float) and not isinstance(sent, bool):
        return float(sent) == float(got)
    return False
