"""EV1xx: Events API inputs (``EventInput``), single or in a bulk ``records`` array.

The rules follow the supplied Events OpenAPI spec, a third-party model that Gainsight's own Events page
does not confirm. It documents no error codes, so missing fields
carry the data APIs' ``GSOBJ_1007`` and wrong values ``GSOBJ_1002`` (docs/decisions.md#one-rule-table).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

from . import Context, Violation, rule
from ._helpers import EVENT_KINDS, is_rfc3339, type_name
from .shapes import ANYTHING, Shape

REQUIRED: Final = ("eventType", "objectType", "operation", "payload")
OPERATIONS: Final = ("INSERT", "UPDATE", "UPSERT", "DELETE")
_STRINGS: Final = ("eventType", "objectType", "companyId", "sourceSystem", "timestamp")
_STRING: Final = frozenset({str})


def _required_keys(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean event for EV101: it has every required key (a question of keys alone)."""
    return ANYTHING if keys.issuperset(REQUIRED) else None


@rule("EV101", name="event-field-missing", kinds=EVENT_KINDS, code="GSOBJ_1007", guard=_required_keys)
def event_field_missing(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An event lacks ``eventType``, ``objectType``, ``operation`` or ``payload``.

    ## Why is this bad?
    The Events spec's ``EventInput`` schema lists ``required: [eventType, objectType, operation,
    payload]``; an event without one is rejected (the spec declares 400 for an invalid body).

    ## Example
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "payload": {"hello": "world"}}
    ```

    Use instead:
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}}
    ```
    """
    for name in REQUIRED:
        if name not in event:
            yield Violation(f"{name} is required")


@rule(
    "EV102",
    name="event-operation-invalid",
    kinds=EVENT_KINDS,
    code="GSOBJ_1002",
    guard=Shape(choices={"operation": frozenset(OPERATIONS)}),
)
def event_operation_invalid(event: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An event's ``operation`` is not INSERT, UPDATE, UPSERT or DELETE.

    ## Why is this bad?
    The Events spec: ``operation`` is a string with ``enum: [INSERT, UPDATE, UPSERT, DELETE]``, and its
    description says the API supports "operations including insert, update, upsert, and delete".
    Values are upper case, as the enum writes them.

    ## Example
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "create",
     "payload": {"hello": "world"}}
    ```

    Use instead:
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}}
    ```
    """
    if "operation" not in event or event["operation"] in OPERATIONS:
        return ()
    value = event["operation"]
    return (Violation(f"operation must be one of {', '.join(OPERATIONS)}, not {value!r}", ("operation",)),)


@rule(
    "EV103",
    name="event-payload-not-object",
    kinds=EVENT_KINDS,
    code="GSOBJ_1002",
    guard=Shape(types={"payload": frozenset({dict})}),
)
def event_payload_not_object(event: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    r"""An event's ``payload`` is not a JSON object.

    ## Why is this bad?
    The Events spec: ``payload`` is ``type: object``, "Event payload data"; Gainsight's Events page
    sends fields shaped by the event's configuration, such as ``{"hello": "world"}``. A string, an
    array or ``null`` is rejected.

    ## Example
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": "{\"hello\": \"world\"}"}
    ```

    Use instead:
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}}
    ```
    """
    if "payload" not in event or event["payload"].__class__ is dict:
        return ()
    return (Violation(f"payload must be an object, not {type_name(event['payload'])}", ("payload",)),)


@rule(
    "EV104",
    name="event-timestamp-invalid",
    kinds=EVENT_KINDS,
    code="GSOBJ_1002",
    guard=Shape(formats={"timestamp": is_rfc3339}),
)
def event_timestamp_invalid(event: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An event's ``timestamp`` is not an RFC 3339 date-time.

    ## Why is this bad?
    The Events spec: ``timestamp`` is ``type: string, format: date-time``, which OpenAPI defines as
    RFC 3339: a date, ``T``, a time and an offset (``Z`` or ``±hh:mm``), on a real calendar date.

    ## Example
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}, "timestamp": "2022-07-01 06:36"}
    ```

    Use instead:
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}, "timestamp": "2022-07-01T06:36:00Z"}
    ```
    """
    value = event.get("timestamp")
    if value.__class__ is str and not is_rfc3339(value):
        return (
            Violation(f"timestamp must be an RFC 3339 date-time (2022-07-01T06:36:00Z), not {value!r}", ("timestamp",)),
        )
    return ()


@rule(
    "EV105",
    name="event-field-wrong-type",
    kinds=EVENT_KINDS,
    code="GSOBJ_1002",
    guard=Shape(types=dict.fromkeys(_STRINGS, _STRING)),
)
def event_field_wrong_type(event: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An event's ``eventType``, ``objectType``, ``companyId``, ``sourceSystem`` or ``timestamp`` is not a string.

    ## Why is this bad?
    The Events spec types all five as ``string`` (``companyId`` is the "Associated company Gsid").
    A number or ``null`` in their place is rejected.

    ## Example
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}, "companyId": 1001}
    ```

    Use instead:
    ```json event
    {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT",
     "payload": {"hello": "world"}, "companyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}
    ```
    """
    for name in _STRINGS:
        if name in event and event[name].__class__ is not str:
            yield Violation(f"{name} must be a string, not {type_name(event[name])}", (name,))
