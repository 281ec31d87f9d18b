"""``gscontract upload`` against a real ``gscontract mock`` process with tight bulk limits.

Each test runs the uploader as its own process, as a user would, and checks what the mock stored by
querying it: every record exactly once, after a SIGKILL and --resume, after a mock restart mid-job, and
with broken records held back at their lines.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests
from mockkit import ROOT, MockProcess, lookups, record
from uploadkit import (
    ANOTHER_KEY,
    external_ids,
    run_upload,
    stored_ids,
    stored_rows,
    upload_cmd,
    write_insert_file,
    write_update_file,
)

from gscontract.upload.upload_journal import Journal

pytestmark = pytest.mark.slow

# Bulk and single are tight; job polls count as queries, so queries are not what a test waits on.
_TIGHT = "bulk=1/second,single=5/second,query=50/second"


def _mock(db: Path, *extra: str) -> MockProcess:
    return MockProcess("--access-key", ANOTHER_KEY, "--db", str(db), "--rate-limit", _TIGHT, *extra)


def _verdicts(journal: Path) -> list[str | None]:
    j = Journal(journal)
    try:
        return [r.verdict for r in j.records()]
    finally:
        j.close()


def _no_key_anywhere(*texts: str | bytes) -> None:
    for text in texts:
        data = text.encode() if isinstance(text, str) else text
        assert ANOTHER_KEY.encode() not in data


def _start_upload(tmp_path: Path, url: str, *args: str | Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GAINSIGHT_ACCESS_KEY": ANOTHER_KEY, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        upload_cmd(*args, "--allow-writes", "--base-url", url, "--poll-interval", "0.05"),
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(proc: subprocess.Popen[str], marker: str) -> str:
    """Standard error of ``proc`` up to and including the first line holding ``marker``."""
    assert proc.stderr is not None
    seen = ""
    for line in proc.stderr:
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"the uploader ended before {marker!r}: {seen}")


def test_a_payload_that_needs_several_bulk_calls_uploads_completely(tmp_path: Path) -> None:
    ids = external_ids(12)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    with _mock(tmp_path / "mock.db") as mock:
        # The uploader believes in 10 bulk calls a second; the mock's headers say 1, and win.
        done = run_upload(
            payload, "--allow-writes", "--base-url", mock.url, "--rate-limit", "bulk=10/second,query=50/second",
            "--max-records", "4",
            "--poll-interval", "0.05", "--format", "json", "-o", tmp_path / "report.json", cwd=tmp_path,
            key=ANOTHER_KEY,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids
    journal = tmp_path / "gscontract-upload.journal.sqlite"
    assert _verdicts(journal) == ["accepted"] * 12
    assert done.stderr.count("sending request") == 3
    _no_key_anywhere(done.stdout, done.stderr, journal.read_bytes(), (tmp_path / "report.json").read_bytes())
    # The summary counts each record once: the plan's requests hold them, the files' verdicts repeat them.
    text = subprocess.run(
        [*upload_cmd()[:-1], "report", str(tmp_path / "report.json"), "--format", "text"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert "3 requests, 12 records" in text.splitlines()[-1], text[-500:]


def test_sigkill_then_resume_stores_every_record_exactly_once(tmp_path: Path) -> None:
    ids = external_ids(20)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    with _mock(tmp_path / "mock.db") as mock:
        proc = _start_upload(tmp_path, mock.url, payload, "--max-records", "4", "--rate-limit", _TIGHT)
        _read_until(proc, "sending request 3")
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        journal = tmp_path / "gscontract-upload.journal.sqlite"
        assert None in _verdicts(journal)  # the kill left records without a verdict
        resumed = run_upload("--resume", journal, "--base-url", mock.url, cwd=tmp_path, key=ANOTHER_KEY)
        assert resumed.returncode == 0, resumed.stderr + resumed.stdout
        stored = stored_ids(mock.url, ANOTHER_KEY)
    assert sorted(stored) == ids  # each once: none lost, none twice
    assert _verdicts(journal) == ["accepted"] * 20
    _no_key_anywhere(resumed.stdout, resumed.stderr, journal.read_bytes())


def _wait_for_job(db: Path) -> None:
    """Until the mock has stored a submitted job (bounded by the test's timeout, not measured)."""
    while True:
        with sqlite3.connect(db) as con:
            if con.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]:
                return
        time.sleep(0.05)


