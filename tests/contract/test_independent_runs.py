"""The contract run against the independent tenant (``tests/independent``), a tenant gscontract did not build.

The clean tenant must pass a default run, from the command line and through the pytest plugin, with every
scenario run or explained; each broken variant must fail its own scenario and no check the clean tenant
passes. Each run serves the tenant as a real process (``running``) with its rate limits on, so the bulk
quota it starts half spent is honoured too.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from gscontract.contract.scenarios import SCENARIOS

# tests/independent is a package of its own, imported from its parent folder as its own tests do; appended,
# not prepended, so that `conftest` still names this folder's conftest for the modules beside it.
sys.path.append(str(Path(__file__).resolve().parents[1]))
from independent.data import COMPANIES, RELATIONSHIP_TYPES, RELATIONSHIPS, USERS
from independent.serve import BROKEN_IDS, running

pytestmark = pytest.mark.slow

KEY = "indep-runs-key-5Zq"
SCENARIO_RUN = ("--phases", "scenarios", "--max-examples", "6", "--seed", "7", "--job-timeout", "8")
"""A quick run of the scenario checks only: three examples per probe, jobs given 8 s."""


def _contract(url: str, *args: str, timeout: float = 600) -> tuple[int, dict[str, Any], str]:
    """Run ``gscontract contract`` as a process; return its exit status, JSON report and stderr."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gscontract",
            "contract",
            "--base-url",
            url,
            "--allow-writes",
            "--format",
            "json",
            *args,
        ],
        # The independent tenant takes its access key as the Events Framework's shared secret too.
        env={**os.environ, "GAINSIGHT_ACCESS_KEY": KEY, "GAINSIGHT_SHARED_SECRET": KEY},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return done.returncode, report, done.stderr


def _findings(report: dict[str, Any], severity: str) -> list[dict[str, Any]]:
    return [f for subject in report.get("contract", []) for f in subject["findings"] if f["severity"] == severity]


def _failing(report: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in _findings(report, "error")}


def _ran(report: dict[str, Any]) -> set[str]:
    return {rule for subject in report.get("contract", []) for rule in subject["rules"]}


def _seed(url: str) -> None:
    """Give the tenant two activities of its own, as a tenant in use has: one of a company, one of a relationship."""
    common = {"Subject": "Seeded", "Notes": "Seeded by the test", "AuthorId": USERS[0]["Gsid"]}
    records = [
        {**common, "ContextName": "Company", "ExternalId": "seed-company", "TypeName": "Quarterly Review"},
        {
            **common,
            "ContextName": "Relationship",
            "ExternalId": "seed-relationship",
            "TypeName": "Renewal Call",
            "GsCompanyId": RELATIONSHIPS[0]["CompanyId"],
            "GsRelationshipId": RELATIONSHIPS[0]["Gsid"],
            "GsRelationshipTypeId": RELATIONSHIP_TYPES[0]["Gsid"],
        },
    ]
    records[0]["GsCompanyId"] = COMPANIES[1]["Gsid"]
    for record in records:
        # One save each: a broken variant may refuse one of them (CT201's refuses Company records).
        httpx.post(f"{url}/v1/ant/es/activity", json={"records": [record]}, headers={"accesskey": KEY}, timeout=10)


Ran = tuple[int, dict[str, Any], str]
"""A finished run: exit status, JSON report, standard error (or standard output, for the pytest plugin)."""

AT_ONCE = 3
"""Runs in flight together: they mostly wait (for jobs, for the tenant's rate limits), so three at a time
take about a third of the time on two cores and test exactly the same."""


def _scenario_run(variant: str, folder: Path) -> Ran:
    """A quick scenario run against a seeded tenant: the clean one or a broken variant."""
    # The Events Framework's scenarios need the tenant's id and registrations, from its tenant file.
    tenant_file = folder / f"{variant}.tenant.json"
    framework = ("--api", "events-framework", "--tenant", str(tenant_file)) if variant.startswith("CT22") else ()
    with running(variant, KEY, args=["--tenant-file", str(tenant_file)]) as url:
        _seed(url)
        return _contract(url, *SCENARIO_RUN, *framework)


