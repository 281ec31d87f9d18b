"""The independent tenant keeps its promises, each broken variant breaks its own, hostile servers are hostile."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import socket
import time
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from .data import COMPANIES, EVENT_TYPES, PERSONS, PUBLISHER_TENANT_ID, RELATIONSHIPS, USERS, tenant_document
from .hostile import gzip_bomb, spoof_app
from .options import Flaws, JobTiming, Quota
from .serve import BROKEN_IDS, HOSTILE, running, start
from .tenant import create_tenant
from .variants import BROKEN

KEY = "indep-key-7Q"
FAST = JobTiming(submitted_seconds=0.05, progress_polls=1, finish_seconds=0.3)
TERMINAL = ("COMPLETED", "ABORTED", "FAILED")
SAVE, BULK, QUERY = "/v1/ant/es/activity", "/v1/ant/es/activity/bulk", "/v1/data/objects/query/activity_timeline"
LOOKUPS = {
    "AuthorId": {"fields": {"Author": "Email"}, "lookupField": "Gsid", "objectName": "GsUser", "onNoMatch": "ERROR"},
    "GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid", "objectName": "Company"},
    "GsRelationshipId": {"fields": {"RelationshipName": "Name"}, "lookupField": "Gsid", "objectName": "Relationship"},
    "InternalAttendees": {"fields": {"internalAttendees": "Email"}, "lookupField": "Gsid", "objectName": "GsUser"},
    "ExternalAttendees": {
        "fields": {"externalAttendees": "Person_ID__gr.Name", "GsCompanyId": "Company_ID"},
        "lookupField": "Gsid",
        "objectName": "Company_Person",
    },
}


def record(**fields: Any) -> dict[str, Any]:
    """A valid Company-context record of this tenant; ``None`` values are dropped."""
    base = {
        "ContextName": "Company",
        "TypeName": "Quarterly Review",
        "ExternalId": "ind-1",
        "Subject": "QBR with Northwind",
        "Notes": "<p>went well</p>",
        "ActivityDate": "2026-03-02T09:30:00.000-05:00",
        "Author": USERS[0]["Email"],
        "companyName": COMPANIES[0]["Name"],
    }
    return {k: v for k, v in {**base, **fields}.items() if v is not None}


def body(*records: dict[str, Any]) -> dict[str, Any]:
    return {"records": list(records), "lookups": LOOKUPS}


class Clock:
    """A monotonic clock the test moves by hand, so job progress and rate windows never race a loaded machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Client:
    """A synchronous client of an ASGI app, in-process (httpx's ASGI transport, one event loop per call)."""

    def __init__(self, app: Any, clock: Clock | None = None) -> None:
        self.app = app
        self.clock = clock

    @classmethod
    def of(cls, factory: Callable[..., Any], **options: Any) -> Client:
        """A tenant made by ``factory`` with the test key, fast jobs and a hand-moved clock."""
        clock = Clock()
        return cls(factory(access_key=KEY, **{"timing": FAST, "clock": clock, **options}), clock)

    def call(self, method: str, path: str, *, key: str | None = KEY, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["accesskey"] = key

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://tenant") as client:
                return await client.request(method, path, headers=headers, **kwargs)

        return asyncio.run(go())

    def save(self, *records: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        response = self.call("POST", SAVE, json=body(*records), **kwargs)
        assert response.status_code == 200, response.text
        return dict(response.json()["data"])

    def query(self, query: dict[str, Any], **kwargs: Any) -> list[dict[str, Any]]:
        response = self.call("POST", QUERY, json=query, **kwargs)
        assert response.status_code == 200, response.text
        return list(response.json()["data"]["records"])

    def by_id(self, external_id: str, *select: str) -> list[dict[str, Any]]:
        condition = {"name": "ExternalId", "alias": "A", "value": [external_id], "operator": "EQ"}
        return self.query({"select": list(select or ["Gsid"]), "where": {"conditions": [condition], "expression": "A"}})

    def status(self, job_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"/v1/ant/es/job/status/{job_id}").json()["data"])

    def finish(self, job_id: str, polls: int = 20) -> dict[str, Any]:
        """Poll a job until it is terminal, moving the clock a quarter second between reads."""
        for _ in range(polls):
            data = self.status(job_id)
            if data["status"] in TERMINAL:
                break
            if self.clock is not None:
                self.clock.advance(0.25)
            else:
                time.sleep(0.02)
        return data

    def submit(self, *records: dict[str, Any]) -> str:
        return str(self.call("POST", BULK, json=body(*records)).json()["data"]["jobId"])


@pytest.fixture
def tenant() -> Client:
    return Client.of(create_tenant)


def codes(data: dict[str, Any], key: str) -> list[str]:
    return [item["errorCode"] for item in data["failures"].get(key, [])]


# ----------------------------------------------------------------------------------------- clean tenant


def test_a_valid_record_is_saved_with_an_activity_id(tenant: Client) -> None:
    response = tenant.call("POST", SAVE, json=body(record()))
    answer = response.json()
    assert response.status_code == 200
    assert answer["data"]["failures"] == {}
    [item] = answer["data"]["success"]["ind-1"]
    assert len(item["activityId"]) == 36
    assert item["activityId"].startswith("1I00")
    assert answer["result"] is True
    assert answer["message"] is None
    assert answer["additionalInfo"] is None
    assert {"localizedErrorDesc", "localizedMessage"} <= set(answer)


def test_whitespace_only_strings_are_saved_as_given(tenant: Client) -> None:
    data = tenant.save(record(ExternalId="  ", Subject=" ", TypeName=" "))
    assert "  " in data["success"]
    [row] = tenant.by_id("  ", "Subject", "TypeName", "ExternalId")
    assert row == {"Subject": " ", "TypeName": " ", "ExternalId": "  "}


@pytest.mark.parametrize("key", [None, "", "wrong-key", KEY.lower()])
def test_a_missing_or_wrong_key_answers_400_gsobj_1024_and_stores_nothing(tenant: Client, key: str | None) -> None:
    response = tenant.call("POST", SAVE, json=body(record()), key=key)
    answer = response.json()
    assert response.status_code == 400
    assert answer["errorCode"] == "GSOBJ_1024"
    assert answer["errorDesc"] == "Invalid authorization headers"
    assert answer["result"] is False
    assert answer["data"] is None
    assert answer["requestId"]
    assert response.headers["X-RateLimit-Limit"] == "200"
    assert tenant.by_id("ind-1") == []


@pytest.mark.parametrize(
    ("fields", "lookups", "message"),
    [
        ({"Author": "nobody@harbor.example"}, LOOKUPS, "No record found for AuthorId"),
        ({"companyName": "Tech systems ABC Ltd"}, LOOKUPS, "No record found for GsCompanyId"),
        ({"Author": None, "AuthorId": "1P01XWZAME0GW3RXT8L70ZWAX94WHD41SS7U"}, LOOKUPS, "No record found for AuthorId"),
        ({"internalAttendees": ["ghost@harbor.example"]}, LOOKUPS, "No record found for InternalAttendees"),
    ],
)
def test_a_lookup_miss_fails_the_record_with_gsobj_1011(
    tenant: Client, fields: dict[str, Any], lookups: dict[str, Any], message: str
) -> None:
    response = tenant.call("POST", SAVE, json={"records": [record(**fields)], "lookups": lookups})
    data = response.json()["data"]
    assert data["success"] == {}
    assert {"errorCode": "GSOBJ_1011", "errorMessage": message} in data["failures"]["ind-1"]


@pytest.mark.parametrize(
    "spec",
    [
        {"fields": {}, "lookupField": "Gsid", "objectName": "GsUser"},
        {"fields": "Author", "lookupField": "Gsid", "objectName": "GsUser"},
        {"fields": {"Author": "Email"}, "lookupField": "Gsid"},
        {"fields": {"Author": "Email"}, "lookupField": "Gsid", "objectName": "Company"},
        {"fields": {"Author": "Email"}, "lookupField": "Gsid", "objectName": "GsUser", "onNoMatch": "MARKASERROR"},
    ],
)
def test_a_malformed_lookup_fails_the_records_using_it_with_gsobj_1002(tenant: Client, spec: dict[str, Any]) -> None:
    response = tenant.call("POST", SAVE, json={"records": [record()], "lookups": {**LOOKUPS, "AuthorId": spec}})
    assert codes(response.json()["data"], "ind-1") == ["GSOBJ_1002"]


def test_lookups_resolve_against_the_tenants_own_data(tenant: Client) -> None:
    person, company = PERSONS[0], COMPANIES[0]
    relationship = RELATIONSHIPS[0]
    fields = {
        "ContextName": "Relationship",
        "RelationshipName": relationship["Name"],
        "GsRelationshipTypeId": relationship["RelationshipTypeId"],
        "internalAttendees": [USERS[1]["Email"], USERS[2]["Email"]],
        "externalAttendees": [person["Name"]],
    }
    assert tenant.save(record(**fields))["failures"] == {}
    [row] = tenant.by_id(
        "ind-1", "AuthorId", "GsCompanyId", "GsRelationshipId", "InternalAttendees", "ExternalAttendees"
    )
    assert row["AuthorId"] == USERS[0]["Gsid"]
    assert row["GsCompanyId"] == company["Gsid"]
    assert row["GsRelationshipId"] == relationship["Gsid"]
    assert row["InternalAttendees"] == [USERS[1]["Gsid"], USERS[2]["Gsid"]]
    assert row["ExternalAttendees"] == [person["Gsid"]]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"ExternalId": None}, "GS_TL_10_0202"),
        ({"ContextName": ""}, "GS_TL_10_0211"),
        ({"TypeName": None}, "GS_TL_10_0203"),
        (
            {"ContextName": "Relationship", "GsRelationshipTypeId": RELATIONSHIPS[0]["RelationshipTypeId"]},
            "GS_TL_10_0214",
        ),
        ({"ContextName": "Relationship", "RelationshipName": RELATIONSHIPS[0]["Name"]}, "GS_TL_10_0215"),
        ({"ActivityDate": "2026-02-30T10:00:00Z"}, "GS_TL_10_0222"),
        ({"ActivityDate": "2026-03-02T09:30:00.000"}, "GS_TL_10_0222"),
        ({"Ant__LastTouch__c": "2026-03-02 09:30:00Z"}, "GS_TL_10_0222"),
        ({"Ant__RenewalDate__c": "2026-13-01"}, "GS_TL_10_0223"),
        ({"Subject": None}, "GSOBJ_1007"),
        ({"Notes": ""}, "GSOBJ_1007"),
        ({"Author": None}, "GSOBJ_1007"),
        ({"companyName": None}, "GSOBJ_1007"),
        ({"Subject": "s" * 256}, "GSOBJ_1001"),
        ({"Notes": "n" * 32001}, "GSOBJ_1001"),
        ({"ContextName": "Account"}, "GSOBJ_1002"),
        ({"Subject": 42}, "GSOBJ_1002"),
        ({"Ant__SeatCount__c": "12"}, "GSOBJ_1002"),
    ],
)
def test_a_record_breaking_a_documented_rule_fails_with_its_code(
    tenant: Client, fields: dict[str, Any], code: str
) -> None:
    data = tenant.save(record(**fields))
    key = "ind-1" if "ExternalId" not in fields else "records[0]"
    assert data["success"] == {}
    assert codes(data, key) == [code]


