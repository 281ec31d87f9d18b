"""What a run accepts from a tenant it did not build where the documents are silent, and where it stays strict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gscontract.contract import scenarios  # noqa: F401 - registers every check
from gscontract.contract.checks import CHECKS, CheckContext, Exchange
from gscontract.contract.engine.key_refusals import KeyRefusals
from gscontract.contract.engine.phases import Failure
from gscontract.contract.transport.answers import same_value
from gscontract.contract.transport.guard import Seen
from gscontract.gainsight.codes import codes_for
from gscontract.tenants.learned import learned_tenant

STRICT = CheckContext(strict=True, documented_codes=codes_for())
LENIENT = CheckContext(strict=False, documented_codes=STRICT.documented_codes)


def ct101(records: list[Any], data: Any, ctx: CheckContext) -> list[str]:
    func = CHECKS["CT101"].func
    assert func is not None
    exchange = Exchange(
        operation="POST /v1/ant/es/activity",
        path="/v1/ant/es/activity",
        status=200,
        request_body={"records": records},
        body={"result": True, "data": data},
    )
    return [p.message for p in func(exchange, ctx)]


def test_a_whitespace_external_id_may_be_answered_under_itself_by_a_tenant() -> None:
    answered = {"success": {"\t\n": [{"activityId": "1I00X"}]}, "failures": {}}
    assert ct101([{"ExternalId": "\t\n"}], answered, LENIENT) == []
    assert ct101([{"ExternalId": "\t\n"}], {"success": {}, "failures": {"records[0]": []}}, LENIENT) == []
    # The mock reads it as missing, so it must file the record by position.
    assert ct101([{"ExternalId": "\t\n"}], answered, STRICT)


def test_an_empty_external_id_is_missing_for_every_tenant() -> None:
    answered = {"success": {"": [{"activityId": "1I00X"}]}, "failures": {}}
    assert ct101([{"ExternalId": ""}], answered, LENIENT)


@pytest.mark.parametrize("code", ["GSOBJ_1024", "GS_APIG_2401"])
def test_a_refused_key_code_is_documented(code: str) -> None:
    func = CHECKS["CT105"].func
    assert func is not None
    body = {"result": False, "errorCode": code, "errorDesc": "Invalid authorization headers"}
    exchange = Exchange(operation="POST /v1/events", path="/v1/events", status=400, body=body)
    assert list(func(exchange, LENIENT)) == []


def test_dates_read_back_as_epoch_milliseconds_are_the_instant_sent() -> None:
    assert same_value("2022-07-01T06:36:00.000-07:00", 1656682560000)
    assert same_value("2022-07-01T13:36:00Z", 1656682560000)
    assert not same_value("2022-07-01T13:36:00Z", 1656682560001)
    assert not same_value("2022-07-01T13:36:00", 1656682560000)  # no offset: not an instant
    assert not same_value("Notes", 12)


def _auth_failure(status: int, title: str) -> Failure:
    return Failure(
        operation="POST /v1/events",
        check="ignored_auth",
        phase="coverage",
        title=title,
        message=f"Expected 401 or 403, got `{status} Bad Request` for `POST /events`",
        curl="curl ...",
        status=200,
    )


def test_a_400_gsobj_1024_refusal_is_not_an_ignored_key() -> None:
    refusals = KeyRefusals()
    refused = _auth_failure(400, "Unexpected response to a request without authentication")
    accepted = _auth_failure(200, "API accepts requests without authentication")
    assert refusals.keep([refused, accepted]) == [refused, accepted]  # nothing seen yet: both stand
    body = {"result": False, "errorCode": "GSOBJ_1024", "errorDesc": "Invalid authorization headers"}
    refusals.observe(Seen("POST", "/v1/events", 400, b"{}", json.dumps(body).encode()))
    assert refusals.keep([refused, accepted]) == [accepted]


def test_another_400_does_not_count_as_a_key_refusal() -> None:
    refusals = KeyRefusals()
    body = {"result": False, "errorCode": None, "errorDesc": "GSOBJ_1024 is not this body's code"}
    refusals.observe(Seen("POST", "/v1/events", 400, b"{}", json.dumps(body).encode()))
    assert not refusals.seen


def test_learned_reference_data_keeps_the_ids_activities_use() -> None:
    rows = [
        {"Gsid": "1I001", "AuthorId": "1P01A", "GsCompanyId": "1P02C", "TypeName": "Call", "ContextName": "Company"},
        {
            "gsid": "1I002",
            "authorid": "1P01B",
            "gscompanyid": "1P02C",
            "GsRelationshipId": "1P05R",
            "GsRelationshipTypeId": "1P06T",
            "TypeName": "Call",
        },
        {"Gsid": "1I003", "AuthorId": "1P01A", "GsRelationshipId": "1P05S"},  # no type: not usable
    ]
    tenant = learned_tenant(rows, [{"id": "usage_spike", "name": "Usage"}, {"name": "no id"}])
    assert tenant is not None
    assert [r["Gsid"] for r in tenant.rows("GsUser")] == ["1P01A", "1P01B"]
    assert [r["Gsid"] for r in tenant.rows("Company")] == ["1P02C"]
    assert tenant.rows("Relationship") == ({"Gsid": "1P05R", "TypeGsid": "1P06T", "CompanyGsid": "1P02C"},)
    assert [r["Name"] for r in tenant.rows("ActivityType")] == ["Call"]
    assert [e["id"] for e in tenant.event_types] == ["usage_spike"]


def test_nothing_is_learned_from_activities_that_name_no_author_or_company() -> None:
    assert learned_tenant([]) is None
    assert learned_tenant([{"Gsid": "1I001", "AuthorId": "1P01A"}]) is None
