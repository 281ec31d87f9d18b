"""The read API: select, where conditions and expressions, orderBy, limit and offset over saved activities."""

from __future__ import annotations

from typing import Any

import pytest
from mockkit import body, condition, query, record, save

from gscontract.mock.query_language import parse_query

URL = "/v1/data/objects/query/activity_timeline"


@pytest.fixture
def seeded(client: Any) -> Any:
    """Three saved activities with a number, a text and a date each."""
    save(
        client,
        record("e1", Subject="Alpha call", Ant__CustomNumber__c=10, ActivityDate="2022-07-01T06:36:00.000-07:00"),
        record("e2", Subject="Beta meeting", Ant__CustomNumber__c=20, ActivityDate="2022-07-02T06:36:00.000-07:00"),
        record("e3", Subject="Gamma call", Ant__CustomNumber__c=30, internalAttendees=["hysty@gainsight.com"]),
    )
    return client


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["ExternalId"] for r in rows]


def test_query_answers_with_the_data_api_shape(seeded: Any) -> None:
    answer = seeded.post(URL, json={"select": ["ExternalId"]}).json()

    assert set(answer) == {"result", "errorCode", "errorDesc", "requestId", "data", "message"}
    assert (answer["result"], answer["errorCode"], answer["errorDesc"]) == (True, None, None)


def test_select_matches_field_names_case_insensitively_and_answers_in_the_spelling_asked(seeded: Any) -> None:
    rows = query(seeded, ["externalid", "CONTEXTNAME"], condition("ExternalId", "EQ", "e1"))

    assert rows == [{"externalid": "e1", "CONTEXTNAME": "Company"}]


def test_select_prefers_the_exact_spelling(client: Any) -> None:
    payload = body(record("e1", internalAttendees=["hysty@gainsight.com"]))
    payload["lookups"]["InternalAttendees"] = {
        "fields": {"internalAttendees": "Email"},
        "lookupField": "Gsid",
        "objectName": "GsUser",
        "multiMatchOption": "FIRSTMATCH",
    }
    client.post("/v1/ant/es/activity", json=payload)

    (row,) = query(client, ["internalAttendees", "InternalAttendees", "internalattendees"])

    # Two stored fields differ only in case: each exact spelling wins; another spelling finds the first.
    assert row == {
        "internalAttendees": ["hysty@gainsight.com"],
        "InternalAttendees": ["1P01H1Y5T0Y2E9BQJ3A8W4N6K7R5S1C0D2HY"],
        "internalattendees": ["hysty@gainsight.com"],
    }


def test_lookups_come_back_resolved(client: Any) -> None:
    payload_lookups = {
        "InternalAttendees": {
            "fields": {"internalAttendees": "Email"},
            "lookupField": "Gsid",
            "objectName": "GsUser",
            "multiMatchOption": "MARKASERROR",
        }
    }
    response = client.post(
        "/v1/ant/es/activity",
        json={
            "records": [
                record(
                    "e1",
                    GsCompanyId="1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                    companyName=...,
                    internalAttendees=["hysty@gainsight.com", "seka@gainsight.com"],
                )
            ],
            "lookups": payload_lookups,
        },
    )
    assert response.json()["data"]["failures"] == {}

    (row,) = query(client, ["InternalAttendees"])

    assert row == {
        "InternalAttendees": ["1P01H1Y5T0Y2E9BQJ3A8W4N6K7R5S1C0D2HY", "1P01S3E6K9A2W7Q4N1B8V5C0X3Z6M9L2J5SK"]
    }


def test_gsid_and_created_date_can_be_selected(seeded: Any) -> None:
    (row,) = query(seeded, ["Gsid", "CreatedDate"], condition("ExternalId", "EQ", "e2"))

    assert len(row["Gsid"]) == 36
    assert row["CreatedDate"].endswith("Z")