@pytest.mark.parametrize(
    "fields",
    [
        {"Subject": "s" * 255, "Notes": "n" * 32000},
        {"ActivityDate": "2026-03-02T09:30:00-0500", "Ant__LastTouch__c": "2026-03-02T09:30:00Z"},
        {"ContextName": "company", "TypeName": None, "ActivityTypeId": "4398e362-cf49-56f9-a43d-c27db2eb7248"},
        {"Ant__RenewalDate__c": "2027-01-31", "Ant__AtRisk__c": False, "Ant__SeatCount__c": 12.5, "Ant__X__c": "?"},
        {"ActivityDate": None, "companyName": None, "GsCompanyId": COMPANIES[3]["Gsid"]},
    ],
)
def test_records_at_the_documented_limits_are_saved(tenant: Client, fields: dict[str, Any]) -> None:
    assert tenant.save(record(**fields))["failures"] == {}


def test_a_repeated_external_id_fails_with_0108_in_a_payload_and_0107_once_saved(tenant: Client) -> None:
    data = tenant.save(record(), record(Subject="second copy"))
    assert len(data["success"]["ind-1"]) == 1
    assert codes(data, "ind-1") == ["GS_TL_10_0108"]
    again = tenant.save(record())
    assert again["success"] == {}
    assert codes(again, "ind-1") == ["GS_TL_10_0107"]


