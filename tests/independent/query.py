"""The read API's query for the independent tenant: select, where (conditions and expression), orderBy, limit, offset.

How this tenant reads a query where the documents are silent:

* field names match without regard to case (an exact spelling wins), answers use the spelling the
  ``select`` asked for, a selected field the activity does not have is left out of its row, and no
  ``select`` returns every stored field; ``<Key>__gr.<Field>`` reads a field of the entity a reference
  (``AuthorId``, ``GsCompanyId``, ``GsRelationshipId``, ``GsRelationshipTypeId``, ``ActivityTypeId``) points at;
* text compares without regard to case for every operator; on a list field (attendees) a condition holds
  when it holds for an element; ``CreatedDate``, ``LastModifiedDate`` and ``ActivityDate`` are epoch
  milliseconds and compare with numbers or ISO 8601 strings;
* no ``expression`` ANDs the conditions; an expression combines aliases with AND, OR, NOT and parentheses;
* ``orderBy`` sorts nulls as the largest value; ``limit`` defaults to 100 and may be 0 to 5,000;
* anything malformed (an unknown operator, the wrong number of values, a bad expression, ``limit`` over
  5,000) raises :class:`QueryError`, which the tenant answers with HTTP 400.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .data import OBJECTS
from .dates import date_ok, datetime_ms

__all__ = ["MAX_LIMIT", "OPERATORS", "Query", "QueryError", "parse_query", "run_query", "value_of"]

MAX_LIMIT = 5000
DEFAULT_LIMIT = 100
Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]

_DATE_FIELDS = frozenset({"createddate", "lastmodifieddate", "activitydate"})
_REFERENCES = {
    "authorid": "gsuser",
    "gscompanyid": "company",
    "gsrelationshipid": "relationship",
    "gsrelationshiptypeid": "relationshiptype",
    "activitytypeid": "activitytype",
}
# operator -> (how many values: exact count, or -1 for one or more, or None for any)
OPERATORS: Mapping[str, int | None] = {
    "EQ": 1,
    "NE": 1,
    "LT": 1,
    "GT": 1,
    "LTE": 1,
    "GTE": 1,
    "CONTAINS": 1,
    "STARTS_WITH": 1,
    "ENDS_WITH": 1,
    "BTW": 2,
    "IN": -1,
    "NOT_IN": -1,
    "INCLUDES": -1,
    "EXCLUDES": -1,
    "IS_NULL": None,
    "IS_NOT_NULL": None,
}


class QueryError(ValueError):
    """The query body is malformed; the message names the problem."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed read request."""

    select: tuple[str, ...] | None
    where: Predicate
    order_by: tuple[tuple[str, bool], ...]
    limit: int
    offset: int


def value_of(row: Row, name: str) -> Any:
    """A row's field by name: exact spelling first, then any case; ``Key__gr.Field`` follows a reference."""
    if name in row:
        return row[name]
    base, sep, target = name.partition("__gr.")
    if sep:
        object_name = _REFERENCES.get(base.casefold())
        gsid = value_of(row, base)
        for entity in OBJECTS.get(object_name or "", ()):
            if entity["Gsid"] == gsid:
                return value_of(entity, target)
        return None
    folded = name.casefold()
    return next((value for key, value in row.items() if key.casefold() == folded), None)


def _comparable(value: Any, as_date: bool) -> tuple[int, Any] | None:
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        if as_date:
            ms = datetime_ms(value) if "T" in value else datetime_ms(value + "T00:00:00Z") if date_ok(value) else None
            if ms is not None:
                return (0, ms)
        return (1, value.casefold())
    return None


def _test(operator: str, actual: Any, values: Sequence[Any], as_date: bool) -> bool:
    """Whether one (non-list) field value meets a positive operator."""
    a = _comparable(actual, as_date)
    wanted = [_comparable(v, as_date) for v in values]
    if a is None:
        return False
    if operator in ("EQ", "IN", "INCLUDES"):
        return a in wanted
    if operator in ("CONTAINS", "STARTS_WITH", "ENDS_WITH"):
        text = wanted[0]
        if a[0] != 1 or text is None or text[0] != 1:
            return False
        if operator == "CONTAINS":
            return bool(text[1] in a[1])
        return bool(a[1].startswith(text[1]) if operator == "STARTS_WITH" else a[1].endswith(text[1]))
    bounds = [w[1] for w in wanted if w is not None and w[0] == a[0] and a[0] != 2]
    if len(bounds) != len(wanted):
        return False  # only numbers (dates included) with numbers, text with text
    if operator == "BTW":
        return bool(bounds[0] <= a[1] <= bounds[1])
    checks = {"LT": a[1] < bounds[0], "GT": a[1] > bounds[0], "LTE": a[1] <= bounds[0], "GTE": a[1] >= bounds[0]}
    return bool(checks[operator])


_NEGATIONS = {"NE": "EQ", "NOT_IN": "IN", "EXCLUDES": "INCLUDES"}


