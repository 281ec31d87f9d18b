"""The read API's query operators, and how many values each one compares with.

The operators are those of Gainsight's query samples (EQ, BTW, IN, CONTAINS) and of its data APIs'
operator list. The rules that judge a query, the spec's ``QueryCondition`` (a test keeps the two in
step) and the mock that runs a query all take them from here.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ARITY",
    "BTW",
    "CONTAINS",
    "ENDS_WITH",
    "EQ",
    "EXCLUDES",
    "GT",
    "GTE",
    "IN",
    "INCLUDES",
    "IS_NOT_NULL",
    "IS_NULL",
    "LT",
    "LTE",
    "NE",
    "OPERATORS",
    "STARTS_WITH",
    "Arity",
]

EQ: Final = "EQ"
NE: Final = "NE"
LT: Final = "LT"
GT: Final = "GT"
LTE: Final = "LTE"
GTE: Final = "GTE"
BTW: Final = "BTW"
IN: Final = "IN"
CONTAINS: Final = "CONTAINS"
STARTS_WITH: Final = "STARTS_WITH"
ENDS_WITH: Final = "ENDS_WITH"
IS_NULL: Final = "IS_NULL"
IS_NOT_NULL: Final = "IS_NOT_NULL"
INCLUDES: Final = "INCLUDES"
EXCLUDES: Final = "EXCLUDES"

Arity = tuple[int, int | None]
"""How many values an operator compares with: (fewest, most), ``None`` for no upper bound."""

_ONE: Final[Arity] = (1, 1)
_SOME: Final[Arity] = (1, None)
_NONE: Final[Arity] = (0, 0)

ARITY: Final[dict[str, Arity]] = {
    EQ: _ONE, NE: _ONE, LT: _ONE, GT: _ONE, LTE: _ONE, GTE: _ONE, BTW: (2, 2), IN: _SOME,
    CONTAINS: _ONE, STARTS_WITH: _ONE, ENDS_WITH: _ONE, IS_NULL: _NONE, IS_NOT_NULL: _NONE,
    INCLUDES: _SOME, EXCLUDES: _SOME,
}  # fmt: skip
"""Every documented operator, in the order the spec lists them, with its arity."""

OPERATORS: Final = tuple(ARITY)
"""The documented operators, exactly as written (they are case-sensitive)."""