def test_a_bulk_job_goes_submitted_then_inprogress_then_completed() -> None:
    tenant = Client.of(create_tenant, timing=JobTiming())  # the defaults: 0.5 s, 3 polls, 3 s
    ticket = tenant.call("POST", BULK, json=body(record(), record(ExternalId="ind-2", Subject=None))).json()["data"]
    assert ticket["status"] == "SUBMITTED"
    assert ticket["jobStatusEndPoint"] == f"ant/es/job/status/{ticket['jobId']}"
    assert ticket["jobAbortEndPoint"] == f"ant/es/job/abort/{ticket['jobId']}"
    first = tenant.status(ticket["jobId"])
    assert (first["status"], first["successes"], first["failures"]) == ("SUBMITTED", None, None)
    assert tenant.clock is not None
    tenant.clock.advance(0.5)
    seen = [tenant.status(ticket["jobId"])["status"] for _ in range(4)]
    assert seen == ["INPROGRESS", "INPROGRESS", "INPROGRESS", "COMPLETED"]
    data = tenant.status(ticket["jobId"])
    assert data["successCount"] == 1
    assert data["failedCount"] == 1
    assert data["successes"]["ind-1"][0]["activityId"].startswith("1I00")
    assert data["failures"]["ind-2"] == [{"errorCode": "GSOBJ_1007", "errorMessage": "Subject is required"}]


def test_a_job_completes_within_its_bound_even_if_nobody_polls() -> None:
    tenant = Client(create_tenant(access_key=KEY, timing=JobTiming(0.05, 1000, 0.3)))  # the real clock
    job = tenant.submit(record())
    time.sleep(0.35)
    assert len(tenant.by_id("ind-1")) == 1
    assert tenant.status(job)["status"] == "COMPLETED"
    bounded = Client.of(create_tenant, timing=JobTiming())
    second = bounded.submit(record())
    assert bounded.clock is not None
    bounded.clock.advance(3.0)
    assert bounded.status(second)["status"] == "COMPLETED"


def test_an_unknown_job_answers_200_with_incorrect_job_id(tenant: Client) -> None:
    for method, path in (("GET", "/v1/ant/es/job/status/nope"), ("PUT", "/v1/ant/es/job/abort/nope")):
        response = tenant.call(method, path)
        assert response.status_code == 200
        assert response.json()["result"] is False
        assert response.json()["message"] == "Incorrect job id"


