"""The guards composed from the rules' shapes (rules/guards.py) never hide a finding, on any record shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gscontract import strategies
from gscontract.lint import check
from gscontract.payload.kinds import Kind
from gscontract.rules import Context, Scope, select_rules
from gscontract.rules.guards import PLAN_AFTER

pytestmark = pytest.mark.slow

FIELDS = [
    "ContextName", "ExternalId", "Gsid", "Subject", "Notes", "ActivityDate", "Author", "AuthorId", "TypeName",
    "ActivityTypeId", "companyName", "GsCompanyId", "RelationshipName", "GsRelationshipId", "GsRelationshipTypeId",
    "internalAttendees", "externalAttendees", "InternalAttendees", "CompanyName", "contextname", "Ant__D__c",
    "Ant__T__c", "Ant_Remarks", "Ant__N__c", "eventType", "objectType", "operation", "payload", "timestamp",
    "companyId", "sourceSystem",
]  # fmt: skip
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(["", " ", "Company", "Relationship", "CTA", "x", "INSERT", "2022-06-08", "2022-02-30"]),
    st.sampled_from(["2022-07-01T06:36:00.000-07:00", "2022-07-01 06:36", "06/08/2022", "2022-07-01T06:36:00Z"]),
    st.text(max_size=5),
    st.lists(st.sampled_from(["a", "", 1]), max_size=2),
    st.dictionaries(st.just("k"), st.integers(), max_size=1),
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=12)


def _record_findings(document: Any, ctx: Context, *, guarded: bool) -> list[tuple[str, str]]:
    rules = [r for r in select_rules(ctx.kind) if r.scope is Scope.RECORD]
    if guarded:
        found = check(document, rules, ctx)
        return sorted((f.rule, f.pointer or "") for f in found)
    result = []
    for index, record in enumerate(document["records"]):
        for r in rules:
            assert r.func is not None
            result.extend((r.id, f"/records/{index}" + "".join(f"/{p}" for p in v.path)) for v in r.func(record, ctx))
    return sorted(result)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    records=st.lists(RECORDS | strategies.activity_records(), min_size=1, max_size=3),
    kind=st.sampled_from([Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENTS_BULK]),
    identifier=st.sampled_from(["activityid", "externalid"]),
    profile=st.sampled_from(["current", "legacy"]),
    types=st.sampled_from([{}, {"Ant__D__c": "date", "Ant__T__c": "datetime", "Ant__N__c": "number"}]),
    lookups=st.sampled_from([{}, dict(strategies.DOCUMENT_LOOKUPS)]),
)
def test_guarded_and_unguarded_engines_agree(
    records: list[dict[str, Any]],
    kind: Kind,
    identifier: str,
    profile: str,
    types: dict[str, str],
    lookups: dict[str, Any],
) -> None:
    # Each record repeated, so the engine composes its guard and every key set gets a plan.
    document = {"records": [r for r in records for _ in range(PLAN_AFTER)], "lookups": lookups}
    ctx = Context(kind=kind, identifier=identifier, profile=profile, lookups=lookups, custom_field_types=types)
    assert _record_findings(document, ctx, guarded=True) == _record_findings(document, ctx, guarded=False)
