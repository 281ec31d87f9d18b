"""Hostile bodies against a real ``gscontract mock`` process: never a 500, and the mock keeps answering.

Each case is one of the probe's findings, replayed over HTTP on 127.0.0.1; ``test_mock_hostile.py`` has the
same cases in-process, with the limits' edges.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import pytest
from mockkit import KEY, MockProcess, body, condition, record

pytestmark = pytest.mark.slow

READ = "/v1/data/objects/query/activity_timeline"


@pytest.fixture(scope="module")
def server() -> Iterator[MockProcess]:
    """One mock process for the module (limits off, jobs start at once), stopped by its PID."""
    with MockProcess("--rate-limit", "off", "--job-start-delay", "0") as process:
        yield process


@pytest.fixture
def client(server: MockProcess) -> Iterator[httpx.Client]:
    """An HTTP client of the module's mock."""
    with httpx.Client(base_url=server.url, headers={"accesskey": KEY}, timeout=120) as http:
        yield http


def _reads(client: httpx.Client, external_id: str) -> None:
    """A save and a read that selects every field still work (nothing stored breaks a read)."""
    assert client.post("/v1/ant/es/activity", json=body(record(external_id))).status_code == 200
    response = client.post(READ, json={"select": ["ExternalId", "Ant__Raw__c"]})
    assert response.status_code == 200, response.text
    assert external_id in {row["ExternalId"] for row in response.json()["data"]["records"]}


@pytest.mark.parametrize(
    "expression", ["NOT " * 2000 + "A", "(" * 50_000 + "A" + ")" * 50_000], ids=["2000-nots", "50000-parentheses"]
)
def test_a_deep_expression_answers_200_result_false(client: httpx.Client, expression: str) -> None:
    where = {"conditions": [condition("ExternalId", "EQ", "x")], "expression": expression}
    response = client.post(READ, json={"select": ["ExternalId"], "where": where})

    assert response.status_code == 200, response.text
    assert (response.json()["result"], response.json()["data"]) == (False, {"records": []})
    assert "where.expression" in response.json()["errorDesc"]
    _reads(client, f"after-{len(expression)}")


@pytest.mark.parametrize(("levels", "status"), [(33, 200), (252, 400), (254, 400)])
def test_a_deep_record_is_refused_and_reads_go_on(client: httpx.Client, levels: int, status: int) -> None:
    external_id = f"deep-{levels}"
    raw = orjson.dumps(body(record(external_id))).replace(
        b'"Subject"', b'"Ant__Raw__c":' + b"[" * levels + b"0" + b"]" * levels + b',"Subject"', 1
    )
    response = client.post("/v1/ant/es/activity", content=raw)

    assert response.status_code == status, response.text
    if status == 200:
        failures = response.json()["data"]["failures"]
        assert [item["errorCode"] for item in failures[external_id]] == ["GSOBJ_1002"]
    _reads(client, f"after-{external_id}")


def test_a_client_that_leaves_mid_body_is_logged_on_one_line() -> None:
    with MockProcess() as server:
        parts = urlsplit(server.url)
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10) as sock:
            head = (
                f"POST /v1/ant/es/activity HTTP/1.1\r\nHost: {parts.netloc}\r\naccesskey: {KEY}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            )
            sock.sendall(head.encode() + b'{"records": [')
            time.sleep(0.3)  # the mock is now waiting for the rest of the body
        time.sleep(0.3)
        with httpx.Client(base_url=server.url, headers={"accesskey": KEY}, timeout=30) as client:
            _reads(client, "after-disconnect")
        server.stop()

    lines = [line for line in server.stderr.splitlines() if line.strip()]
    assert [line for line in lines if "disconnected" in line] == [
        "POST /v1/ant/es/activity: the client disconnected before sending its whole body"
    ]
    assert "Traceback" not in server.stderr


def test_a_big_save_does_not_stall_other_clients(server: MockProcess) -> None:
    """While 20,000 records (60 KB of ``{}``) are judged, other requests are answered."""
    raw = orjson.dumps({"records": [{}] * 20_000})
    finished: dict[str, float] = {}

    def big_save() -> None:
        with httpx.Client(base_url=server.url, headers={"accesskey": KEY}, timeout=300) as http:
            assert http.post("/v1/ant/es/activity", content=raw).status_code == 200
        finished["save"] = time.monotonic()

    saver = threading.Thread(target=big_save)
    saver.start()
    answered: list[tuple[float, float]] = []  # (latency, time answered) of each small request
    with httpx.Client(base_url=server.url, headers={"accesskey": KEY}, timeout=300) as client:
        time.sleep(0.1)  # the 60 KB body is sent at once; the mock is judging it now
        while saver.is_alive():
            start = time.monotonic()
            assert client.get("/v1/events/types").status_code == 200
            answered.append((time.monotonic() - start, time.monotonic()))
            time.sleep(0.05)
    saver.join()

    during = [latency for latency, at in answered if at < finished["save"]]
    assert during, "no request was answered while the big save was being judged"
    assert min(during) < 0.5


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


def test_a_300_kb_bulk_of_empty_records_has_a_bounded_job_status(client: httpx.Client, server: MockProcess) -> None:
    raw = orjson.dumps({"records": [{}] * 100_000})  # 300 KB
    job_id = client.post("/v1/ant/es/activity/bulk", content=raw).json()["data"]["jobId"]
    deadline = time.monotonic() + 240
    status: Any = None
    while time.monotonic() < deadline:
        status = client.get(f"/v1/ant/es/job/status/{job_id}")
        if status.json()["data"]["status"] in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.5)

    assert status is not None
    assert status.json()["data"]["status"] == "COMPLETED"
    assert status.json()["data"]["failedCount"] == 100_000
    assert len(status.content) < 600_000  # it was 68.6 MB
    assert server.proc is not None
    assert _peak_rss_mb(server.proc.pid) < 400  # the process peaked at 578 MB
    _reads(client, "after-bulk")
