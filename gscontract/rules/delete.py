"""TL61x and TL62x: the delete body (activity ids) and the fetch-deleted filter.

Both bodies are envelopes: a tenant rejects a malformed one whole with HTTP 400
(docs/decisions.md#status-codes-and-record-failures), so
their errors carry no vendor code. Each error rule here has its twin in the spec's ``DeleteRequest`` or
``FetchDeletedRequest`` schema, so a body the spec calls valid passes them and gscontract's mock (which
runs them) accepts it. Keys of the fetch-deleted body that the document does not name are ignored, not
reported: nothing says a tenant refuses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from ..findings import Severity
from ..payload.kinds import Kind
from . import Context, Scope, Violation, rule
from ._helpers import GSID, is_datetime, type_name

_DELETE: Final = frozenset({Kind.TIMELINE_DELETE})
_FILTER: Final = frozenset({Kind.TIMELINE_DELETED_FILTER})
DATE_LITERALS: Final = ("CUSTOM",)


@rule("TL611", name="delete-id-invalid", kinds=_DELETE, scope=Scope.DOCUMENT)
def delete_id_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """An item of a delete body is not a non-empty string.

    ## Why is this bad?
    The Timeline document's delete API takes a bare array of activity ids: "The records will be
    identified by activityId", and its sample body is ``["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E", ...]``.
    A number, an object or an empty (or blank) string is no activity id; the body is rejected (HTTP
    400). The spec's ``DeleteRequest`` says the same: its items are non-blank strings.

    ## Example
    ```json timeline-delete
    ["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E", {"Gsid": "1I004SG7RDV06L1HFJONKLZEUGLR8J6S4IZ0"}]
    ```

    Use instead:
    ```json timeline-delete
    ["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E", "1I004SG7RDV06L1HFJONKLZEUGLR8J6S4IZ0"]
    ```
    """
    if not isinstance(document, list):
        return
    for index, item in enumerate(document):
        if not isinstance(item, str):
            yield Violation(f"activity ids are strings, not {type_name(item)}", (index,))
        elif not item.strip():
            yield Violation("activity id is empty", (index,))


@rule("TL612", name="delete-id-not-gsid", kinds=_DELETE, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def delete_id_not_gsid(document: Any, ctx: Context) -> Iterator[Violation]:
    """An activity id to delete does not look like a Gsid (36 upper-case letters and digits).

    ## Why is this bad?
    Every activity id in the Timeline document is 36 upper-case letters and digits
    (``1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E``). Delete identifies records "by activityId" only, so an
    ExternalId or a lower-cased id most likely deletes nothing; the document does not say what the
    tenant answers for an unknown id.

    ## Example
    ```json timeline-delete
    ["16f0383a1e404d7ba52361bb7370d7de"]
    ```

    Use instead:
    ```json timeline-delete
    ["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"]
    ```
    """
    if not isinstance(document, list):
        return
    for index, item in enumerate(document):
        if isinstance(item, str) and item.strip() and GSID.fullmatch(item) is None:
            yield Violation(f"{item!r} does not look like an activity id (36 upper-case letters and digits)", (index,))


@rule("TL613", name="delete-body-empty", kinds=_DELETE, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def delete_body_empty(document: Any, ctx: Context) -> Iterator[Violation]:
    """A delete body lists no activity ids: the call would do nothing.

    ## Why is this bad?
    The Timeline document's delete API "deletes Activities listed in the request body"; an empty list
    deletes nothing, and usually means the step that produced the file failed.

    ## Example
    ```json timeline-delete
    []
    ```

    Use instead:
    ```json timeline-delete
    ["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"]
    ```
    """
    if document == []:
        yield Violation("the delete body lists no activity ids")


def _date_filter(document: Any) -> dict[str, Any] | None:
    filter_ = document.get("filter") if isinstance(document, dict) else None
    date_filter = filter_.get("dateFilter") if isinstance(filter_, dict) else None
    return date_filter if isinstance(date_filter, dict) else None


@rule("TL621", name="deleted-filter-malformed", kinds=_FILTER, scope=Scope.DOCUMENT)
def deleted_filter_malformed(document: Any, ctx: Context) -> Iterator[Violation]:
    """A fetch-deleted body is not ``{"filter": {"dateFilter": {"dateLiteral", "values": [start, end]}}}``.

    ## Why is this bad?
    The Timeline document's fetch-deleted API takes exactly that shape: ``values`` is "A List that
    contains Start and end timestamps". Another shape is rejected whole (HTTP 400). Other keys,
    beside ``filter`` or inside it, are ignored.

    ## Example
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": "2022-06-21T06:39:00.000-07:00"}}}
    ```

    Use instead:
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```
    """
    if not isinstance(document, dict):
        return
    filter_ = document.get("filter")
    if not isinstance(filter_, dict):
        yield Violation(f'"filter" must be an object, not {type_name(filter_)}', ("filter",) * ("filter" in document))
        return
    date_filter = filter_.get("dateFilter")
    if not isinstance(date_filter, dict):
        yield Violation(f'"dateFilter" must be an object, not {type_name(date_filter)}', ("filter",))
        return
    values = date_filter.get("values")
    path = ("filter", "dateFilter", "values")
    if not isinstance(values, list) or len(values) != 2 or not all(isinstance(v, str) for v in values):
        yield Violation('"values" must be two timestamps, [start, end]', path if "values" in date_filter else path[:2])


@rule("TL622", name="date-literal-missing", kinds=_FILTER, scope=Scope.DOCUMENT, documented_limit=True)
def date_literal_missing(document: Any, ctx: Context) -> Iterator[Violation]:
    """A fetch-deleted filter has no ``dateLiteral``.

    ## Why is this bad?
    The Timeline document's fetch-deleted parameters mark ``dateLiteral*`` mandatory: "A String value
    that provides a date range to fetch the list of deleted activities". The body is rejected (HTTP
    400) without it.

    ## Example
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```

    Use instead:
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```
    """
    date_filter = _date_filter(document)
    if date_filter is None:
        return
    literal = date_filter.get("dateLiteral")
    if not isinstance(literal, str) or not literal.strip():
        where = ("filter", "dateFilter", "dateLiteral") if "dateLiteral" in date_filter else ("filter", "dateFilter")
        yield Violation('"dateLiteral" is required ("CUSTOM", with the range in "values")', where)


@rule("TL623", name="date-literal-undocumented", kinds=_FILTER, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def date_literal_undocumented(document: Any, ctx: Context) -> Iterator[Violation]:
    """A fetch-deleted filter's ``dateLiteral`` is not ``CUSTOM``, the only one documented.

    ## Why is this bad?
    The Timeline document shows only ``"dateLiteral": "CUSTOM"`` with a start and end timestamp in
    ``values``. Other literals may exist in Gainsight, but no document names them, so gscontract
    cannot tell whether the tenant accepts one.

    ## Example
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "LAST_7_DAYS",
                               "values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```

    Use instead:
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```
    """
    date_filter = _date_filter(document)
    literal = date_filter.get("dateLiteral") if date_filter else None
    if isinstance(literal, str) and literal.strip() and literal not in DATE_LITERALS:
        yield Violation(
            f"dateLiteral {literal!r} is not documented (only CUSTOM is)", ("filter", "dateFilter", "dateLiteral")
        )


def _range(document: Any) -> list[str] | None:
    date_filter = _date_filter(document)
    values = date_filter.get("values") if date_filter else None
    if isinstance(values, list) and len(values) == 2 and all(isinstance(v, str) for v in values):
        return values
    return None


@rule("TL624", name="deleted-range-invalid", kinds=_FILTER, scope=Scope.DOCUMENT)
def deleted_range_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A fetch-deleted timestamp is not an ISO 8601 date-time with an offset on a real date.

    ## Why is this bad?
    The Timeline document: "Timestamp should be in ISO 8601 format, i.e. yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
    (the sample sends ``2022-06-21T06:39:00.000-07:00``). As for ActivityDate (TL401), milliseconds
    are optional and the offset is ``Z`` or ``±hh:mm``.

    ## Example
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": ["2022-06-21", "2022-06-22"]}}}
    ```

    Use instead:
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-21T00:00:00Z", "2022-06-22T00:00:00Z"]}}}
    ```
    """
    values = _range(document)
    for index, value in enumerate(values or ()):
        if not is_datetime(value):
            end = "start" if index == 0 else "end"
            yield Violation(
                f"{end} {value!r} is not an ISO 8601 date-time (yyyy-MM-dd'T'HH:mm:ss.SSSXXX)",
                ("filter", "dateFilter", "values", index),
            )


@rule("TL625", name="deleted-range-reversed", kinds=_FILTER, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def deleted_range_reversed(document: Any, ctx: Context) -> Iterator[Violation]:
    """A fetch-deleted range starts after it ends, so it lists nothing.

    ## Why is this bad?
    The Timeline document's ``values`` "contains Start and end timestamps", in that order. A range
    whose start is later than its end holds no moment, so the call finds nothing; the ends were most
    likely swapped. Both ends are inclusive, so a start equal to the end is allowed.

    A warning, not an error: the document does not say a tenant refuses such a range, and the spec
    cannot (JSON Schema does not compare two values), so the request is valid and simply matches no
    deletion. gscontract's mock answers it with HTTP 200 and no records.

    ## Example
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-22T06:39:00.000-07:00", "2022-06-21T06:39:00.000-07:00"]}}}
    ```

    Use instead:
    ```json timeline-deleted-filter
    {"filter": {"dateFilter": {"dateLiteral": "CUSTOM",
                               "values": ["2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00"]}}}
    ```
    """
    values = _range(document)
    if values is None or not all(is_datetime(v) for v in values):
        return
    start, end = (datetime.fromisoformat(v) for v in values)
    if start > end:
        yield Violation(
            f"the range starts ({values[0]}) after it ends ({values[1]}), so it lists nothing; swap the ends?",
            ("filter", "dateFilter", "values"),
        )
