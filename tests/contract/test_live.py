"""``gscontract contract --base-url``: a tenant over HTTP (the mock, served), with live-run safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from broken import BROKEN
from conftest import KEY, Counting, gscontract, mock_app

pytestmark = pytest.mark.slow

FAST = ("--rate-limit", "off", "--max-examples", "2", "--seed", "7")


def activities(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM activities").fetchone()[0])


def test_read_only_by_default_and_says_so(tmp_path: Path, serve: Callable[[Any], str]) -> None:
    counted = Counting(mock_app())
    url = serve(counted)
    result = gscontract("contract", "--base-url", url, "--access-key", KEY, *FAST, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert counted.total > 20
    assert counted.writes() == 0, counted.seen
    assert "read-only run (pass --allow-writes" in result.stdout
    assert KEY not in result.stdout + result.stderr


def test_budget_is_never_exceeded_cleanup_included(tmp_path: Path, serve: Callable[[Any], str]) -> None:
    db = tmp_path / "tenant.db"
    counted = Counting(mock_app(db_path=db))
    url = serve(counted)
    result = gscontract(
        "contract",
        "--base-url",
        url,
        "--access-key",
        KEY,
        "--allow-writes",
        "--max-requests",
        "60",
        # Without the scenarios, whose needs are kept first (60 could not cover them), the phases spend it all.
        "--phases",
        "examples,coverage,fuzzing,stateful",
        *FAST,
        cwd=tmp_path,
    )
    assert result.returncode in (0, 1), result.stderr
    assert counted.total <= 60
    assert "request budget of 60 was spent" in result.stdout
    assert activities(db) == 0


def test_records_are_deleted_after_a_failing_run(tmp_path: Path, serve: Callable[[Any], str]) -> None:
    db = tmp_path / "tenant.db"
    url = serve(BROKEN["job-status-schema"](mock_app(db_path=db), KEY))
    result = gscontract(
        "contract", "--base-url", url, "--access-key", KEY, "--allow-writes", "--api", "timeline", *FAST, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "GET /v1/ant/es/job/status/{jobId}: CT304" in result.stdout
    assert "cleanup deleted" in result.stderr
    assert activities(db) == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_records_are_deleted_after_an_interrupt(tmp_path: Path, serve: Callable[[Any], str], signum: int) -> None:
    db = tmp_path / "tenant.db"
    url = serve(mock_app(db_path=db))
    exe = Path(sys.executable).with_name("gscontract")
    process = subprocess.Popen(
        [
            str(exe),
            "contract",
            "--base-url",
            url,
            "--access-key",
            KEY,
            "--allow-writes",
            "--api",
            "timeline",
            "--rate-limit",
            "off",
            "--seed",
            "7",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while activities(db) == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert activities(db) > 0, "the run saved nothing to interrupt"
        with sqlite3.connect(db) as connection:
            ids = [row[0] for row in connection.execute("SELECT external_id FROM activities")]
        assert ids
        assert all(i.startswith("gsc-") for i in ids), ids  # recognisable: the run's prefix
        process.send_signal(signum)
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err  # interrupted (SIGINT or SIGTERM), after cleanup and reports
    assert "interrupted" in err
    assert activities(db) == 0
    assert KEY not in out + err


def test_dry_run_sends_nothing(tmp_path: Path, serve: Callable[[Any], str]) -> None:
    counted = Counting(mock_app())
    url = serve(counted)
    result = gscontract("contract", "--base-url", url, "--access-key", KEY, "--dry-run", cwd=tmp_path)
    assert result.returncode == 0
    assert counted.total == 0
    assert "POST /v1/ant/es/activity" in result.stdout
    assert "estimated requests: about" in result.stdout
    assert "(budget 300)" in result.stdout


def test_unreachable_tenant_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = gscontract("contract", "--base-url", "http://127.0.0.1:9", "--access-key", KEY, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "gscontract: error: cannot reach http://127.0.0.1:9: Connection refused"
    ]
    assert "Traceback" not in result.stderr
