"""The Events Framework registrations of a tenant: its id, topics and events, and their payload schemas.

In Gainsight an administrator creates a topic, then events in it (a name and a version) whose fields
shape the payload; a publisher names one with its ``topicName``, ``eventName`` and ``eventVersion``
headers. A tenant file registers them so the mock can refuse an unregistered event and the validator
can check payloads::

    {"tenantId": "...",
     "eventTopics": [{"name": "Ticket Actions",
                      "events": [{"name": "Ticket Resolved Event", "version": "1.0.0",
                                  "schema": {"type": "object", "required": ["ticketId"]},
                                  "example": {"ticketId": "t-1"}}]}]}

``schema`` is an optional JSON Schema (draft 2020-12) of the payload; ``example`` an optional payload the
event accepts (it must fit the schema), which contract runs publish (``{}`` when none is given). Names
and versions match exactly, as the publisher's headers must repeat what the administrator typed.

Checking a payload against a schema needs a JSON Schema library; this module imports none. The one in
:mod:`gscontract.tenants.payload_schema` is imported only when a registration has a schema, so
``gscontract validate`` without such tenant data never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..pointer import PathPart

__all__ = ["EventRegistry", "RegisteredEvent", "parse_registry"]


@dataclass(frozen=True, slots=True)
class RegisteredEvent:
    """One registered event: its topic, name and version, and the JSON Schema of its payload if given."""

    topic: str
    name: str
    version: str
    schema: Mapping[str, Any] | None = field(default=None, compare=False)
    example: Any = field(default=None, compare=False)
    """A payload the event accepts, as the tenant data gives it; ``None`` when it gives none."""

    def payload_problems(self, payload: Any) -> list[tuple[tuple[PathPart, ...], str]]:
        """Where and why ``payload`` breaks the registered schema (paths relative to the payload)."""
        if self.schema is None:
            return []
        from .payload_schema import schema_problems  # only now: see the module's docstring

        return schema_problems(self.schema, payload)


@dataclass(frozen=True, slots=True)
class EventRegistry:
    """A tenant's id and registered events; empty when the tenant data registers none."""

    tenant_id: str | None = None
    events: tuple[RegisteredEvent, ...] = ()

    def find(self, topic: Any, name: Any, version: Any) -> RegisteredEvent | None:
        """The registration the three naming headers select; ``None`` when none matches."""
        return next((e for e in self.events if (e.topic, e.name, e.version) == (topic, name, version)), None)

    def topics(self) -> frozenset[str]:
        """The registered topic names."""
        return frozenset(e.topic for e in self.events)


def _text(value: Any, where: str, source: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: {where} must be a non-empty string")
    return value


def _events(topic: str, entries: Any, where: str, source: str) -> list[RegisteredEvent]:
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: {where} must be an array")
    found = []
    for index, entry in enumerate(entries):
        at = f"{where}/{index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{source}: {at} must be an object")
        schema = entry.get("schema")
        if schema is not None:
            if not isinstance(schema, dict):
                raise ConfigError(f"{source}: {at}/schema must be a JSON Schema object")
            from .payload_schema import schema_error

            problem = schema_error(schema)
            if problem is not None:
                raise ConfigError(f"{source}: {at}/schema is not a valid JSON Schema: {problem}")
        name = _text(entry.get("name"), f"{at}/name", source)
        version = _text(entry.get("version"), f"{at}/version", source)
        registered = RegisteredEvent(topic, name, version, schema, entry.get("example"))
        if registered.example is not None:
            problems = registered.payload_problems(registered.example)
            if problems:
                raise ConfigError(f"{source}: {at}/example does not fit its schema: {problems[0][1]}")
        found.append(registered)
    return found


def parse_registry(data: Mapping[str, Any], *, source: str) -> EventRegistry:
    """Read ``tenantId`` and ``eventTopics`` of a tenant document.

    Raises:
        ConfigError: a wrong type, a missing name or version, or a schema that is not a JSON Schema,
            named by its JSON pointer.
    """
    tenant_id = data.get("tenantId")
    if tenant_id is not None:
        _text(tenant_id, "/tenantId", source)
    topics = data.get("eventTopics", [])
    if not isinstance(topics, list):
        raise ConfigError(f"{source}: /eventTopics must be an array")
    events: list[RegisteredEvent] = []
    for index, topic in enumerate(topics):
        if not isinstance(topic, dict):
            raise ConfigError(f"{source}: /eventTopics/{index} must be an object")
        name = _text(topic.get("name"), f"/eventTopics/{index}/name", source)
        events.extend(_events(name, topic.get("events", []), f"/eventTopics/{index}/events", source))
    return EventRegistry(tenant_id=tenant_id, events=tuple(events))
