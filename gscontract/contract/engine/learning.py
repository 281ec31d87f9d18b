"""Learning a live tenant's reference data from its recent activities, when the run was given no tenant file.

Two reads through the run's client (so they count against the budget like any request): a page of
recent activities from the query API, and the Events API's type list. :func:`gscontract.tenants.learned.learned_tenant`
turns them into reference data. Nothing is written.
"""

from __future__ import annotations

from typing import Any

from ...gainsight.operations import EVENT_TYPES, QUERY
from ...tenants.learned import LEARNED_FIELDS, learned_tenant
from ...tenants.reference import TenantData
from ..transport.answers import returned_fields
from ..transport.calls import NotSent
from .client import ScenarioClient

__all__ = ["LEARN_REQUESTS", "learn_tenant"]

LEARN_REQUESTS = 2
"""Requests :func:`learn_tenant` sends: one query, one read of the event types."""

_PAGE = 200
"""Recent activities read: enough to meet a tenant's usual authors, companies and types."""


def learn_tenant(client: ScenarioClient, *, apis: tuple[str, ...]) -> TenantData | None:
    """The reference data a tenant's recent activities use, or ``None`` when they name none (or were not read)."""
    body: dict[str, Any] = {
        "select": list(LEARNED_FIELDS),
        "orderBy": {"CreatedDate": "desc"},
        "limit": _PAGE,
        "offset": 0,
    }
    try:
        activities = returned_fields(client.call(QUERY, body=body)) if "timeline" in apis else []
        types = client.call(EVENT_TYPES) if "events" in apis else None
    except NotSent:
        return None
    listed = types.body.get("data") if types is not None and isinstance(types.body, dict) else None
    return learned_tenant(activities, listed if isinstance(listed, list) else ())
