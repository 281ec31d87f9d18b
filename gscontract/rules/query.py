"""TL63x: the read (query) body: ``select``, ``where``, ``orderBy``, ``limit`` and ``offset``.

The read API is Gainsight's generic data query against ``activity_timeline``. A body of the wrong
shape is rejected whole (HTTP 400, docs/decisions.md#read-delete-and-fetch-deleted), so these errors carry no vendor
code. Each error rule
here has its twin in the spec's ``QueryRequest`` schema, so a body the spec calls valid passes them and
gscontract's mock (which runs them) accepts it. Keys the document does not name are ignored, not
reported: nothing says a tenant refuses them, and the read sample itself grew keys between editions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ..findings import Severity
from ..gainsight.limits import QUERY_ROW_LIMIT
from ..gainsight.operators import ARITY, OPERATORS
from ..payload.kinds import Kind
from . import Context, Scope, Violation, rule
from ._helpers import type_name

_QUERY: Final = frozenset({Kind.TIMELINE_QUERY})
_ARITY_WORDS: Final = {(1, 1): "one value", (2, 2): "two values", (1, None): "one or more values", (0, 0): "no values"}


def _is_int(value: Any) -> bool:
    """A whole number as JSON Schema counts one: ``79`` and ``79.0``, never a boolean."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _arity_problem(operator: str, count: int) -> str | None:
    fewest, most = ARITY[operator]
    if fewest <= count and (most is None or count <= most):
        return None
    return f"{operator} takes {_ARITY_WORDS[fewest, most]}, not {count}"


@rule("TL631", name="query-select-invalid", kinds=_QUERY, scope=Scope.DOCUMENT)
def query_select_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query has no ``select``, or it is not a non-empty array of field names.

    ## Why is this bad?
    The Timeline document's read API body starts with ``"select": ["contextname", "GsRelationshipId",
    ...]``: the fields to return. Without it the query returns nothing useful; with a wrong type it is
    rejected (HTTP 400).

    ## Example
    ```json timeline-query
    {"select": "ExternalId, Subject",
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["crm-0001"], "operator": "EQ"}],
               "expression": "A"}}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId", "Subject"],
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["crm-0001"], "operator": "EQ"}],
               "expression": "A"}}
    ```
    """
    if not isinstance(document, dict):
        return
    select = document.get("select")
    if "select" not in document:
        yield Violation('"select" is required: the fields to return')
    elif not isinstance(select, list) or not select:
        yield Violation(f'"select" must be a non-empty array of field names, not {type_name(select)}', ("select",))
    else:
        for index, name in enumerate(select):
            if not isinstance(name, str) or not name.strip():
                yield Violation(f"select items are field names, not {type_name(name)}", ("select", index))


def _condition_problems(condition: Any) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    if not isinstance(condition, dict):
        yield f"a condition must be an object, not {type_name(condition)}", ()
        return
    for key in ("name", "alias", "operator"):
        if not isinstance(condition.get(key), str) or not condition[key].strip():
            yield f'a condition needs "{key}" (a string)', (key,) * (key in condition)
    operator = condition.get("operator")
    known = operator if isinstance(operator, str) and operator in ARITY else None
    value = condition.get("value")
    if "value" not in condition:
        if known is None or ARITY[known][0] > 0:
            yield 'a condition needs "value", an array', ()
    elif not isinstance(value, list):
        yield f'"value" must be an array, not {type_name(value)}', ("value",)
    else:
        for index, item in enumerate(value):
            if isinstance(item, list | dict):
                yield f"values are strings, numbers, booleans or null, not {type_name(item)}", ("value", index)
        problem = _arity_problem(known, len(value)) if known else None
        if problem:
            yield problem, ("value",)


@rule("TL632", name="query-where-invalid", kinds=_QUERY, scope=Scope.DOCUMENT)
def query_where_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query's ``where`` is not ``{"conditions": [{name, alias, value: [...], operator}], "expression"}``.

    ## Why is this bad?
    The Timeline document's read sample filters with ``"where": {"conditions": [{"name": "ExternalId",
    "alias": "A", "value": ["..."], "operator": "EQ"}], "expression": "A"}``: each condition names a
    field, an alias, an operator and an array of plain values, and the expression combines the aliases.
    Another shape is rejected (HTTP 400).

    How many values a condition holds depends on its operator. Gainsight's samples show ``EQ`` with one
    value and ``BTW`` with two; for the rest gscontract reads what each operator compares with:
    ``BTW`` exactly two (the range's ends), ``IN``, ``INCLUDES`` and ``EXCLUDES`` one or more,
    ``IS_NULL`` and ``IS_NOT_NULL`` none (leave ``value`` out, or ``[]``), every other documented
    operator exactly one (use ``IN`` for several). The spec's ``QueryCondition`` states the same table.
    Unknown keys in ``where`` or a condition are ignored.

    ## Example
    ```json timeline-query
    {"select": ["ExternalId"],
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": "crm-0001", "operator": "EQ"}],
               "expression": "A"}}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId"],
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["crm-0001"], "operator": "EQ"}],
               "expression": "A"}}
    ```
    """
    if not isinstance(document, dict) or "where" not in document:
        return
    where = document["where"]
    if not isinstance(where, dict):
        yield Violation(f'"where" must be an object, not {type_name(where)}', ("where",))
        return
    conditions = where.get("conditions")
    if not isinstance(conditions, list):
        yield Violation(
            '"where" needs "conditions", an array', ("where", "conditions") if "conditions" in where else ("where",)
        )
    else:
        for index, condition in enumerate(conditions):
            for message, sub in _condition_problems(condition):
                yield Violation(message, ("where", "conditions", index, *sub))
    if "expression" in where and not isinstance(where["expression"], str):
        yield Violation(
            f'"expression" must be a string such as "A AND B", not {type_name(where["expression"])}',
            ("where", "expression"),
        )