def test_abort_stops_a_submitted_job_and_says_so_for_a_finished_one(tenant: Client) -> None:
    early = tenant.submit(record())
    aborted = tenant.call("PUT", f"/v1/ant/es/job/abort/{early}").json()["data"]
    assert aborted == {"message": "Job has been aborted", "status": "ABORTED"}
    late = tenant.submit(record(ExternalId="ind-2"))
    assert tenant.finish(late)["status"] == "COMPLETED"
    refused = tenant.call("PUT", f"/v1/ant/es/job/abort/{late}").json()["data"]
    assert refused == {"message": "Job could not be aborted", "status": "COMPLETED"}
    assert tenant.by_id("ind-1") == []
    assert len(tenant.by_id("ind-2")) == 1
    assert tenant.finish(early)["status"] == "ABORTED"


def test_bulk_update_merges_fields_by_external_id(tenant: Client) -> None:
    tenant.save(record())
    update = {"ExternalId": "ind-1", "Subject": "renamed", "Notes": "n", "TypeName": "Email"}
    missing = dict(update, ExternalId="ind-404")
    ticket = tenant.call("PUT", BULK, params={"identifier": "ExternalId"}, json={"records": [update, missing]})
    data = tenant.finish(ticket.json()["data"]["jobId"])
    assert list(data["successes"]) == ["ind-1"]
    assert data["failures"]["ind-404"][0]["errorCode"] == "GSOBJ_1011"
    assert tenant.by_id("ind-1", "subject", "TypeName") == [{"subject": "renamed", "TypeName": "Email"}]
    assert tenant.call("PUT", BULK, params={"identifier": "name"}, json={"records": []}).status_code == 400


def test_delete_echoes_what_it_deleted_and_fetch_deleted_lists_it(tenant: Client) -> None:
    gsid = tenant.save(record())["success"]["ind-1"][0]["activityId"]
    deleted = tenant.call("DELETE", SAVE, json=[gsid, "1I00UNKNOWN", gsid])
    assert deleted.json() == [gsid]
    assert tenant.by_id("ind-1") == []
    window = {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": ["2020-01-01T00:00:00.000Z", _iso(60)]}}}
    answer = tenant.call("POST", "/v1/ant/es/activity/deleted", json=window).json()
    [row] = answer["data"]["records"]
    assert set(row) == {"RecordId", "DeletedOn", "ObjectName"}
    assert row["RecordId"] == gsid
    assert row["ObjectName"] == "activity_timeline"
    assert row["DeletedOn"].endswith("Z")
    assert row["DeletedOn"][:4].isdigit()
    assert answer["result"] is True
    assert {"localizedErrorDesc", "localizedMessage"} <= set(answer)
    before = dict(window, filter={"dateFilter": {"dateLiteral": "CUSTOM", "values": [_iso(-7200), _iso(-3600)]}})
    assert tenant.call("POST", "/v1/ant/es/activity/deleted", json=before).json()["data"]["records"] == []
    assert tenant.save(record())["failures"] == {}  # a deleted ExternalId may be used again


def _iso(offset: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + offset))


def test_query_dates_are_epoch_milliseconds(tenant: Client) -> None:
    before = int(time.time() * 1000)
    tenant.save(record(), record(ExternalId="ind-2", ActivityDate=None))
    rows = {r["ExternalId"]: r for r in tenant.query({"select": ["ExternalId", "CreatedDate", "ActivityDate"]})}
    assert rows["ind-1"]["ActivityDate"] == 1772461800000  # 2026-03-02T09:30:00-05:00
    assert isinstance(rows["ind-1"]["CreatedDate"], int)
    assert rows["ind-1"]["CreatedDate"] >= before
    assert rows["ind-2"]["ActivityDate"] == rows["ind-2"]["CreatedDate"]  # absent: the tenant fills in now


def test_query_filters_sorts_and_pages(tenant: Client) -> None:
    for n in range(5):
        tenant.save(record(ExternalId=f"q-{n}", Subject=f"Topic {n}", Ant__SeatCount__c=n * 10))
    conditions = [
        {"name": "ant__seatcount__c", "alias": "A", "value": [10, 40], "operator": "BTW"},
        {"name": "SUBJECT", "alias": "B", "value": ["topic 3"], "operator": "EQ"},
        {"name": "externalid", "alias": "C", "value": ["Q-"], "operator": "STARTS_WITH"},
    ]
    query = {
        "select": ["ExternalId"],
        "where": {"conditions": conditions, "expression": "(A AND NOT B) and c"},
        "orderBy": {"Ant__SeatCount__c": "DESC"},
        "limit": 2,
        "offset": 1,
    }
    assert tenant.query(query) == [{"ExternalId": "q-2"}, {"ExternalId": "q-1"}]
    assert tenant.query(dict(query, limit=2.0, offset=1.0)) == [{"ExternalId": "q-2"}, {"ExternalId": "q-1"}]
    after = {"name": "CreatedDate", "alias": "A", "value": ["2020-01-01T00:00:00Z"], "operator": "GT"}
    assert len(tenant.query({"select": ["Gsid"], "where": {"conditions": [after]}})) == 5
    author = {"name": "AuthorId__gr.Name", "alias": "A", "value": [USERS[0]["Name"]], "operator": "EQ"}
    assert len(tenant.query({"select": ["Gsid"], "where": {"conditions": [author]}})) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"select": ["Gsid"], "limit": 5001},
        {"select": ["Gsid"], "limit": 2.5},
        {"select": ["Gsid"], "where": {"conditions": [{"name": "x", "alias": "A", "value": [1], "operator": "LIKE"}]}},
        {"select": ["Gsid"], "where": {"conditions": [{"name": "x", "alias": "A", "value": [1], "operator": "BTW"}]}},
        {"select": ["Gsid"], "where": {"conditions": [], "expression": "A OR"}},
        {"select": "Gsid"},
    ],
)
def test_a_malformed_query_answers_400(tenant: Client, query: dict[str, Any]) -> None:
    response = tenant.call("POST", QUERY, json=query)
    assert response.status_code == 400
    assert response.json()["errorDesc"]


