"""How fast does ``gscontract upload`` send 100,000 records to the mock, and what does it add to the mock's own rate?

Usage: ``.venv/bin/python benchmarks/upload_mock.py [--records 100000] [--per-request 20000] [--json FILE]``

Starts ``gscontract mock`` (a real process on a free 127.0.0.1 port, rate limits off, jobs starting at
once, a throw-away database, stopped by its PID) and, one after the other against fresh ExternalIds:

(a) the mock's own bulk rate: the same request bodies the upload plans, each posted straight to the bulk
    endpoint with ``requests`` and its job polled to its end (every 50 ms), nothing else;
(b) ``upload_paths`` with ``allow_writes`` (validation, plan, journal, send, poll every 50 ms, verdicts).

It prints records per second of each, the upload's validation time, and the overhead of (b) over (a)
as a ratio. Only 127.0.0.1 is contacted; every loop is bounded by the record count.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from mock_throughput import Server
from validate_80mb import LOOKUPS

from gscontract.upload import UploadOptions, upload_paths
from gscontract.upload.plan import body_bytes

KEY = "benchmark-key"
BIN = Path(sys.executable).parent
_COMPANY = "Tech systems ABC Ltd"
_AUTHOR = "testuser@gainsight.com"


def _record(external_id: str) -> dict[str, Any]:
    return {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": external_id,
        "Subject": "Kick-off",
        "Notes": "notes for the activity",
        "ActivityDate": "2022-07-01T06:36:00.000-07:00",
        "Author": _AUTHOR,
        "companyName": _COMPANY,
    }


def _lookups() -> dict[str, Any]:
    """The AuthorId and GsCompanyId lookups of the 80 MB validation benchmark (the records carry no others)."""
    return {name: LOOKUPS[name] for name in ("AuthorId", "GsCompanyId")}


def _wait(url: str, job_id: str) -> dict[str, Any]:
    for _ in range(100_000):
        data = requests.get(f"{url}/v1/ant/es/job/status/{job_id}", headers={"accesskey": KEY}, timeout=120).json()
        if data["data"]["status"] in ("COMPLETED", "FAILED", "ABORTED"):
            return dict(data["data"])
        time.sleep(0.05)
    raise SystemExit(f"job {job_id} did not end")


def direct(url: str, records: int, per_request: int) -> float:
    """Seconds to send ``records`` straight to the bulk endpoint in bodies of ``per_request``."""
    started = time.perf_counter()
    for start in range(0, records, per_request):
        chunk = [json.dumps(_record(f"direct-{i}")).encode() for i in range(start, min(records, start + per_request))]
        answer = requests.post(
            f"{url}/v1/ant/es/activity/bulk",
            data=body_bytes(chunk, _lookups()),
            headers={"accesskey": KEY, "content-type": "application/json"},
            timeout=300,
        )
        answer.raise_for_status()
        done = _wait(url, answer.json()["data"]["jobId"])
        assert done["status"] == "COMPLETED", done
    return time.perf_counter() - started


def through_upload(url: str, folder: Path, records: int, per_request: int) -> tuple[float, int]:
    """Seconds for ``upload_paths`` to send ``records``, and how many the journal has as accepted."""
    payload = folder / "timeline-insert.bench.json"
    items = [_record(f"upload-{i}") for i in range(records)]
    payload.write_text(json.dumps({"records": items, "lookups": _lookups()}), encoding="utf-8")
    options = UploadOptions(
        base_url=url,
        access_key=KEY,
        allow_writes=True,
        rate_limit="off",
        poll_interval=0.05,
        max_records=per_request,
        journal=folder / "bench.journal.sqlite",
        job_timeout=600,
    )
    started = time.perf_counter()
    outcome = upload_paths([payload], options)
    seconds = time.perf_counter() - started
    upload = outcome.report.section("upload")  # type: ignore[arg-type]
    accepted = sum(s.count for s in upload.subjects if s.kind == "upload") if upload else 0
    return seconds, accepted


def main() -> None:
    """Run both measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--per-request", type=int, default=20_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        command = [str(BIN / "gscontract"), "mock", "--port", "0", "--access-key", KEY, "--rate-limit", "off"]
        server = Server("mock", [*command, "--job-start-delay", "0"], cwd=folder, log=folder / "mock.log")
        try:
            url = server.read_url()
            own = direct(url, args.records, args.per_request)
            ours, accepted = through_upload(url, folder, args.records, args.per_request)
        finally:
            server.stop()
    result = {
        "records": args.records,
        "per_request": args.per_request,
        "mock_seconds": round(own, 2),
        "mock_records_per_second": round(args.records / own),
        "upload_seconds": round(ours, 2),
        "upload_records_per_second": round(args.records / ours),
        "overhead_ratio": round(ours / own, 2),
        "accepted": accepted,
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
