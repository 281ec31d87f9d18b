"""The engine's fast path: the shapes a check's record rules declare, composed into one test per record.

Each guarded rule declares, where it is registered, the :class:`~gscontract.rules.shapes.Shape` of a
record it has nothing to say about. :func:`compose_guard` joins the shapes of the rules of one
:func:`~gscontract.lint.check` call: a record that fits all of them gets no violation from any of them,
so the engine skips those rules on it.

Records of one file share a few key sets. For each key set the shapes are worked out and merged once
(:func:`_merge`), then compiled into one small function (:func:`_compile`) that tests everything inline:
calling a function per demand would cost more than the rules saved on 80 MB files. Field names come
from rule constants and the record's own keys; they are written into the source as ``repr`` literals of
``str`` values (keys that are not strings get no plan), every other value is bound by name. The plans and
the clean strings remembered per field live only as long as the check: nothing is cached globally.

Working out and compiling a plan costs about as much as running the rules on a few records, so a key set
gets its plan only from its :data:`PLAN_AFTER`-th record on; until then the guard answers ``False`` and the
rules judge. A small body (the mock checks one request at a time) is never worth a plan.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from . import Context, Rule
from .shapes import Shape, ShapeOf, Unguarded

__all__ = ["PLAN_AFTER", "ComposedGuard", "compose_guard"]

RecordTest = Callable[[dict[str, Any]], bool]

_STR: Final = frozenset({str})
_MAX_PLANS: Final = 256
_MAX_WAITING: Final = 4 * _MAX_PLANS
PLAN_AFTER: Final = 8
"""The records of one key set the rules judge before the guard gets a plan for it (see above)."""
# Clean strings remembered per field and key set: date values repeat across a bulk file (many a day).
_MAX_REMEMBERED: Final = 50_000


@dataclass(frozen=True, slots=True)
class ComposedGuard:
    """The guard of one check: the ids of the rules it covers and the test a record must pass to skip them.

    ``clean`` answers ``True`` for anything that is not a record (no record rule checks it), ``False`` for a
    dict subclass (no shortcut) and otherwise whether the record fits every covered rule's shape.
    """

    covers: frozenset[str]
    clean: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class _Merged:
    """The shapes of a check's guarded rules for one key set, merged: each field's demands together."""

    text: tuple[str, ...]
    text_when: tuple[tuple[str, Any, tuple[str, ...] | None], ...]
    """(field, value, fields that must then be text); ``None``: one of them is missing, so no record fits."""
    types: tuple[tuple[frozenset[type], tuple[str, ...]], ...]
    string_lists: tuple[str, ...]
    limits: tuple[tuple[str, int], ...]
    choices: tuple[tuple[str, frozenset[Any]], ...]
    formats: tuple[tuple[str, tuple[Callable[[str], bool], ...]], ...]
    values: tuple[tuple[str, tuple[Callable[[Any], bool], ...]], ...]
    tests: tuple[RecordTest, ...]


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    """The items in order, each once."""
    return tuple(dict.fromkeys(items))


def _per_field(pairs: Iterable[tuple[str, Any]], keys: frozenset[str]) -> dict[str, list[Any]]:
    """Each field the record has, with every demand the shapes make of it (in order, without repeats)."""
    found: dict[str, list[Any]] = {}
    for name, demand in pairs:
        if name in keys and demand not in found.setdefault(name, []):
            found[name].append(demand)
    return found


def _merge(keys: frozenset[str], declared: Sequence[Shape | ShapeOf], ctx: Context) -> _Merged | None:
    """The shapes of ``declared`` for records with ``keys``, merged; ``None`` when no such record can fit."""
    shapes = []
    for guard in declared:
        shape = guard if isinstance(guard, Shape) else guard(keys, ctx)
        if shape is None:
            return None
        shapes.append(shape)
    text = _unique(name for shape in shapes for name in shape.text)
    types = {
        name: frozenset.intersection(*allowed)
        for name, allowed in _per_field(((n, t) for s in shapes for n, t in s.types.items()), keys).items()
    }
    choices = {
        name: frozenset.intersection(*among)
        for name, among in _per_field(((n, c) for s in shapes for n, c in s.choices.items()), keys).items()
    }
    if not keys.issuperset(text) or any(not types.pop(name, _STR) >= _STR for name in text):
        return None  # a text field is missing, or another shape rules strings out
    if not all(types.values()) or not all(choices.values()):
        return None  # no value fits
    when: dict[tuple[str, Any], tuple[str, ...]] = {}
    for shape in shapes:
        for (name, value), needed in shape.text_when.items():
            if name in keys:
                when[name, value] = _unique((*when.get((name, value), ()), *needed))
    by_types: dict[frozenset[type], list[str]] = {}
    for name, allowed in types.items():
        by_types.setdefault(allowed, []).append(name)
    limits = _per_field(((n, limit) for s in shapes for n, limit in s.limits.items()), keys)
    return _Merged(
        text=text,
        text_when=tuple(
            (name, value, needed if keys.issuperset(needed) else None) for (name, value), needed in when.items()
        ),
        types=tuple((allowed, tuple(names)) for allowed, names in by_types.items()),
        string_lists=_unique(name for shape in shapes for name in shape.string_lists if name in keys),
        limits=tuple((name, min(found)) for name, found in limits.items()),
        choices=tuple(choices.items()),
        formats=tuple(
            (name, tuple(tests))
            for name, tests in _per_field(((n, f) for s in shapes for n, f in s.formats.items()), keys).items()
        ),
        values=tuple(
            (name, tuple(tests))
            for name, tests in _per_field(((n, f) for s in shapes for n, f in s.values.items()), keys).items()
        ),
        tests=_unique(shape.test for shape in shapes if shape.test is not None),
    )


class _Source:
    """The source of one compiled test, line by line, and the values its lines name."""

    def __init__(self) -> None:
        """An empty test: a function that passes every record, with the names every test may use."""
        self.lines = ["def fits(record):", "  try:", "    pass"]  # a shape may demand nothing
        self.env: dict[str, Any] = {"_STR": _STR, "_isspace": str.isspace, "_MAX": _MAX_REMEMBERED}

    def bind(self, value: Any) -> str:
        """A name for ``value`` in the compiled function's globals."""
        name = f"_b{len(self.env)}"
        self.env[name] = value
        return name

    def fail_if(self, condition: str, indent: int = 4) -> None:
        """A line that fails the record when ``condition`` (Python source over ``record`` and ``v``) holds."""
        self.lines.append(" " * indent + f"if {condition}: return False")

    def text(self, names: Sequence[str], indent: int = 4) -> None:
        """Lines that fail unless every field of ``names`` holds a non-blank string."""
        pad = " " * indent
        if len(names) == 1:
            self.lines.append(f"{pad}v = record[{names[0]!r}]")
            self.fail_if("v.__class__ is not str or not v or v.isspace()", indent)
        else:
            self.lines.append(f"{pad}v = {self.bind(operator.itemgetter(*names))}(record)")
            self.fail_if('set(map(type, v)) != _STR or "" in v or any(map(_isspace, v))', indent)


