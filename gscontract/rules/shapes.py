"""What a clean record looks like to one rule: the declarations the engine's fast path is built from.

An 80 MB bulk file holds over 100,000 records, nearly all of them clean, and calling twenty small rule
functions on each costs seconds. So every record rule declares, where it is registered
(``@rule(..., guard=...)``), either what a record it has nothing to say about looks like (a :class:`Shape`,
or a function of the record's keys and the context that gives one), or that it is :class:`Unguarded` and
why. The engine composes the shapes of a check's rules into one quick test per record
(:mod:`gscontract.rules.guards`) and runs those rules only on the records that fail it.

A shape is *conservative*: a record that fits it must get no violation from its rule. A record that does
not fit may still be clean; the rule then runs and decides, so a shape never changes a finding, only
how fast a clean record is passed. Rules that ask the tenant are unguarded: they ask about every record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeAlias

if TYPE_CHECKING:
    from . import Context

__all__ = [
    "ANYTHING",
    "STRING_OR_NULL",
    "Shape",
    "ShapeOf",
    "Unguarded",
    "first_of",
]

ValueTest: TypeAlias = Callable[[Any], bool]
RecordTest: TypeAlias = Callable[[dict[str, Any]], bool]

STRING_OR_NULL: Final[frozenset[type]] = frozenset({str, type(None)})


@dataclass(frozen=True, slots=True)
class Shape:
    """What a record must hold for one rule to have nothing to say about it.

    Only ``text`` asks for fields; every other demand applies to a field only when the record has it.

    - ``text``: fields that must hold non-blank strings.
    - ``text_when``: fields that must hold non-blank strings when another field holds a value:
      ``{("ContextName", "Relationship"): ("GsRelationshipTypeId",)}``.
    - ``types``: the exact Python types a field's value may have (``frozenset({str, type(None)})``).
    - ``string_lists``: fields whose value, when it is a list, must hold only strings.
    - ``limits``: the most characters a string value may have.
    - ``choices``: the values a field may hold (``None`` for ``null``).
    - ``formats``: a test of one field's value when it is a string, of that string alone (the engine
      remembers the strings that passed: dates repeat across a file).
    - ``values``: a test of one field's value alone, whatever its type.
    - ``test``: a test of the whole record, for what the others cannot say; it is called per record,
      so it is the slowest demand.
    """

    text: tuple[str, ...] = ()
    text_when: Mapping[tuple[str, Any], tuple[str, ...]] = field(default_factory=dict)
    types: Mapping[str, frozenset[type]] = field(default_factory=dict)
    string_lists: tuple[str, ...] = ()
    limits: Mapping[str, int] = field(default_factory=dict)
    choices: Mapping[str, frozenset[Any]] = field(default_factory=dict)
    formats: Mapping[str, Callable[[str], bool]] = field(default_factory=dict)
    values: Mapping[str, ValueTest] = field(default_factory=dict)
    test: RecordTest | None = None


ShapeOf: TypeAlias = Callable[[frozenset[str], "Context"], Shape | None]
"""A shape worked out from a record's keys and the context (once per key set and check); ``None`` when
no record with these keys can be clean for the rule."""

ANYTHING: Final = Shape()
"""The shape of a rule with nothing to check in this context or on records with these keys."""


@dataclass(frozen=True, slots=True)
class Unguarded:
    """A record rule the fast path never skips, and why (it asks the tenant, or it is cheap and rare)."""

    reason: str


def first_of(keys: frozenset[str], *names: str) -> str | None:
    """The first of ``names`` the record has, for a rule satisfied by any of them.

    Asking for the first one present is conservative: if it is blank and a later one is not, the record
    fails the guard and the rule decides.
    """
    return next((name for name in names if name in keys), None)
