"""The guards the rules declare never hide a finding: every record a guarded rule reports fails the guard.

The engine skips a guarded rule on a record that fits the rule's declared shape (rules/guards.py composes
them per check). These tests hold every shipped rule to that: on every fixture and doc example (guarded
and unguarded runs agree, and each reported record fails its guard) and on every record the
``invalid_*`` strategies make. They also list every record rule as guarded or unguarded, so a new rule's
choice is made on purpose.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from rulekit import expand, make_context
from test_rule_cases import _clean

from gscontract import strategies
from gscontract.findings import Finding
from gscontract.lint import check, record_items
from gscontract.payload.kinds import Kind
from gscontract.pointer import to_pointer
from gscontract.rules import RULES, Context, Scope, select_rules
from gscontract.rules.guards import PLAN_AFTER, compose_guard
from gscontract.tenants.reference import demo_tenant

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
PER_RULE = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)

# Every record rule of the activity and event kinds, by what the fast path may do with it. A new rule
# belongs in one list: guarded (it declares the shape of a record it passes) or unguarded (and why).
GUARDED = {
    "TL101", "TL102", "TL201", "TL202", "TL203", "TL204", "TL205", "TL206",
    "TL301", "TL302", "TL303", "TL304", "TL305", "TL306", "TL307", "TL401", "TL402", "TL403",
    "EV101", "EV102", "EV103", "EV104", "EV105",
}  # fmt: skip
UNGUARDED = {
    "TL105": "asks the tenant about every record",
    "TL505": "asks the tenant to resolve every record's lookups",
}
RECORD_KINDS = {Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENT, Kind.EVENTS_BULK}


def test_every_record_rule_is_listed_as_guarded_or_unguarded() -> None:
    record_rules = {r.id: r for r in RULES.values() if r.scope is Scope.RECORD and r.kinds & RECORD_KINDS}
    unlisted = sorted(set(record_rules) - GUARDED - set(UNGUARDED))
    assert not unlisted, f"list these record rules in GUARDED or UNGUARDED: {unlisted}"
    assert sorted(rule_id for rule_id, r in record_rules.items() if r.guarded) == sorted(GUARDED)
    assert sorted(rule_id for rule_id, r in record_rules.items() if not r.guarded) == sorted(UNGUARDED)


def test_tenant_rules_are_unguarded() -> None:
    assert all(not r.guarded for r in RULES.values() if r.needs_tenant)


def _documents() -> list[Any]:
    """Every fixture case's document and every doc example, with its kind and case options."""
    docs = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            for key in ("fail", "pass"):
                if key in case:
                    docs.append(pytest.param(_clean(case[key]), case.get("kind"), case, id=f"{path.stem}-{key}"))
    for r in RULES.values():
        if r.scope is Scope.SOURCE:
            continue  # examples of unreadable files
        for block in inspect.cleandoc(r.doc).split("```json")[1:]:
            info, _, body = block.partition("\n")
            body = expand(body.partition("```")[0])
            docs.append(pytest.param(json.loads(body), info.strip() or None, {}, id=f"{r.id}-doc"))
    return docs


