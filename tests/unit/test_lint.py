"""The engine and the registry's mechanics, with rules made for the test (the real ones are tested in tests/rules)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gscontract import rules as registry
from gscontract.errors import RegistryError
from gscontract.findings import Severity
from gscontract.lint import check, record_items
from gscontract.payload.kinds import Kind
from gscontract.rules import Context, Rule, Scope, Violation
from gscontract.rules.shapes import Shape, Unguarded
from gscontract.tenants.questions import ACTIVITIES, EXTERNAL_IDS, RunTenant


def _subject_missing(record: Any, ctx: Context) -> Iterator[Violation]:
    if "Subject" not in record:
        yield Violation("Subject missing")
    elif len(record["Subject"]) > 3:
        yield Violation("Subject too long", ("Subject",))


def _no_lookups(document: Any, ctx: Context) -> Iterator[Violation]:
    if not ctx.lookups:
        yield Violation("no lookups", ("lookups",))


def _seen_before(record: Any, ctx: Context) -> Iterator[Violation]:
    assert ctx.tenant is not None
    if ctx.tenant.external_id_exists(record.get("ExternalId", "")):
        yield Violation("exists", ("ExternalId",))


def _rule(rule_id: str, func: Any, scope: Scope = Scope.RECORD, **extra: Any) -> Rule:
    kinds = extra.pop("kinds", frozenset({Kind.TIMELINE_INSERT, Kind.EVENT}))
    return Rule(rule_id, f"name-{rule_id.lower()}", kinds, Severity.ERROR, scope, "GS_X", "Doc.", func, **extra)


SUBJECT = _rule("TL901", _subject_missing)
LOOKUPS = _rule("TL902", _no_lookups, Scope.DOCUMENT)
SEEN = _rule("TL903", _seen_before, tenant_question=EXTERNAL_IDS)
TEST_RULE = Unguarded("a rule made for a test")


def test_record_violations_get_pointers_under_their_record() -> None:
    doc = {"records": [{"Subject": "ok"}, "not a record", {}, {"Subject": "long"}]}
    found = list(check(doc, [SUBJECT], Context(kind=Kind.TIMELINE_INSERT)))
    assert [(f.rule, f.pointer, f.message, f.code) for f in found] == [
        ("TL901", "/records/2", "Subject missing", "GS_X"),
        ("TL901", "/records/3/Subject", "Subject too long", "GS_X"),
    ]


def test_a_single_event_is_its_own_record() -> None:
    found = list(check({"Subject": "long"}, [SUBJECT], Context(kind=Kind.EVENT)))
    assert [f.pointer for f in found] == ["/Subject"]
    assert record_items({"a": 1}, Kind.EVENT) == ((), ({"a": 1},))
    assert record_items(["x"], Kind.TIMELINE_DELETE) == ((), ())


def test_document_rules_use_absolute_paths_and_context() -> None:
    doc: dict[str, Any] = {"records": []}
    assert [f.pointer for f in check(doc, [LOOKUPS], Context(kind=Kind.TIMELINE_INSERT))] == ["/lookups"]
    ctx = Context(kind=Kind.TIMELINE_INSERT, lookups={"AuthorId": {}})
    assert list(check(doc, [LOOKUPS], ctx)) == []


def test_tenant_rules_run_only_with_a_tenant() -> None:
    doc = {"records": [{"ExternalId": "a1", "Subject": "x"}]}
    assert list(check(doc, [SEEN], Context(kind=Kind.TIMELINE_INSERT))) == []
    tenant = RunTenant()
    tenant.remember(["a1"], "first.json")
    found = list(check(doc, [SEEN], Context(kind=Kind.TIMELINE_INSERT, tenant=tenant)))
    assert [f.pointer for f in found] == ["/records/0/ExternalId"]
    assert tenant.first_source("a1") == "first.json"


def test_tenant_rules_run_only_when_the_tenant_answers_their_question() -> None:
    asked: list[str] = []

    def _asks_activities(record: Any, ctx: Context) -> Iterator[Violation]:
        asked.append(record["ExternalId"])
        yield from ()

    rule = _rule("TL904", _asks_activities, tenant_question=ACTIVITIES)
    doc = {"records": [{"ExternalId": "a1"}]}
    # The validator's run tenant knows only ExternalIds: it is never asked about activities.
    assert list(check(doc, [rule], Context(kind=Kind.TIMELINE_INSERT, tenant=RunTenant()))) == []
    assert asked == []
    assert rule.needs_tenant
    with pytest.raises(RegistryError, match="asks the tenant 'weather'"):
        registry.add(_rule("TL905", _asks_activities, tenant_question="weather"))


def test_severity_overrides_drop_the_vendor_code_of_warnings() -> None:
    doc = {"records": [{}]}
    (finding,) = check(doc, [SUBJECT], Context(kind=Kind.TIMELINE_INSERT), severities={"TL901": Severity.WARNING})
    assert (finding.severity, finding.code) == (Severity.WARNING, None)


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = registry._REGISTRY.fresh()
    monkeypatch.setattr(registry, "_REGISTRY", empty)
    monkeypatch.setattr(registry, "RULES", empty.entries)


@pytest.mark.usefixtures("empty_registry")
def test_registry_rejects_duplicates_and_bad_names() -> None:
    insert = {Kind.TIMELINE_INSERT}
    registry.rule("TL901", name="subject-missing", kinds=insert, aliases=["TL001"], guard=TEST_RULE)(_subject_missing)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.rule("TL901", name="other-name", kinds=insert, guard=TEST_RULE)(_subject_missing)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.rule("TL902", name="subject-missing", kinds=insert, guard=TEST_RULE)(_subject_missing)
    with pytest.raises(RegistryError, match="reuses"):
        registry.rule("TL903", name="third", kinds=insert, aliases=["TL901"], guard=TEST_RULE)(_subject_missing)
    with pytest.raises(RegistryError, match="family prefix"):
        registry.rule("X1", name="bad-id", kinds=insert, guard=TEST_RULE)(_subject_missing)
    with pytest.raises(RegistryError, match="kebab-case"):
        registry.rule("TL904", name="Bad_Name", kinds=insert, guard=TEST_RULE)(_subject_missing)


@pytest.mark.usefixtures("empty_registry")
def test_a_record_rule_must_declare_its_guard() -> None:
    insert = {Kind.TIMELINE_INSERT}
    with pytest.raises(RegistryError, match="record rule TL901 must declare guard="):
        registry.rule("TL901", name="subject-missing", kinds=insert)(_subject_missing)
    with pytest.raises(RegistryError, match="TL902 is a document rule: only record rules"):
        registry.rule("TL902", name="lookups-missing", kinds=insert, scope=Scope.DOCUMENT, guard=TEST_RULE)(_no_lookups)
    with pytest.raises(RegistryError, match="TL903 asks the tenant about every record"):
        registry.rule("TL903", name="seen-before", kinds=insert, tenant_question=EXTERNAL_IDS, guard=Shape())(
            _seen_before
        )
    registry.rule("TL904", name="subject-guarded", kinds=insert, guard=Shape(text=("Subject",)))(_subject_missing)
    registry.rule("TL905", name="seen-unguarded", kinds=insert, tenant_question=EXTERNAL_IDS, guard=TEST_RULE)(
        _seen_before
    )
    assert (registry.get("TL904").guarded, registry.get("TL905").guarded) == (True, False)
    assert sorted(registry.RULES) == ["TL904", "TL905"]


@pytest.mark.usefixtures("empty_registry")
def test_lookup_by_id_alias_and_name_and_selection_by_prefix() -> None:
    registry.rule(
        "TL901",
        name="subject-missing",
        kinds={Kind.TIMELINE_INSERT},
        aliases=["TL001"],
        doc="Subject is missing.\n\nMore.",
        guard=TEST_RULE,
    )(_subject_missing)
    registry.rule("TL801", name="lookups-missing", kinds={Kind.TIMELINE_INSERT}, scope=Scope.DOCUMENT)(_no_lookups)
    registry.rule("EV901", name="event-thing", kinds={Kind.EVENT}, guard=TEST_RULE)(_subject_missing)
    assert registry.get("tl901").name == "subject-missing"
    assert registry.get("TL001").id == "TL901"
    assert registry.get("lookups-missing").id == "TL801"
    assert registry.get("TL901").summary == "Subject is missing."
    with pytest.raises(RegistryError, match="unknown rule"):
        registry.get("TL999")
    assert [r.id for r in registry.select_rules(Kind.TIMELINE_INSERT)] == ["TL801", "TL901"]
    assert [r.id for r in registry.select_rules(Kind.TIMELINE_INSERT, select=["TL9"])] == ["TL901"]
    assert [r.id for r in registry.select_rules(Kind.TIMELINE_INSERT, ignore=["subject-missing"])] == ["TL801"]
    with pytest.raises(RegistryError, match="matches no rule"):
        registry.select_rules(Kind.TIMELINE_INSERT, select=["ZZ"])


def test_a_body_is_checked_with_its_own_lookups_object() -> None:
    lookups = {"AuthorId": {"fields": {"Author": "Email"}}}
    ctx = Context.for_body({"records": [], "lookups": lookups}, Kind.TIMELINE_INSERT, identifier="gsid")
    assert (ctx.kind, ctx.identifier, ctx.profile, ctx.lookups, ctx.custom_field_types) == (
        Kind.TIMELINE_INSERT,
        "gsid",
        "current",
        lookups,
        {},
    )
    for body in ({"records": [], "lookups": ["not", "an", "object"]}, ["a", "list"], None):
        assert Context.for_body(body, Kind.TIMELINE_INSERT).lookups == {}
    tenant = RunTenant()
    ctx = Context.for_body({}, Kind.EVENT, profile="legacy", custom_field_types={"Ant__D__c": "date"}, tenant=tenant)
    assert (ctx.profile, ctx.custom_field_types, ctx.tenant) == ("legacy", {"Ant__D__c": "date"}, tenant)
