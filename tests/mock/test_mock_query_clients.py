"""The read API as real Timeline clients call it: object-name case, ``__gr.`` traversal, the fields records carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from mockkit import AUTHOR, AUTHOR_GSID, COMPANY_GSID, KEY, MockProcess, body, condition, query, record, save, wait_job

import gscontract
from gscontract.tenants.reference import parse_tenant

DEMO = Path(gscontract.__file__).parent / "data" / "demo_tenant.json"
CAPITALISED = "/v1/data/objects/query/Activity_Timeline"
OTHER_AUTHOR = "abc@gainsight.com"
RELATIONSHIP = "1P052FF55UXKNWG3E7P0ILJL8B53QH9SRV51"


def _by_author(email: str) -> dict[str, Any]:
    """The query a public toolkit's timeline viewer sends: activities of one author, newest first."""
    return {
        "select": ["Gsid", "CreatedDate", "Subject", "Notes", "ActivityDate", "contextname", "AuthorId"],
        "where": {"conditions": [condition("AuthorId__gr.Email", "EQ", email)], "expression": "A"},
        "orderBy": {"CreatedDate": "desc"},
        "limit": 3,
        "offset": 0,
    }


@pytest.fixture
def two_authors(client: Any) -> Any:
    """Two activities by the document's test user and one by another user."""
    save(client, record("mine-1", Subject="First"), record("mine-2", Subject="Second"))
    save(client, record("theirs", Subject="Other", Author=OTHER_AUTHOR))
    return client


def _answer(client: Any, payload: dict[str, Any], path: str = CAPITALISED) -> dict[str, Any]:
    response = client.post(path, json=payload)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_capitalised_object_name_filtered_by_author_email_finds_that_authors_activities(two_authors: Any) -> None:
    answer = _answer(two_authors, _by_author(AUTHOR))

    assert answer["result"] is True
    rows = answer["data"]["records"]
    assert sorted(r["Subject"] for r in rows) == ["First", "Second"]
    assert {r["AuthorId"] for r in rows} == {AUTHOR_GSID}


@pytest.mark.parametrize(
    "path", ["/v1/data/objects/query/ACTIVITY_TIMELINE", "/v1/data/objects/query/activity_Timeline"]
)
def test_the_object_name_matches_in_any_case(two_authors: Any, path: str) -> None:
    assert len(_answer(two_authors, {"select": ["Gsid"]}, path)["data"]["records"]) == 3


@pytest.mark.parametrize(
    "path", ["/V1/data/objects/query/activity_timeline", "/v1/data/objects/query/Company", "/v1/data/objects/query/x"]
)
def test_only_the_object_name_is_read_without_case_and_other_objects_are_unknown(client: Any, path: str) -> None:
    response = client.post(path, json={"select": ["Gsid"]})

    assert (response.status_code, response.json()["errorCode"]) == (404, "GSOBJ_1023")


def test_traversals_can_be_selected_for_every_documented_lookup(client: Any) -> None:
    save(
        client,
        record(
            "rel",
            ContextName="Relationship",
            GsRelationshipId=RELATIONSHIP,
            GsRelationshipTypeId="1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL",
        ),
    )

    (row,) = query(
        client, ["AuthorId__gr.Email", "authorid__GR.name", "GsCompanyId__gr.Name", "GsRelationshipId__gr.Name"]
    )

    assert row == {
        "AuthorId__gr.Email": AUTHOR,
        "authorid__GR.name": "Test User",
        "GsCompanyId__gr.Name": "Tech systems ABC Ltd",
        "GsRelationshipId__gr.Name": "Gainsight Mobile",
    }


def test_a_traversal_reads_any_field_the_tenant_file_gives_its_objects(make_client: Any) -> None:
    users = [{"Gsid": AUTHOR_GSID, "Email": AUTHOR, "Name": "Test User", "Title": "CSM"}]
    tenant = parse_tenant({**json.loads(DEMO.read_text(encoding="utf-8")), "users": users})
    client = make_client(tenant=tenant)
    save(client, record("e1"))

    rows = query(client, ["ExternalId"], condition("AuthorId__gr.Title", "EQ", "CSM"))

    assert rows == [{"ExternalId": "e1"}]


