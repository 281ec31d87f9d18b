"""``gscontract mock`` option errors: one line on stderr, exit status 2, no server started."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from gscontract.cli import cli


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["mock", *args])
    return result.exit_code, result.output


def test_a_malformed_rate_limit_is_a_usage_error() -> None:
    code, output = _run("--port", "0", "--rate-limit", "single=lots")

    assert code == 2
    assert "--rate-limit: 'single=lots' is not GROUP=N/PERIOD" in output


def test_an_invalid_tenant_file_names_the_file_and_field(tmp_path: Path) -> None:
    tenant = tmp_path / "tenant.json"
    tenant.write_text('{"companies": [{"Gsid": "1P02"}]}')

    code, output = _run("--port", "0", "--tenant", str(tenant))

    assert code == 2
    assert f"{tenant}: /companies/0/Name must be a non-empty string" in output


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]

        code, output = _run("--port", str(port))

    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in output


def test_a_database_that_is_not_sqlite_is_a_config_error(tmp_path: Path) -> None:
    db = tmp_path / "not.db"
    db.write_text("this is not a database, just text long enough to have a header" * 10)

    code, output = _run("--port", "0", "--db", str(db))

    assert code == 2
    assert f"{db}: cannot open the mock database" in output


def test_help_never_shows_an_access_key() -> None:
    result = CliRunner(env={"GAINSIGHT_ACCESS_KEY": "k-9f2c-secret"}).invoke(cli, ["mock", "--help"])

    assert result.exit_code == 0
    assert "--access-key" in result.output
    assert "k-9f2c-secret" not in result.output
