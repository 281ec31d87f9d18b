"""Helpers for the upload's tests: payload files, the uploader as a real process, reading the mock back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests
from mockkit import KEY, ROOT, lookups, record

__all__ = [
    "ANOTHER_KEY",
    "external_ids",
    "stored_ids",
    "stored_rows",
    "upload_cmd",
    "write_insert_file",
    "write_update_file",
]

ANOTHER_KEY = "sekrit-key-4711-upload"
"""An access key long enough to be masked as a literal wherever it appears."""


def external_ids(count: int, prefix: str = "up") -> list[str]:
    """``count`` distinct ExternalIds."""
    return [f"{prefix}-{i:05d}" for i in range(count)]


def write_insert_file(path: Path, ids: list[str], *, broken: dict[int, dict[str, Any]] | None = None) -> Path:
    """A bulk insert file of valid records (one per id), with ``broken`` records' fields replaced, indented."""
    records = [record(i) for i in ids]
    for index, fields in (broken or {}).items():
        records[index] = {**records[index], **fields}
        records[index] = {k: v for k, v in records[index].items() if v is not ...}
    path.write_text(json.dumps({"records": records, "lookups": lookups()}, indent=2), encoding="utf-8")
    return path


def upload_cmd(*args: str | Path) -> list[str]:
    """The command line of ``gscontract upload`` run as its own process."""
    return [sys.executable, "-m", "gscontract", "upload", *map(str, args)]


def run_upload(*args: str | Path, cwd: Path, key: str = KEY) -> subprocess.CompletedProcess[str]:
    """Run an upload to the end and return it (no standard input: no confirmation is asked)."""
    env = {**os.environ, "GAINSIGHT_ACCESS_KEY": key, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        upload_cmd(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL
    )


def stored_rows(url: str, key: str, *fields: str) -> list[dict[str, Any]]:
    """The ``fields`` of every activity the mock holds, one row per stored activity."""
    body = {"select": list(fields), "limit": 5000, "offset": 0}
    answer = requests.post(
        f"{url}/v1/data/objects/query/activity_timeline", json=body, headers={"accesskey": key}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["data"]["records"])


def stored_ids(url: str, key: str = KEY) -> list[str]:
    """Every ExternalId the mock holds, once per stored activity (duplicates would show twice)."""
    return [r["ExternalId"] for r in stored_rows(url, key, "ExternalId")]


def write_update_file(path: Path, inserts: Path, subject: str) -> Path:
    """An update file of the insert file's records (matched by ExternalId), each with ``subject``."""
    document = json.loads(inserts.read_text())
    for item in document["records"]:
        item["Subject"] = subject
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path
