r"""What a JSON text says that its parsed value hides, found while decoding and reported as findings.

Four things are lost or changed on the way from text to value, and each is a ``GS1xx`` rule:

* an integer of more than 4,300 digits, which Python refuses to convert (``GS108``): it is decoded as
  :class:`HugeInt`, never a crash;
* a number too large for a double, such as ``1e999``, which decodes to infinity (``GS109``);
* a control character in a string (``\u0000``, ``\b``), which JSON text can only hold escaped (``GS110``);
* a key given twice in one object, of which the decoded object keeps only the last value (``GS111``).

The clean path pays almost nothing. Oversized integers are a decoding error, so a second, bounded
decode runs only after one. Infinity is noted by the float hook, which runs for floats only. Control
characters are looked for only when the text holds a backslash (found at ``memchr`` speed) and then an
escape of one. Duplicate keys need the decoder to hand over each object's members, which slows decoding
by about a third, so that check runs on texts of up to :data:`DUPLICATE_CHECK_CHARS` characters (and on
the top-level object of any size). Only when one of these was seen is the value walked, to find where.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from ..pointer import PathPart

__all__ = [
    "DUPLICATE_CHECK_CHARS",
    "INT_DIGITS",
    "HugeInt",
    "LiteralProblem",
    "Notes",
    "bounded_int",
    "control_escape_in",
    "walk_literals",
]

INT_DIGITS: Final = sys.get_int_max_str_digits() or 4300
"""The longest integer literal converted (Python's limit on converting text to ``int``)."""

DUPLICATE_CHECK_CHARS: Final = 16_000_000
"""Texts up to this many characters are checked for duplicate keys in every object."""

_BIG: Final = 10**4300
# Only the controls JSON must escape, so they appear in a text only as escapes: `\u0000`..`\u001f`, `\b`
# and `\f` (tab, line feed and carriage return are ordinary in text and left alone).
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_ESCAPE: Final = re.compile(r"\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|[bf])")
_NAMES: Final = {0: "NUL", 8: "backspace", 12: "form feed", 27: "escape"}


class HugeInt(int):
    """An integer literal too long to convert, kept as a number of its sign and a magnitude of 10**4300.

    Rules compare it like any large number; its text says how long the literal was, and converting it
    back to digits (which Python refuses) is never attempted.
    """

    digits: int

    def __new__(cls, literal: str) -> HugeInt:
        negative = literal.startswith("-")
        self = super().__new__(cls, -_BIG if negative else _BIG)
        self.digits = len(literal) - negative
        return self

    def __repr__(self) -> str:
        return f"<integer of {self.digits:,} digits>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)


def bounded_int(literal: str) -> int:
    """``int(literal)``, or a :class:`HugeInt` for a literal too long to convert."""
    if len(literal) - literal.startswith("-") > INT_DIGITS:
        return HugeInt(literal)
    return int(literal)


def control_escape_in(text: str) -> bool:
    """Whether ``text`` may hold a control character: it has an escape of one (a cheap test, then a scan)."""
    first = text.find("\\")
    return first >= 0 and _CONTROL_ESCAPE.search(text, first) is not None


@dataclass(slots=True)
class Notes:
    """What one decode noticed: which checks the decoded value needs, and the objects with duplicate keys."""

    huge: bool = False
    non_finite: bool = False
    controls: bool = False
    duplicates: dict[int, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """``id`` of each object with a key given more than once -> (key, times given)."""

    def any(self) -> bool:
        """Whether the value must be walked for problems."""
        return self.huge or self.non_finite or self.controls or bool(self.duplicates)

    def float(self, literal: str) -> float:
        """The decoder's float hook: note infinity (``1e999``) as it goes by."""
        value = float(literal)
        if value in (math.inf, -math.inf):
            self.non_finite = True
        return value

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """The decoder's object hook: the object, noting keys given more than once."""
        result = dict(pairs)
        if len(result) != len(pairs):
            self.duplicated(result, [key for key, _ in pairs])
        return result

    def duplicated(self, obj: dict[str, Any], keys: list[str]) -> None:
        """Note the keys of ``obj`` that its text gives more than once."""
        counts = Counter(keys)
        self.duplicates[id(obj)] = tuple((key, n) for key, n in counts.items() if n > 1)


@dataclass(frozen=True, slots=True)
class LiteralProblem:
    """One problem found by :func:`walk_literals`: the rule, its message and the path of the value."""

    rule: str
    message: str
    path: tuple[PathPart, ...]


def _control(text: str) -> str:
    code = ord(_CONTROL.search(text).group())  # type: ignore[union-attr]  # called only after a match
    name = _NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def walk_literals(value: Any, notes: Notes) -> Iterator[LiteralProblem]:
    """Walk ``value`` for what ``notes`` says the text may hide, in document order.

    Iterative, so a deeply nested value cannot exhaust the stack.
    """
    controls = notes.controls
    duplicates = notes.duplicates
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        children: list[tuple[Any, tuple[PathPart, ...]]] = []
        if isinstance(node, dict):
            for key, count in duplicates.get(id(node), ()):
                yield LiteralProblem(
                    "GS111",
                    f"key {key!r} is given {count} times in this object: only its last value is kept",
                    (*path, key),
                )
            for key, item in node.items():
                if controls and _CONTROL.search(key):
                    yield LiteralProblem("GS110", f"key holds control character {_control(key)}", (*path, key))
                children.append((item, (*path, key)))
        elif isinstance(node, list):
            children = [(item, (*path, index)) for index, item in enumerate(node)]
        elif isinstance(node, str):
            if controls and _CONTROL.search(node):
                yield LiteralProblem("GS110", f"string holds control character {_control(node)}", path)
        elif isinstance(node, HugeInt):
            message = f"integer of {node.digits:,} digits is too long to read (the limit is {INT_DIGITS:,})"
            yield LiteralProblem("GS108", message, path)
        elif isinstance(node, float) and not math.isfinite(node):
            sign = "-" if node < 0 else ""
            yield LiteralProblem("GS109", f"number is too large for a double and reads as {sign}infinity", path)
        stack.extend(reversed(children))