def _default_run(folder: Path) -> Ran:
    """A default run against the clean tenant with no activities and no tenant file."""
    with running("clean", KEY) as url:
        return _contract(url)


def _plugin_run(folder: Path) -> Ran:
    """``pytest --pyargs gscontract.contract_tests`` against the clean tenant."""
    with running("clean", KEY) as url:
        done = subprocess.run(
            [
                sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--pyargs", "gscontract.contract_tests",
                "--gsc-base-url", url, "--gsc-access-key", KEY, "--gsc-allow-writes", "--gsc-max-examples", "3",
            ],
            cwd=folder, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    return done.returncode, {}, done.stdout + done.stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ran]:
    """Every run this module judges, by name: ``default``, ``plugin``, ``clean`` and each broken variant."""
    folder = tmp_path_factory.mktemp("independent-runs")
    jobs: dict[str, Callable[[], Ran]] = {
        "default": lambda: _default_run(folder),
        "plugin": lambda: _plugin_run(folder),
        **{v: functools.partial(_scenario_run, v, folder) for v in ("clean", *BROKEN_IDS)},
    }
    with ThreadPoolExecutor(AT_ONCE) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def clean_failing(runs: dict[str, Ran]) -> set[str]:
    """The checks a quick scenario run fails on the clean, seeded tenant (none, if all is well)."""
    _, report, stderr = runs["clean"]
    assert report, stderr
    return _failing(report)


def test_default_run_passes_the_clean_tenant(runs: dict[str, Ran]) -> None:
    """A default run, no tenant file and a tenant with no activities: exit 0, every scenario run or explained."""
    code, report, stderr = runs["default"]
    errors = _findings(report, "error")
    assert code == 0, (errors, stderr[-2000:])
    assert not errors
    assert "not run" not in stderr
    assert set(SCENARIOS) <= _ran(report)
    # Without reference data the saves that need it are explained, naming the way to supply it.
    explained = [f for f in _findings(report, "warning") if f["rule"].startswith("CT2")]
    assert all("--tenant" in f["message"] for f in explained)
    # The tenant was written from the supplied documents, which have no single update: it is left out, noted.
    unoffered = [f["message"] for f in _findings(report, "warning") if "does not offer" in f["message"]]
    assert unoffered == [
        "not tested by schemathesis: the tenant does not offer it (HTTP 405); the supplied documents do not give it"
    ]


def test_learned_data_runs_every_scenario_cleanly(clean_failing: set[str]) -> None:
    """On a tenant with activities the run learns its ids: no scenario needs --tenant, none fails."""
    assert clean_failing == set()


def test_learning_makes_valid_records_the_tenant_accepts(runs: dict[str, Ran]) -> None:
    """With activities to learn from, valid records are saved (no lookup-miss warning naming --tenant)."""
    code, report, stderr = runs["clean"]
    assert code == 0, stderr[-2000:]
    # The Events Framework has no read call, so its registrations cannot be learned: its scenarios name
    # --tenant by design (CT22x). Every other save is built from what the run learned.
    needing = [f for f in _findings(report, "warning") if "--tenant" in f["message"]]
    assert [f["rule"] for f in needing if not f["rule"].startswith("CT22")] == []


def test_pytest_plugin_passes_the_clean_tenant(runs: dict[str, Ran]) -> None:
    """``pytest --pyargs gscontract.contract_tests`` against the clean tenant passes."""
    code, _, output = runs["plugin"]
    assert code == 0, output[-3000:]
    assert KEY not in output


@pytest.mark.parametrize("scenario", BROKEN_IDS)
def test_each_broken_variant_fails_its_own_scenario(
    scenario: str, runs: dict[str, Ran], clean_failing: set[str]
) -> None:
    """A variant that breaks one scenario's promise fails that scenario, and nothing the clean tenant passes."""
    code, report, stderr = runs[scenario]
    failing = _failing(report)
    assert code == 1, stderr[-2000:]
    assert scenario in failing, _findings(report, "error")
    assert not failing & clean_failing
