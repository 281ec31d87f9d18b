"""gscontract.strategies: valid data passes every rule; each invalid_* strategy breaks exactly its rule."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gscontract import strategies
from gscontract.findings import Finding, Severity
from gscontract.lint import check
from gscontract.payload.kinds import Kind
from gscontract.pointer import parse_pointer, resolve, to_pointer
from gscontract.rules import Context, select_rules
from gscontract.tenants.reference import demo_tenant

FAST = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
# One per rule: fewer examples each (the mutators are small; tests/properties explores further).
PER_RULE = settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def findings(document: Any, kind: Kind, *, tenant: bool = True) -> list[Finding]:
    """Every rule, as the mock runs them: tenant rules against the demo tenant's reference data."""
    ctx = Context.for_body(document, kind, tenant=demo_tenant() if tenant else None)
    return list(check(document, select_rules(kind), ctx))


def errors(found: list[Finding]) -> set[str]:
    return {f.rule for f in found if f.severity is Severity.ERROR}


@FAST
@given(strategies.activity_records(), strategies.lookups())
def test_valid_records_have_no_findings(record: dict[str, Any], lookups: dict[str, Any]) -> None:
    assert findings({"records": [record], "lookups": lookups}, Kind.TIMELINE_INSERT) == []


@FAST
@given(strategies.activity_records(context="Relationship"))
def test_relationship_records_are_valid_with_the_documents_lookups(record: dict[str, Any]) -> None:
    assert record["ContextName"] == "Relationship"
    document = {"records": [record], "lookups": dict(strategies.DOCUMENT_LOOKUPS)}
    assert findings(document, Kind.TIMELINE_INSERT) == []


@FAST
@given(strategies.insert_payloads(min_records=2))
def test_insert_payloads_are_clean_with_unique_external_ids(payload: dict[str, Any]) -> None:
    ids = [r["ExternalId"] for r in payload["records"]]
    assert len(ids) == len(set(ids)) >= 2
    assert findings(payload, Kind.TIMELINE_INSERT) == []


@FAST
@given(strategies.event_inputs())
def test_valid_events_have_no_findings(event: dict[str, Any]) -> None:
    assert findings(event, Kind.EVENT) == []
    assert findings({"records": [event, event]}, Kind.EVENTS_BULK) == []


ACTIVITY_RULES = ["TL101", "TL201", "TL202", "TL204", "TL205", "TL206", "TL301", "TL302", "TL303", "TL304"]
ACTIVITY_RULES += ["TL305", "TL401", "TL402", "TL403"]


@pytest.mark.parametrize("rule", ACTIVITY_RULES)
def test_invalid_activity_records_break_exactly_their_rule(rule: str) -> None:
    @PER_RULE
    @given(strategies.invalid_activity_records(rule=rule), strategies.lookups())
    def check_one(record: dict[str, Any], lookups: dict[str, Any]) -> None:
        document = {"records": [record], "lookups": lookups}
        found = findings(document, Kind.TIMELINE_INSERT)
        assert errors(found) == {rule}, found
        # The validator (no tenant) reports the same.
        assert errors(findings(document, Kind.TIMELINE_INSERT, tenant=False)) == {rule}
        for finding in found:
            assert finding.pointer is not None
            assert to_pointer(parse_pointer(finding.pointer)) == finding.pointer
            resolve(document, finding.pointer.rsplit("/", 1)[0] if finding.pointer.count("/") > 2 else finding.pointer)

    check_one()


@pytest.mark.parametrize("rule", strategies.invalid_rules("timeline-insert"))
def test_invalid_insert_payloads_break_exactly_their_rule(rule: str) -> None:
    @PER_RULE
    @given(strategies.invalid_insert_payloads(rule=rule))
    def check_one(payload: dict[str, Any]) -> None:
        assert errors(findings(payload, Kind.TIMELINE_INSERT)) == {rule}

    check_one()


@pytest.mark.parametrize("rule", strategies.invalid_rules("event"))
def test_invalid_event_inputs_break_exactly_their_rule(rule: str) -> None:
    @PER_RULE
    @given(strategies.invalid_event_inputs(rule=rule))
    def check_one(event: dict[str, Any]) -> None:
        found = findings(event, Kind.EVENT)
        assert errors(found) == {rule}
        for finding in found:
            assert finding.pointer is not None
            if finding.pointer:  # a missing field points at the event itself
                resolve(event, finding.pointer)

    check_one()


def test_pointers_of_field_findings_resolve_to_the_bad_value() -> None:
    @FAST
    @given(strategies.invalid_activity_records(rule="TL303"), st.just(dict(strategies.DOCUMENT_LOOKUPS)))
    def check_one(record: dict[str, Any], lookups: dict[str, Any]) -> None:
        document = {"records": [record], "lookups": lookups}
        (finding,) = findings(document, Kind.TIMELINE_INSERT)
        assert finding.pointer == "/records/0/Subject"
        assert resolve(document, finding.pointer) == record["Subject"]

    check_one()


def test_unknown_rules_and_options_fail_when_the_strategy_is_made() -> None:
    with pytest.raises(ValueError, match="TL999"):
        strategies.invalid_activity_records(rule="TL999")
    with pytest.raises(ValueError, match="TL101"):
        strategies.invalid_event_inputs(rule="TL101")
    with pytest.raises(ValueError, match="EV101"):
        strategies.invalid_insert_payloads(rule="EV101")
    with pytest.raises(ValueError, match="context"):
        strategies.activity_records(context="CTA")
    with pytest.raises(ValueError, match="profile"):
        strategies.insert_payloads(profile="newest")
    with pytest.raises(ValueError, match="timeline-nothing"):
        strategies.invalid_rules("timeline-nothing")
    assert strategies.invalid_rules(Kind.TIMELINE_QUERY) == ()


def test_every_record_rule_of_an_insert_with_a_code_has_a_mutator_or_a_reason() -> None:
    """Rules without a mutator need tenant history (TL104) or are warnings."""
    covered = set(strategies.invalid_rules("timeline-insert"))
    for r in select_rules(Kind.TIMELINE_INSERT):
        if r.severity is Severity.ERROR and r.id.startswith("TL"):
            assert r.id in covered or r.id == "TL104", r.id
