"""A run that reaches --max-duration stops, says what it did not do, and still cleans up."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import KEY, mock_app

from gscontract.contract import ContractOptions, run_contract
from gscontract.findings import Severity

pytestmark = pytest.mark.slow


def test_out_of_time_the_run_stops_notes_what_did_not_run_and_cleans_up(
    tmp_path: Path, serve: Callable[[Any], str]
) -> None:
    db = tmp_path / "tenant.db"
    url = serve(mock_app(db_path=db))
    started = time.monotonic()
    # Enough work and budget that the run cannot finish in 6 s on any machine: the time limit must stop it.
    options = ContractOptions(
        base_url=url, access_key=KEY, allow_writes=True, rate_limit="off", max_examples=200, max_requests=100_000,
        max_duration=6,
    )  # fmt: skip
    run = run_contract(options)
    assert time.monotonic() - started < 6 + 90  # the limit, cleanup, and a busy machine's slack
    notes = [f.message for s in run.report.sections for sub in s.subjects for f in sub.findings if f.rule == "CT100"]
    assert any("reached its time limit (--max-duration 6 s)" in n for n in notes), notes
    assert any("out of time" in n or "not run: the run was stopped" in n for n in notes), notes
    assert run.cleanup is not None
    assert not run.cleanup.left
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM activities").fetchone()[0] == 0
    timing = [f for s in run.report.sections for sub in s.subjects for f in sub.findings if "time limit" in f.message]
    assert all(f.severity is Severity.WARNING for f in timing)
