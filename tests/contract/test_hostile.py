"""Hostile tenants (``hostile.py``, real processes on 127.0.0.1) against ``gscontract contract`` and ``run``.

Whatever a tenant does (close every connection, answer bytes that are not HTTP, spoof the guard's marks,
echo the key back in every form, never answer, send a gzip bomb or declare two gigabytes), the run ends
within the bounds it was given with exit 1 and a clear finding, prints no traceback, keeps its memory
small, and writes the key nowhere.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import HERE, KEY, served_process
from peakrss import launched, peak_bytes

pytestmark = pytest.mark.slow

BOUNDS = ("--request-timeout", "2", "--max-duration", "60")
SMALL = ("--max-examples", "2", "--seed", "3")
RSS_LIMIT_MB = 500
WALL_LIMIT = 240.0
"""Seconds a bounded run may take here: its 60 s, cleanup, interpreter start, and a busy machine's slack
(on a loaded 2-core machine, loading the specs alone has taken half a minute)."""


def key_forms() -> dict[str, str]:
    """The key as a tenant may echo it: plain, lower- and upper-cased, URL-encoded and base64-encoded."""
    alone = base64.b64encode(KEY.encode()).decode()
    inside = base64.b64encode(f"user:{KEY}".encode()).decode()
    return {
        "plain": KEY,
        "lower": KEY.lower(),
        "upper": KEY.upper(),
        "url": quote(KEY, safe=""),
        "base64": alone.rstrip("=")[:-2],
        "base64 inside": inside[8:-8],
    }


@dataclass
class Ran:
    """A finished gscontract process: exit code, output, report files, peak RSS and wall time."""

    code: int
    out: str
    err: str
    files: dict[str, str]
    rss_mb: float
    seconds: float

    def everything(self) -> str:
        return "\n".join([self.out, self.err, *self.files.values()])


@pytest.fixture
def tenant(request: pytest.FixtureRequest) -> Iterator[str]:
    """A hostile tenant process on 127.0.0.1, stopped by its PID."""
    with served_process([sys.executable, str(HERE / "hostile.py"), request.param]) as url:
        yield url


def measured(*args: str, cwd: Path) -> Ran:
    """Run the gscontract CLI and measure that one process: its peak RSS (through the launcher) and wall time."""
    exe = Path(sys.executable).with_name("gscontract")
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    env = {k: v for k, v in os.environ.items() if k != "GAINSIGHT_ACCESS_KEY"}
    started = time.monotonic()
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.Popen(
            launched([str(exe), *args], cwd / "peak.txt"),
            cwd=cwd, stdout=out, stderr=err, env={**env, "NO_COLOR": "1"}, start_new_session=True,
        )  # fmt: skip
        try:
            process.wait(timeout=WALL_LIMIT)
        except subprocess.TimeoutExpired:  # bounded: the launcher and the run are killed together
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    reports = cwd / "out"
    files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in sorted(reports.glob("*")) if p.is_file()}
    return Ran(
        code=process.returncode,
        out=out_path.read_text(),
        err=err_path.read_text(),
        files=files,
        rss_mb=peak_bytes(cwd / "peak.txt") / 2**20 if (cwd / "peak.txt").exists() else float("inf"),
        seconds=time.monotonic() - started,
    )


def contract_against(url: str, cwd: Path, *extra: str) -> Ran:
    return measured(
        "contract", "--base-url", url, "--access-key", KEY, "--allow-writes", *BOUNDS, *SMALL,
        "--rate-limit", "off", "--report-dir", "out", *extra, cwd=cwd,
    )  # fmt: skip


def assert_bounded_and_clean(ran: Ran) -> None:
    assert ran.code == 1, ran.out[-3000:] + ran.err[-3000:]
    assert "Traceback" not in ran.out + ran.err
    assert ran.seconds < WALL_LIMIT
    assert ran.rss_mb < RSS_LIMIT_MB, f"peak RSS {ran.rss_mb:.0f} MB"
    assert set(ran.files) >= {"report.json", "junit.xml", "report.sarif", "report.md", "index.html", "report.txt"}
    everything = ran.everything()
    assert "testserver" not in everything  # reproductions name the tenant
    for form, text in key_forms().items():
        assert text not in everything, f"the key ({form}) leaked"


@pytest.mark.parametrize(
    ("tenant", "finding"),
    [
        ("close", "CT107 No usable answer: the tenant closed the connection without answering"),
        ("garbage", "CT107 No usable answer: the tenant's answer is not HTTP"),
        ("silent", "CT107 No usable answer: no answer within 2 s"),
        ("bomb", "CT107 No usable answer: the tenant's answer is larger than the 10 MB cap"),
        ("huge", "CT107 No usable answer: the tenant's answer declares 2,000,000,000 bytes, over the 10 MB cap"),
    ],
    indirect=["tenant"],
)
def test_a_tenant_that_gives_no_answer_fails_the_run(tenant: str, finding: str, tmp_path: Path) -> None:
    ran = contract_against(tenant, tmp_path)
    assert_bounded_and_clean(ran)
    assert finding in ran.out
    assert "0 requests" in ran.out
    assert "nothing could be checked" in ran.out
    # It stops at the fifth unanswered request in a row instead of spending its time limit on the rest.
    assert "no usable answer to 5 requests in a row, so the run stopped" in ran.out


@pytest.mark.parametrize("tenant", ["spoof"], indirect=True)
def test_spoofed_skip_headers_hide_no_server_error(tenant: str, tmp_path: Path) -> None:
    ran = contract_against(tenant, tmp_path)
    assert_bounded_and_clean(ran)
    assert "CT301 Server error (HTTP 500)" in ran.out
    assert f"{tenant}/v1/" in ran.files["report.json"]  # the reproduction names the tenant's URL
    assert "nothing could be checked" not in ran.out


@pytest.mark.parametrize("tenant", ["echo"], indirect=True)
def test_a_tenant_echoing_the_key_everywhere_gets_it_into_no_output(tenant: str, tmp_path: Path) -> None:
    ran = contract_against(tenant, tmp_path)
    assert_bounded_and_clean(ran)
    assert "CT105" in ran.out  # the echoed "code" is reported, masked
    assert "[REDACTED]" in ran.files["report.json"]


@pytest.mark.parametrize("tenant", ["echo"], indirect=True)
def test_gscontract_run_against_the_echoing_tenant_leaks_nothing_either(tenant: str, tmp_path: Path) -> None:
    ran = measured(
        "run", "--base-url", tenant, "--access-key", KEY, *BOUNDS, *SMALL, "--report-dir", "out", "-q", cwd=tmp_path
    )
    assert_bounded_and_clean(ran)
