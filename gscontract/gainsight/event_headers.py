"""Gainsight's public Events API ("publish an event", the Events Framework): its headers and version.

Gainsight's Events API page authenticates a publisher with a ``sharedSecret`` header (a key Gainsight
generates when the publisher is registered, unique per org) and names the event with ``eventName``,
``eventVersion`` and ``tenantId`` headers. Public clients (RudderStack's Gainsight destination) also
send ``topicName``, optionally ``contractId`` and the REST ``Accesskey``, and call the path with the
version segment ``v1.0``. The body is free-form JSON shaped by the event's registration.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCESS_KEY",
    "API_VERSION",
    "CONTRACT_ID",
    "EVENT_NAME",
    "EVENT_VERSION",
    "NAMING_HEADERS",
    "SHARED_SECRET",
    "TENANT_ID",
    "TOPIC_NAME",
]

API_VERSION: Final = "v1.0"
"""The path's version segment public clients send (the page writes a bare "version")."""

SHARED_SECRET: Final = "sharedSecret"
TENANT_ID: Final = "tenantId"
TOPIC_NAME: Final = "topicName"
EVENT_NAME: Final = "eventName"
EVENT_VERSION: Final = "eventVersion"
CONTRACT_ID: Final = "contractId"
"""Optional: the contract the event belongs to."""
ACCESS_KEY: Final = "Accesskey"
"""Optional on this API: RudderStack sends it when configured, and says the call works without it."""

NAMING_HEADERS: Final = (TOPIC_NAME, EVENT_NAME, EVENT_VERSION)
"""The headers that name a registered event: its topic, its name and its version."""
