"""The read API's query language: parse a body into a :class:`Query`, then filter, sort and page rows.

Body: ``select`` (field names), ``where`` (``conditions`` of ``{name, alias, value: [...], operator}``
combined by ``expression``, e.g. ``"(A OR B) AND C"``), ``orderBy`` (``{field: "asc"|"desc"}``),
``limit`` (at most the documented row limit) and ``offset``. Field names match case-insensitively, an
exact spelling first (``InternalAttendees``, the resolved lookup, and ``internalAttendees``, the names
sent, are both fields). The body has been judged before it gets here, by the TL63x rules and the spec's
``QueryRequest`` schema (a bad one answers 400), so :func:`parse_query` only builds the query. Decisions
where the documents are silent:

* no ``expression`` ANDs every condition; no ``where`` selects every record; no ``select`` returns
  every stored field; no ``limit`` means the documented maximum; unknown keys are ignored;
* a condition given fewer values than its operator takes (``parse_query`` used on its own) matches
  nothing, and extra values of a one-value operator are alternatives;
* EQ, NE and IN compare exactly; CONTAINS, STARTS_WITH and ENDS_WITH ignore case; on a
  list-valued field (attendees) a condition holds when it holds for any element;
* GT, LT, GTE, LTE and BTW compare numbers as numbers and ISO 8601 date-times (with offsets) as
  instants, otherwise as text; values of different kinds never compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..gainsight.limits import QUERY_ROW_LIMIT
from ..gainsight.operators import (
    ARITY,
    BTW,
    CONTAINS,
    ENDS_WITH,
    EQ,
    EXCLUDES,
    GT,
    GTE,
    IN,
    INCLUDES,
    IS_NOT_NULL,
    IS_NULL,
    LT,
    LTE,
    NE,
    STARTS_WITH,
)
from .expression import Predicate, compile_expression
from .ids import parse_iso_ms

__all__ = ["Query", "field_value", "parse_query", "run_query"]

Row = Mapping[str, Any]


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

    def field_names(self) -> tuple[str, ...]:
        """Every field name the query names, in select, where and orderBy (no select reads every field too)."""
        return (*(self.select or ()), *(c.name for c in self.conditions), *(name for name, _ in self.order_by))


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


# operator -> test of one field value against the condition's values; a negated operator tests its
# opposite, and the null tests look at the whole value.
_ELEMENT_TESTS: dict[str, Callable[[Any, Sequence[Any]], bool]] = {
    EQ: _equal,
    IN: _equal,
    GT: _order(lambda a, b: a > b),
    LT: _order(lambda a, b: a < b),
    GTE: _order(lambda a, b: a >= b),
    LTE: _order(lambda a, b: a <= b),
    BTW: _between,
    CONTAINS: _text(lambda a, b: b in a),
    STARTS_WITH: _text(str.startswith),
    ENDS_WITH: _text(str.endswith),
    INCLUDES: _equal,
}
_NEGATED = {NE: EQ, EXCLUDES: INCLUDES}
_NULL_TESTS = (IS_NULL, IS_NOT_NULL)


def _is_null(value: Any) -> bool:
    return value is None or value == [] or value == ""


def _holds(condition: Condition, value: Any) -> bool:
    operator = condition.operator
    if operator in _NULL_TESTS:
        return _is_null(value) == (operator == IS_NULL)
    negate = operator in _NEGATED
    test = _ELEMENT_TESTS[_NEGATED.get(operator, operator)]
    if len(condition.values) < ARITY[operator][0]:
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


# -- building ----------------------------------------------------------------------------------------


def _condition(item: Mapping[str, Any]) -> Condition:
    return Condition(
        name=item["name"], alias=item["alias"], operator=item["operator"], values=tuple(item.get("value", []))
    )


def parse_query(body: Mapping[str, Any]) -> Query:
    """Build the query a judged body asks for (it has passed the TL63x rules and the spec's schema)."""
    select = body.get("select")
    where = body.get("where") or {}
    expression = where.get("expression")
    order = body.get("orderBy") or {}
    return Query(
        select=tuple(select) if select else None,
        conditions=tuple(_condition(c) for c in where.get("conditions") or ()),
        expression=(expression.strip() or None) if isinstance(expression, str) else None,
        order_by=tuple((name, direction.lower() == "desc") for name, direction in order.items()),
        # JSON Schema's integer includes 79.0 (a number with no fractional part); so does the spec's limit.
        limit=int(body.get("limit", QUERY_ROW_LIMIT)),
        offset=int(body.get("offset", 0)),
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