def test_a_mock_restart_mid_job_is_survived(tmp_path: Path) -> None:
    ids = external_ids(8)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    db = tmp_path / "mock.db"
    # Jobs wait 2 s before they start, so the restart falls while the first job is still submitted.
    mock = _mock(db, "--job-start-delay", "2")
    url = mock.start()
    try:
        proc = _start_upload(tmp_path, url, payload, "--max-records", "4", "--rate-limit", _TIGHT)
        _read_until(proc, "sending request 1")
        _wait_for_job(db)
        mock.stop(signal.SIGKILL)
        port = url.rsplit(":", 1)[1]
        mock = _mock(db, "--job-start-delay", "0", "--port", port)
        mock.start()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err + out
        assert sorted(stored_ids(url, ANOTHER_KEY)) == ids
    finally:
        mock.stop(signal.SIGKILL)


def _record_lines(path: Path) -> list[int]:
    """The line of each record's opening brace in an indent=2 file."""
    return [n for n, line in enumerate(path.read_text().splitlines(), start=1) if line == "    {"]


def test_skip_invalid_sends_the_clean_records_and_reports_each_held_back_one_at_its_line(tmp_path: Path) -> None:
    ids = external_ids(6)
    broken = {1: {"ContextName": ...}, 4: {"Subject": "x" * 300}}
    payload = write_insert_file(tmp_path / "timeline-insert.broken.json", ids, broken=broken)
    lines = _record_lines(payload)
    with _mock(tmp_path / "mock.db") as mock:
        refused = run_upload(payload, "--allow-writes", "--base-url", mock.url, cwd=tmp_path, key=ANOTHER_KEY)
        assert refused.returncode == 1
        assert "nothing sent" in refused.stdout
        assert stored_ids(mock.url, ANOTHER_KEY) == []
        done = run_upload(
            payload, "--allow-writes", "--skip-invalid", "--base-url", mock.url, "--rate-limit", _TIGHT,
            "--poll-interval", "0.05", cwd=tmp_path, key=ANOTHER_KEY,
        )  # fmt: skip
        stored = stored_ids(mock.url, ANOTHER_KEY)
    assert done.returncode == 1  # held-back records were not accepted
    assert sorted(stored) == [ids[i] for i in (0, 2, 3, 5)]
    held = [line for line in done.stdout.splitlines() if " UP104 " in line]
    assert [h.split(":")[1] for h in held] == [str(lines[1]), str(lines[4])]
    _no_key_anywhere(done.stdout, done.stderr)


def test_ctrl_c_stops_sending_records_where_and_resume_finishes(tmp_path: Path) -> None:
    ids = external_ids(12)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    with _mock(tmp_path / "mock.db") as mock:
        proc = _start_upload(tmp_path, mock.url, payload, "--max-records", "4", "--rate-limit", _TIGHT)
        _read_until(proc, "sending request 2")
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "--resume gscontract-upload.journal.sqlite" in err
        journal = tmp_path / "gscontract-upload.journal.sqlite"
        resumed = run_upload("--resume", journal, "--base-url", mock.url, cwd=tmp_path, key=ANOTHER_KEY)
        assert resumed.returncode == 0, resumed.stderr + resumed.stdout
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids


def test_bulk_updates_by_external_id_reach_the_stored_records(tmp_path: Path) -> None:
    ids = external_ids(6)
    inserts = write_insert_file(tmp_path / "timeline-insert.six.json", ids)
    updates = write_update_file(tmp_path / "timeline-update.externalid.bulk.json", inserts, "Renamed")
    with _mock(tmp_path / "mock.db") as mock:
        common = ["--allow-writes", "--base-url", mock.url, "--rate-limit", _TIGHT, "--poll-interval", "0.05"]
        first = run_upload(inserts, *common, cwd=tmp_path, key=ANOTHER_KEY)
        assert first.returncode == 0, first.stderr + first.stdout
        second = run_upload(updates, *common, "--journal", "update.sqlite", cwd=tmp_path, key=ANOTHER_KEY)
        assert second.returncode == 0, second.stderr + second.stdout
        rows = stored_rows(mock.url, ANOTHER_KEY, "ExternalId", "Subject")
    assert sorted((r["ExternalId"], r["Subject"]) for r in rows) == [(i, "Renamed") for i in ids]


