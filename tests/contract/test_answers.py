"""Readers of the tenant's answers that scenarios and cleanup share: pure functions, tested directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gscontract.contract.transport.answers import (
    activity_gsid,
    failure_items,
    iso_now,
    query_body,
    returned_fields,
    same_value,
    stored_fields,
)
from gscontract.contract.transport.calls import Call


def _call(body: Any) -> Call:
    return Call(operation="POST /v1/ant/es/activity", status=200, body=body, curl="curl ...")


def test_records_are_found_under_their_keys() -> None:
    call = _call(
        {
            "data": {
                "success": {"a": [{"activityId": "G1"}], "b": ["G2"], "c": [{"other": 1}]},
                "failures": {"d": [{"errorCode": "GSOBJ_1002"}], "e": "not a list"},
            }
        }
    )
    assert [activity_gsid(call, k) for k in "abcz"] == ["G1", "G2", None, None]
    assert failure_items(call, "d") == [{"errorCode": "GSOBJ_1002"}]
    assert failure_items(call, "e") == []
    job = _call({"data": {"successes": {"a": [{"activityId": "J1"}]}}})
    assert activity_gsid(job, "a", field="successes") == "J1"
    assert activity_gsid(_call(["not", "an", "object"]), "a") is None


def test_query_answers_give_their_records() -> None:
    assert returned_fields(_call({"data": {"records": [{"Gsid": "1"}, "x", {"Gsid": "2"}]}})) == [
        {"Gsid": "1"},
        {"Gsid": "2"},
    ]
    assert returned_fields(_call({"data": {"records": None}})) == []
    body = query_body("ext-1", ["Gsid"])
    assert body["where"]["conditions"] == [{"name": "ExternalId", "alias": "A", "value": ["ext-1"], "operator": "EQ"}]
    assert (body["select"], body["limit"], body["offset"]) == (["Gsid"], 10, 0)


def test_round_trips_compare_only_fields_kept_as_sent() -> None:
    payload = {
        "records": [
            {"ExternalId": "e", "Subject": "s", "Author": "a@x", "Ant__When__c": "2022-01-01", "Tags": ["t"]},
        ],
        "lookups": {"X": {"fields": {"Ant__When__c": "Name"}}},
    }
    assert stored_fields(payload) == ["ExternalId", "Subject"]
    assert same_value("2022-07-01T06:36:00.000-07:00", "2022-07-01T13:36:00Z")
    assert not same_value("2022-07-01T06:36:00Z", "2022-07-01T06:37:00Z")
    assert not same_value("abc", "abd")
    assert same_value(3, 3.0)
    assert not same_value("3", 3)


def test_now_is_written_as_the_document_writes_dates() -> None:
    text = iso_now(60)
    moment = dt.datetime.fromisoformat(text)
    assert text.endswith("+00:00")
    assert len(text.split(".")[1]) == len("000+00:00")
    assert abs((moment - dt.datetime.now(dt.UTC)).total_seconds() - 60) < 5
