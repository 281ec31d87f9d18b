"""Whole contract runs against the embedded mock and against deliberately broken tenants (in-process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from broken import BROKEN
from conftest import KEY, Counting, gscontract, mock_app

from gscontract.contract import ContractOptions, run_contract
from gscontract.findings import Finding, Severity

pytestmark = pytest.mark.slow


def errors(run: Any) -> list[Finding]:
    return [f for f in run.report.findings() if f.severity is Severity.ERROR]


def test_default_run_passes_cleanly_and_never_shows_the_key(tmp_path: Path) -> None:
    # How long it takes is measured by benchmarks/contract_run.py, not asserted here.
    result = gscontract("contract", "--access-key", KEY, "--report-dir", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # Strict against the mock: the specs, the rules and the mock agree, so not even a warning is left.
    assert "13 operations" in result.stdout
    assert ": 0 errors, 0 warnings" in result.stdout, result.stdout[-4000:]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"report.json", "junit.xml", "index.html", "report.sarif"}
    for text in (result.stdout, result.stderr, *(p.read_text(errors="replace") for p in written)):
        assert KEY not in text
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert sum(s["cases"] for s in report["contract"]) > 300


BROKEN_CASES = [
    # (broken tenant, phases that show it, check that must fail, operation it fails on)
    ("server-error", ("examples",), "CT301", "POST /v1/ant/es/activity"),
    ("no-auth", ("examples", "scenarios"), "CT308", "POST /v1/ant/es/activity"),
    ("no-auth", ("examples", "scenarios"), "CT207", "POST /v1/ant/es/activity"),
    ("job-status-schema", ("scenarios",), "CT304", "GET /v1/ant/es/job/status/{jobId}"),
    ("job-never-ends", ("scenarios",), "CT205", "GET /v1/ant/es/job/status/{jobId}"),
    ("undocumented-code", ("scenarios",), "CT105", "POST /v1/ant/es/activity"),
    ("loses-records", ("scenarios",), "CT203", "POST /v1/data/objects/query/activity_timeline"),
]


@pytest.mark.parametrize(("broken", "phases", "check", "operation"), BROKEN_CASES)
def test_broken_tenants_fail_the_run_naming_check_and_operation(
    broken: str, phases: tuple[str, ...], check: str, operation: str
) -> None:
    app = BROKEN[broken](mock_app(), KEY)
    options = ContractOptions(access_key=KEY, seed=3, apis=("timeline",), phases=phases, job_timeout=1.0)
    run = run_contract(options, app=app)
    assert run.report.exit_code() == 1
    found = [f for f in errors(run) if f.rule == check and f.operation == operation]
    assert found, [(f.rule, f.operation, f.message) for f in errors(run)]
    assert found[0].reproduction
    assert found[0].reproduction.startswith("curl ")


def test_429_answers_carry_retry_after() -> None:
    counted = Counting(mock_app(rate_limits="single=3/minute,query=3/minute,events=3/minute,bulk=2/hour"))
    run = run_contract(
        ContractOptions(access_key=KEY, seed=1, apis=("timeline",), phases=("examples", "fuzzing")), app=counted
    )
    assert counted.total > 12  # well past every group's limit, so 429s were answered
    assert not [f for f in errors(run) if f.rule == "CT106"]


def test_429_without_retry_after_fails() -> None:
    app = BROKEN["no-retry-after"](mock_app(rate_limits="single=3/minute,query=3/minute,bulk=2/hour"), KEY)
    run = run_contract(ContractOptions(access_key=KEY, seed=1, apis=("timeline",), phases=("examples",)), app=app)
    messages = [f.message for f in errors(run) if f.rule == "CT106"]
    assert "expected a Retry-After header with HTTP 429, received none" in messages


def test_budget_caps_an_embedded_run() -> None:
    counted = Counting(mock_app())
    # The phases alone: a budget of 40 cannot cover the scenarios, which a run refuses before sending.
    phases = ("examples", "coverage", "fuzzing", "stateful")
    run = run_contract(ContractOptions(access_key=KEY, seed=1, max_requests=40, phases=phases), app=counted)
    assert counted.total <= 40
    assert run.requests <= 40
    notes = [f.message for f in run.report.findings() if f.rule == "CT100"]
    assert any("request budget of 40 was spent" in m for m in notes)
