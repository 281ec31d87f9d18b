"""Helpers for the mock tenant's tests: valid records and bodies, the specs' samples, job polling, a real server."""

from __future__ import annotations

import copy
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gscontract.specfiles import load_spec

KEY = "test-key"
ROOT = Path(__file__).resolve().parents[2]

COMPANY = "Tech systems ABC Ltd"
COMPANY_GSID = "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"
AUTHOR = "testuser@gainsight.com"
AUTHOR_GSID = "1P01XWZAME0GW3RXT8L70ZWAX94WHD41SS7U"
RELATIONSHIP_TYPE = "1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL"
TERMINAL = ("COMPLETED", "FAILED", "ABORTED")


def asgi_scope(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope of an HTTP request to ``app``, for tests that drive its ``receive`` by hand."""
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "app": app,
    }


def lookups() -> dict[str, Any]:
    """The single-save sample's AuthorId and GsCompanyId lookups (both onNoMatch ERROR)."""
    return {
        "AuthorId": {
            "fields": {"Author": "Email"},
            "lookupField": "Gsid",
            "objectName": "GsUser",
            "multiMatchOption": "FIRSTMATCH",
            "onNoMatch": "ERROR",
        },
        "GsCompanyId": {
            "fields": {"companyName": "Name"},
            "lookupField": "Gsid",
            "objectName": "Company",
            "multiMatchOption": "FIRSTMATCH",
            "onNoMatch": "ERROR",
        },
    }


def record(external_id: str = "ext-1", **fields: Any) -> dict[str, Any]:
    """A valid Company-context insert record; a field given as ``...`` is removed."""
    base: dict[str, Any] = {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": external_id,
        "Subject": "Kick-off",
        "Notes": "notes for the activity",
        "ActivityDate": "2022-07-01T06:36:00.000-07:00",
        "Author": AUTHOR,
        "companyName": COMPANY,
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not ...}


def body(*records: dict[str, Any], with_lookups: bool = True) -> dict[str, Any]:
    """A save or update envelope."""
    envelope: dict[str, Any] = {"records": list(records)}
    if with_lookups:
        envelope["lookups"] = lookups()
    return envelope


def sample(spec: str, path: str, method: str, name: str = "documentSample") -> Any:
    """A request-body example of a bundled spec (the document's samples, JSON fixed), as a fresh copy."""
    operation = load_spec(spec)["paths"][path][method]
    return copy.deepcopy(operation["requestBody"]["content"]["application/json"]["examples"][name]["value"])


def codes(failures: dict[str, list[dict[str, Any]]], key: str) -> list[str]:
    """The error codes a failures map holds for one record key."""
    return [item["errorCode"] for item in failures.get(key, [])]


def save(client: Any, *records: dict[str, Any], with_lookups: bool = True) -> dict[str, Any]:
    """Single-save records and return ``data`` of the answer (asserting HTTP 200)."""
    response = client.post("/v1/ant/es/activity", json=body(*records, with_lookups=with_lookups))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def query(client: Any, select: Sequence[str], *conditions: dict[str, Any], **options: Any) -> list[dict[str, Any]]:
    """Run a read and return its records (asserting HTTP 200 and result true)."""
    payload: dict[str, Any] = {"select": list(select), **options}
    if conditions:
        payload["where"] = {"conditions": list(conditions)}
    response = client.post("/v1/data/objects/query/activity_timeline", json=payload)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"] is True, answer
    return list(answer["data"]["records"])


def condition(name: str, operator: str, *values: Any, alias: str = "A") -> dict[str, Any]:
    """One ``where`` condition."""
    return {"name": name, "alias": alias, "value": list(values), "operator": operator}


def wait_job(client: Any, job_id: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """Poll a job's status until it is final; return its ``data``."""
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(f"/v1/ant/es/job/status/{job_id}").json()
        if answer["data"]["status"] in TERMINAL:
            return dict(answer["data"])
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {answer['data']['status']} after {timeout} s")
        time.sleep(0.02)


class MockProcess:
    """``gscontract mock`` as a subprocess on a free port, stopped by its PID."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.args = ["--port", "0", *args]
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.stdout = ""
        self.stderr = ""

    def start(self, *, timeout: float = 30.0) -> str:
        """Start the server and return its base URL, read from its "listening on" line."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gscontract", "mock", *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if selector.select(timeout=0.1):
                line = self.proc.stdout.readline()
                self.stdout += line
                if "listening on " in line:
                    self.url = line.rsplit("listening on ", 1)[1].strip()
                    return self.url
                if not line:  # the process ended before it was ready
                    break
        self.stop(signal.SIGKILL)
        raise AssertionError(f"gscontract mock did not start: {self.stdout}{self.stderr}")

    def stop(self, sig: int = signal.SIGTERM, *, timeout: float = 20.0) -> int:
        """Send ``sig`` to the server's PID, wait for it to end, collect its output; return its exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        out, err = self.proc.communicate(timeout=timeout)
        self.stdout += out
        self.stderr += err
        return self.proc.returncode

    def __enter__(self) -> MockProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.stop(signal.SIGKILL)