def test_a_traversal_through_an_empty_lookup_reads_null(client: Any) -> None:
    save(client, record("co"))

    assert query(client, ["GsRelationshipId__gr.Name"]) == [{"GsRelationshipId__gr.Name": None}]


def test_order_by_a_traversal_sorts_by_the_looked_up_value(two_authors: Any) -> None:
    rows = query(two_authors, ["ExternalId"], orderBy={"AuthorId__gr.Email": "asc", "ExternalId": "asc"})

    # abc@gainsight.com sorts before testuser@gainsight.com.
    assert [r["ExternalId"] for r in rows] == ["theirs", "mine-1", "mine-2"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Owner__gr.Email", "not a lookup field of activity_timeline"),
        ("InternalAttendees__gr.Email", "not a lookup field of activity_timeline"),
        ("AuthorId__gr.Phone", "GsUser has no such field"),
        ("GsRelationshipId__gr.CompanyId__gr.Name", "only one __gr. step"),
    ],
)
def test_an_unknown_traversal_answers_result_false_naming_it(two_authors: Any, name: str, reason: str) -> None:
    for payload in ({"select": [name]}, {"select": ["Gsid"], "where": {"conditions": [condition(name, "EQ", "x")]}}):
        answer = _answer(two_authors, payload)

        assert answer["result"] is False
        assert answer["data"] == {"records": []}
        assert name in answer["errorDesc"]
        assert reason in answer["errorDesc"]


def test_a_long_unknown_traversal_is_quoted_in_part(two_authors: Any) -> None:
    name = "Owner__gr." + "x" * 100_000

    answer = _answer(two_authors, {"select": [name]})

    assert answer["result"] is False
    assert len(answer["errorDesc"]) < 500


def test_read_fields_are_derived_from_what_was_saved(client: Any) -> None:
    save(client, record("e1", Notes="<p>Renewal &amp; <b>pricing</b></p>", DurationInMins=30))

    (row,) = query(
        client,
        [
            "NotesPlainText",
            "UserEmail",
            "LastModifiedDate",
            "CreatedDate",
            "DurationInMins",
            "ActivityTypeId",
            "TypeName",
        ],
    )

    assert row["NotesPlainText"] == "Renewal & pricing"
    assert row["UserEmail"] == AUTHOR
    assert row["LastModifiedDate"] == row["CreatedDate"]
    assert row["DurationInMins"] == 30
    assert (row["TypeName"], row["ActivityTypeId"]) == ("Update", "163ca3c2-06c1-4507-ba8a-ceba6ae0004e")


def test_last_modified_date_follows_an_update(client: Any) -> None:
    (gsid,) = [v[0]["activityId"] for v in save(client, record("e1"))["success"].values()]
    (before,) = query(client, ["LastModifiedDate"])
    update = {"records": [{"Gsid": gsid, "TypeName": "Update", "Subject": "New", "Notes": "n"}]}
    wait_job(client, client.put("/v1/ant/es/activity/bulk", json=update).json()["data"]["jobId"])

    (after,) = query(client, ["LastModifiedDate", "CreatedDate", "Subject"])

    assert after["Subject"] == "New"
    assert after["LastModifiedDate"] >= before["LastModifiedDate"] >= after["CreatedDate"]


def test_read_fields_nobody_sent_come_back_null(client: Any) -> None:
    save(client, record("e1"))

    (row,) = query(client, ["ExternalSource", "MilestoneType", "ScorecardMeasure", "SfdcCtaId", "GsCompanyId"])

    assert row == {
        "ExternalSource": None,
        "MilestoneType": None,
        "ScorecardMeasure": None,
        "SfdcCtaId": None,
        "GsCompanyId": COMPANY_GSID,
    }


@pytest.mark.slow
def test_a_served_mock_answers_the_toolkit_query() -> None:
    with MockProcess() as server, httpx.Client(base_url=server.url, headers={"accesskey": KEY}, timeout=30) as client:
        saved = client.post("/v1/ant/es/activity", json=body(record("mine"), record("theirs", Author=OTHER_AUTHOR)))
        assert saved.status_code == 200

        answer = client.post(CAPITALISED, json=_by_author(AUTHOR)).json()

    assert answer["result"] is True
    assert [r["AuthorId"] for r in answer["data"]["records"]] == [AUTHOR_GSID]
