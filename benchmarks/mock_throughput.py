"""Throughput of ``gscontract mock`` next to Prism mocking the same spec, in one run.

See docs/decisions.md#speed-and-start-up.

Usage: ``.venv/bin/python benchmarks/mock_throughput.py [--duration 5] [--concurrency 1,10,50]``

Both servers run on loopback at the same time: our mock (limits off, ``--db`` on a temporary file, so every
save is committed to SQLite) and Prism 5 (``prism mock`` at its default log level, as users run it),
installed on demand under ``benchmarks/.prism``. ``hey`` (Debian package; installed with apt-get when
missing and running as root) drives both with HTTP/1.1 keep-alive at each concurrency, alternating
servers, on two operations:

* single save, the document's single-save sample. hey sends one fixed body, so after the first request
  our mock answers each save with GS_TL_10_0107 (the ExternalId exists): the request still runs every
  rule, resolves its lookups and takes a write transaction to check the ExternalId, but writes no row.
* read, the newer document's query sample (by ExternalId).

Because hey cannot vary a body, a second measurement of single save at c=10 uses ``wrk`` (Debian
package) with a Lua script that gives every request a fresh ExternalId, so every request inserts and
commits a row. The goal (>= 2x Prism's requests/second on single save at c=10, persisting) is read there.

Each measurement alternates the two servers ``--repeat`` times and keeps each one's median run, so load
from other work on the machine falls on both alike. Every server is started here and stopped by its PID.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PRISM_DIR = ROOT / "benchmarks" / ".prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "specs" / "timeline.openapi.yaml"
KEY = "benchmark-key"
SAVE = "/v1/ant/es/activity"
QUERY = "/v1/data/objects/query/activity_timeline"


@dataclass(frozen=True)
class Result:
    """One load run: requests per second, latency percentiles (ms) and status codes seen."""

    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_apt(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", tool], check=False, capture_output=True)
    found = shutil.which(tool)
    if not found:
        sys.exit(f"error: {tool} is not installed (Debian package {tool!r})")
    return found


def _ensure_prism() -> Path:
    if not PRISM.exists():
        print("installing Prism 5 under benchmarks/.prism ...", flush=True)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(PRISM_DIR), "@stoplight/prism-cli@5"],
            check=True,
            capture_output=True,
        )
    return PRISM


def _document_sample(path: str, name: str) -> Any:
    import yaml

    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"][name]["value"]


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"error: nothing answered at {url} within {timeout} s")


class Server:
    """A server subprocess whose output goes to a file (as a terminal would take it), stopped by its PID."""

    def __init__(self, name: str, command: list[str], *, cwd: Path, log: Path) -> None:
        self.name = name
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)

    def read_url(self, timeout: float = 30.0) -> str:
        """The URL from our mock's "listening on" line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.log.read_text().splitlines():
                if "listening on " in line:
                    return line.rsplit("listening on ", 1)[1].strip()
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise SystemExit(f"error: {self.name} did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not ended within 15 s."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


_HEY_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_HEY_PCT = re.compile(r"(\d+)% in ([\d.]+) secs")
_HEY_STATUS = re.compile(r"\[(\d{3})\]\s+(\d+) responses")


def run_hey(hey: str, base: str, *, path: str, body: Path, concurrency: int, duration: float) -> Result:
    """Drive ``base`` + ``path`` with hey (HTTP/1.1 keep-alive) for ``duration`` seconds."""
    url = base + path
    command = [hey, "-z", f"{duration:g}s", "-c", str(concurrency), "-m", "POST", "-T", "application/json"]
    command += ["-H", f"accesskey: {KEY}", "-D", str(body), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = {int(p): float(s) * 1000 for p, s in _HEY_PCT.findall(out)}
    return Result(
        rps=float(_HEY_RPS.search(out).group(1)),  # type: ignore[union-attr]
        p50_ms=percentiles.get(50, float("nan")),
        p99_ms=percentiles.get(99, float("nan")),
        statuses=dict(_HEY_STATUS.findall(out)),
    )


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SCALE = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _unique_save_script(sample: dict[str, Any], path: Path) -> None:
    body = json.loads(json.dumps(sample))
    body["records"][0]["ExternalId"] = "@@ID@@"
    template = json.dumps(body).replace("%", "%%").replace("@@ID@@", "%s")
    path.write_text(
        f"""-- Every request saves a new ExternalId: <per-thread random prefix>-<counter>.
local counter = 0
local prefix = "0"
local template = [==[{template}]==]
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["accesskey"] = "{KEY}"
function setup(thread) thread:set("seed", tostring(math.random(1, 1000000000))) end
function init(args) prefix = seed or tostring(math.random(1, 1000000000)) end
request = function()
  counter = counter + 1
  return wrk.format(nil, "{SAVE}", nil, string.format(template, prefix .. "-" .. counter))
end
""",
        encoding="utf-8",
    )


def run_wrk(wrk: str, base_url: str, *, script: Path, concurrency: int, duration: float) -> Result:
    """Drive ``base_url`` with wrk and a Lua script (HTTP/1.1 keep-alive)."""
    threads = str(min(2, concurrency))
    command = [wrk, "-t", threads, "-c", str(concurrency), "-d", f"{duration:g}s", "--latency", "-s", str(script)]
    out = subprocess.run([*command, base_url], capture_output=True, text=True, check=True).stdout
    percentiles = {int(p): float(v) * _SCALE[u] for p, v, u in _WRK_PCT.findall(out)}
    non_2xx = _WRK_NON_2XX.search(out)
    return Result(
        rps=float(_WRK_RPS.search(out).group(1)),  # type: ignore[union-attr]
        p50_ms=percentiles.get(50, float("nan")),
        p99_ms=percentiles.get(99, float("nan")),
        statuses={"non-2xx": int(non_2xx.group(1))} if non_2xx else {},
    )


def _alternate(bases: dict[str, str], repeat: int, measure: Callable[[str], Result]) -> dict[str, Result]:
    """Measure each server ``repeat`` times, alternating, and keep each one's median run (by req/s).

    Other work on the machine comes and goes; alternating spreads it over both servers alike.
    """
    runs: dict[str, list[Result]] = {name: [] for name in bases}
    for _ in range(repeat):
        for name, base in bases.items():
            runs[name].append(measure(base))
    return {name: sorted(found, key=lambda r: r.rps)[len(found) // 2] for name, found in runs.items()}


def _row(label: str, ours: Result, prism: Result) -> str:
    return (
        f"| {label} | {ours.rps:,.0f} | {ours.p50_ms:.1f} / {ours.p99_ms:.1f} | {prism.rps:,.0f} | "
        f"{prism.p50_ms:.1f} / {prism.p99_ms:.1f} | {ours.rps / prism.rps:.2f}x |"
    )


def _measure(
    work: Path, args: argparse.Namespace, *, hey: str, wrk: str, prism: Path
) -> tuple[list[str], dict[str, dict[str, Any]], dict[str, Result], int]:
    """Start both servers, run every measurement, stop the servers; count the rows our mock persisted."""
    levels = [int(c) for c in args.concurrency.split(",")]
    save_body, query_body, script = work / "save.json", work / "query.json", work / "unique.lua"
    sample = _document_sample(SAVE, "documentSample")
    save_body.write_text(json.dumps(sample), encoding="utf-8")
    query_body.write_text(json.dumps(_document_sample(QUERY, "newerDocumentSample")), encoding="utf-8")
    _unique_save_script(sample, script)
    database = work / "mock.db"

    ours_cmd = [sys.executable, "-m", "gscontract", "mock", "--port", "0", "--access-key", KEY]
    ours_cmd += ["--db", str(database), "--rate-limit", "off"]
    prism_port = _free_port()
    servers: list[Server] = []
    results: dict[str, dict[str, Any]] = {}
    lines: list[str] = []
    try:
        ours = Server("gscontract mock", ours_cmd, cwd=ROOT, log=work / "mock.log")
        servers.append(ours)
        ours_url = ours.read_url()
        prism_cmd = [str(prism), "mock", "-h", "127.0.0.1", "-p", str(prism_port), str(SPEC)]
        servers.append(Server("prism", prism_cmd, cwd=ROOT, log=work / "prism.log"))
        prism_url = f"http://127.0.0.1:{prism_port}"
        _wait_http(prism_url + "/v1/ant/es/job/status/warmup", timeout=90)
        bases = {"ours": ours_url, "prism": prism_url}

        lines.append("| operation | ours req/s | ours p50 / p99 ms | Prism req/s | Prism p50 / p99 ms | ours/Prism |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for label, path, body in (("single save", SAVE, save_body), ("read", QUERY, query_body)):
            for level in levels:
                hey_run = functools.partial(
                    run_hey, hey, path=path, body=body, concurrency=level, duration=args.duration
                )
                pair = _alternate(bases, args.repeat, hey_run)
                results[f"{label} c={level}"] = {name: vars(r) for name, r in pair.items()}
                lines.append(_row(f"{label}, c={level} (hey)", pair["ours"], pair["prism"]))
                print(lines[-1], flush=True)
        wrk_run = functools.partial(run_wrk, wrk, script=script, concurrency=10, duration=args.duration)
        unique = _alternate(bases, args.repeat, wrk_run)
        results["single save, unique ExternalIds, c=10"] = {name: vars(r) for name, r in unique.items()}
        lines.append(_row("single save, every request inserts, c=10 (wrk)", unique["ours"], unique["prism"]))
        print(lines[-1], flush=True)
    finally:
        for server in reversed(servers):
            server.stop()

    with sqlite3.connect(database) as conn:
        saved = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    return lines, results, unique, saved


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table; exit 1 when the save target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load run (default 5)")
    parser.add_argument("--concurrency", default="1,10,50", help="comma-separated levels (default 1,10,50)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    # Stopped by a signal (even from a background shell, which ignores SIGINT), it still stops its servers.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    hey, wrk, prism = _ensure_apt("hey"), _ensure_apt("wrk"), _ensure_prism()
    with tempfile.TemporaryDirectory(prefix="gscontract-bench-") as tmp:
        lines, results, unique, saved = _measure(Path(tmp), args, hey=hey, wrk=wrk, prism=prism)
    ratio = unique["ours"].rps / unique["prism"].rps
    print()
    print("\n".join(lines))
    print(
        f"\nrows persisted by our mock: {saved:,}; wrk non-2xx: ours {unique['ours'].statuses}, "
        f"Prism {unique['prism'].statuses}"
    )
    print(f"single save at c=10 while persisting: {ratio:.2f}x Prism (target >= 2x)")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "persisted_rows": saved, "ratio": ratio}, indent=2))
    return 0 if ratio >= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