def _condition(index: int, item: Any) -> tuple[str, Predicate]:
    where = f"where.conditions[{index}]"
    if not isinstance(item, Mapping):
        raise QueryError(f"{where} must be an object")
    name, alias, operator = item.get("name"), item.get("alias"), item.get("operator")
    if not isinstance(name, str) or not name or not isinstance(alias, str) or not alias:
        raise QueryError(f"{where} needs a name and an alias")
    if not isinstance(operator, str) or operator.upper() not in OPERATORS:
        raise QueryError(f"{where}.operator {operator!r} is not one of {', '.join(OPERATORS)}")
    op = operator.upper()
    raw = item.get("value", [])
    values = raw if isinstance(raw, list) else [raw]
    count = OPERATORS[op]
    if (count == -1 and not values) or (count is not None and count > 0 and len(values) != count):
        raise QueryError(f"{where}: {op} takes {'one or more values' if count == -1 else f'{count} value(s)'}")
    as_date = name.casefold() in _DATE_FIELDS

    def holds(row: Row) -> bool:
        actual = value_of(row, name)
        if op in ("IS_NULL", "IS_NOT_NULL"):
            return (actual is None or actual == [] or actual == "") == (op == "IS_NULL")
        positive = _NEGATIONS.get(op, op)
        elements = actual if isinstance(actual, list) else [actual]
        found = any(_test(positive, element, values, as_date) for element in elements)
        return not found if op in _NEGATIONS else found

    return alias.upper(), holds


_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9_]+)")


def _expression(text: str, leaves: Mapping[str, Predicate]) -> Predicate:
    """Compile ``A AND (B OR NOT C)`` over the conditions' predicates."""
    tokens: list[str] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None:
            raise QueryError(f"where.expression: unexpected {text[position:].strip()[:20]!r}")
        tokens.append(match.group(1))
        position = match.end()
    at = 0

    def peek() -> str | None:
        return tokens[at].upper() if at < len(tokens) else None

    def take() -> str:
        nonlocal at
        at += 1
        return tokens[at - 1]

    def any_of() -> Predicate:
        parts = [all_of()]
        while peek() == "OR":
            take()
            parts.append(all_of())
        return parts[0] if len(parts) == 1 else lambda row: any(p(row) for p in parts)

    def all_of() -> Predicate:
        parts = [one()]
        while peek() == "AND":
            take()
            parts.append(one())
        return parts[0] if len(parts) == 1 else lambda row: all(p(row) for p in parts)

    def one() -> Predicate:
        token = peek()
        if token == "NOT":
            take()
            inner = one()
            return lambda row: not inner(row)
        if token == "(":
            take()
            inner = any_of()
            if peek() != ")":
                raise QueryError("where.expression: a parenthesis is not closed")
            take()
            return inner
        if token is None or token not in leaves:
            raise QueryError(f"where.expression: {token!r} is not the alias of a condition")
        return leaves[take().upper()]

    predicate = any_of()
    if at != len(tokens):
        raise QueryError(f"where.expression: unexpected {tokens[at]!r}")
    return predicate


def _integer(body: Mapping[str, Any], key: str, default: int, maximum: int | None) -> int:
    # A whole number written with a fraction (2000.0) is that number, as Java JSON readers take it.
    value = body.get(key, default)
    whole = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    if not whole or value < 0:
        raise QueryError(f"{key} must be a whole number of at least 0")
    if maximum is not None and value > maximum:
        raise QueryError(f"{key} must be at most {maximum}")
    return int(value)


def parse_query(body: Any) -> Query:
    """Read a query body.

    Raises:
        QueryError: the body is malformed.
    """
    if not isinstance(body, Mapping):
        raise QueryError("the query must be a JSON object")
    select = body.get("select")
    if select is not None and not (isinstance(select, list) and all(isinstance(s, str) and s for s in select)):
        raise QueryError("select must be an array of field names")
    where = body.get("where") or {}
    if not isinstance(where, Mapping) or not isinstance(where.get("conditions", []), list):
        raise QueryError("where must be an object with a conditions array")
    leaves = dict(_condition(i, c) for i, c in enumerate(where.get("conditions", [])))
    expression = where.get("expression")
    if expression is not None and not isinstance(expression, str):
        raise QueryError("where.expression must be a string")
    if expression and expression.strip():
        predicate = _expression(expression, leaves)
    else:
        every = list(leaves.values())

        def predicate(row: Row) -> bool:
            return all(p(row) for p in every)

    order = body.get("orderBy") or {}
    if not isinstance(order, Mapping) or not all(
        isinstance(d, str) and d.lower() in ("asc", "desc") for d in order.values()
    ):
        raise QueryError("orderBy must map field names to asc or desc")
    return Query(
        select=tuple(select) if select else None,
        where=predicate,
        order_by=tuple((name, str(d).lower() == "desc") for name, d in order.items()),
        limit=_integer(body, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        offset=_integer(body, "offset", 0, None),
    )


def _sort_key(value: Any) -> tuple[int, Any]:
    found = _comparable(value, False)
    if found is not None:
        return found
    return (4, 0) if value is None else (3, repr(value))


def _row_key(name: str, row: Row) -> tuple[int, Any]:
    return _sort_key(value_of(row, name))


def run_query(query: Query, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Filter, sort, page and project ``rows``."""
    matched = [row for row in rows if query.where(row)]
    for name, descending in reversed(query.order_by):  # stable sorts, last key first
        matched.sort(key=functools.partial(_row_key, name), reverse=descending)
    page = matched[query.offset : query.offset + query.limit]
    if query.select is None:
        return [dict(row) for row in page]
    answer = []
    for row in page:
        values = {name: value_of(row, name) for name in query.select}
        answer.append({name: value for name, value in values.items() if value is not None or _has(row, name)})
    return answer


def _has(row: Row, name: str) -> bool:
    folded = name.casefold()
    return any(key.casefold() == folded for key in row)