def test_single_updates_reach_the_stored_records_one_call_each(tmp_path: Path) -> None:
    """``--single`` sends an update file through the synchronous update, one record a call, verdicts at once."""
    ids = external_ids(3)
    inserts = write_insert_file(tmp_path / "timeline-insert.three.json", ids)
    updates = write_update_file(tmp_path / "timeline-update.externalid.json", inserts, "Renamed one by one")
    with _mock(tmp_path / "mock.db") as mock:
        common = ["--allow-writes", "--base-url", mock.url, "--rate-limit", _TIGHT, "--poll-interval", "0.05"]
        first = run_upload(inserts, *common, cwd=tmp_path, key=ANOTHER_KEY)
        assert first.returncode == 0, first.stderr + first.stdout
        second = run_upload(updates, *common, "--single", "--journal", "u.sqlite", cwd=tmp_path, key=ANOTHER_KEY)
        assert second.returncode == 0, second.stderr + second.stdout
        assert second.stderr.count("sending request") == 3
        rows = stored_rows(mock.url, ANOTHER_KEY, "ExternalId", "Subject")
    assert sorted((r["ExternalId"], r["Subject"]) for r in rows) == [(i, "Renamed one by one") for i in ids]
    assert _verdicts(tmp_path / "u.sqlite") == ["accepted"] * 3


def test_the_tenants_rate_limit_headers_win_over_a_looser_profile(tmp_path: Path) -> None:
    ids = external_ids(8)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    with MockProcess("--access-key", ANOTHER_KEY, "--rate-limit", "bulk=4/hour,query=50/second") as mock:
        # The uploader believes in 100 bulk calls a minute; the mock says 4 an hour in its headers.
        done = run_upload(
            payload, "--allow-writes", "--base-url", mock.url, "--rate-limit", "bulk=100/minute,query=50/second",
            "--max-records", "2", "--poll-interval", "0.05", "--max-duration", "20", cwd=tmp_path, key=ANOTHER_KEY,
        )  # fmt: skip
        stored = stored_ids(mock.url, ANOTHER_KEY)
    assert done.returncode == 1
    assert "X-RateLimit-Remaining leaves no bulk call" in done.stderr
    assert "--resume" in done.stderr
    # 4 remain before the first call: half may be used, so 2 calls of 2 records each went; waiting a
    # minute for the window would outlast --max-duration, so the upload stops to be resumed.
    assert sorted(stored) == ids[:4]
    assert " UP105 " in done.stdout  # the records not sent are reported as still without a verdict


def test_single_saves_report_a_tenant_only_failure_at_its_line(tmp_path: Path) -> None:
    ids = external_ids(4)
    payload = write_insert_file(
        tmp_path / "timeline-insert.four.json", ids, broken={2: {"companyName": "No Such Company Ltd"}}
    )
    lines = _record_lines(payload)
    # The mock takes 2 single calls a second and the uploader is told no limit: its third call meets a 429,
    # whose Retry-After it waits out.
    with MockProcess("--access-key", ANOTHER_KEY, "--rate-limit", "single=2/second,query=50/second") as mock:
        done = run_upload(
            payload, "--allow-writes", "--single", "--base-url", mock.url, "--rate-limit", "off", cwd=tmp_path,
            key=ANOTHER_KEY,
        )  # fmt: skip
        stored = stored_ids(mock.url, ANOTHER_KEY)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("sending request") == 4  # one record a call
    assert sorted(stored) == [ids[0], ids[1], ids[3]]
    (failure,) = [line for line in done.stdout.splitlines() if " UP10" in line]
    assert f"timeline-insert.four.json:{lines[2]}:5: UP102 GSOBJ_1011 tenant-only rule" in failure


