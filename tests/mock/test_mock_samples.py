"""Every request sample of the documents (JSON fixed, as the specs carry them) succeeds against the demo tenant."""

from __future__ import annotations

from typing import Any

import pytest
from mockkit import sample, wait_job

from gscontract.specfiles import load_spec

TIMELINE = "timeline"


def _request_examples(spec: str) -> list[tuple[str, str, str]]:
    found = []
    for path, item in load_spec(spec)["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.extend((path, method, name) for name in content.get("examples", {}))
    return found


def test_these_tests_cover_every_request_sample_of_the_specs() -> None:
    # A sample added to a spec fails this test until a test below sends it.
    assert sorted(_request_examples(TIMELINE)) == [
        ("/v1/ant/es/activity", "delete", "documentSample"),
        ("/v1/ant/es/activity", "post", "documentSample"),
        ("/v1/ant/es/activity", "put", "oneRecord"),
        ("/v1/ant/es/activity/bulk", "post", "documentSample"),
        ("/v1/ant/es/activity/bulk", "put", "documentSample"),
        ("/v1/ant/es/activity/deleted", "post", "documentSample"),
        ("/v1/data/objects/query/activity_timeline", "post", "documentSample"),
        ("/v1/data/objects/query/activity_timeline", "post", "newerDocumentSample"),
    ]
    assert sorted(_request_examples("events")) == [
        ("/events", "post", "companyUpdate"),
        ("/events/bulk", "post", "twoEvents"),
    ]


def test_the_single_save_sample_succeeds(client: Any) -> None:
    data = client.post("/v1/ant/es/activity", json=sample(TIMELINE, "/v1/ant/es/activity", "post")).json()["data"]

    assert data["failures"] == {}
    assert list(data["success"]) == ["16f0383a1e404d7ba52361bb7370d7de"]


def _bulk_save_sample(client: Any) -> dict[str, Any]:
    response = client.post("/v1/ant/es/activity/bulk", json=sample(TIMELINE, "/v1/ant/es/activity/bulk", "post"))
    return wait_job(client, response.json()["data"]["jobId"])


def test_the_bulk_save_sample_succeeds(client: Any) -> None:
    status = _bulk_save_sample(client)

    assert (status["status"], status["successCount"], status["failedCount"]) == ("COMPLETED", 3, 0)


def test_the_update_sample_succeeds_by_external_id_after_the_bulk_save(client: Any) -> None:
    _bulk_save_sample(client)

    response = client.put(
        "/v1/ant/es/activity/bulk?identifier=externalid", json=sample(TIMELINE, "/v1/ant/es/activity/bulk", "put")
    )
    status = wait_job(client, response.json()["data"]["jobId"])

    assert (status["successCount"], status["failures"]) == (2, {})


def test_the_single_update_sample_succeeds_by_external_id_after_the_bulk_save(client: Any) -> None:
    _bulk_save_sample(client)
    body = sample(TIMELINE, "/v1/ant/es/activity", "put", "oneRecord")

    data = client.put("/v1/ant/es/activity?identifier=externalid", json=body).json()["data"]

    assert (data["failures"], list(data["success"])) == ({}, ["16f0383a1e404d7ba52361bb7370d7de"])


def test_the_delete_sample_is_accepted(client: Any) -> None:
    response = client.request("DELETE", "/v1/ant/es/activity", json=sample(TIMELINE, "/v1/ant/es/activity", "delete"))

    assert (response.status_code, response.json()) == (200, [])


def test_the_fetch_deleted_sample_is_accepted(client: Any) -> None:
    response = client.post("/v1/ant/es/activity/deleted", json=sample(TIMELINE, "/v1/ant/es/activity/deleted", "post"))

    assert response.status_code == 200
    assert response.json()["data"] == {"records": []}


@pytest.mark.parametrize("name", ["documentSample", "newerDocumentSample"])
def test_the_read_samples_succeed(client: Any, name: str) -> None:
    path = "/v1/data/objects/query/activity_timeline"

    answer = client.post(path, json=sample(TIMELINE, path, "post", name)).json()

    assert answer["result"] is True


def test_the_read_sample_finds_a_saved_sample_activity(client: Any) -> None:
    _bulk_save_sample(client)
    path = "/v1/data/objects/query/activity_timeline"
    read = sample(TIMELINE, path, "post", "newerDocumentSample")
    read["where"]["conditions"][0]["value"] = ["18f0383a1e404d7ba52361bb7370d7gf"]

    (row,) = client.post(path, json=read).json()["data"]["records"]

    assert row["contextname"] == "Relationship"
    assert row["GsCompanyId"] == "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK"
    assert row["internalAttendees"] == ["Trail35 tr"]


def test_the_event_sample_is_published(client: Any) -> None:
    response = client.post("/v1/events", json=sample("events", "/events", "post", "companyUpdate"))

    assert response.status_code == 200


def test_the_bulk_event_sample_is_published(client: Any) -> None:
    response = client.post("/v1/events/bulk", json=sample("events", "/events/bulk", "post", "twoEvents"))

    assert response.json()["data"]["successCount"] == 2