def _records(document: Any, ctx: Context) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Each record of the body with the path it sits at."""
    base, records = record_items(document, ctx.kind)
    single = ctx.kind is Kind.EVENT
    return [(base if single else (*base, i), r) for i, r in enumerate(records) if isinstance(r, dict)]


def _unguarded(document: Any, ctx: Context) -> list[tuple[str, str]]:
    """Every record rule run on every record, as the engine would without guards."""
    found = []
    for prefix, record in _records(document, ctx):
        for r in select_rules(ctx.kind):
            if r.scope is Scope.RECORD and not r.needs_tenant and r.func is not None:
                found.extend((r.id, to_pointer((*prefix, *v.path))) for v in r.func(record, ctx))
    return sorted(found)


def _guarded(findings: list[Finding]) -> list[tuple[str, str]]:
    """The findings of record rules that need no tenant, as (rule, pointer), sorted."""
    return sorted(
        (f.rule, f.pointer or "")
        for f in findings
        if RULES[f.rule].scope is Scope.RECORD and not RULES[f.rule].needs_tenant
    )


def _reported_records_pass_their_guard(document: Any, ctx: Context) -> list[str]:
    """The records some guarded rule reports that the composed guard still passes (none, if it is sound)."""
    rules = select_rules(ctx.kind)
    guard = compose_guard(rules, ctx, plan_after=1)
    assert guard is not None
    leaks = []
    for prefix, record in _records(document, ctx):
        reported = [r.id for r in rules if r.id in guard.covers and r.func is not None and list(r.func(record, ctx))]
        if reported and guard.clean(record):
            leaks.append(f"{to_pointer(prefix)} reported by {reported}")
    return leaks


def _bulk(document: Any) -> Any:
    """The body with each record repeated, so the engine composes its guard and plans every key set."""
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        return {**document, "records": [r for r in document["records"] for _ in range(PLAN_AFTER)]}
    return document


@pytest.mark.parametrize(("document", "kind", "case"), _documents())
@pytest.mark.parametrize("profile", ["current", "legacy"])
def test_guarded_and_unguarded_runs_agree(document: Any, kind: str | None, case: dict[str, Any], profile: str) -> None:
    ctx = make_context(document, kind, profile=profile, custom_field_types=case.get("custom_field_types"))
    if ctx.kind in RECORD_KINDS:
        assert _reported_records_pass_their_guard(document, ctx) == []
    bulk = _bulk(document)
    assert _guarded(list(check(bulk, select_rules(ctx.kind), ctx))) == _unguarded(bulk, ctx)


@pytest.mark.parametrize("rule_id", sorted(r for r in strategies.invalid_rules("timeline-insert") if r in GUARDED))
def test_invalid_activity_records_fail_their_guard(rule_id: str) -> None:
    @PER_RULE
    @given(strategies.invalid_activity_records(rule=rule_id), strategies.lookups())
    def check_one(record: dict[str, Any], lookups: dict[str, Any]) -> None:
        document = {"records": [record], "lookups": lookups}
        ctx = Context.for_body(document, Kind.TIMELINE_INSERT, tenant=demo_tenant())
        guard = compose_guard(select_rules(ctx.kind), ctx, plan_after=1)
        assert guard is not None
        assert not guard.clean(record)

    check_one()


@pytest.mark.parametrize("rule_id", sorted(strategies.invalid_rules("event")))
def test_invalid_event_inputs_fail_their_guard(rule_id: str) -> None:
    assert rule_id in GUARDED

    @PER_RULE
    @given(strategies.invalid_event_inputs(rule=rule_id))
    def check_one(event: dict[str, Any]) -> None:
        for kind in (Kind.EVENT, Kind.EVENTS_BULK):
            guard = compose_guard(select_rules(kind), Context(kind=kind), plan_after=1)
            assert guard is not None
            assert not guard.clean(event)

    check_one()


def test_clean_records_pass_their_guard() -> None:
    record = {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": "crm-0001",
        "Subject": "Kick-off",
        "Notes": "Agenda",
        "Author": "testuser@gainsight.com",
        "companyName": "Tech systems ABC Ltd",
        "ActivityDate": "2022-07-01T06:36:00.000-07:00",
        "Ant__CustomDateField__c": "2022-06-08",
        "internalAttendees": ["hysty@gainsight.com"],
    }
    lookups = {"GsCompanyId": {"fields": {"companyName": "Name"}, "objectName": "Company"}}
    ctx = Context(kind=Kind.TIMELINE_INSERT, lookups=lookups)
    guard = compose_guard(select_rules(ctx.kind), ctx, plan_after=1)
    assert guard is not None
    assert guard.covers == {r.id for r in select_rules(ctx.kind) if r.id in GUARDED}
    assert guard.clean(record)
    assert not guard.clean({**record, "ContextName": "Relationship"})  # TL204 and TL205 would speak
    event = {
        "eventType": "e",
        "objectType": "Company",
        "operation": "INSERT",
        "payload": {},
        "timestamp": "2022-07-01T06:36:00Z",
    }
    event_guard = compose_guard(select_rules(Kind.EVENT), Context(kind=Kind.EVENT), plan_after=1)
    assert event_guard is not None
    assert event_guard.clean(event)
