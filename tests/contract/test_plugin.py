"""The pytest plugin from another directory: ``pytest --pyargs gscontract.contract_tests`` and the fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HERE, KEY, served_process

pytestmark = pytest.mark.slow


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """A real server process on 127.0.0.1 (the mock, or a broken tenant), stopped by its PID."""
    with served_process([sys.executable, str(HERE / "broken_server.py"), request.param, KEY]) as url:
        yield url


def pytest_in(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "GAINSIGHT_ACCESS_KEY"},
        check=False,
    )


LIVE = ("--gsc-access-key", KEY, "--gsc-allow-writes", "--gsc-rate-limit", "off", "--gsc-max-examples", "3")


@pytest.mark.parametrize("server", ["mock"], indirect=True)
def test_contract_tests_pass_against_a_running_mock(tmp_path: Path, server: str) -> None:
    result = pytest_in(tmp_path, "--pyargs", "gscontract.contract_tests", "--gsc-base-url", server, *LIVE)
    assert result.returncode == 0, result.stdout[-5000:]
    assert "13 passed" in result.stdout
    assert KEY not in result.stdout + result.stderr


@pytest.mark.parametrize("server", ["no-auth"], indirect=True)
def test_contract_tests_fail_against_a_broken_one(tmp_path: Path, server: str) -> None:
    result = pytest_in(tmp_path, "--pyargs", "gscontract.contract_tests", "--gsc-base-url", server, *LIVE)
    assert result.returncode == 1
    assert "FAILED" in result.stdout
    assert "test_operation_keeps_the_contract[POST /v1/ant/es/activity]" in result.stdout
    assert "CT308" in result.stdout
    assert "reproduce: curl" in result.stdout
    assert KEY not in result.stdout + result.stderr


def test_fixtures_serve_the_embedded_mock(tmp_path: Path) -> None:
    (tmp_path / "test_mine.py").write_text(
        "def test_types(gsc_tenant, gsc_client):\n"
        "    assert gsc_tenant.embedded and gsc_tenant.base_url.startswith('http://127.0.0.1:')\n"
        "    answer = gsc_client.get('/v1/events/types')\n"
        "    assert answer.status_code == 200, answer.text\n"
        "    assert answer.json()['result'] is True\n"
        "    wrong = gsc_client.session.get(gsc_tenant.base_url + '/v1/events/types', headers={'accesskey': 'x'})\n"
        "    assert wrong.status_code == 401\n",
        encoding="utf-8",
    )
    result = pytest_in(tmp_path, "test_mine.py")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout


def test_pyproject_configures_the_tenant(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.gscontract]\nbase_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    (tmp_path / "test_conf.py").write_text(
        "def test_url(gsc_tenant):\n    assert gsc_tenant.base_url == 'http://127.0.0.1:9'\n", encoding="utf-8"
    )
    assert pytest_in(tmp_path, "test_conf.py", "--gsc-access-key", KEY).returncode == 0
    missing_key = pytest_in(tmp_path, "test_conf.py")
    assert missing_key.returncode == 1
    assert "--gsc-base-url needs --gsc-access-key" in missing_key.stdout
