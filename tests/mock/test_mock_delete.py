"""Delete by activity id, and fetch the deletions of a date range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from mockkit import condition, query, record, save


def _ids(client: Any, *external_ids: str) -> list[str]:
    data = save(client, *(record(e) for e in external_ids))
    return [data["success"][e][0]["activityId"] for e in external_ids]


def _deleted(client: Any, start: str, end: str) -> list[dict[str, Any]]:
    payload = {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": [start, end]}}}
    response = client.post("/v1/ant/es/activity/deleted", json=payload)
    assert response.status_code == 200, response.text
    return list(response.json()["data"]["records"])


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_delete_answers_with_a_bare_array_of_the_deleted_ids(client: Any) -> None:
    ids = _ids(client, "a1", "a2")

    response = client.request("DELETE", "/v1/ant/es/activity", json=ids)

    assert response.status_code == 200
    assert response.json() == ids


def test_unknown_ids_are_left_out_of_the_echo(client: Any) -> None:
    (gsid,) = _ids(client, "a1")

    answer = client.request("DELETE", "/v1/ant/es/activity", json=["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E", gsid]).json()

    assert answer == [gsid]


def test_deleted_activities_disappear_from_the_read_api(client: Any) -> None:
    first, _ = _ids(client, "a1", "a2")

    client.request("DELETE", "/v1/ant/es/activity", json=[first])

    assert query(client, ["ExternalId"]) == [{"ExternalId": "a2"}]


def test_a_deleted_external_id_can_be_saved_again(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))

    assert list(save(client, record("a1"))["success"]) == ["a1"]


def test_fetch_deleted_lists_deletions_inside_the_range(client: Any) -> None:
    (gsid,) = _ids(client, "a1")
    client.request("DELETE", "/v1/ant/es/activity", json=[gsid])
    now = datetime.now(UTC)

    rows = _deleted(client, _iso(now - timedelta(minutes=5)), _iso(now + timedelta(minutes=5)))

    assert [(r["RecordId"], r["ObjectName"], r["ExternalId"]) for r in rows] == [(gsid, "activity_timeline", "a1")]
    assert abs((datetime.fromisoformat(rows[0]["DeletedOn"]) - now).total_seconds()) < 60


def test_fetch_deleted_answers_the_deleted_record_log_shape(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))

    (row,) = _deleted(client, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z")

    # Gainsight's deleted-record log names RecordId, DeletedOn (UTC) and ObjectName; ExternalId is the mock's extra.
    assert set(row) == {"RecordId", "DeletedOn", "ObjectName", "ExternalId"}
    assert row["DeletedOn"].endswith("Z")


def test_fetch_deleted_includes_both_ends_of_the_range(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))
    (row,) = _deleted(client, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z")
    moment = row["DeletedOn"]

    assert len(_deleted(client, moment, moment)) == 1


def test_fetch_deleted_leaves_out_deletions_outside_the_range(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))

    assert _deleted(client, "2022-06-21T06:39:00.000-07:00", "2022-06-22T06:39:00.000-07:00") == []


def test_fetch_deleted_compares_instants_across_offsets(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))
    (row,) = _deleted(client, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z")
    local = datetime.fromisoformat(row["DeletedOn"]).astimezone(timezone(timedelta(hours=-7)))
    moment = local.isoformat(timespec="milliseconds")

    assert moment.endswith("-07:00")
    assert len(_deleted(client, moment, moment)) == 1


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"ids": ["x"]}, id="object"),
        pytest.param([1, 2], id="numbers"),
        pytest.param([""], id="empty-id"),
        pytest.param([" \t"], id="blank-id"),
    ],
)
def test_a_delete_body_that_is_not_an_array_of_ids_answers_400(client: Any, payload: Any) -> None:
    _ids(client, "a1")

    response = client.request("DELETE", "/v1/ant/es/activity", json=payload)

    assert response.status_code == 400
    assert query(client, ["ExternalId"]) == [{"ExternalId": "a1"}]


@pytest.mark.parametrize(
    "date_filter",
    [
        pytest.param({"values": ["2022-06-21T06:39:00Z", "2022-06-22T06:39:00Z"]}, id="no-literal"),
        pytest.param({"dateLiteral": "CUSTOM", "values": ["2022-06-21"]}, id="one-value"),
        pytest.param({"dateLiteral": "CUSTOM", "values": ["2022-06-21", "2022-06-22"]}, id="dates"),
    ],
)
def test_a_malformed_fetch_deleted_filter_answers_400(client: Any, date_filter: dict[str, Any]) -> None:
    response = client.post("/v1/ant/es/activity/deleted", json={"filter": {"dateFilter": date_filter}})

    assert response.status_code == 400
    assert response.json()["errorDesc"]


def test_a_reversed_range_lists_nothing(client: Any) -> None:
    # TL625 is a warning: the spec calls the body valid (it cannot compare two values), so the mock answers 200.
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))

    assert len(_deleted(client, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z")) == 1
    assert _deleted(client, "2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z") == []


def test_unknown_keys_of_a_fetch_deleted_body_are_ignored(client: Any) -> None:
    client.request("DELETE", "/v1/ant/es/activity", json=_ids(client, "a1"))
    date_filter = {"dateLiteral": "CUSTOM", "values": ["2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"], "tz": "UTC"}
    payload = {"filter": {"dateFilter": date_filter, "page": {"size": 10}}, "x": 1}

    response = client.post("/v1/ant/es/activity/deleted", json=payload)

    assert response.status_code == 200, response.text
    assert [r["ExternalId"] for r in response.json()["data"]["records"]] == ["a1"]


def test_a_deleted_activity_is_not_found_by_its_gsid(client: Any) -> None:
    (gsid,) = _ids(client, "a1")
    client.request("DELETE", "/v1/ant/es/activity", json=[gsid])

    assert query(client, ["Gsid"], condition("Gsid", "EQ", gsid)) == []
