"""The read API's query language: parse a body into a :class:`Query`, then filter, sort and page rows.

Body: ``select`` (field names), ``where`` (``conditions`` of ``{name, alias, value: [...], operator}``
combined by ``expression``, e.g. ``"(A OR B) AND C"``), ``orderBy`` (``{field: "asc"|"desc"}``),
``limit`` (at most 5,000) and ``offset``. Field names match case-insensitively, an exact spelling
first (``InternalAttendees``, the resolved lookup, and ``internalAttendees``, the names sent, are both
fields). Decisions where the documents are silent:

* no ``expression`` ANDs every condition; no ``where`` selects every record; no ``select`` returns
  every stored field; no ``limit`` means the maximum, 5,000; unknown keys are ignored;
* how many values each operator takes is checked before parsing (rule TL632 and the spec's
  ``QueryCondition`` answer 400); a condition given fewer anyway (``parse_query`` used on its own)
  matches nothing, and extra values of a one-value operator are alternatives;
* EQ, NE, IN and NOT_IN compare exactly; CONTAINS, STARTS_WITH and ENDS_WITH ignore case; on a
  list-valued field (attendees) a condition holds when it holds for any element;
* GT, LT, GTE, LTE and BTW compare numbers as numbers and ISO 8601 date-times (with offsets) as
  instants, otherwise as text; values of different kinds never compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .expression import Predicate, compile_expression
from .ids import parse_iso_ms

__all__ = ["MAX_LIMIT", "OPERATORS", "Query", "QueryError", "field_value", "parse_query", "run_query"]

MAX_LIMIT = 5000

Row = Mapping[str, Any]


class QueryError(ValueError):
    """The body does not have the query's shape (answered with HTTP 400)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``where`` condition."""

    name: str
    alias: str
    operator: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed read request."""

    select: tuple[str, ...] | None
    conditions: tuple[Condition, ...]
    expression: str | None
    order_by: tuple[tuple[str, bool], ...]
    limit: int
    offset: int


def _kind(value: Any) -> tuple[int, Any] | None:
    """A comparable form: numbers, instants and text compare only with their own kind."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        instant = parse_iso_ms(value) if "T" in value else None
        return (1, instant) if instant is not None else (2, value)
    return None


def _order(op: Callable[[Any, Any], bool]) -> Callable[[Any, Sequence[Any]], bool]:
    def compare(actual: Any, values: Sequence[Any]) -> bool:
        a, b = _kind(actual), _kind(values[0])
        return a is not None and b is not None and a[0] == b[0] and op(a[1], b[1])

    return compare


def _between(actual: Any, values: Sequence[Any]) -> bool:
    a, low, high = _kind(actual), _kind(values[0]), _kind(values[1])
    if a is None or low is None or high is None or not a[0] == low[0] == high[0]:
        return False
    return bool(low[1] <= a[1] <= high[1])


def _equal(actual: Any, values: Sequence[Any]) -> bool:
    # True is not 1: booleans equal only booleans.
    return any(actual == v and isinstance(actual, bool) == isinstance(v, bool) for v in values)


def _text(test: Callable[[str, str], bool]) -> Callable[[Any, Sequence[Any]], bool]:
    def match(actual: Any, values: Sequence[Any]) -> bool:
        if not isinstance(actual, str):
            return False
        folded = actual.casefold()
        return any(isinstance(v, str) and test(folded, v.casefold()) for v in values)

    return match


# operator -> (test of one field value against the condition's values, how many values it needs)
_ELEMENT_TESTS: dict[str, tuple[Callable[[Any, Sequence[Any]], bool], int]] = {
    "EQ": (_equal, 1),
    "IN": (_equal, 1),
    "GT": (_order(lambda a, b: a > b), 1),
    "LT": (_order(lambda a, b: a < b), 1),
    "GTE": (_order(lambda a, b: a >= b), 1),
    "LTE": (_order(lambda a, b: a <= b), 1),
    "BTW": (_between, 2),
    "CONTAINS": (_text(lambda a, b: b in a), 1),
    "STARTS_WITH": (_text(str.startswith), 1),
    "ENDS_WITH": (_text(str.endswith), 1),
    "INCLUDES": (_equal, 1),
}
_NEGATED = {"NE": "EQ", "NOT_IN": "IN", "EXCLUDES": "INCLUDES"}
_NULL_TESTS = ("IS_NULL", "IS_NOT_NULL")
OPERATORS = tuple(sorted([*_ELEMENT_TESTS, *_NEGATED, *_NULL_TESTS]))


def _is_null(value: Any) -> bool:
    return value is None or value == [] or value == ""


def _holds(condition: Condition, value: Any) -> bool:
    operator = condition.operator
    if operator in _NULL_TESTS:
        return _is_null(value) == (operator == "IS_NULL")
    negate = operator in _NEGATED
    test, needed = _ELEMENT_TESTS[_NEGATED.get(operator, operator)]
    if len(condition.values) < needed:
        return negate  # too few values to compare with (only when TL632 was not run first): nothing matches
    elements = value if isinstance(value, list) else [value]
    found = any(test(element, condition.values) for element in elements)
    return not found if negate else found