def test_events_bulk_files_are_published_once(tmp_path: Path) -> None:
    sample = ROOT / "gscontract" / "samples" / "events-bulk.json"
    payload = tmp_path / "events-bulk.json"
    payload.write_bytes(sample.read_bytes())
    db = tmp_path / "mock.db"
    with _mock(db) as mock:
        done = run_upload(
            payload, "--allow-writes", "--base-url", mock.url, "--rate-limit", _TIGHT, cwd=tmp_path, key=ANOTHER_KEY
        )
        assert done.returncode == 0, done.stderr + done.stdout
        assert "POST /v1/events/bulk" in done.stdout
        with sqlite3.connect(db) as con:
            (published,) = con.execute("SELECT COUNT(*) FROM events").fetchone()
    assert published == len(json.loads(sample.read_text())["records"])
    assert _verdicts(tmp_path / "gscontract-upload.journal.sqlite") == ["accepted", "accepted"]


def test_bulk_updates_by_activity_id_reach_the_stored_records(tmp_path: Path) -> None:
    ids = external_ids(3)
    inserts = write_insert_file(tmp_path / "timeline-insert.three.json", ids)
    with _mock(tmp_path / "mock.db") as mock:
        common = ["--allow-writes", "--base-url", mock.url, "--rate-limit", _TIGHT, "--poll-interval", "0.05"]
        first = run_upload(inserts, *common, cwd=tmp_path, key=ANOTHER_KEY)
        assert first.returncode == 0, first.stderr + first.stdout
        gsids = {r["ExternalId"]: r["Gsid"] for r in stored_rows(mock.url, ANOTHER_KEY, "ExternalId", "Gsid")}
        document = json.loads(inserts.read_text())
        for item in document["records"]:
            item["Gsid"] = gsids[item["ExternalId"]]
            item["Subject"] = "By activity id"
        updates = tmp_path / "timeline-update.activityid.bulk.json"
        updates.write_text(json.dumps(document, indent=2))
        second = run_upload(updates, *common, "--journal", "update.sqlite", cwd=tmp_path, key=ANOTHER_KEY)
        assert second.returncode == 0, second.stderr + second.stdout
        assert "POST" not in second.stdout.split("request 1:")[1].split("\n")[0]  # a PUT, not an insert
        rows = stored_rows(mock.url, ANOTHER_KEY, "ExternalId", "Subject")
    assert sorted((r["ExternalId"], r["Subject"]) for r in rows) == [(i, "By activity id") for i in ids]


SECRET = "framework-secret-0815-xyz"


def test_framework_events_are_published_one_a_call_and_a_refusal_is_at_its_line(tmp_path: Path) -> None:
    naming = {"topicName": "Ticket Actions", "eventName": "Ticket Resolved Event", "eventVersion": "1.0.0"}
    events = [{**naming, "payload": {"ticketId": f"t-{i}"}} for i in range(3)]
    events[1]["payload"] = {"status": "open"}  # the registration requires ticketId: only the tenant knows it
    payload = tmp_path / "framework-events.json"
    payload.write_text(json.dumps({"records": events}, indent=2))
    lines = _record_lines(payload)
    db = tmp_path / "mock.db"
    with _mock(db, "--shared-secret", SECRET) as mock:
        done = run_upload(
            payload, "--allow-writes", "--base-url", mock.url, "--tenant-id", "demo-tenant-id", "--shared-secret",
            SECRET, "--rate-limit", _TIGHT, cwd=tmp_path, key=ANOTHER_KEY,
        )  # fmt: skip
        with sqlite3.connect(db) as con:
            (published,) = con.execute("SELECT COUNT(*) FROM framework_events").fetchone()
    assert done.returncode == 1, done.stderr
    assert published == 2
    assert done.stderr.count("sending request") == 3
    (refused,) = [line for line in done.stdout.splitlines() if " UP10" in line]
    assert f"framework-events.json:{lines[1]}:5: UP103" in refused
    assert "not predicted" in refused
    journal = (tmp_path / "gscontract-upload.journal.sqlite").read_bytes()
    for text in (done.stdout, done.stderr, journal):
        assert (SECRET.encode() if isinstance(text, bytes) else SECRET) not in text


