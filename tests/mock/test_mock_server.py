"""``gscontract mock`` as a real uvicorn process: serving, signals, durability, resumed jobs, concurrent writers."""

from __future__ import annotations

import http.client
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from mockkit import KEY, MockProcess, body, record

SECRET = "s3cr3t-Acc3ss-K3y-9f2c"


def _client(url: str, key: str = KEY) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"accesskey": key}, timeout=30)


def _count(client: httpx.Client) -> int:
    answer = client.post("/v1/data/objects/query/activity_timeline", json={"select": ["ExternalId"]}).json()
    return len(answer["data"]["records"])


def _wait_status(client: httpx.Client, job_id: str, wanted: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data = client.get(f"/v1/ant/es/job/status/{job_id}").json()["data"]
        if data["status"] == wanted:
            return dict(data)
        assert time.monotonic() < deadline, f"job {job_id} is {data['status']}, not {wanted}"
        time.sleep(0.05)


def test_the_server_announces_its_url_and_serves_both_apis() -> None:
    with MockProcess() as server, _client(server.url) as client:
        assert server.url.startswith("http://127.0.0.1:")
        assert client.get("/v1/events/types").status_code == 200
        assert client.post("/v1/ant/es/activity", json=body(record("a1"))).json()["data"]["success"]


def test_the_access_key_header_is_matched_whatever_its_case() -> None:
    with MockProcess() as server:
        parts = urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
        connection.request("GET", "/v1/events/types", headers={"AccessKey": KEY})

        assert connection.getresponse().status == 200
        connection.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_signal_stops_the_server_cleanly(signum: signal.Signals) -> None:
    server = MockProcess()
    server.start()

    status = server.stop(signum)

    assert status == 0
    assert "Traceback" not in server.stderr


def test_the_access_key_never_appears_in_output_or_log(tmp_path: Path) -> None:
    server = MockProcess("--db", str(tmp_path / "m.db"), env={"GAINSIGHT_ACCESS_KEY": SECRET})
    server.start()
    with _client(server.url, SECRET) as client, _client(server.url, SECRET + "x") as wrong:
        assert client.post("/v1/ant/es/activity", json=body(record("a1"))).status_code == 200
        assert client.post("/v1/ant/es/activity", content=b"{").status_code == 400
        assert client.get("/nowhere").status_code == 404
        assert wrong.get("/v1/events/types").status_code == 401
    server.stop()

    assert SECRET not in server.stdout + server.stderr


@pytest.mark.slow
def test_saved_data_survives_kill_9_and_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "durable.db")
    server = MockProcess("--db", db, "--job-start-delay", "0")
    with _client(server.start()) as client:
        saved = client.post("/v1/ant/es/activity", json=body(record("a1"), record("a2"))).json()["data"]["success"]
        job_id = client.post("/v1/ant/es/activity/bulk", json=body(record("b1"))).json()["data"]["jobId"]
        _wait_status(client, job_id, "COMPLETED")
        gsid = saved["a1"][0]["activityId"]
        assert client.request("DELETE", "/v1/ant/es/activity", json=[gsid]).json() == [gsid]
    server.stop(signal.SIGKILL)

    with MockProcess("--db", db) as again, _client(again.url) as client:
        assert _count(client) == 2
        status = client.get(f"/v1/ant/es/job/status/{job_id}").json()["data"]
        assert (status["status"], list(status["successes"])) == ("COMPLETED", ["b1"])
        deleted = {
            "filter": {
                "dateFilter": {"dateLiteral": "CUSTOM", "values": ["2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]}
            }
        }
        assert client.post("/v1/ant/es/activity/deleted", json=deleted).json()["data"]["records"][0]["RecordId"] == gsid


@pytest.mark.slow
def test_a_job_pending_at_a_kill_runs_when_the_server_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "jobs.db")
    server = MockProcess("--db", db, "--job-start-delay", "1")
    with _client(server.start()) as client:
        job_id = client.post("/v1/ant/es/activity/bulk", json=body(record("p1"))).json()["data"]["jobId"]
        assert client.get(f"/v1/ant/es/job/status/{job_id}").json()["data"]["status"] == "SUBMITTED"
    server.stop(signal.SIGKILL)

    with MockProcess("--db", db) as again, _client(again.url) as client:
        status = _wait_status(client, job_id, "COMPLETED")
        assert list(status["successes"]) == ["p1"]
        assert _count(client) == 1


@pytest.mark.slow
def test_a_job_pending_at_a_clean_stop_runs_when_the_server_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "jobs.db")
    server = MockProcess("--db", db, "--job-start-delay", "1")
    with _client(server.start()) as client:
        job_id = client.post("/v1/ant/es/activity/bulk", json=body(record("p1"))).json()["data"]["jobId"]
    assert server.stop(signal.SIGTERM) == 0

    with MockProcess("--db", db) as again, _client(again.url) as client:
        assert _wait_status(client, job_id, "COMPLETED")["successCount"] == 1


@pytest.mark.slow
def test_concurrent_writers_lose_no_record(tmp_path: Path) -> None:
    with MockProcess("--db", str(tmp_path / "c.db"), "--rate-limit", "off") as server:

        def write(worker: int) -> list[str]:
            with _client(server.url) as client:
                saved = []
                for n in range(25):
                    data = client.post("/v1/ant/es/activity", json=body(record(f"w{worker}-{n}"))).json()["data"]
                    saved.extend(data["success"])
                return saved

        with ThreadPoolExecutor(8) as pool:
            saved = [key for keys in pool.map(write, range(8)) for key in keys]

        with _client(server.url) as client:
            assert len(saved) == 200
            assert _count(client) == 200


@pytest.mark.slow
def test_concurrent_saves_of_one_external_id_save_it_once(tmp_path: Path) -> None:
    with MockProcess("--db", str(tmp_path / "d.db"), "--rate-limit", "off") as server:

        def write(_: int) -> bool:
            with _client(server.url) as client:
                data = client.post("/v1/ant/es/activity", json=body(record("same"))).json()["data"]
                return "same" in data["success"]

        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(write, range(16)))

        with _client(server.url) as client:
            assert outcomes.count(True) == 1
            assert _count(client) == 1
