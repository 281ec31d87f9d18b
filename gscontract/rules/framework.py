"""EF1xx: Events Framework events, as a publisher sends them to Gainsight's publish-an-event API.

A record is one event: its naming headers written as keys (``topicName``, ``eventName``,
``eventVersion``) next to its body under ``payload``. Gainsight's Events API page documents no error
codes, so a missing value carries the data APIs' generic ``GSOBJ_1007`` and a value the tenant cannot
take ``GSOBJ_1002``, as for the supplied Events spec. Whether an event is registered, and whether its
payload fits the registered JSON Schema, is known only from tenant data (``--tenant``, or the mock's
tenant): without it EF103 and EF104 stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ..gainsight.event_headers import NAMING_HEADERS
from ..payload.kinds import Kind
from . import Context, Violation, rule
from ._helpers import type_name
from .shapes import Shape, Unguarded

REQUIRED: Final = (*NAMING_HEADERS, "payload")
_KINDS: Final = frozenset({Kind.FRAMEWORK_EVENTS})
_REGISTRY_REASON: Final = "asks the tenant data's registrations about every event"


@rule("EF101", name="framework-event-field-missing", kinds=_KINDS, code="GSOBJ_1007", guard=Shape(text=NAMING_HEADERS))
def framework_event_field_missing(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An event lacks its ``topicName``, ``eventName``, ``eventVersion`` or ``payload``.

    ## Why is this bad?
    Gainsight's Events API page names the event a publisher sends with the ``eventName`` and
    ``eventVersion`` headers, and public clients (RudderStack's Gainsight destination) add
    ``topicName``: the tenant finds the registered event by all three and refuses a call that leaves
    one out or sends it blank. The body is the payload; without one there is nothing to publish.

    ## Example
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "payload": {"hello": "world"}}]}
    ```

    Use instead:
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": {"hello": "world"}}]}
    ```
    """
    for name in NAMING_HEADERS:
        value = event.get(name)
        if not isinstance(value, str) or not value.strip():
            yield Violation(f"{name} is required (a non-blank string)", (name,) if name in event else ())
    if "payload" not in event:
        yield Violation("payload is required")


@rule(
    "EF102",
    name="framework-payload-not-object",
    kinds=_KINDS,
    code="GSOBJ_1002",
    guard=Shape(types={"payload": frozenset({dict})}),
)
def framework_payload_not_object(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    r"""An event's ``payload`` is not a JSON object.

    ## Why is this bad?
    Gainsight's Events API page sends a JSON object shaped by the event's configured fields (its
    sample is ``{"hello": "world"}``, its System Asset Event an object too); the tenant maps the
    payload's fields to the event's. A string, an array or ``null`` has no fields to map.

    ## Example
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": "{\"hello\": \"world\"}"}]}
    ```

    Use instead:
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": {"hello": "world"}}]}
    ```
    """
    if "payload" in event and event["payload"].__class__ is not dict:
        yield Violation(f"payload must be an object, not {type_name(event['payload'])}", ("payload",))


@rule("EF103", name="framework-event-unregistered", kinds=_KINDS, code="GSOBJ_1002", guard=Unguarded(_REGISTRY_REASON))
def framework_event_unregistered(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An event's topic, name and version name no event registered in the tenant data.

    ## Why is this bad?
    Gainsight's Events API page and its Events Framework page: an administrator creates a topic and
    its events (name and version) before a publisher may send them; the tenant refuses an event it
    does not know, and no rule or program it would trigger runs. Names and versions must match
    exactly. Checked only when tenant data registers events (``--tenant``).

    ## Example
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v02",
                  "payload": {"hello": "world"}}]}
    ```

    Use instead:
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": {"hello": "world"}}]}
    ```
    """
    registry = ctx.registrations
    if registry is None:
        return  # no tenant data: nothing to tell registered events from others
    topic, name, version = (event.get(h) for h in NAMING_HEADERS)
    if not all(isinstance(v, str) and v for v in (topic, name, version)):
        return  # EF101's finding
    if registry.find(topic, name, version) is not None:
        return
    if topic not in registry.topics():
        yield Violation(f"topic {topic!r} is not registered", ("topicName",))
    else:
        yield Violation(f"event {name!r} version {version!r} is not registered in topic {topic!r}", ("eventName",))


@rule(
    "EF104",
    name="framework-payload-breaks-schema",
    kinds=_KINDS,
    code="GSOBJ_1002",
    guard=Unguarded(_REGISTRY_REASON),
)
def framework_payload_breaks_schema(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An event's ``payload`` breaks the JSON Schema its registration gives.

    ## Why is this bad?
    Gainsight's Events API page: the body is shaped by the fields configured for the event, and
    events feed rules and programs that map those fields. A payload without a configured field, or
    with a value of the wrong type, publishes an event its subscribers cannot use. The tenant data
    may give each registered event a JSON Schema (draft 2020-12) of its payload; each violation is
    reported where it is. Checked only when tenant data gives a schema (``--tenant``).

    ## Example
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": {"hello": 42}}]}
    ```

    Use instead:
    ```json framework-events
    {"records": [{"topicName": "sample_topic", "eventName": "sample_event", "eventVersion": "v01",
                  "payload": {"hello": "world"}}]}
    ```
    """
    registry = ctx.registrations
    if registry is None:
        return
    registered = registry.find(*(event.get(h) for h in NAMING_HEADERS))
    if registered is None or registered.schema is None:
        return
    for path, message in registered.payload_problems(event.get("payload")):
        yield Violation(f"payload does not fit the registered schema: {message}", ("payload", *path))
