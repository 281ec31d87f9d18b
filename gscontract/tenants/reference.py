"""Tenant reference data: the companies, users and other entities lookups resolve against.

A tenant file is JSON (``gscontract mock --tenant FILE``)::

    {"companies":         [{"Gsid": "...", "Name": "..."}],
     "users":             [{"Gsid": "...", "Email": "...", "Name": "..."}],
     "relationships":     [{"Gsid": "...", "Name": "...", "CompanyGsid": "...", "TypeGsid": "..."}],
     "relationshipTypes": [{"Gsid": "...", "Name": "..."}],
     "activityTypes":     [{"Id": "...", "Name": "..."}],
     "persons":           [{"Gsid": "...", "Name": "...", "CompanyGsid": "..."}],
     "customFields":      {"Ant__X__c": "date" | "datetime" | "number" | "boolean" | "string"},
     "eventTypes":        [{"id": "...", "name": "...", "description": "...", "isActive": true}],
     "tenantId":          "...",
     "eventTopics":       [{"name": "...", "events": [{"name": "...", "version": "...", "schema": {...}}]}]}

Every list is optional. ``tenantId`` and ``eventTopics`` are the Events Framework's registrations
(:mod:`gscontract.tenants.registrations`). Entities are exposed as rows of the Gainsight objects the Timeline document's
lookups name (``GsUser``, ``Company``, ``Relationship``, ``RelationshipType``, ``Company_Person``), with
the field names those lookups use (``Email``, ``Name``, ``Person_ID__gr.Name``, ``Company_ID``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..readfile import read_regular
from .questions import REFERENCE_DATA
from .registrations import EventRegistry, parse_registry

__all__ = ["CUSTOM_FIELD_TYPES", "TenantData", "demo_tenant", "load_tenant", "parse_tenant"]

CUSTOM_FIELD_TYPES = ("date", "datetime", "number", "boolean", "string")

Row = Mapping[str, Any]

# file key -> (object name, fields every entry must have)
_ENTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "companies": ("Company", ("Gsid", "Name")),
    "users": ("GsUser", ("Gsid", "Email", "Name")),
    "relationships": ("Relationship", ("Gsid", "Name")),
    "relationshipTypes": ("RelationshipType", ("Gsid", "Name")),
    "activityTypes": ("ActivityType", ("Id", "Name")),
    "persons": ("Company_Person", ("Gsid", "Name")),
}


@dataclass(frozen=True, slots=True)
class TenantData:
    """Reference data of one tenant, as object rows keyed by lower-case object name."""

    objects: Mapping[str, tuple[Row, ...]] = field(default_factory=dict)
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    event_types: tuple[Row, ...] = ()
    framework: EventRegistry = field(default_factory=EventRegistry)
    """The Events Framework registrations: the tenant's id, its topics and events."""

    def rows(self, object_name: str) -> tuple[Row, ...]:
        """Rows of an object; names match case-insensitively (the documents write ``GsUser`` and ``gsuser``)."""
        return self.objects.get(object_name.lower(), ())

    def fields(self, object_name: str) -> frozenset[str]:
        """The field names an object's rows may carry: those every entry must have, and any its rows have."""
        required = next((names for name, names in _ENTITIES.values() if name.lower() == object_name.lower()), ())
        return frozenset(required).union(*(row.keys() for row in self.rows(object_name)))

    def find(self, object_name: str, criteria: Mapping[str, Any]) -> list[str]:
        """Gsids (or Ids) of the rows whose fields equal every criterion.

        Text compares case-insensitively, as Gainsight's lookups match names and emails.
        """
        wanted = {k: _fold(v) for k, v in criteria.items()}
        return [
            str(row.get("Gsid", row.get("Id")))
            for row in self.rows(object_name)
            if all(_fold(row.get(k)) == v for k, v in wanted.items())
        ]

    # TenantData answers the lookup questions of the Tenant protocol (gscontract.tenants.questions); it holds no
    # activities, so it cannot tell whether one exists.
    @property
    def answers(self) -> frozenset[str]:
        """Reference data answers lookups only."""
        return frozenset({REFERENCE_DATA})

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> list[str]:
        """Gsids of the ``object_name`` rows matching ``criteria`` (:meth:`find`), as a Tenant answers."""
        return self.find(object_name, criteria)

    def external_id_exists(self, external_id: str) -> bool | None:
        """Reference data holds no activities: cannot tell."""
        return None

    def activity_exists(self, *, identifier: str, value: str) -> bool | None:
        """Reference data holds no activities: cannot tell."""
        return None


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _row(key: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    row = dict(entry)
    if key == "relationships":
        row["CompanyId"] = entry.get("CompanyGsid")
        row["RelationshipTypeId"] = entry.get("TypeGsid")
    elif key == "persons":
        # The ExternalAttendees lookup matches a person by name within the company (Company_Person).
        row["Person_ID__gr.Name"] = entry["Name"]
        row["Company_ID"] = entry.get("CompanyGsid")
    return row


def parse_tenant(data: Any, *, source: str = "tenant file") -> TenantData:
    """Check a tenant document and build :class:`TenantData` from it.

    Raises:
        ConfigError: a wrong type or a missing field, named by its JSON pointer.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be an object")
    known = {*_ENTITIES, "customFields", "eventTypes", "tenantId", "eventTopics", "_comment"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    objects: dict[str, tuple[Row, ...]] = {}
    for key, (object_name, required) in _ENTITIES.items():
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise ConfigError(f"{source}: /{key} must be an array")
        rows = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ConfigError(f"{source}: /{key}/{index} must be an object")
            for name in required:
                if not isinstance(entry.get(name), str) or not entry[name]:
                    raise ConfigError(f"{source}: /{key}/{index}/{name} must be a non-empty string")
            rows.append(_row(key, entry))
        objects[object_name.lower()] = tuple(rows)
    custom = data.get("customFields", {})
    if not isinstance(custom, dict):
        raise ConfigError(f"{source}: /customFields must be an object")
    for name, kind in custom.items():
        if kind not in CUSTOM_FIELD_TYPES:
            raise ConfigError(f"{source}: /customFields/{name} must be one of {', '.join(CUSTOM_FIELD_TYPES)}")
    events = data.get("eventTypes", [])
    if not isinstance(events, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in events):
        raise ConfigError(f"{source}: /eventTypes must be an array of objects with a string id")
    return TenantData(
        objects=objects,
        custom_fields=dict(custom),
        event_types=tuple(events),
        framework=parse_registry(data, source=source),
    )


def load_tenant(path: Path) -> TenantData:
    """Read a tenant file.

    Raises:
        ConfigError: the file cannot be read, is not JSON, or does not fit the format above.
    """
    try:
        text = read_regular(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read tenant file: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # an integer too long to convert, nesting too deep
        raise ConfigError(f"{path}: invalid tenant file: {exc}") from None
    return parse_tenant(data, source=str(path))


@cache
def demo_tenant() -> TenantData:
    """The built-in demo tenant: every entity the Timeline document's samples name."""
    text = resources.files("gscontract").joinpath("data/demo_tenant.json").read_text(encoding="utf-8")
    return parse_tenant(json.loads(text), source="demo tenant")