def test_a_json_lines_file_goes_with_the_lookups_given_for_it(tmp_path: Path) -> None:
    ids = external_ids(3)
    payload = tmp_path / "timeline-insert.lines.jsonl"
    payload.write_text("".join(json.dumps(record(i)) + "\n" for i in ids))
    lookups_file = tmp_path / "lookups.json"
    lookups_file.write_text(json.dumps(lookups()))
    with _mock(tmp_path / "mock.db") as mock:
        common = ["--allow-writes", "--base-url", mock.url, "--rate-limit", _TIGHT, "--poll-interval", "0.05"]
        done = run_upload(payload, *common, "--lookups", lookups_file, cwd=tmp_path, key=ANOTHER_KEY)
        assert done.returncode == 0, done.stderr + done.stdout
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids


def test_a_resume_counts_the_bulk_calls_the_first_run_spent(tmp_path: Path) -> None:
    """The tenant allows 4 bulk calls an hour, so the upload may spend 2: the first run spends both, and a
    resume at once sends nothing more (the calls still count in their hour) and says why."""
    ids = external_ids(8)
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", ids)
    tenant = ("--access-key", ANOTHER_KEY, "--db", str(tmp_path / "mock.db"), "--rate-limit", "bulk=4/hour")
    with MockProcess(*tenant) as mock:
        common = ["--base-url", mock.url, "--poll-interval", "0.05", "--max-duration", "10"]
        first = run_upload(payload, "--allow-writes", *common, "--max-records", "2", cwd=tmp_path, key=ANOTHER_KEY)
        assert first.returncode == 1, first.stderr + first.stdout
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids[:4]
        journal = tmp_path / "gscontract-upload.journal.sqlite"
        resumed = run_upload("--resume", journal, *common, cwd=tmp_path, key=ANOTHER_KEY)
        assert resumed.returncode == 1, resumed.stderr + resumed.stdout
        assert "bulk quota exhausted" in resumed.stderr
        assert "--resume" in resumed.stderr
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids[:4]


def _submitted_job(journal: Path) -> str:
    """The job id of the first request the journal has as submitted (bounded by the test's timeout)."""
    while True:
        if journal.exists():
            with sqlite3.connect(journal) as con:
                try:
                    row = con.execute("SELECT job_id FROM batches WHERE state = 'submitted'").fetchone()
                except sqlite3.OperationalError:
                    row = None  # the uploader has not made its tables yet
            if row is not None:
                return str(row[0])
        time.sleep(0.02)


def test_ctrl_c_aborts_the_job_still_waiting_to_start_and_a_resume_sends_its_records_once(tmp_path: Path) -> None:
    """The job is SUBMITTED (the tenant starts jobs after 3 s): Ctrl-C aborts it, and the journal says so."""
    ids = external_ids(6)
    payload = write_insert_file(tmp_path / "timeline-insert.six.json", ids)
    journal = tmp_path / "gscontract-upload.journal.sqlite"
    with _mock(tmp_path / "mock.db", "--job-start-delay", "3") as mock:
        proc = _start_upload(tmp_path, mock.url, payload, "--max-records", "3", "--rate-limit", _TIGHT)
        job_id = _submitted_job(journal)
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        status = requests.get(
            f"{mock.url}/v1/ant/es/job/status/{job_id}", headers={"accesskey": ANOTHER_KEY}, timeout=30
        ).json()["data"]["status"]
        assert status == "ABORTED"
        with sqlite3.connect(journal) as con:
            assert con.execute("SELECT state, note FROM batches WHERE job_id = ?", (job_id,)).fetchone() == (
                "aborted",
                "aborted on interrupt",
            )
        assert stored_ids(mock.url, ANOTHER_KEY) == []
        resumed = run_upload("--resume", journal, "--base-url", mock.url, cwd=tmp_path, key=ANOTHER_KEY)
        assert resumed.returncode == 0, resumed.stderr + resumed.stdout
        assert sorted(stored_ids(mock.url, ANOTHER_KEY)) == ids
    assert _verdicts(journal) == ["accepted"] * 6
