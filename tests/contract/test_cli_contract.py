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
    assert out.count(" tested") == 11
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
        "50",
        env={"GAINSIGHT_ACCESS_KEY": "k"},
    )
    assert "POST /v1/ant/es/activity                             tested" in out
    assert "POST /v1/ant/es/activity/bulk                        left to the scenario checks" in out
    assert "(budget 50)" in out
