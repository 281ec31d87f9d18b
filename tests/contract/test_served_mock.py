"""``gscontract mock`` with its defaults (documented rate limits on), met over HTTP as a user would.

A default run (read-only or with writes) and the plugin's tests pass against it: waiting for a quota
slot is never taken for a failure, and reproductions name the tenant, never schemathesis' in-process host.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import KEY, gscontract, served_process
from test_plugin import pytest_in

pytestmark = pytest.mark.slow


def served_mock(*args: str) -> Iterator[str]:
    """``gscontract mock --port 0 ARGS`` as a process; yields its URL; stopped by its PID."""
    exe = Path(sys.executable).with_name("gscontract")
    with served_process([str(exe), "mock", "--port", "0", *args], env={"GAINSIGHT_ACCESS_KEY": KEY}) as url:
        yield url


@pytest.fixture
def mock_url() -> Iterator[str]:
    """A fresh ``gscontract mock`` with its defaults."""
    yield from served_mock()


@pytest.fixture
def unlimited_mock_url() -> Iterator[str]:
    """A fresh ``gscontract mock --rate-limit off``."""
    yield from served_mock("--rate-limit", "off")


@pytest.mark.parametrize("writes", [(), ("--allow-writes",)], ids=["read-only", "writes"])
def test_a_default_run_against_the_served_mock_passes(mock_url: str, writes: tuple[str, ...], tmp_path: Path) -> None:
    args = ("contract", "--base-url", mock_url, "--access-key", KEY, *writes, "--report-dir", "out")
    result = gscontract(*args, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert ": 0 errors" in result.stdout
    assert "Traceback" not in result.stderr
    assert KEY not in result.stdout + result.stderr
    report = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert "testserver" not in report + result.stdout
    assert KEY not in report
    if writes:
        assert "cleanup deleted" in result.stderr
    assert "CT107" not in json.dumps(json.loads(report).get("contract"))  # every request got its answer


def test_the_plugin_passes_against_the_served_mock(unlimited_mock_url: str, tmp_path: Path) -> None:
    result = pytest_in(
        tmp_path, "--pyargs", "gscontract.contract_tests", "--gsc-base-url", unlimited_mock_url,
        "--gsc-access-key", KEY, "--gsc-allow-writes",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]
    assert "13 passed" in result.stdout
    assert KEY not in result.stdout + result.stderr