def test_an_absent_field_comes_back_null(seeded: Any) -> None:
    assert query(seeded, ["Ant__Nothing__c"], condition("ExternalId", "EQ", "e1")) == [{"Ant__Nothing__c": None}]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        pytest.param(condition("Ant__CustomNumber__c", "EQ", 20), ["e2"], id="EQ"),
        pytest.param(condition("Ant__CustomNumber__c", "NE", 20), ["e1", "e3"], id="NE"),
        pytest.param(condition("ExternalId", "IN", "e1", "e3"), ["e1", "e3"], id="IN"),
        pytest.param(condition("Ant__CustomNumber__c", "GT", 10), ["e2", "e3"], id="GT"),
        pytest.param(condition("Ant__CustomNumber__c", "GTE", 20), ["e2", "e3"], id="GTE"),
        pytest.param(condition("Ant__CustomNumber__c", "LT", 20), ["e1"], id="LT"),
        pytest.param(condition("Ant__CustomNumber__c", "LTE", 20), ["e1", "e2"], id="LTE"),
        pytest.param(condition("Ant__CustomNumber__c", "BTW", 15, 30), ["e2", "e3"], id="BTW"),
        pytest.param(condition("Subject", "CONTAINS", "CALL"), ["e1", "e3"], id="CONTAINS"),
        pytest.param(condition("Subject", "STARTS_WITH", "beta"), ["e2"], id="STARTS_WITH"),
        pytest.param(condition("Subject", "ENDS_WITH", "meeting"), ["e2"], id="ENDS_WITH"),
        pytest.param(condition("internalAttendees", "IS_NULL"), ["e1", "e2"], id="IS_NULL"),
        pytest.param(condition("internalAttendees", "IS_NOT_NULL"), ["e3"], id="IS_NOT_NULL"),
        pytest.param(condition("internalAttendees", "INCLUDES", "hysty@gainsight.com"), ["e3"], id="INCLUDES"),
        pytest.param(condition("internalAttendees", "EXCLUDES", "hysty@gainsight.com"), ["e1", "e2"], id="EXCLUDES"),
        pytest.param(
            condition("ActivityDate", "GT", "2022-07-01T14:00:00Z"), ["e2"], id="date-time-compared-as-instants"
        ),
    ],
)
def test_where_operators(seeded: Any, where: dict[str, Any], expected: list[str]) -> None:
    rows = query(seeded, ["ExternalId"], where, orderBy={"ExternalId": "asc"})

    assert _ids(rows) == expected


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(condition("Ant__CustomNumber__c", "GT"), id="GT-none"),
        pytest.param(condition("ExternalId", "EQ", "e1", "e2"), id="EQ-two"),
        pytest.param(condition("Ant__CustomNumber__c", "BTW", 15), id="BTW-one"),
        pytest.param(condition("Ant__CustomNumber__c", "BTW", 1, 2, 3), id="BTW-three"),
        pytest.param(condition("ExternalId", "IN"), id="IN-none"),
        pytest.param(condition("internalAttendees", "IS_NULL", "x"), id="IS_NULL-one"),
        pytest.param({"name": "Subject", "alias": "A", "operator": "CONTAINS"}, id="CONTAINS-no-value-key"),
    ],
)
def test_a_condition_with_the_wrong_number_of_values_answers_400(seeded: Any, where: dict[str, Any]) -> None:
    response = seeded.post(URL, json={"select": ["ExternalId"], "where": {"conditions": [where]}})

    assert response.status_code == 400
    assert "value" in response.json()["errorDesc"]


def test_null_tests_may_leave_value_out_and_in_takes_several(seeded: Any) -> None:
    no_value = {"name": "internalAttendees", "alias": "A", "operator": "IS_NOT_NULL"}

    assert _ids(query(seeded, ["ExternalId"], no_value)) == ["e3"]
    assert _ids(query(seeded, ["ExternalId"], condition("ExternalId", "IN", "e1", "e2", "e9"))) == ["e1", "e2"]


def test_unknown_keys_of_a_query_are_ignored(seeded: Any) -> None:
    where = {"conditions": [{**condition("ExternalId", "EQ", "e2"), "caseSensitive": True}], "page": 2}
    response = seeded.post(URL, json={"select": ["ExternalId"], "where": where, "x-trace": "t1"})

    assert response.status_code == 200, response.text
    assert _ids(response.json()["data"]["records"]) == ["e2"]


