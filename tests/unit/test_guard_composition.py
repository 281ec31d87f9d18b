"""Composing declared shapes into one guard (rules/guards.py), with shapes and rules made for the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gscontract.findings import Severity
from gscontract.lint import check
from gscontract.payload.kinds import Kind
from gscontract.rules import Context, Rule, Scope, Violation
from gscontract.rules.guards import PLAN_AFTER, compose_guard
from gscontract.rules.shapes import Shape, ShapeOf, Unguarded, first_of

CTX = Context(kind=Kind.TIMELINE_INSERT)


def _never(record: Any, ctx: Context) -> Iterator[Violation]:
    """A rule function that reports nothing: these tests ask the guard, not the rule."""
    yield from ()


def _rule(rule_id: str, guard: Shape | ShapeOf | Unguarded) -> Rule:
    """An insert record rule with the given guard."""
    kinds = frozenset({Kind.TIMELINE_INSERT})
    return Rule(
        rule_id, f"name-{rule_id.lower()}", kinds, Severity.ERROR, Scope.RECORD, None, "Doc.", _never, guard=guard
    )


def _clean(*shapes: Shape | ShapeOf) -> Any:
    """The guard of one rule per shape, planning each key set at its first record."""
    guard = compose_guard([_rule(f"TL9{i:02d}", shape) for i, shape in enumerate(shapes)], CTX, plan_after=1)
    assert guard is not None
    return guard.clean


def test_no_guarded_rule_makes_no_guard() -> None:
    assert compose_guard([_rule("TL900", Unguarded("test"))], CTX) is None
    guard = compose_guard([_rule("TL900", Unguarded("test")), _rule("TL901", Shape())], CTX)
    assert guard is not None
    assert guard.covers == {"TL901"}


def test_non_records_pass_and_odd_records_fail() -> None:
    clean = _clean(Shape())
    assert clean("not a record")
    assert clean(None)
    assert clean({"any": "thing"})
    assert not clean(type("Sub", (dict,), {})(a=1))  # a dict subclass: no shortcut
    assert not clean({1: "a key that is not a string"})


def test_text_fields_must_be_non_blank_strings() -> None:
    clean = _clean(Shape(text=("Subject",)), Shape(text=("Subject", "Notes")))
    assert clean({"Subject": "s", "Notes": "n", "other": 1})
    for bad in ("", "  ", None, 5, ["s"]):
        assert not clean({"Subject": "s", "Notes": bad})
    assert not clean({"Subject": "s"})
    single = _clean(Shape(text=("Subject",)))
    assert single({"Subject": "s"})
    assert not single({"Subject": " "})


def test_text_when_applies_only_to_records_holding_the_value() -> None:
    clean = _clean(Shape(text_when={("ContextName", "Relationship"): ("RelationshipName",)}))
    assert clean({"ContextName": "Company"})
    assert clean({"Other": 1})
    assert clean({"ContextName": "Relationship", "RelationshipName": "Desktop"})
    assert not clean({"ContextName": "Relationship", "RelationshipName": ""})
    assert not clean({"ContextName": "Relationship"})


def test_types_of_several_shapes_intersect() -> None:
    clean = _clean(Shape(types={"a": frozenset({str, type(None)})}), Shape(types={"a": frozenset({str, int})}))
    assert clean({"a": "x"})
    assert clean({})
    assert not clean({"a": None})
    assert not clean({"a": 1})
    assert not _clean(Shape(types={"a": frozenset({str})}), Shape(types={"a": frozenset({int})}))({"a": "x"})
    assert not _clean(Shape(text=("a",)), Shape(types={"a": frozenset({int})}))({"a": "x"})
    several = _clean(Shape(types={"a": frozenset({str}), "b": frozenset({str})}))
    assert several({"a": "x", "b": "y"})
    assert not several({"a": "x", "b": 2})


def test_string_lists_limits_and_choices() -> None:
    clean = _clean(
        Shape(string_lists=("tags",), limits={"s": 5}, choices={"c": frozenset({"A", "B", None})}),
        Shape(limits={"s": 3}, choices={"c": frozenset({"A", "C", None})}),
    )
    assert clean({"tags": ["x"], "s": "abc", "c": "A"})
    assert clean({"tags": "not a list: the types' business", "s": 12345, "c": None})
    assert not clean({"tags": ["x", 1]})
    assert not clean({"s": "abcd"})
    assert not clean({"c": "B"})
    assert not clean({"c": ["unhashable"]})


def test_formats_test_strings_and_remember_the_clean_ones() -> None:
    seen: list[str] = []

    def is_upper(value: str) -> bool:
        seen.append(value)
        return value.isupper()

    clean = _clean(Shape(formats={"code": is_upper}))
    assert clean({"code": "AB"})
    assert clean({"code": "AB"})
    assert clean({"code": 5})
    assert not clean({"code": "ab"})
    assert not clean({"code": "ab"})
    assert seen == ["AB", "ab", "ab"]  # a clean string is tested once per check


def test_values_and_record_tests_see_any_value() -> None:
    clean = _clean(Shape(values={"n": lambda v: v is None or isinstance(v, int)}), Shape(test=lambda r: len(r) < 3))
    assert clean({"n": 1})
    assert clean({"n": None, "m": 0})
    assert not clean({"n": "1"})
    assert not clean({"n": 1, "a": 0, "b": 0})


def test_a_shape_is_worked_out_once_per_key_set_and_may_refuse_it() -> None:
    asked: list[frozenset[str]] = []

    def typed(keys: frozenset[str], ctx: Context) -> Shape | None:
        asked.append(keys)
        name = first_of(keys, "TypeName", "ActivityTypeId")
        return None if name is None else Shape(text=(name,))

    clean = _clean(typed)
    assert clean({"TypeName": "Call"})
    assert clean({"TypeName": "Meeting"})
    assert clean({"ActivityTypeId": "x"})
    assert not clean({"Subject": "no type"})
    assert not clean({"Subject": "no type"})
    assert asked == [frozenset({"TypeName"}), frozenset({"ActivityTypeId"}), frozenset({"Subject"})]


def test_a_key_set_gets_its_plan_at_its_plan_after_th_record() -> None:
    guard = compose_guard([_rule("TL900", Shape(text=("Subject",)))], CTX, plan_after=3)
    assert guard is not None
    assert [guard.clean({"Subject": "s"}) for _ in range(4)] == [False, False, True, True]
    assert not guard.clean({"Subject": "s", "Notes": "another key set waits for its own plan"})


def test_the_engine_skips_guarded_rules_on_fitting_records_of_bulk_bodies_only() -> None:
    calls: list[str] = []

    def counting(record: Any, ctx: Context) -> Iterator[Violation]:
        calls.append(record["Subject"])
        if len(record["Subject"]) > 3:
            yield Violation("too long", ("Subject",))

    rule = _rule("TL950", Shape(limits={"Subject": 3}))
    rule = Rule(rule.id, rule.name, rule.kinds, rule.severity, rule.scope, None, "Doc.", counting, guard=rule.guard)
    small = {"records": [{"Subject": "ok"}, {"Subject": "long"}]}
    assert [f.pointer for f in check(small, [rule], CTX)] == ["/records/1/Subject"]
    assert calls == ["ok", "long"]  # too small a body for a guard: every rule runs
    calls.clear()
    bulk = {"records": [{"Subject": f"{i}"} for i in range(PLAN_AFTER + 2)] + [{"Subject": "long"}]}
    assert [f.pointer for f in check(bulk, [rule], CTX)] == [f"/records/{PLAN_AFTER + 2}/Subject"]
    # The records that came before their key set's plan are asked again, so only the misfit is judged.
    assert calls == ["long"]