def field_value(row: Row, name: str) -> Any:
    """A row's field by name: the exact spelling first, else case-insensitively; ``None`` when absent."""
    if name in row:
        return row[name]
    folded = name.casefold()
    for key, value in row.items():
        if key.casefold() == folded:
            return value
    return None


# -- parsing -----------------------------------------------------------------------------------------


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise QueryError(message)


def _condition(index: int, item: Any) -> Condition:
    where = f"where.conditions[{index}]"
    _require(isinstance(item, dict), f"{where} must be an object")
    name, alias, operator = item.get("name"), item.get("alias"), item.get("operator")
    _require(isinstance(name, str) and bool(name), f"{where}.name must be a non-empty string")
    _require(isinstance(alias, str) and bool(alias), f"{where}.alias must be a non-empty string")
    _require(isinstance(operator, str), f"{where}.operator must be a string")
    op = operator.upper()
    _require(op in OPERATORS, f"{where}.operator {operator!r} is not one of {', '.join(OPERATORS)}")
    values = item.get("value", [])
    _require(isinstance(values, list), f"{where}.value must be an array")
    return Condition(name=name, alias=alias, operator=op, values=tuple(values))


def _integer(body: Mapping[str, Any], key: str, default: int, maximum: int | None = None) -> int:
    value = body.get(key, default)
    # JSON Schema's integer includes 79.0 (a number with no fractional part); so does the spec's limit.
    whole = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    _require(whole and value >= 0, f"{key} must be an integer >= 0")
    _require(maximum is None or value <= maximum, f"{key} must be at most {maximum}")
    return int(value)


def parse_query(body: Any) -> Query:
    """Read a query body.

    Raises:
        QueryError: a key has the wrong type or value (the message names it).
    """
    _require(isinstance(body, dict), "query body must be an object")
    select = body.get("select")
    _require(
        select is None or (isinstance(select, list) and all(isinstance(s, str) for s in select)),
        "select must be an array of field names",
    )
    where = body.get("where") or {}
    _require(isinstance(where, dict), "where must be an object")
    raw_conditions = where.get("conditions") or []
    _require(isinstance(raw_conditions, list), "where.conditions must be an array")
    conditions = tuple(_condition(i, c) for i, c in enumerate(raw_conditions))
    expression = where.get("expression")
    _require(expression is None or isinstance(expression, str), "where.expression must be a string")
    order = body.get("orderBy") or {}
    _require(isinstance(order, dict), "orderBy must be an object of field -> asc|desc")
    order_by: list[tuple[str, bool]] = []
    for name, direction in order.items():
        _require(
            isinstance(direction, str) and direction.lower() in ("asc", "desc"), f"orderBy.{name} must be asc or desc"
        )
        order_by.append((name, direction.lower() == "desc"))
    return Query(
        select=tuple(select) if select else None,
        conditions=conditions,
        expression=(expression.strip() or None) if isinstance(expression, str) else None,
        order_by=tuple(order_by),
        limit=_integer(body, "limit", MAX_LIMIT, MAX_LIMIT),
        offset=_integer(body, "offset", 0),
    )


def _where(query: Query) -> Predicate:
    """The predicate of ``where``: its expression over the conditions, or all conditions when it has none."""
    leaves = {c.alias.upper(): _leaf(c) for c in query.conditions}
    if query.expression is None:
        every = [_leaf(c) for c in query.conditions]
        return lambda row: all(p(row) for p in every)
    return compile_expression(query.expression, leaves)


def _leaf(condition: Condition) -> Predicate:
    return lambda row: _holds(condition, field_value(row, condition.name))


def _sort_key(value: Any) -> tuple[int, Any]:
    kind = _kind(value)
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return (3, value)
    return (4, 0)  # null, lists and objects sort last, in their stored order


def run_query(query: Query, rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Filter, sort, page and project ``rows`` (dicts of stored fields) as the query asks.

    Raises:
        ExpressionError: ``where.expression`` cannot be parsed.
    """
    predicate = _where(query)
    matched = [row for row in rows if predicate(row)]
    for name, descending in reversed(query.order_by):
        # Sorting by kind first keeps mixed values from being compared; nulls stay last either way.
        present = [r for r in matched if _sort_key(field_value(r, name))[0] < 4]
        absent = [r for r in matched if _sort_key(field_value(r, name))[0] >= 4]
        present.sort(key=lambda r: _sort_key(field_value(r, name)), reverse=descending)
        matched = present + absent
    page = matched[query.offset : query.offset + query.limit]
    if query.select is None:
        return [dict(row) for row in page]
    return [{name: field_value(row, name) for name in query.select} for row in page]
