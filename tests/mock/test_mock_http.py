"""HTTP-level behaviour: the access key, body size, malformed bodies, wrong methods and paths, error bodies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from mockkit import KEY, asgi_scope, body, record

from gscontract.mock import create_app

ERROR_KEYS = {"result", "errorCode", "errorDesc", "requestId", "message", "data"}


def _asgi_post(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bool]:
    """POST through the ASGI interface with a body that must never be read; (status, whether it was read)."""
    read = False
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read = True
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(asgi_scope(app, "POST", path, headers), receive, send))
    return sent[0]["status"], read


def test_a_missing_access_key_answers_401_gs_apig_2401(client: Any) -> None:
    response = client.post("/v1/ant/es/activity", json=body(record("a1")), headers={"accesskey": ""})

    assert response.status_code == 401
    answer = response.json()
    assert set(answer) == ERROR_KEYS
    assert (answer["errorCode"], answer["errorDesc"]) == ("GS_APIG_2401", "Unauthorized")


def test_a_wrong_access_key_answers_401_and_stores_nothing(client: Any) -> None:
    response = client.post("/v1/ant/es/activity", json=body(record("a1")), headers={"accesskey": "nope"})

    assert response.status_code == 401
    assert client.app.state.mock.store.counts()["activities"] == 0


def test_the_access_key_is_checked_before_the_body_is_read() -> None:
    app = create_app(access_key=KEY, rate_limits="off")

    status, read = _asgi_post(app, "/v1/ant/es/activity", [(b"content-length", b"2")])

    assert (status, read) == (401, False)


def test_a_body_declared_over_the_limit_answers_413_before_it_is_read() -> None:
    app = create_app(access_key=KEY, rate_limits="off")
    over = str(80 * 1024 * 1024 + 1).encode()

    status, read = _asgi_post(
        app, "/v1/ant/es/activity/bulk", [(b"accesskey", KEY.encode()), (b"content-length", over)]
    )

    assert (status, read) == (413, False)


def test_a_body_of_exactly_80_mb_is_not_refused_for_its_size() -> None:
    app = create_app(access_key=KEY, rate_limits="off")
    exact = str(80 * 1024 * 1024).encode()

    status, read = _asgi_post(
        app, "/v1/ant/es/activity/bulk", [(b"accesskey", KEY.encode()), (b"content-length", exact)]
    )

    assert read
    assert status != 413


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(make_client: Any) -> None:
    client = make_client(max_body_bytes=1000)
    chunks = iter([b"[" + b" " * 600, b" " * 600, b"]"])

    response = client.post("/v1/ant/es/activity", content=chunks, headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["errorCode"] is None


def test_a_413_stores_nothing(make_client: Any) -> None:
    client = make_client(max_body_bytes=200)

    response = client.post("/v1/ant/es/activity", json=body(record("a1")))

    assert response.status_code == 413
    assert client.app.state.mock.store.counts()["activities"] == 0


def test_malformed_json_answers_400_naming_the_problem(client: Any) -> None:
    response = client.post("/v1/ant/es/activity", content=b'{"records": [],}')

    assert response.status_code == 400
    answer = response.json()
    assert set(answer) == ERROR_KEYS
    assert answer["errorCode"] is None
    assert "not valid JSON" in answer["errorDesc"]
    assert "line 1 column 15" in answer["errorDesc"]


def test_an_empty_body_answers_400(client: Any) -> None:
    response = client.post("/v1/events", content=b"")

    assert response.status_code == 400
    assert "empty" in response.json()["errorDesc"]


def test_a_wrong_top_level_type_answers_400_naming_it(client: Any) -> None:
    response = client.post("/v1/ant/es/activity", json="records")

    assert response.status_code == 400
    assert "not a string" in response.json()["errorDesc"]


def test_a_wrong_method_answers_405_with_allow(client: Any) -> None:
    response = client.get("/v1/ant/es/activity")

    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, POST, PUT"
    assert set(response.json()) == ERROR_KEYS


def test_a_wrong_method_is_405_even_without_an_access_key(client: Any) -> None:
    assert client.patch("/v1/ant/es/activity/bulk", headers={"accesskey": ""}).status_code == 405


def test_an_unknown_path_answers_404_gsobj_1023(client: Any) -> None:
    response = client.get("/v1/ant/es/activities")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "GSOBJ_1023"


@pytest.mark.parametrize("name", ["timeline", "events"])
def test_the_specs_are_served_without_an_access_key(client: Any, name: str) -> None:
    response = client.get(f"/openapi/{name}.yaml", headers={"accesskey": ""})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(response.text)["openapi"] == "3.1.0"


def test_a_bug_answers_500_with_the_vendor_error_body(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("gscontract.mock.routes.activity_routes.prepare", broken)

    response = client.post("/v1/ant/es/activity", json=body(record("a1")))

    assert response.status_code == 500
    assert set(response.json()) == ERROR_KEYS
    assert "boom" not in response.text
