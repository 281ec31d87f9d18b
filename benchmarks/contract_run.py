"""Wall time of a contract run next to a plain ``schemathesis run``, in one run (docs/decisions.md#speed-and-start-up).

Usage: ``.venv/bin/python benchmarks/contract_run.py [--max-examples N] [--seed N] [--json FILE]``

Starts ``gscontract mock`` (a real process on a free 127.0.0.1 port, limits off, bulk jobs starting after
0.2 s as in the embedded mock, stopped by its PID) and times, one after the other:

(a) ``gscontract contract --base-url <mock> --access-key K --strict`` at its defaults for a tenant URL
    (5 examples per operation and phase), plus what a mock needs to be tested like one: ``--allow-writes``
    (otherwise a URL run is read-only), ``--rate-limit off`` and a request budget it never reaches;
(b) a plain ``schemathesis run`` (the CLI that comes with schemathesis 4) of both specs against the same
    mock, with the same ``--max-examples`` and the checks docs/decisions.md#status-codes-and-record-failures names for
    it
    (``not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance``);
(c) the default embedded ``gscontract contract`` (no base URL, in-process ASGI, 10 examples), the run
    the README quotes (goal: within 60 s on a 2-core machine).

It prints each one's wall time, for the contract runs also the time their schemathesis phases took
(until the scenarios start), cases (and requests, where the tool reports them), cases a second, and the
ratio of (a) to (b). (a) and (b) do different work for their cases: (a) adds Gainsight's response
checks, its scenarios and cleanup, and leaves bulk calls and deletes to its scenarios, as against any
tenant; (b) fuzzes every operation. Against a URL the contract also waits as it would for a tenant: in
strict mode CT206 sleeps four job-poll intervals (4 x 5 s) before checking that an aborted job saved
nothing, so (a)'s wall time holds about 20 s of waiting; its phases-only time compares with (b).
Every command runs in a temporary folder (reports, hypothesis data).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from mock_throughput import Server

from gscontract.contract.engine.options import LIVE_EXAMPLES, MOCK_EXAMPLES

BIN = Path(sys.executable).parent
KEY = "benchmark-key"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
TIMEOUT = 900.0
_CONTRACT_CASES = re.compile(r"(\d+) operations, (\d+) cases: (\d+) errors?, (\d+) warnings?")
_CONTRACT_REQUESTS = re.compile(r"(\d+) requests to ")
_SCENARIOS_START = re.compile(r"\[\s*([\d.]+)s\] scenarios: running")
_SCHEMATHESIS_CASES = re.compile(r"(\d+) generated")


@dataclass(frozen=True)
class Timing:
    """One timed command: wall seconds, cases (and requests when known), what it reported, its exit status."""

    label: str
    seconds: float
    cases: int
    requests: int | None
    outcome: str
    exit_code: int
    phases_seconds: float | None = None
    """For a contract run: when its scenarios started, i.e. the time schemathesis' phases took."""

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


def _timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return time.perf_counter() - started, done


def _contract(label: str, extra: list[str], cwd: Path) -> Timing:
    seconds, done = _timed([str(BIN / "gscontract"), "contract", *extra], cwd)
    summary = _CONTRACT_CASES.search(done.stdout)
    if summary is None:
        raise SystemExit(
            f"error: {label} printed no summary (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    requests = _CONTRACT_REQUESTS.search(done.stderr)
    scenarios = _SCENARIOS_START.search(done.stderr)
    return Timing(
        label=label,
        seconds=seconds,
        cases=int(summary[2]),
        requests=int(requests[1]) if requests else None,
        outcome=f"{summary[3]} errors, {summary[4]} warnings",
        exit_code=done.returncode,
        phases_seconds=float(scenarios[1]) if scenarios else None,
    )


def _schemathesis(base: str, examples: int, seed: int | None, cwd: Path) -> Timing:
    seconds, cases, codes, outcomes = 0.0, 0, [], []
    # The events spec's server ends in /v1 and its paths start at /events (docs/decisions.md#events-api).
    for spec, prefix in (("timeline", ""), ("events", "/v1")):
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/openapi/{spec}.yaml",
            "--url",
            base + prefix,
            "--header",
            f"accesskey: {KEY}",
            "--checks",
            CHECKS,
            "--max-examples",
            str(examples),
            "--no-color",
            *(["--seed", str(seed)] if seed is not None else []),
        ]
        took, done = _timed(command, cwd)
        found = _SCHEMATHESIS_CASES.search(done.stdout)
        if found is None:
            raise SystemExit(f"error: schemathesis run ({spec}) printed no case count:\n{done.stdout[-3000:]}")
        seconds += took
        cases += int(found[1])
        codes.append(done.returncode)
        outcomes.append(f"{spec}: {'no issues' if 'No issues found' in done.stdout else 'issues found'}")
    return Timing("(b) schemathesis run, both specs", seconds, cases, None, "; ".join(outcomes), max(codes))


