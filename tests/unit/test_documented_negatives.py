"""Which invalid-record mutators a contract run uses against a tenant it did not build, and why not the others.

Against another tenant a negative case expects refusal only where the documents state the rule plainly:
a field absent, null or empty; a documented limit plus one; a date that is no calendar date or breaks the
documented layout; a value outside a documented list. Whitespace-only values, letter case, ``+hhmm``
offsets, other JSON types and null optional fields stay the validator's (and the mock's) stricter reading.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

from gscontract import strategies
from gscontract.tenants.learned import learned_tenant
from gscontract.tenants.reference import demo_tenant

TIMELINE_USED = (
    "TL101",  # ExternalId absent, null or ""
    "TL103",  # the same ExternalId twice in one payload (the document's own code, GS_TL_10_0108)
    "TL201",  # ContextName absent, null or ""
    "TL202",  # ContextName outside the documented list (not another letter case of one in it)
    "TL204",  # a Relationship record without its relationship
    "TL205",  # a Relationship record without its type: absent, null or ""
    "TL206",  # no company
    "TL301",  # neither TypeName nor ActivityTypeId
    "TL302",  # Subject, Notes or the author absent, null or ""
    "TL303",  # Subject 255 + 1 or more
    "TL304",  # Notes 32,000 + 1 or more
    "TL401",  # ActivityDate no calendar date, no offset, or another layout
    "TL402",  # the same for a custom date-time field the tenant has
    "TL403",  # a custom date field that is no real yyyy-MM-dd date
    "TL503",  # multiMatchOption or onNoMatch outside their documented lists
    "TL505",  # a lookup that finds nothing with onNoMatch ERROR
)
EVENT_USED = ("EV101", "EV102", "EV103", "EV104")
NOT_USED = {"TL305", "TL502", "TL504", "EV105"}
SAMPLES = settings(max_examples=15, database=None, deadline=None, suppress_health_check=list(HealthCheck))
# A search stops at the first example it meets: that answers the question, and shrinking it costs far more.
FINDING = settings(
    max_examples=2000,
    phases=[Phase.generate],
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_the_mutators_used_against_a_tenant_are_the_plainly_documented_ones() -> None:
    assert strategies.invalid_rules("timeline-insert", documented_only=True) == TIMELINE_USED
    assert strategies.invalid_rules("event", documented_only=True) == EVENT_USED


def test_every_mutator_left_out_says_why() -> None:
    everything = {*strategies.invalid_rules("timeline-insert"), *strategies.invalid_rules("event")}
    left_out = everything - {*TIMELINE_USED, *EVENT_USED}
    assert left_out == NOT_USED == set(strategies.LINT_ONLY_RULES)
    assert all(len(reason) > 30 for reason in strategies.LINT_ONLY_RULES.values())


def test_custom_field_dates_are_left_out_for_a_tenant_that_has_no_such_field() -> None:
    # A field the tenant lacks is an unknown extra field, which the documents say nothing about.
    learned = learned_tenant([{"AuthorId": "1P01AAAA", "GsCompanyId": "1P02BBBB"}])
    rules = strategies.invalid_rules("timeline-insert", documented_only=True, tenant=learned)
    assert "TL402" not in rules
    assert "TL403" not in rules
    assert {"TL402", "TL403"} <= set(strategies.invalid_rules("timeline-insert", tenant=learned))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("rule", TIMELINE_USED)
def test_documented_only_payloads_hold_nothing_the_documents_leave_open(rule: str) -> None:
    @SAMPLES
    @given(strategies.invalid_insert_payloads(rule=rule, tenant=demo_tenant(), documented_only=True))
    def check(payload: dict[str, Any]) -> None:
        values = _strings(payload["records"])
        assert not [v for v in values if v and not v.strip()], "a whitespace-only value"
        assert not [r for r in payload["records"] if r.get("ContextName") in ("company", "COMPANY")]
        assert not [v for v in values if v.endswith("+0700")], "an offset +hhmm, which newer documents allow"

    check()


@pytest.mark.parametrize("rule", EVENT_USED)
def test_documented_only_events_break_their_rule_plainly(rule: str) -> None:
    @SAMPLES
    @given(strategies.invalid_event_inputs(rule=rule, documented_only=True))
    def check(event: dict[str, Any]) -> None:
        assert event.get("operation") not in ("insert", "Upsert")  # another letter case of an allowed value
        assert not isinstance(event.get("payload", {}), str | list | int)  # another type: not stated as refused
        assert not str(event.get("timestamp", "")).endswith("+0700")

    check()


def test_the_mock_still_gets_the_stricter_cases() -> None:
    """Without the lenient switch, TL101's broken records include whitespace-only ExternalIds."""

    def whitespace_only(payload: dict[str, Any]) -> bool:
        return any(r.get("ExternalId") in (" ", "\t\n") for r in payload["records"])

    # find() searches until it meets one (a sample of 15 could miss both whitespace forms by chance).
    found = find(strategies.invalid_insert_payloads(rule="TL101"), whitespace_only, settings=FINDING)
    assert whitespace_only(found)
