"""Single save: synchronous, per-record success and failures, the shared rules' codes, idempotent ExternalId."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from mockkit import AUTHOR_GSID, COMPANY_GSID, RELATIONSHIP_TYPE, body, codes, query, record, save

GSID = re.compile(r"^1I004[0-9A-Z]{31}$")


def test_save_answers_with_the_documented_shape(client: Any) -> None:
    answer = client.post("/v1/ant/es/activity", json=body(record("a1"))).json()

    assert set(answer) == {"data", "result", "message", "additionalInfo"}
    assert answer["result"] is True
    assert answer["data"]["failures"] == {}
    assert list(answer["data"]["success"]) == ["a1"]


def test_saved_activity_gets_a_gsid_shaped_id(client: Any) -> None:
    data = save(client, record("a1"))

    assert GSID.match(data["success"]["a1"][0]["activityId"])


def test_saved_activity_can_be_read_back_with_resolved_lookups(client: Any) -> None:
    activity_id = save(client, record("a1"))["success"]["a1"][0]["activityId"]

    rows = query(
        client,
        ["Gsid", "GsCompanyId", "AuthorId", "Subject"],
        {"name": "ExternalId", "alias": "A", "value": ["a1"], "operator": "EQ"},
    )

    assert rows == [{"Gsid": activity_id, "GsCompanyId": COMPANY_GSID, "AuthorId": AUTHOR_GSID, "Subject": "Kick-off"}]


def test_missing_activity_date_is_filled_with_the_current_time(client: Any) -> None:
    before = datetime.now(UTC)
    save(client, record("a1", ActivityDate=...))

    (row,) = query(client, ["ActivityDate"])

    filled = datetime.fromisoformat(row["ActivityDate"])
    assert filled.tzinfo is not None
    assert abs((filled - before).total_seconds()) < 60


def test_saving_an_existing_external_id_fails_with_0107(client: Any) -> None:
    save(client, record("a1"))

    data = save(client, record("a1", Subject="again"))

    assert data["success"] == {}
    assert codes(data["failures"], "a1") == ["GS_TL_10_0107"]


def test_a_duplicate_save_leaves_the_saved_activity_unchanged(client: Any) -> None:
    save(client, record("a1"))
    save(client, record("a1", Subject="again"))

    assert query(client, ["Subject"]) == [{"Subject": "Kick-off"}]


def test_a_repeated_external_id_in_one_payload_keeps_the_first_and_fails_the_rest_with_0108(client: Any) -> None:
    data = save(client, record("a1", Subject="first"), record("a1", Subject="second"))

    assert "a1" in data["success"]
    assert codes(data["failures"], "a1") == ["GS_TL_10_0108"]
    assert query(client, ["Subject"]) == [{"Subject": "first"}]


def test_records_fail_on_their_own(client: Any) -> None:
    data = save(client, record("good"), record("bad", Subject=...))

    assert list(data["success"]) == ["good"]
    assert list(data["failures"]) == ["bad"]


def test_a_record_without_external_id_is_keyed_by_its_index(client: Any) -> None:
    data = save(client, record("good"), record(ExternalId=...))

    assert codes(data["failures"], "records[1]") == ["GS_TL_10_0202"]


_LONG = "x" * 256


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        pytest.param({"ContextName": ...}, "GS_TL_10_0211", id="context-missing"),
        pytest.param({"TypeName": ...}, "GS_TL_10_0203", id="type-missing"),
        pytest.param(
            {"ContextName": "Relationship", "GsRelationshipTypeId": RELATIONSHIP_TYPE},
            "GS_TL_10_0214",
            id="rel-missing",
        ),
        pytest.param(
            {"ContextName": "Relationship", "GsRelationshipId": "1P05H693E70AQ4W1X360SOIR73VW953CLPYD"},
            "GS_TL_10_0215",
            id="rel-type-missing",
        ),
        pytest.param({"ActivityDate": "2022-07-01 06:36"}, "GS_TL_10_0222", id="activity-date"),
        pytest.param({"Ant__date_ttimee__c": "2022-06-08T21:09:20"}, "GS_TL_10_0222", id="custom-datetime"),
        pytest.param({"Ant__CustomDateField__c": "2022-02-30"}, "GS_TL_10_0223", id="custom-date"),
        pytest.param({"Subject": ...}, "GSOBJ_1007", id="subject-missing"),
        pytest.param({"Subject": _LONG}, "GSOBJ_1001", id="subject-too-long"),
        pytest.param({"ContextName": "Account"}, "GSOBJ_1002", id="context-unknown"),
        pytest.param({"Ant__CustomNumber__c": "three"}, "GSOBJ_1002", id="wrong-type"),
        pytest.param({"companyName": "No Such Company"}, "GSOBJ_1011", id="lookup-no-match"),
    ],
)
def test_an_invalid_record_fails_with_its_rules_code(client: Any, fields: dict[str, Any], code: str) -> None:
    data = save(client, record("r1", **fields))

    assert data["success"] == {}
    assert code in codes(data["failures"], "r1")


def test_a_custom_date_time_may_write_its_offset_without_a_colon(client: Any) -> None:
    # Gainsight's newer custom-field data-type table writes DateTime as yyyy-MM-dd'T'HH:mm:ss.SSSZ (-0700).
    data = save(client, record("r1", Ant__date_ttimee__c="2022-06-08T21:09:20.000-0700"))

    assert list(data["success"]) == ["r1"]
    assert query(client, ["Ant__date_ttimee__c"]) == [{"Ant__date_ttimee__c": "2022-06-08T21:09:20.000-0700"}]


def test_an_activity_date_keeps_the_colon_in_its_offset(client: Any) -> None:
    data = save(client, record("r1", ActivityDate="2022-07-01T06:36:00.000-0700"))

    assert codes(data["failures"], "r1") == ["GS_TL_10_0222"]


def test_failure_items_carry_the_rules_message(client: Any) -> None:
    data = save(client, record("r1", companyName="No Such Company"))

    assert data["failures"]["r1"] == [{"errorCode": "GSOBJ_1011", "errorMessage": "No record found for GsCompanyId"}]


def test_a_bad_lookup_fails_only_the_records_that_use_it(client: Any) -> None:
    payload = body(record("with", internalAttendees=["hysty@gainsight.com"]), record("without"))
    payload["lookups"]["InternalAttendees"] = {
        "fields": {"internalAttendees": "Email"},
        "lookupField": "Gsid",
        "objectName": "GsUser",
        "multiMatchOption": "SOMETIMES",
    }

    data = client.post("/v1/ant/es/activity", json=payload).json()["data"]

    assert codes(data["failures"], "with") == ["GSOBJ_1002"]
    assert list(data["success"]) == ["without"]


def test_a_lookup_that_reads_no_field_fails_the_records_that_need_it(client: Any) -> None:
    payload = body(record("needs"), record("direct", GsCompanyId=COMPANY_GSID, companyName=...))
    payload["lookups"]["GsCompanyId"]["fields"] = {}

    data = client.post("/v1/ant/es/activity", json=payload).json()["data"]

    assert "GSOBJ_1002" in codes(data["failures"], "needs")
    assert list(data["success"]) == ["direct"]


def test_a_warning_never_fails_a_record(client: Any) -> None:
    # CTA is a current context whose extra keys are undocumented: a warning (TL203), not an error.
    data = save(client, record("cta", ContextName="CTA"))

    assert list(data["success"]) == ["cta"]


def test_the_legacy_profile_rejects_the_newer_contexts(make_client: Any) -> None:
    client = make_client(profile="legacy")

    data = save(client, record("cta", ContextName="CTA"))

    assert codes(data["failures"], "cta") == ["GSOBJ_1002"]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param([record("a1")], id="array"),
        pytest.param({"lookups": {}}, id="no-records"),
        pytest.param({"records": {"a1": record("a1")}}, id="records-not-array"),
        pytest.param({"records": [record("a1"), "a2"]}, id="record-not-object"),
    ],
)
def test_an_invalid_envelope_answers_400_and_stores_nothing(client: Any, payload: Any) -> None:
    response = client.post("/v1/ant/es/activity", json=payload)

    assert response.status_code == 400
    assert response.json()["errorCode"] is None
    assert query(client, ["ExternalId"]) == []


def test_an_envelope_error_names_the_problem(client: Any) -> None:
    response = client.post("/v1/ant/es/activity", json={"lookups": {}})

    assert "records" in response.json()["errorDesc"]