def _row(t: Timing) -> str:
    requests = f"{t.requests:,}" if t.requests is not None else "-"
    phases = f"{t.phases_seconds:.1f}" if t.phases_seconds is not None else "-"
    return (
        f"| {t.label} | {t.seconds:.1f} | {phases} | {t.cases:,} | {requests} | {t.rate:.1f} "
        f"| {t.outcome} (exit {t.exit_code}) |"
    )


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the three measurements and print a Markdown table; exit 1 when a run did not pass."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--max-examples",
        type=int,
        default=LIVE_EXAMPLES,
        help=f"examples per operation and phase for (a) and (b) (default {LIVE_EXAMPLES}, the contract's URL default)",
    )
    parser.add_argument("--seed", type=int, help="hypothesis seed for all three runs (default: random)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    # Stopped by a signal (even from a background shell, which ignores SIGINT), it still stops the mock.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    seed = ["--seed", str(args.seed)] if args.seed is not None else []
    with tempfile.TemporaryDirectory(prefix="gscontract-contract-bench-") as tmp:
        folder = Path(tmp)
        mock_command = [str(BIN / "gscontract"), "mock", "--port", "0", "--access-key", KEY, "--rate-limit", "off"]
        mock = Server("gscontract mock", [*mock_command, "--job-start-delay", "0.2"], cwd=folder, log=folder / "m.log")
        try:
            base = mock.read_url()
            over_http = [
                *("--base-url", base, "--access-key", KEY, "--strict", "--allow-writes", "--rate-limit", "off"),
                *("--max-requests", "1000000", "--max-examples", str(args.max_examples), *seed),
            ]
            a = _contract("(a) gscontract contract --base-url --strict", over_http, folder)
            b = _schemathesis(base, args.max_examples, args.seed, folder)
        finally:
            mock.stop()
        c = _contract("(c) gscontract contract (embedded, default)", ["--access-key", KEY, *seed], folder)
    print(f"\n{os.cpu_count()} CPUs; (a) and (b) at {args.max_examples} examples per operation and phase, ", end="")
    print(f"(c) at its default of {MOCK_EXAMPLES}\n")
    print("| Run | Wall s | Phases s | Cases | Requests | Cases/s | Outcome |")
    print("|---|---|---|---|---|---|---|")
    for timing in (a, b, c):
        print(_row(timing))
    ratio = a.seconds / b.seconds
    print(f"\n(a) / (b) wall time: {ratio:.2f}; cases/s (a) {a.rate:.1f} vs (b) {b.rate:.1f}")
    if a.phases_seconds is not None:
        print(f"(a) phases only / (b): {a.phases_seconds / b.seconds:.2f}")
    print(f"default embedded run: {c.seconds:.1f} s (goal: within 60 s on a 2-core machine)")
    if args.json:
        payload = {"runs": [{**asdict(t), "cases_per_second": t.rate} for t in (a, b, c)], "ratio_a_b": ratio}
        args.json.write_text(json.dumps(payload, indent=2))
    return 0 if all(t.exit_code == 0 for t in (a, b, c)) else 1


if __name__ == "__main__":
    sys.exit(main())