def test_conditions_without_an_expression_all_hold(seeded: Any) -> None:
    rows = query(
        seeded,
        ["ExternalId"],
        condition("Subject", "CONTAINS", "call", alias="A"),
        condition("Ant__CustomNumber__c", "GT", 10, alias="B"),
    )

    assert _ids(rows) == ["e3"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("A AND B", ["e3"]),
        ("A OR C", ["e1", "e2", "e3"]),
        ("(A OR C) AND NOT B", ["e1", "e2"]),
        ("a and (b or c)", ["e3"]),
    ],
)
def test_expressions_combine_aliases(seeded: Any, expression: str, expected: list[str]) -> None:
    payload = {
        "select": ["ExternalId"],
        "where": {
            "conditions": [
                condition("Subject", "CONTAINS", "call", alias="A"),
                condition("Ant__CustomNumber__c", "GT", 20, alias="B"),
                condition("ExternalId", "EQ", "e2", alias="C"),
            ],
            "expression": expression,
        },
        "orderBy": {"ExternalId": "asc"},
    }

    answer = seeded.post(URL, json=payload).json()

    assert _ids(answer["data"]["records"]) == expected


@pytest.mark.parametrize("expression", ["A AND", "A OR (B", "A B", "A AND Z", "A && B"])
def test_an_unparseable_expression_answers_200_with_result_false(seeded: Any, expression: str) -> None:
    payload = {
        "select": ["ExternalId"],
        "where": {
            "conditions": [condition("ExternalId", "EQ", "e1"), condition("ExternalId", "EQ", "e2", alias="B")],
            "expression": expression,
        },
    }

    response = seeded.post(URL, json=payload)

    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] is False
    assert expression in answer["errorDesc"]
    assert answer["data"] == {"records": []}


def test_order_by_sorts_descending(seeded: Any) -> None:
    rows = query(seeded, ["ExternalId"], orderBy={"Ant__CustomNumber__c": "desc"})

    assert _ids(rows) == ["e3", "e2", "e1"]


def test_limit_and_offset_page_through_the_results(seeded: Any) -> None:
    pages = [_ids(query(seeded, ["ExternalId"], orderBy={"ExternalId": "asc"}, limit=2, offset=o)) for o in (0, 2)]

    assert pages == [["e1", "e2"], ["e3"]]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"select": ["ExternalId"], "limit": 5001}, id="limit-over-5000"),
        pytest.param({"select": ["ExternalId"], "offset": -1}, id="negative-offset"),
        pytest.param({"select": "ExternalId"}, id="select-string"),
        pytest.param({"where": {"conditions": []}}, id="no-select"),
        pytest.param(
            {"select": ["x"], "where": {"conditions": [{"name": "x", "alias": "A", "value": "v", "operator": "EQ"}]}},
            id="value-not-array",
        ),
        pytest.param({"select": ["x"], "where": {"conditions": [condition("x", "LIKE", "v")]}}, id="operator"),
        pytest.param({"select": ["x"], "orderBy": {"x": "up"}}, id="direction"),
        pytest.param(["ExternalId"], id="array"),
    ],
)
def test_a_body_that_breaks_the_query_schema_answers_400(client: Any, payload: Any) -> None:
    response = client.post(URL, json=payload)

    assert response.status_code == 400
    assert response.json()["errorDesc"]


def test_a_whole_number_written_as_a_float_reads_as_an_integer(seeded: Any) -> None:
    # JSON Schema counts 79.0 as an integer, so the spec's limit accepts it; so do TL634/TL635 and the parser.
    parsed = parse_query({"select": ["ExternalId"], "limit": 79.0, "offset": 2.0})
    rows = query(seeded, ["ExternalId"], orderBy={"ExternalId": "asc"}, limit=1.0, offset=1.0)

    assert (parsed.limit, parsed.offset) == (79, 2)
    assert _ids(rows) == ["e2"]


def test_order_by_reads_the_direction_in_any_case(seeded: Any) -> None:
    rows = query(seeded, ["ExternalId"], orderBy={"Ant__CustomNumber__c": "Desc"})

    assert _ids(rows) == ["e3", "e2", "e1"]
