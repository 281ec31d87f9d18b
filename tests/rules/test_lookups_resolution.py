"""gscontract.tenants.resolution: resolving a record's lookups against the demo tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from gscontract.tenants.reference import demo_tenant
from gscontract.tenants.resolution import LookupFailure, lookup_order, resolve_lookups

AAR = "AAR Corp Hardware Abscoa Division"
AAR_GSID = "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK"


class DemoSource:
    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        return demo_tenant().find(object_name, criteria)


class Blind:
    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        return None


def spec(fields: dict[str, str], obj: str, **options: str) -> dict[str, Any]:
    return {"fields": fields, "lookupField": "Gsid", "objectName": obj, **options}


LOOKUPS = {
    "ExternalAttendees": spec(
        {"externalAttendees": "Person_ID__gr.Name", "GsCompanyId": "Company_ID"},
        "Company_Person",
        multiMatchOption="FIRSTMATCH",
    ),
    "AuthorId": spec({"Author": "Email"}, "GsUser", multiMatchOption="FIRSTMATCH", onNoMatch="ERROR"),
    "GsCompanyId": spec({"companyName": "Name"}, "Company", multiMatchOption="FIRSTMATCH", onNoMatch="ERROR"),
}


def test_dependencies_come_first() -> None:
    order = lookup_order(LOOKUPS)
    assert order.index("GsCompanyId") < order.index("ExternalAttendees")
    assert set(order) == set(LOOKUPS)


def test_cycle_keeps_every_key() -> None:
    cyclic = {"A": spec({"B": "x"}, "GsUser"), "B": spec({"A": "y"}, "GsUser"), "C": "not a spec"}
    assert sorted(lookup_order(cyclic)) == ["A", "B"]


def test_resolves_scalars_lists_and_dependent_lookups() -> None:
    record = {"Author": "ABC@gainsight.com", "companyName": AAR, "externalAttendees": ["tammy aar2", "nobody"]}
    result = resolve_lookups(record, LOOKUPS, DemoSource())
    assert result.failures == ()
    assert result.values["AuthorId"] == "1P01A5DG3XJ8QO4C7D8QK0Q2V6J1E9N7B3ZX"
    assert result.values["GsCompanyId"] == AAR_GSID
    # The unknown attendee is left out: the lookup has no onNoMatch, which behaves as NULLABLE.
    assert result.values["ExternalAttendees"] == ["1P03T4M5M6Y7A8A9R0A2Q3W4E5R6T7Y8TAMY"]


def test_no_match_with_error_fails_the_record() -> None:
    result = resolve_lookups({"companyName": "Nobody Inc"}, LOOKUPS, DemoSource())
    assert result.failures == (LookupFailure("GsCompanyId", "companyName", "No record found for GsCompanyId"),)
    assert "GsCompanyId" not in result.values


@pytest.mark.parametrize("option", ["NULLABLE", "DEFAULTVALUE"])
def test_no_match_without_error_stores_null(option: str) -> None:
    lookups = {"GsCompanyId": spec({"companyName": "Name"}, "Company", onNoMatch=option)}
    result = resolve_lookups({"companyName": "Nobody Inc"}, lookups, DemoSource())
    assert result.failures == ()
    assert result.values == {"GsCompanyId": None}


def test_markaserror_fails_on_several_matches() -> None:
    class Many:
        def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
            return ["G1", "G2"]

    lookups = {"AuthorId": spec({"Author": "Email"}, "GsUser", multiMatchOption="MARKASERROR")}
    result = resolve_lookups({"Author": "a@b.c"}, lookups, Many())
    assert [f.message for f in result.failures] == ["Multiple records found for AuthorId"]
    first = resolve_lookups({"Author": "a@b.c"}, {"AuthorId": spec({"Author": "Email"}, "GsUser")}, Many())
    assert first.values == {"AuthorId": "G1"}


def test_missing_inputs_do_not_apply_the_lookup() -> None:
    result = resolve_lookups({"externalAttendees": ["tammy aar2"]}, LOOKUPS, DemoSource())
    assert result == resolve_lookups({}, LOOKUPS, DemoSource())
    assert result.values == {}
    assert result.failures == ()


def test_a_blind_tenant_cannot_tell() -> None:
    result = resolve_lookups({"Author": "x", "companyName": AAR}, LOOKUPS, Blind())
    assert result.unknown == {"AuthorId", "GsCompanyId"}
    assert result.values == {}
    assert result.failures == ()


def test_malformed_specs_are_skipped() -> None:
    lookups = {"AuthorId": {"fields": "Author"}, "GsCompanyId": {"fields": {"companyName": "Name"}}}
    assert resolve_lookups({"Author": "x", "companyName": AAR}, lookups, DemoSource()).values == {}