@rule("TL633", name="query-operator-unknown", kinds=_QUERY, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def query_operator_unknown(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query condition uses an operator no Gainsight document lists.

    ## Why is this bad?
    The Timeline document's read sample filters with ``"operator": "EQ"``; its read API is Gainsight's
    data query API, whose samples also use ``BTW``, ``IN`` and ``CONTAINS`` and whose operator list adds
    NE, LT, GT, LTE, GTE, STARTS_WITH, ENDS_WITH, IS_NULL, IS_NOT_NULL, INCLUDES and EXCLUDES. Another
    operator (``NOT_IN``, ``eq``, ``=``) is most likely rejected. A warning, since the list comes from
    Gainsight's other pages rather than the Timeline document itself.

    ## Example
    ```json timeline-query
    {"select": ["ExternalId"],
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["crm-0001"], "operator": "="}],
               "expression": "A"}}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId"],
     "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["crm-0001"], "operator": "EQ"}],
               "expression": "A"}}
    ```
    """
    where = document.get("where") if isinstance(document, dict) else None
    conditions = where.get("conditions") if isinstance(where, dict) else None
    for index, condition in enumerate(conditions if isinstance(conditions, list) else ()):
        operator = condition.get("operator") if isinstance(condition, dict) else None
        if isinstance(operator, str) and operator.strip() and operator not in OPERATORS:
            yield Violation(
                f"operator {operator!r} is not a documented one ({', '.join(OPERATORS)})",
                ("where", "conditions", index, "operator"),
            )


@rule("TL634", name="query-limit-invalid", kinds=_QUERY, scope=Scope.DOCUMENT, documented_limit=True)
def query_limit_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query's ``limit`` is not a whole number from 1 to 5,000.

    ## Why is this bad?
    The Timeline document's read API is Gainsight's data query API (``/v1/data/objects/query/
    activity_timeline``), which reads at most 5,000 rows a call; the newer edition of the Timeline
    document's read sample sends ``"limit": 5000``. A larger limit is rejected (HTTP 400). Page
    through more rows with ``offset``. A whole number written with a fraction part (``100.0``) counts,
    as JSON Schema's ``integer`` counts it; ``10.5`` does not.

    ## Example
    ```json timeline-query
    {"select": ["ExternalId"], "limit": 10000}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId"], "limit": 5000, "offset": 0}
    ```
    """
    if isinstance(document, dict) and "limit" in document:
        limit = document["limit"]
        if not _is_int(limit) or not 1 <= limit <= QUERY_ROW_LIMIT:
            yield Violation(f"limit must be a whole number from 1 to {QUERY_ROW_LIMIT}, not {limit!r}", ("limit",))


@rule("TL635", name="query-offset-invalid", kinds=_QUERY, scope=Scope.DOCUMENT)
def query_offset_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query's ``offset`` is not a whole number of 0 or more.

    ## Why is this bad?
    The newer edition of the Timeline document's read sample sends ``"offset": 0``: the index of the
    first row to return. A negative or fractional offset names no row (HTTP 400); ``100.0`` is read
    as 100, as JSON Schema's ``integer`` reads it.

    ## Example
    ```json timeline-query
    {"select": ["ExternalId"], "limit": 100, "offset": -100}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId"], "limit": 100, "offset": 100}
    ```
    """
    if isinstance(document, dict) and "offset" in document:
        offset = document["offset"]
        if not _is_int(offset) or offset < 0:
            yield Violation(f"offset must be a whole number of 0 or more, not {offset!r}", ("offset",))


@rule("TL636", name="query-order-by-invalid", kinds=_QUERY, scope=Scope.DOCUMENT)
def query_order_by_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A query's ``orderBy`` is not an object of field names to ``asc`` or ``desc``.

    ## Why is this bad?
    The newer edition of the Timeline document's read sample sorts with ``"orderBy": {"CreatedDate":
    "desc"}``; Gainsight's data query API takes several such keys. Another shape or direction is
    rejected (HTTP 400). The direction is read in any case (``desc``, ``DESC``), as the spec says.

    ## Example
    ```json timeline-query
    {"select": ["ExternalId", "CreatedDate"], "orderBy": ["CreatedDate", "desc"]}
    ```

    Use instead:
    ```json timeline-query
    {"select": ["ExternalId", "CreatedDate"], "orderBy": {"CreatedDate": "desc"}}
    ```
    """
    if not isinstance(document, dict) or "orderBy" not in document:
        return
    order_by = document["orderBy"]
    if not isinstance(order_by, dict):
        yield Violation(
            f'"orderBy" must be an object of field -> "asc"|"desc", not {type_name(order_by)}', ("orderBy",)
        )
        return
    for field, direction in order_by.items():
        if not isinstance(direction, str) or direction.lower() not in ("asc", "desc"):
            yield Violation(f'orderBy {field}: the direction is "asc" or "desc", not {direction!r}', ("orderBy", field))
