"""Contract runs of the Events Framework API against the embedded mock and a tenant that takes a wrong secret."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from broken import BROKEN
from conftest import KEY, gscontract, mock_app

from gscontract.contract import ContractOptions, run_contract
from gscontract.contract.engine.options import plan_contract, ready_apis
from gscontract.errors import UsageError
from gscontract.findings import Finding, Severity
from gscontract.gainsight.operations import APIS, FRAMEWORK_EVENT
from gscontract.mock.statements import Tx
from gscontract.tenants.reference import demo_tenant, parse_tenant

SECRET = "gsc-SECRET-Hk4wT9qP2vLx7Rn3-distinctive"
"""A shared secret unlikely to appear anywhere by chance, so finding it in output means it leaked."""


def errors(run: Any) -> list[Finding]:
    return [f for f in run.report.findings() if f.severity is Severity.ERROR]


def test_the_mock_passes_and_the_secret_never_shows(tmp_path: Path) -> None:
    result = gscontract(
        "contract", "--api", "events-framework", "--shared-secret", SECRET, "--report-dir", "out", cwd=tmp_path
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 operation" in result.stdout
    assert ": 0 errors, 0 warnings" in result.stdout, result.stdout[-4000:]
    for text in (result.stdout, result.stderr, *(p.read_text(errors="replace") for p in (tmp_path / "out").iterdir())):
        assert SECRET not in text


def test_a_tenant_that_takes_a_wrong_secret_fails_the_run() -> None:
    app = BROKEN["wrong-secret"](mock_app(), KEY)
    options = ContractOptions(access_key=KEY, seed=5, apis=("events-framework",), phases=("examples", "scenarios"))

    run = run_contract(options, app=app)

    assert run.report.exit_code() == 1
    found = {f.rule for f in errors(run) if f.operation == FRAMEWORK_EVENT}
    # schemathesis' ignored_auth (CT308) drops or spoils the tenant id too, which this tenant still checks.
    assert "CT222" in found, [(f.rule, f.operation, f.message) for f in errors(run)]
    assert not [f for f in errors(run) if f.rule in {"CT221", "CT223"}]


def test_the_scenarios_send_the_secret_masked_in_reproductions() -> None:
    app = BROKEN["wrong-secret"](mock_app(shared_secret=SECRET), SECRET)
    options = ContractOptions(
        access_key=KEY, shared_secret=SECRET, seed=5, apis=("events-framework",), phases=("scenarios",)
    )

    run = run_contract(options, app=app)

    found = [f for f in errors(run) if f.rule == "CT222"]
    assert found
    assert any('-H "sharedSecret: $GAINSIGHT_SHARED_SECRET"' in (f.reproduction or "") for f in found)
    assert SECRET not in str([(f.message, f.reproduction) for f in run.report.findings()])


def test_a_live_run_of_the_framework_alone_needs_the_secret() -> None:
    options = ContractOptions(base_url="https://tenant.example.invalid", access_key=KEY, apis=("events-framework",))

    with pytest.raises(UsageError, match="--shared-secret"):
        run_contract(options)


def test_guessed_registrations_a_tenant_refuses_are_a_warning_naming_tenant() -> None:
    # A tenant whose data registers no events: the run publishes the demo tenant's, which this mock refuses.
    bare = parse_tenant({"tenantId": "t-1"})
    options = ContractOptions(access_key=KEY, seed=5, apis=("events-framework",), phases=("scenarios",), tenant=bare)

    run = run_contract(options, app=mock_app(tenant=bare))

    found = [f for f in run.report.findings() if f.rule == "CT221"]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "--tenant" in found[0].message
    assert run.report.exit_code() == 0


def test_all_apis_against_a_tenant_leave_the_framework_out_until_it_can_publish() -> None:
    base = ContractOptions(base_url="https://tenant.example.invalid", access_key=KEY)
    ready = replace(base, shared_secret=SECRET, tenant=demo_tenant())

    left_out, reason = ready_apis(base)
    kept, none = ready_apis(ready)

    assert left_out.apis == ("timeline", "events")
    assert "--shared-secret" in (reason or "")
    assert (kept.apis, none) == (APIS, None)
    planned = dict(plan_contract(ready).operations)
    assert planned[FRAMEWORK_EVENT].startswith("read-only run")
    assert FRAMEWORK_EVENT not in dict(plan_contract(base).operations)


def test_an_event_accepted_but_not_stored_fails_ct221(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Tx, "insert_framework_event", lambda self, *args, **kwargs: None)
    options = ContractOptions(access_key=KEY, seed=5, apis=("events-framework",), phases=("scenarios",))

    run = run_contract(options)

    assert [f.message for f in errors(run) if f.rule == "CT221"] == [
        "event 'sample_event' 'v01' was accepted but the tenant did not store it"
    ]
