"""The read API's ``where.expression``: condition aliases combined with AND, OR, NOT and parentheses.

``(A OR B) AND NOT C`` compiles to one predicate over rows. Keywords ignore case; NOT binds tightest,
then AND, then OR. An expression that is not well formed, names an alias no condition has, or passes
one of the limits below raises :class:`ExpressionError`, which the read API answers with HTTP 200 and
``result: false``, as Gainsight's data APIs answer a query they cannot run.

The limits keep a hostile expression from costing more than a real one: at most
:data:`MAX_EXPRESSION_CHARS` characters, and at most :data:`MAX_EXPRESSION_DEPTH` parentheses and NOTs
around any alias (the parser and the predicate it builds recurse once per level, so 2,000 NOTs or
50,000 parentheses would otherwise exhaust Python's stack).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MAX_EXPRESSION_CHARS", "MAX_EXPRESSION_DEPTH", "ExpressionError", "Predicate", "compile_expression"]

MAX_EXPRESSION_CHARS = 2000
MAX_EXPRESSION_DEPTH = 32

Predicate = Callable[[Mapping[str, Any]], bool]

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z0-9_]+))")


class ExpressionError(ValueError):
    """``where.expression`` cannot be parsed."""


def _tokens(expression: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            if expression[position:].strip():
                raise ExpressionError(f"unexpected {expression[position:].strip()[:20]!r}")
            break
        tokens.append(match.group(match.lastindex or 0))
        position = match.end()
    return tokens


def compile_expression(expression: str, leaves: Mapping[str, Predicate]) -> Predicate:
    """A predicate for ``expression`` over the predicates of its aliases (keys in upper case).

    Raises:
        ExpressionError: the expression is not well formed, names an unknown alias, or passes a limit.
    """
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"it has {len(expression)} characters; the limit is {MAX_EXPRESSION_CHARS}")
    tokens = _tokens(expression)
    position = 0
    depth = 0

    def peek() -> str | None:
        return tokens[position].upper() if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def either() -> Predicate:
        parts = [both()]
        while peek() == "OR":
            take()
            parts.append(both())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def both() -> Predicate:
        parts = [single()]
        while peek() == "AND":
            take()
            parts.append(single())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def nested(parse: Callable[[], Predicate]) -> Predicate:
        nonlocal depth
        depth += 1
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(f"it nests parentheses and NOTs more than {MAX_EXPRESSION_DEPTH} levels deep")
        inner = parse()
        depth -= 1
        return inner

    def single() -> Predicate:
        token = peek()
        if token is None:
            raise ExpressionError("it ends where a condition alias was expected")
        if token == "NOT":
            take()
            negated = nested(single)
            return lambda row: not negated(row)
        if token == "(":
            take()
            inner = nested(either)
            if peek() != ")":
                raise ExpressionError("a parenthesis is not closed")
            take()
            return inner
        if token not in leaves:
            raise ExpressionError(f"{tokens[position]!r} is not the alias of a condition")
        take()
        return leaves[token]

    predicate = either()
    if position != len(tokens):
        raise ExpressionError(f"unexpected {tokens[position]!r}")
    return predicate
