"""The single update, ``PUT /v1/ant/es/activity?identifier=...``: the bulk update's matching, answered at once."""

from __future__ import annotations

from typing import Any

from mockkit import body, codes, condition, query, record, save


def _update(client: Any, *records: dict[str, Any], identifier: str | None = None) -> Any:
    url = "/v1/ant/es/activity" + (f"?identifier={identifier}" if identifier else "")
    return client.put(url, json=body(*records))


def test_an_update_by_external_id_is_answered_with_its_verdict_and_stored_at_once(client: Any) -> None:
    gsid = save(client, record("a1"))["success"]["a1"][0]["activityId"]

    response = _update(client, record("a1", Subject="Renamed"), identifier="externalid")

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert "jobId" not in data  # no job to follow: the answer carries the verdicts
    assert data["failures"] == {}
    assert data["success"] == {"a1": [{"activityId": gsid}]}
    assert query(client, ["Subject"], condition("ExternalId", "EQ", "a1")) == [{"Subject": "Renamed"}]


def test_an_update_by_activity_id_is_the_default(client: Any) -> None:
    gsid = save(client, record("a1"))["success"]["a1"][0]["activityId"]

    response = _update(client, {"Gsid": gsid, "TypeName": "Update", "Subject": "By id", "Notes": "n"})

    assert response.status_code == 200, response.text
    assert query(client, ["Subject", "ExternalId"]) == [{"Subject": "By id", "ExternalId": "a1"}]


def test_an_unknown_activity_fails_in_the_answer_with_gsobj_1011(client: Any) -> None:
    response = _update(client, record("ghost"), identifier="externalid")

    assert response.status_code == 200
    assert codes(response.json()["data"]["failures"], "ghost") == ["GSOBJ_1011"]
    assert query(client, ["ExternalId"]) == []


def test_an_unknown_identifier_is_refused_whole(client: Any) -> None:
    save(client, record("a1"))

    response = _update(client, record("a1", Subject="x"), identifier="name")

    assert response.status_code == 400
    assert query(client, ["Subject"]) == [{"Subject": record("a1")["Subject"]}]