def _compile(merged: _Merged) -> RecordTest:
    """One function that tests a record with the merged key set against every demand, inline."""
    src = _Source()
    if merged.text:
        src.text(merged.text)
    for name, value, needed in merged.text_when:
        src.lines.append(f"    if record[{name!r}] == {src.bind(value)}:")
        if needed is None:
            src.lines.append("      return False")
        else:
            src.text(needed, indent=6)
    for allowed, names in merged.types:
        if len(names) == 1:
            src.fail_if(f"record[{names[0]!r}].__class__ not in {src.bind(allowed)}")
        else:
            src.fail_if(f"not set(map(type, {src.bind(operator.itemgetter(*names))}(record))) <= {src.bind(allowed)}")
    for name in merged.string_lists:
        src.lines.append(f"    v = record[{name!r}]")
        src.fail_if("v.__class__ is list and not set(map(type, v)) <= _STR")
    for name, limit in merged.limits:
        src.lines.append(f"    v = record[{name!r}]")
        src.fail_if(f"v.__class__ is str and len(v) > {limit:d}")
    for name, among in merged.choices:
        src.fail_if(f"record[{name!r}] not in {src.bind(among)}")  # an unhashable value raises TypeError
    for name, formats in merged.formats:
        remembered = src.bind(set())
        src.lines.append(f"    v = record[{name!r}]")
        src.lines.append(f"    if v.__class__ is str and v not in {remembered}:")
        src.fail_if(" or ".join(f"not {src.bind(test)}(v)" for test in formats), 6)
        src.lines.append(f"      if len({remembered}) < _MAX: {remembered}.add(v)")
    for name, tests in merged.values:
        src.fail_if(" or ".join(f"not {src.bind(test)}(record[{name!r}])" for test in tests))
    for test in merged.tests:
        src.fail_if(f"not {src.bind(test)}(record)")
    src.lines += ["  except TypeError:", "    return False", "  return True"]
    namespace = dict(src.env)
    exec("\n".join(src.lines), namespace)  # our own source, from constants and str keys: see above
    fits: RecordTest = namespace["fits"]
    return fits


def _plan(keys: tuple[Any, ...], declared: Sequence[Shape | ShapeOf], ctx: Context) -> RecordTest | None:
    """The compiled test for records with ``keys``; ``None`` when such a record cannot fit (or is odd)."""
    if not all(key.__class__ is str for key in keys):
        return None
    merged = _merge(frozenset(keys), declared, ctx)
    return None if merged is None else _compile(merged)


def _never(record: dict[str, Any]) -> bool:
    """The plan of a key set no record can fit with."""
    return False


def compose_guard(rules: Iterable[Rule], ctx: Context, *, plan_after: int = PLAN_AFTER) -> ComposedGuard | None:
    """The guard of the guarded ``rules`` in ``ctx``, or ``None`` when none of them is guarded.

    A key set gets its plan at its ``plan_after``-th record; the records before it fail the guard.
    """
    covered = [r for r in rules if r.guarded]
    if not covered:
        return None
    declared = [r.guard for r in covered if r.guard is not None and not isinstance(r.guard, Unguarded)]
    plans: dict[tuple[Any, ...], RecordTest] = {}
    waiting: dict[tuple[Any, ...], int] = {}

    def unplanned(keys: tuple[Any, ...], record: dict[str, Any]) -> bool:
        """A record whose key set has no plan yet: plan it from its ``plan_after``-th record on."""
        seen = waiting.get(keys, 0) + 1
        if seen < plan_after or len(plans) >= _MAX_PLANS:
            if len(waiting) < _MAX_WAITING:
                waiting[keys] = seen
            return False
        fits = plans[keys] = _plan(keys, declared, ctx) or _never
        return fits(record)

    def clean(record: Any) -> bool:
        """Whether the engine may skip the covered rules on ``record``; written for speed: it runs per record."""
        if record.__class__ is not dict:
            return not isinstance(record, dict)  # not a record (GS106's), or a dict subclass: no shortcut
        keys = tuple(record)
        fits = plans.get(keys)
        return unplanned(keys, record) if fits is None else fits(record)

    return ComposedGuard(frozenset(r.id for r in covered), clean)
