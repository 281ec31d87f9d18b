"""The Events API: publish one, publish many, list the tenant's event types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gscontract.tenants.reference import load_tenant


def _event(**fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventType": "sample_event",
        "objectType": "Company",
        "operation": "INSERT",
        "payload": {"hello": "world"},
    }
    event.update(fields)
    return {k: v for k, v in event.items() if v is not ...}


def test_a_valid_event_is_published(client: Any) -> None:
    response = client.post("/v1/events", json=_event())

    assert response.status_code == 200
    answer = response.json()
    assert (answer["result"], answer["errorCode"], answer["errorDesc"]) == (True, None, None)
    assert client.app.state.mock.store.counts()["events"] == 1


def test_an_invalid_event_answers_400_with_its_rules_code_naming_the_field(client: Any) -> None:
    response = client.post("/v1/events", json=_event(operation=...))

    assert response.status_code == 400
    answer = response.json()
    assert answer["errorCode"] == "GSOBJ_1007"
    assert "operation" in answer["errorDesc"]
    assert client.app.state.mock.store.counts()["events"] == 0


def test_an_event_with_a_wrong_value_answers_gsobj_1002(client: Any) -> None:
    response = client.post("/v1/events", json=_event(operation="MERGE"))

    assert (response.status_code, response.json()["errorCode"]) == (400, "GSOBJ_1002")


def test_an_event_that_is_not_an_object_answers_400_without_a_code(client: Any) -> None:
    response = client.post("/v1/events", json=[_event()])

    assert (response.status_code, response.json()["errorCode"]) == (400, None)


def test_bulk_reports_counts_and_failures_keyed_by_index(client: Any) -> None:
    response = client.post("/v1/events/bulk", json={"records": [_event(), _event(payload=...), _event()]})

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["successCount"], data["failureCount"]) == (2, 1)
    assert list(data["failures"]) == ["1"]
    assert data["failures"]["1"][0]["errorCode"] == "GSOBJ_1007"
    assert client.app.state.mock.store.counts()["events"] == 2


def test_bulk_without_records_answers_400(client: Any) -> None:
    response = client.post("/v1/events/bulk", json={"events": []})

    assert (response.status_code, response.json()["errorCode"]) == (400, None)


def test_event_types_come_from_the_demo_tenant(client: Any) -> None:
    answer = client.get("/v1/events/types").json()

    assert answer["result"] is True
    assert [t["id"] for t in answer["data"]] == ["sample_event", "system_asset_event"]
    assert set(answer["data"][0]) == {"id", "name", "description", "isActive"}


def test_event_types_come_from_a_tenant_file(make_client: Any, tmp_path: Path) -> None:
    path = tmp_path / "tenant.json"
    path.write_text(
        json.dumps({"eventTypes": [{"id": "renewal", "name": "Renewal", "description": "d", "isActive": False}]})
    )
    client = make_client(tenant=load_tenant(path))

    assert client.get("/v1/events/types").json()["data"] == [
        {"id": "renewal", "name": "Renewal", "description": "d", "isActive": False}
    ]
