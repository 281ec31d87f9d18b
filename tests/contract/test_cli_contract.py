"""``gscontract contract`` wiring without a run: usage errors, dry runs and configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gscontract.cli import cli


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["contract", *args], env={"GAINSIGHT_ACCESS_KEY": "", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--phases", "examples,smoke"], "--phases takes examples,coverage,fuzzing,stateful,scenarios; unknown: smoke"),
        (["--base-url", "ftp://tenant"], "--base-url 'ftp://tenant' is not an http(s) URL"),
        (["--base-url", "https://tenant.example.com"], "a tenant needs an access key"),
        (["--rate-limit", "bulk=lots", "--dry-run"], "--rate-limit: 'bulk=lots' is not GROUP=N/PERIOD"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"gscontract: error: {message}")


def test_dry_run_of_the_embedded_mock_plans_every_operation() -> None:
    code, out, _ = invoke("--dry-run")
    assert code == 0
    assert "target: http://127.0.0.1:8080" in out
    assert out.count(" tested") == 13
    assert "nothing was sent" in out


def test_dry_run_of_a_tenant_is_read_only_and_budgeted(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.gscontract]\nbase_url = "https://acme.example.com"\nmax_requests = 120\n', encoding="utf-8"
    )
    code, out, _ = invoke(
        "--config", str(config), "--dry-run", "--api", "timeline", env={"GAINSIGHT_ACCESS_KEY": "k-123456"}
    )
    assert code == 0
    assert "target: https://acme.example.com" in out
    assert "POST /v1/ant/es/activity                             read-only run" in out
    assert "GET /v1/ant/es/job/status/{jobId}                    tested" in out
    assert "(budget 120)" in out
    assert "/v1/events" not in out
    code, out, _ = invoke(
        "--config",
        str(config),
        "--dry-run",
        "--allow-writes",
        "--max-requests",
        "250",
        env={"GAINSIGHT_ACCESS_KEY": "k"},
    )
    assert "POST /v1/ant/es/activity                             tested" in out
    assert "POST /v1/ant/es/activity/bulk                        left to the scenario checks" in out
    assert "(budget 250)" in out


def _reserved(out: str) -> dict[str, int]:
    line = next(line for line in out.splitlines() if line.startswith("reserved for scenarios: "))
    inner = line.split("(", 1)[1].rstrip(")")
    return {name: int(count) for name, count in (part.split() for part in inner.split(", "))}


def test_dry_run_reserves_every_scenario_before_the_phases() -> None:
    code, out, _ = invoke(
        "--base-url", "https://acme.example.com", "--allow-writes", "--dry-run", env={"GAINSIGHT_ACCESS_KEY": "k"}
    )
    assert code == 0
    kept = _reserved(out)
    assert set(kept) == {"CT201", "CT202", "CT203", "CT204", "CT205", "CT206", "CT207", "CT211", "CT212", "learning"}
    assert all(count > 0 for count in kept.values())
    # The default budget of 300 keeps a tenth for cleanup and leaves the phases a useful share.
    phases = int(out.split("left to schemathesis' phases: ")[1].split(";")[0])
    assert phases == 300 - 30 - sum(kept.values())
    assert phases >= 100


def test_a_budget_too_small_for_the_scenarios_is_refused_before_sending(tmp_path: Path) -> None:
    code, _, err = invoke(
        "--base-url",
        "https://unreachable.invalid",
        "--allow-writes",
        "--max-requests",
        "60",
        env={"GAINSIGHT_ACCESS_KEY": "k"},
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "--max-requests 60 cannot cover the Gainsight scenarios" in lines[0]
    enough = int(lines[0].split("pass --max-requests ")[1].split()[0])
    code, out, _ = invoke(
        "--base-url",
        "https://acme.example.com",
        "--allow-writes",
        "--max-requests",
        str(enough),
        "--dry-run",
        env={"GAINSIGHT_ACCESS_KEY": "k"},
    )
    assert code == 0
    assert "left to schemathesis' phases: 0;" in out


def test_a_bulk_quota_too_small_for_the_scenarios_is_refused() -> None:
    code, _, err = invoke(
        "--base-url",
        "https://acme.example.com",
        "--allow-writes",
        "--rate-limit",
        "bulk=1/hour",
        "--dry-run",
        env={"GAINSIGHT_ACCESS_KEY": "k"},
    )
    assert code == 2
    assert "the run may make 1 bulk calls, the scenarios need 2" in err


def test_a_read_only_run_reserves_nothing_for_scenarios_that_write() -> None:
    code, out, _ = invoke("--base-url", "https://acme.example.com", "--dry-run", env={"GAINSIGHT_ACCESS_KEY": "k"})
    assert code == 0
    assert "reserved for scenarios" not in out
    assert "left to schemathesis' phases: 300;" in out


def test_the_config_names_the_tenant_file(tmp_path: Path) -> None:
    (tmp_path / "tenant.json").write_text('{"companies": [{"Gsid": "1P02X", "Name": "Acme"}]}', encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.gscontract]\nbase_url = "https://acme.example.com"\ntenant = "tenant.json"\n', "utf-8")
    code, out, _ = invoke("--config", str(config), "--allow-writes", "--dry-run", env={"GAINSIGHT_ACCESS_KEY": "k"})
    assert code == 0
    assert "learning" not in out  # the tenant's data is given, so nothing is learned
    (tmp_path / "tenant.json").write_text("[]", encoding="utf-8")
    code, _, err = invoke("--config", str(config), "--dry-run", env={"GAINSIGHT_ACCESS_KEY": "k"})
    assert code == 2
    assert "tenant.json" in err
