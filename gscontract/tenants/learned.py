"""Reference data learned from a tenant's own activities, for a contract run given no tenant file.

A live tenant's users, companies and relationships are its own: records built from another tenant's
names fail their lookups there. The documents promise one read, the activity query, so a run reads a
page of recent activities and keeps the identifiers they use (``AuthorId``, ``GsCompanyId``,
``GsRelationshipId`` with its ``GsRelationshipTypeId``, the ``TypeName`` values), plus the event types the
Events API lists. Ids are all it learns: a record built from them names its author, company and
relationship by id, which the Timeline document allows as well as a lookup by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .reference import Row, TenantData

__all__ = ["LEARNED_FIELDS", "learned_tenant"]

LEARNED_FIELDS = (
    "Gsid",
    "ContextName",
    "AuthorId",
    "GsCompanyId",
    "GsRelationshipId",
    "GsRelationshipTypeId",
    "TypeName",
)
"""The fields a run selects from recent activities to learn from."""


def _text(row: Mapping[str, Any], name: str) -> str | None:
    # Query fields match without regard to case (the document writes both `contextname` and `ContextName`).
    for key, value in row.items():
        if key.lower() == name.lower() and isinstance(value, str) and value.strip():
            return value
    return None


def _unique(rows: Iterable[dict[str, Any]], key: str) -> tuple[Row, ...]:
    seen: dict[Any, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return tuple(seen.values())


def learned_tenant(activities: Iterable[Mapping[str, Any]], event_types: Iterable[Any] = ()) -> TenantData | None:
    """The reference data recent ``activities`` (query rows) use, or ``None`` when they name no author and company.

    Relationships are kept only with their type and company, which a Relationship record needs.
    ``event_types`` are the items of the Events API's type list; those with a string ``id`` are kept.
    """
    users, companies, relationships, types = [], [], [], []
    for row in activities:
        author, company = _text(row, "AuthorId"), _text(row, "GsCompanyId")
        relationship, kind = _text(row, "GsRelationshipId"), _text(row, "GsRelationshipTypeId")
        type_name = _text(row, "TypeName")
        if author:
            users.append({"Gsid": author})
        if company:
            companies.append({"Gsid": company})
        if relationship and kind and company:
            relationships.append({"Gsid": relationship, "TypeGsid": kind, "CompanyGsid": company})
        if type_name:
            types.append({"Name": type_name})
    if not users or not companies:
        return None
    objects = {
        "gsuser": _unique(users, "Gsid"),
        "company": _unique(companies, "Gsid"),
        "relationship": _unique(relationships, "Gsid"),
        "activitytype": _unique(types, "Name"),
    }
    events = tuple(e for e in event_types if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"])
    return TenantData(objects=objects, event_types=events)