def test_every_answer_of_a_limited_group_carries_rate_limit_headers(tenant: Client) -> None:
    single = tenant.call("POST", SAVE, json=body(record()))
    assert (single.headers["X-RateLimit-Limit"], single.headers["X-RateLimit-Remaining"]) == ("200", "199")
    bulk = tenant.call("POST", BULK, json=body(record(ExternalId="ind-2")))
    # 12 an hour, half already spent when the tenant started: 6 left, 5 after this call.
    assert (bulk.headers["X-RateLimit-Limit"], bulk.headers["X-RateLimit-Remaining"]) == ("12", "5")
    broken = tenant.call("POST", QUERY, content=b"{not json")
    assert broken.status_code == 400
    assert broken.headers["X-RateLimit-Remaining"] == "99"
    events = tenant.call("GET", "/v1/events/types")
    assert events.headers["X-RateLimit-Limit"] == "100"


def test_a_spent_quota_answers_429_with_retry_after_until_its_window_ends() -> None:
    tenant = Client.of(create_tenant, quotas={"single": Quota(2, 60.0)})
    assert tenant.clock is not None
    answers = [tenant.call("POST", SAVE, json=body(record(ExternalId=f"r-{n}"))) for n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused.headers["Retry-After"] == "60"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.json()["result"] is False
    assert refused.json()["errorDesc"]
    assert tenant.by_id("r-2") == []  # refused before anything was stored
    tenant.clock.advance(45)
    assert tenant.call("POST", SAVE, json=body(record(ExternalId="r-3"))).headers["Retry-After"] == "15"
    tenant.clock.advance(15)
    fresh = tenant.call("POST", SAVE, json=body(record(ExternalId="r-4")))
    assert (fresh.status_code, fresh.headers["X-RateLimit-Remaining"]) == (200, "1")
    assert "X-RateLimit-Limit" not in tenant.call("POST", QUERY, json={"select": ["Gsid"]}).headers  # not limited


def test_the_bulk_quota_runs_out_after_six_calls(tenant: Client) -> None:
    assert tenant.clock is not None
    statuses = [tenant.call("POST", BULK, json={"records": []}).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    assert tenant.call("POST", BULK, json={"records": []}).headers["Retry-After"] == "3600"
    tenant.clock.advance(3600)  # the next hour starts with the whole quota
    assert tenant.call("POST", BULK, json={"records": []}).headers["X-RateLimit-Remaining"] == "11"


def test_a_body_over_the_limit_answers_413() -> None:
    small = Client(create_tenant(access_key=KEY, max_body_bytes=1000))
    assert small.call("POST", BULK, content=b" " * 1001).status_code == 413

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b" " * 300

    streamed = small.call("POST", BULK, content=chunks())
    assert streamed.status_code == 413
    assert streamed.json()["result"] is False
    assert Client(create_tenant(access_key=KEY)).call("POST", BULK, content=b" " * 80_000_001).status_code == 413


@pytest.mark.parametrize(
    ("method", "path", "content"),
    [
        ("POST", SAVE, b"not json"),
        ("POST", SAVE, b'{"lookups": {}}'),
        ("POST", SAVE, b"[]"),
        ("POST", BULK, b'{"records": {}}'),
        ("DELETE", SAVE, b'{"ids": []}'),
        ("DELETE", SAVE, b"[1, 2]"),
        ("POST", "/v1/ant/es/activity/deleted", b'{"filter": {}}'),
        ("POST", "/v1/events/bulk", b"{}"),
    ],
)
def test_a_broken_envelope_answers_400(tenant: Client, method: str, path: str, content: bytes) -> None:
    response = tenant.call(method, path, content=content)
    assert response.status_code == 400
    assert set(response.json()) >= {"result", "errorCode", "errorDesc", "requestId", "message", "data"}


def test_unknown_paths_and_methods_answer_in_the_error_shape(tenant: Client) -> None:
    missing = tenant.call("GET", "/v1/nowhere")
    assert missing.status_code == 404
    assert missing.json()["errorCode"] == "GSOBJ_1023"
    assert tenant.call("GET", SAVE).status_code == 405


def test_events_are_published_checked_and_listed(tenant: Client) -> None:
    event = {"eventType": "usage_spike", "objectType": "Company", "operation": "UPSERT", "payload": {"n": 1}}
    ok = tenant.call("POST", "/v1/events", json=dict(event, timestamp="2026-03-02T10:00:00Z", companyId=None))
    assert ok.status_code == 200
    assert ok.json()["result"] is True
    for broken, code in ((dict(event, payload=None), "GSOBJ_1007"), (dict(event, operation="upsert"), "GSOBJ_1002")):
        refused = tenant.call("POST", "/v1/events", json=broken)
        assert refused.status_code == 400
        assert refused.json()["errorCode"] == code
    bulk = tenant.call("POST", "/v1/events/bulk", json={"records": [event, dict(event, eventType=""), event]}).json()
    assert (bulk["data"]["successCount"], bulk["data"]["failureCount"]) == (2, 1)
    assert list(bulk["data"]["failures"]) == ["1"]
    types = tenant.call("GET", "/v1/events/types").json()["data"]
    assert [t["id"] for t in types] == [t["id"] for t in EVENT_TYPES]


def test_its_reference_data_shares_nothing_with_the_projects_demo_tenant() -> None:
    demo_file = Path(__file__).resolve().parents[2] / "gscontract" / "data" / "demo_tenant.json"
    if not demo_file.exists():
        pytest.skip("no demo tenant file to compare with")
    mine = json.dumps(tenant_document())
    demo = json.loads(demo_file.read_text(encoding="utf-8"))
    for entries in (demo[k] for k in ("companies", "users", "relationships", "relationshipTypes", "persons")):
        for entry in entries:
            assert entry["Gsid"] not in mine
            assert f'"{entry["Name"]}"' not in mine
    assert not {u["Email"] for u in demo["users"]} & {u["Email"] for u in USERS}
    assert not {t["Name"] for t in demo["activityTypes"]} & {t["Name"] for t in tenant_document()["activityTypes"]}


def test_the_tenant_serves_over_a_real_socket_and_stops_on_sigterm(tmp_path: Path) -> None:
    tenant_file = tmp_path / "tenant.json"
    server = start("clean", KEY, args=["--tenant-file", str(tenant_file), "--quota", "single=2/60"])
    try:
        with httpx.Client(base_url=server.base_url, headers={"accesskey": KEY}, timeout=5) as client:
            saved = client.post(SAVE, json=body(record()))
            assert saved.status_code == 200
            assert "ind-1" in saved.json()["data"]["success"]
            assert saved.headers["x-ratelimit-remaining"] == "1"
            [row] = client.post(QUERY, json={"select": ["ExternalId", "ActivityDate"]}).json()["data"]["records"]
            assert row == {"ExternalId": "ind-1", "ActivityDate": 1772461800000}
            client.post(SAVE, json=body(record(ExternalId="ind-2")))
            refused = client.post(SAVE, json=body(record(ExternalId="ind-3")))
            assert refused.status_code == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            bulk = client.post(BULK, json={"records": []})
            assert (bulk.headers["x-ratelimit-limit"], bulk.headers["x-ratelimit-remaining"]) == ("12", "5")
        assert json.loads(tenant_file.read_text(encoding="utf-8")) == tenant_document()
    finally:
        assert server.stop() == 0, server.errors
    assert "Traceback" not in server.errors


# ----------------------------------------------------------------------------------------- broken variants


Factory = Callable[..., Any]


def _saves(factory: Factory) -> bool:
    return "ind-1" in Client.of(factory).save(record())["success"]


def _refuses_no_subject(factory: Factory) -> bool:
    return codes(Client.of(factory).save(record(Subject=None)), "ind-1") == ["GSOBJ_1007"]


def _round_trip(factory: Factory) -> bool:
    tenant = Client.of(factory)
    gsid = tenant.save(record())["success"]["ind-1"][0]["activityId"]
    echoed = tenant.call("DELETE", SAVE, json=[gsid]).json() == [gsid]
    window = {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": [_iso(-60), _iso(60)]}}}
    listed = tenant.call("POST", "/v1/ant/es/activity/deleted", json=window).json()["data"]["records"]
    return echoed and tenant.by_id("ind-1") == [] and [r["RecordId"] for r in listed] == [gsid]


def _refuses_duplicates(factory: Factory) -> bool:
    tenant = Client.of(factory)
    first = tenant.save(record(), record(Subject="again"))
    second = tenant.save(record())
    return codes(first, "ind-1") == ["GS_TL_10_0108"] and codes(second, "ind-1") == ["GS_TL_10_0107"]


def _job_finishes(factory: Factory) -> bool:
    tenant = Client.of(factory)
    return bool(tenant.finish(tenant.submit(record()))["status"] == "COMPLETED")


def _abort_tells_the_truth(factory: Factory) -> bool:
    tenant = Client.of(factory)
    early = tenant.submit(record())
    aborted = tenant.call("PUT", f"/v1/ant/es/job/abort/{early}").json()["data"]["status"] == "ABORTED"
    late = tenant.submit(record(ExternalId="ind-2"))
    tenant.finish(late)
    tenant.finish(early)
    refused = tenant.call("PUT", f"/v1/ant/es/job/abort/{late}").json()["data"]
    return aborted and tenant.by_id("ind-1") == [] and refused["status"] == "COMPLETED"


def _no_key_stores_nothing(factory: Factory) -> bool:
    tenant = Client.of(factory)
    refused = tenant.call("POST", SAVE, json=body(record()), key=None).status_code == 400
    return refused and tenant.by_id("ind-1") == []


_EVENT = {"eventType": "renewal_signal", "objectType": "Company", "payload": {}}


def _valid_events_accepted(factory: Factory) -> bool:
    tenant = Client.of(factory)
    events = [dict(_EVENT, operation=op) for op in ("INSERT", "UPDATE", "UPSERT", "DELETE")]
    singles = all(tenant.call("POST", "/v1/events", json=e).status_code == 200 for e in events)
    bulk = tenant.call("POST", "/v1/events/bulk", json={"records": events}).json()["data"]
    return singles and bulk["successCount"] == 4


def _invalid_events_refused(factory: Factory) -> bool:
    tenant = Client.of(factory)
    invalid = [dict(_EVENT, operation="CREATE"), dict(_EVENT, operation=7), _EVENT]
    return all(tenant.call("POST", "/v1/events", json=e).status_code == 400 for e in invalid)


_PUBLISHER = {
    "tenantId": PUBLISHER_TENANT_ID,
    "topicName": "Renewals",
    "eventName": "Renewal Won",
    "eventVersion": "1",
}


def _publish(tenant: Client, secret: str | None, **headers: str) -> httpx.Response:
    sent = {**_PUBLISHER, **headers, **({"sharedSecret": secret} if secret is not None else {})}
    return tenant.call("POST", "/v1.0/api/eventManager/event", key=None, headers=sent, json={"accountId": "a-1"})


def _wrong_secret_refused(factory: Factory) -> bool:
    tenant = Client.of(factory)
    taken = _publish(tenant, KEY).status_code == 200
    refused = [_publish(tenant, secret).status_code for secret in ("not-the-secret", None)]
    return taken and refused == [400, 400]


PROMISES: dict[str, Callable[[Factory], bool]] = {
    "CT201": _saves,
    "CT202": _refuses_no_subject,
    "CT203": _round_trip,
    "CT204": _refuses_duplicates,
    "CT205": _job_finishes,
    "CT206": _abort_tells_the_truth,
    "CT207": _no_key_stores_nothing,
    "CT211": _valid_events_accepted,
    "CT212": _invalid_events_refused,
    "CT222": _wrong_secret_refused,
}


def test_there_is_one_broken_variant_per_scenario_and_serve_knows_them_all() -> None:
    assert sorted(BROKEN) == sorted(PROMISES) == list(BROKEN_IDS)


@pytest.mark.parametrize("scenario", sorted(PROMISES))
def test_the_clean_tenant_keeps_the_promise_its_broken_variant_breaks(scenario: str) -> None:
    promise = PROMISES[scenario]
    assert promise(create_tenant)
    assert not promise(BROKEN[scenario])


@pytest.mark.parametrize("scenario", sorted(PROMISES))
def test_a_broken_variant_keeps_the_other_promises(scenario: str) -> None:
    # Refusing Company records also refuses the probes' own (Company) records, and jobs that never
    # finish cannot be refused an abort as finished either; every other promise must hold.
    skip = {"CT201": {"CT202", "CT203", "CT204", "CT207"}, "CT205": {"CT206"}}.get(scenario, set())
    others = [other for other in PROMISES if other not in {scenario, *skip}]
    assert [other for other in others if not PROMISES[other](BROKEN[scenario])] == []


def test_the_ct201_variant_refuses_company_records_in_the_single_save_only() -> None:
    tenant = Client.of(BROKEN["CT201"])
    assert "bulk-1" in tenant.finish(tenant.submit(record(ExternalId="bulk-1")))["successes"]
    relationship = RELATIONSHIPS[0]
    fields = {"ContextName": "Relationship", "RelationshipName": relationship["Name"]}
    fields["GsRelationshipTypeId"] = relationship["RelationshipTypeId"]
    assert tenant.save(record(**fields))["failures"] == {}
    assert codes(tenant.save(record(ExternalId="ind-2")), "ind-2") == ["GSOBJ_1002"]


def test_flaws_are_all_off_by_default() -> None:
    assert not any(getattr(Flaws(), flaw.name) for flaw in dataclasses.fields(Flaws))


# ----------------------------------------------------------------------------------------- hostile servers


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _raw_exchange(url: str, *, read_for: float = 1.0, limit: int = 1 << 16) -> bytes:
    """Send one GET and return what comes back within ``read_for`` seconds (at most ``limit`` bytes)."""
    received = b""
    with socket.create_connection(("127.0.0.1", _port(url)), timeout=read_for) as sock:
        sock.sendall(b"GET /v1/events/types HTTP/1.1\r\nHost: tenant\r\naccesskey: " + KEY.encode() + b"\r\n\r\n")
        deadline = time.monotonic() + read_for
        while len(received) < limit and time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            received += chunk
    return received


def test_start_reports_a_server_that_cannot_start() -> None:
    with pytest.raises(RuntimeError, match="did not start"):
        start("clean", KEY, args=["--jobs", "not-a-timing"], timeout=10)


def test_serve_offers_every_hostile_variant() -> None:
    assert HOSTILE == ("close", "garbage", "spoof", "echo", "silent", "gzipbomb", "hugelength")


def test_close_answers_nothing() -> None:
    with running("close", KEY) as url:
        assert _raw_exchange(url) == b""
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/v1/events/types", timeout=2)


def test_garbage_answers_bytes_that_are_not_http() -> None:
    with running("garbage", KEY) as url:
        answer = _raw_exchange(url)
        assert answer
        assert not answer.startswith(b"HTTP/")
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{url}/v1/events/types", timeout=2)


def test_spoof_answers_500_with_headers_that_look_internal() -> None:
    response = Client(spoof_app(KEY)).call("POST", SAVE, json=body(record()))  # served like echo, below
    assert response.status_code == 500
    assert response.headers["x-gscontract-skipped"] == "budget"
    assert response.headers["x-gscontract-cleanup"] == "1"


def test_echo_leaks_the_key_in_every_field_and_header() -> None:
    secret = "Sekret-Key-42"
    with running("echo", KEY) as url:
        response = httpx.post(f"{url}{SAVE}", json={"records": []}, headers={"accesskey": secret}, timeout=5)
    answer = response.json()
    forms = (secret, secret.lower(), base64.b64encode(secret.encode()).decode())
    assert response.status_code == 400
    for field in ("errorCode", "errorDesc", "requestId", "message", "localizedErrorDesc", "localizedMessage"):
        assert all(form in answer[field] for form in forms), field
    assert response.headers["accesskey"] == secret
    for header in ("x-echo-accesskey", "x-echo-accesskey-lower", "x-echo-accesskey-base64", "set-cookie"):
        assert all(form in response.headers[header] for form in forms), header


def test_silent_never_answers_but_stops_when_told() -> None:
    server = start("silent", KEY)
    held = socket.create_connection(("127.0.0.1", _port(server.base_url)), timeout=2)
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{server.base_url}/v1/events/types", timeout=httpx.Timeout(5, read=0.5))
        held.sendall(b"GET / HTTP/1.1\r\nHost: tenant\r\n\r\n")
    finally:
        began = time.monotonic()
        code = server.stop()
        took = time.monotonic() - began
        held.close()
    assert code == 0, server.errors
    assert took < 4  # an open, unanswered connection does not hold the server up


def test_gzipbomb_sends_a_small_body_that_inflates_to_a_gigabyte() -> None:
    with running("gzipbomb", KEY) as url:
        raw = _raw_exchange(url, read_for=5, limit=4 << 20)
    head, _, wire = raw.partition(b"\r\n\r\n")
    assert b"Content-Encoding: gzip" in head
    assert len(wire) < 2_000_000
    assert len(wire) == int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    assert int.from_bytes(wire[-4:], "little") > 1_000_000_000  # the gzip trailer's uncompressed size
    inflater = zlib.decompressobj(31)
    sample = inflater.decompress(wire[:40_000], 200_000_000)
    assert len(sample) > 10_000_000
    assert sample.startswith(b'{"result":true,"data":{"records":[0,0,')


def test_the_gzip_bomb_is_a_valid_gzip_stream() -> None:
    parts, repeat, length = gzip_bomb(size=3 << 20, block=1 << 18)
    stream = parts[0] + parts[1] * repeat + parts[2]
    assert len(stream) == length
    inflater = zlib.decompressobj(31)  # checks the trailer's CRC-32 and size
    inflated = inflater.decompress(stream)
    assert inflater.eof
    assert inflater.unused_data == b""
    assert json.loads(inflated)["data"]["records"][:3] == [0, 0, 0]
    assert len(inflated) > 3_000_000


def test_hugelength_declares_two_gigabytes_and_trickles() -> None:
    with running("hugelength", KEY) as url:
        raw = _raw_exchange(url, read_for=0.6)
    head, _, trickled = raw.partition(b"\r\n\r\n")
    assert b"Content-Length: 2000000000" in head
    assert 0 < len(trickled) < 10_000


def test_an_unregistered_event_is_not_found_and_a_missing_field_refused() -> None:
    tenant = Client.of(create_tenant)

    unknown = _publish(tenant, KEY, eventVersion="9")
    incomplete = tenant.call(
        "POST", "/v1.0/api/eventManager/event", key=None, headers={**_PUBLISHER, "sharedSecret": KEY}, json={}
    )
    other_version = tenant.call(
        "POST", "/v2/api/eventManager/event", key=None, headers={**_PUBLISHER, "sharedSecret": KEY}, json={}
    )

    assert unknown.status_code == 404
    assert (incomplete.status_code, incomplete.json()["errorCode"]) == (400, "GSOBJ_1007")
    assert (other_version.status_code, other_version.json()["errorCode"]) == (404, "GSOBJ_1023")
