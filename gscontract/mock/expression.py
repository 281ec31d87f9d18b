"""The read API's ``where.expression``: condition aliases combined with AND, OR, NOT and parentheses.

``(A OR B) AND NOT C`` compiles to one predicate over rows. Keywords ignore case; NOT binds tightest,
then AND, then OR. An expression that is not well formed, or names an alias no condition has, raises
:class:`ExpressionError`, which the read API answers with HTTP 200 and ``result: false`` (decisions §5).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["ExpressionError", "Predicate", "compile_expression"]

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
        ExpressionError: the expression is not well formed or names an unknown alias.
    """
    tokens = _tokens(expression)
    position = 0

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

    def single() -> Predicate:
        token = peek()
        if token is None:
            raise ExpressionError("it ends where a condition alias was expected")
        if token == "NOT":
            take()
            inner = single()
            return lambda row: not inner(row)
        if token == "(":
            take()
            inner = either()
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
