"""The upload's plan, dry run, usage errors and verdict labels, without a tenant."""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from mockkit import lookups, record
from uploadkit import external_ids, upload_cmd, write_insert_file

from gscontract.cli import cli
from gscontract.contract.transport.budget import GroupLimit
from gscontract.findings import Finding, Report, Severity
from gscontract.gainsight.codes import EXTERNAL_ID_EXISTS, NO_MATCH, TOO_LONG
from gscontract.reporting import REPORTERS
from gscontract.upload import UploadOptions, upload_paths
from gscontract.upload.plan import Plan, UploadRecord, body_bytes, plan_batches, quota_seconds
from gscontract.upload.upload_journal import FAILED, Journal, Verdict
from gscontract.upload.verdicts import NOT_PREDICTED, PREDICTED, TENANT_ONLY, label_for, upload_section


def _records(sizes: list[int]) -> list[UploadRecord]:
    return [
        UploadRecord("f.json", i, i + 1, 1, f"e{i}", json.dumps({"x": "a" * n}).encode()) for i, n in enumerate(sizes)
    ]


def test_every_planned_body_is_under_the_limit_and_the_records_keep_their_order() -> None:
    records = _records([300, 10, 500, 700, 20, 20, 900, 5])
    lookups = {"AuthorId": {"fields": {"Author": "Email"}}}
    batches = plan_batches("f.json", "POST /v1/ant/es/activity/bulk", records, lookups, max_bytes=1100)
    assert [i for b in batches for i in range(b.start, b.end)] == list(range(len(records)))
    assert len(batches) > 2
    for batch in batches:
        body = body_bytes([r.body for r in records[batch.start : batch.end]], lookups)
        assert len(body) == batch.size <= 1100
        json.loads(body)  # a real JSON body


def test_max_records_caps_each_request() -> None:
    batches = plan_batches("f.json", "op", _records([1] * 10), None, max_records=4)
    assert [b.count for b in batches] == [4, 4, 2]


def test_the_quota_spaces_calls_by_whole_windows() -> None:
    two_an_hour = GroupLimit(2, 3600.0)
    assert quota_seconds(2, two_an_hour) == 0
    assert quota_seconds(5, two_an_hour) == 2 * 3600
    assert quota_seconds(5, None) == 0


def test_a_dry_run_prints_the_plan_and_follows_the_profile_quota(tmp_path: Path) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", external_ids(10))
    done = CliRunner().invoke(cli, ["upload", str(payload), "--max-records", "2", "--profile", "legacy"])
    assert done.exit_code == 0, done.output
    # Legacy: 4 bulk calls an hour, half of it for an upload: 5 calls take 2 more hours.
    assert "in 5 bulk calls at 2/hour: about 2.0 h of quota spacing" in done.output
    assert done.output.count("plan:request: request") == 5
    assert "dry run: nothing sent" in done.output
    assert not (Path.cwd() / "gscontract-upload.journal.sqlite").exists()


def test_a_dry_run_splits_a_large_file_under_the_body_limit(tmp_path: Path) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.big.json", external_ids(300))
    outcome = upload_paths([payload], UploadOptions(max_bytes=20_000))
    (section,) = [s for s in outcome.report.sections if s.name == "upload"]
    requests = [s for s in section.subjects if s.kind == "plan:request"]
    assert len(requests) > 1
    assert outcome.exit_code == 0
    for subject in requests:
        size = int(subject.name.split("(")[1].split(" bytes")[0].replace(",", ""))
        assert size <= 20_000


@pytest.mark.parametrize(
    "args",
    [
        ["--resume", "j.sqlite", "x.json"],
        ["--resume", "missing.sqlite"],
        [],
        ["PAYLOAD", "--allow-writes"],
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str]) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.one.json", external_ids(1))
    given = [str(payload) if a == "PAYLOAD" else a for a in args]
    done = CliRunner().invoke(cli, ["upload", *given], env={"GAINSIGHT_ACCESS_KEY": ""})
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    assert len(done.output.strip().splitlines()) == 1


def test_labels_follow_the_validators_prediction_for_the_record() -> None:
    predicted = [Finding(rule="TL201", severity=Severity.WARNING, message="m", code=TOO_LONG)]
    assert label_for(TOO_LONG, predicted) == PREDICTED
    assert label_for(EXTERNAL_ID_EXISTS, []) == TENANT_ONLY
    assert label_for(NO_MATCH, predicted) == TENANT_ONLY
    assert label_for("GS_TL_10_0222", predicted) == NOT_PREDICTED


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_a_tenant_verdict_is_reported_at_its_line_with_its_label_in_every_format(tmp_path: Path, fmt: str) -> None:
    journal = Journal(tmp_path / "j.sqlite")
    journal.add_records([("data/a.json", 0, "e0", 7, 5), ("data/a.json", 1, "e1", 17, 5)])
    journal.settle("data/a.json", {1: Verdict(FAILED, EXTERNAL_ID_EXISTS, "Activity with same External Id exists")})
    section = upload_section(Plan(()), journal, {})
    journal.close()
    out = io.StringIO()
    REPORTERS[fmt].render(Report(sections=(section,)), out)
    text = out.getvalue()
    assert "17" in text
    assert EXTERNAL_ID_EXISTS in text
    assert "tenant-only rule" in text or (fmt == "junit" and "UP102" in text)


def test_refusing_the_confirmation_sends_nothing_and_writes_no_journal(tmp_path: Path) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.one.json", external_ids(1))
    asked: list[str] = []

    def refuse(host: str) -> None:
        asked.append(host)
        raise KeyboardInterrupt

    options = UploadOptions(
        base_url="http://127.0.0.1:9",  # the discard port: nothing listens, and nothing may be sent
        access_key="k" * 12,
        allow_writes=True,
        journal=tmp_path / "j.sqlite",
        confirm=refuse,
    )
    with pytest.raises(KeyboardInterrupt):
        upload_paths([payload], options)
    assert asked == ["127.0.0.1:9"]
    assert not (tmp_path / "j.sqlite").exists()


def test_an_existing_journal_is_never_overwritten(tmp_path: Path) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.one.json", external_ids(1))
    journal = tmp_path / "j.sqlite"
    journal.write_bytes(b"an earlier upload")
    done = CliRunner().invoke(
        cli,
        ["upload", str(payload), "--allow-writes", "--base-url", "http://127.0.0.1:9", "--journal", str(journal)],
        env={"GAINSIGHT_ACCESS_KEY": "k" * 12},
    )
    assert done.exit_code == 2
    assert "--resume" in done.output
    assert journal.read_bytes() == b"an earlier upload"


@pytest.mark.slow
def test_on_a_terminal_the_first_write_waits_for_a_yes_naming_the_host(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    from uploadkit import upload_cmd

    payload = write_insert_file(tmp_path / "timeline-insert.one.json", external_ids(1))
    controller, terminal = pty.openpty()
    env = {**os.environ, "GAINSIGHT_ACCESS_KEY": "k" * 12}
    proc = subprocess.Popen(
        upload_cmd(payload, "--allow-writes", "--base-url", "http://127.0.0.1:9"),
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=tmp_path, env=env,
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    while b"[y/N]" not in seen:
        seen += os.read(controller, 1024)
    os.write(controller, b"n\n")
    proc.wait(timeout=60)
    os.close(controller)
    assert b"Upload to 127.0.0.1:9?" in seen
    assert proc.returncode != 0
    assert not (tmp_path / "gscontract-upload.journal.sqlite").exists()


def test_an_unreachable_tenant_stops_the_upload_with_a_resume_line_and_unsettled_records(tmp_path: Path) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.two.json", external_ids(2))
    options = UploadOptions(
        base_url="http://127.0.0.1:9",  # the discard port: nothing listens
        access_key="k" * 12,
        allow_writes=True,
        journal=tmp_path / "j.sqlite",
        retries=0,
    )
    outcome = upload_paths([payload], options)
    assert outcome.exit_code == 1
    assert outcome.stopped is not None
    assert "did not answer" in outcome.stopped
    assert "--resume" in outcome.stopped
    assert [f.rule for f in outcome.report.findings()] == ["UP105", "UP105"]
    journal = Journal(tmp_path / "j.sqlite")
    assert [state for _, state, _ in journal.batches()] == ["sending"]  # settled by reading back on resume
    journal.close()


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_the_plan_is_in_every_format(tmp_path: Path, fmt: str) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.many.json", external_ids(6))
    outcome = upload_paths([payload], UploadOptions(max_records=3))
    out = io.StringIO()
    REPORTERS[fmt].render(outcome.report, out)
    assert out.getvalue().count("records 4-6") == 1
    assert "2 bulk calls at 6/hour" in out.getvalue()


def test_an_upload_report_is_valid_sarif(tmp_path: Path) -> None:
    from sarif_kit.validate import validation_errors

    payload = write_insert_file(tmp_path / "timeline-insert.many.json", external_ids(4))
    journal = Journal(tmp_path / "j.sqlite")
    journal.add_records([(str(payload), 0, "up-00000", 3, 5)])
    journal.settle(str(payload), {0: Verdict(FAILED, NO_MATCH, "No record found for GsCompanyId")})
    outcome = upload_paths([payload], UploadOptions(max_records=2))
    section = upload_section(Plan(()), journal, {})
    journal.close()
    out = io.StringIO()
    REPORTERS["sarif"].render(Report(sections=(*outcome.report.sections, section)), out)
    log = json.loads(out.getvalue())
    assert validation_errors(log) == []
    assert len(log["runs"][0]["properties"]["uploadPlan"]) == 4
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["UP102"]


def test_the_configuration_validates_an_upload_as_it_validates_a_check(tmp_path: Path) -> None:
    """A repository's kinds and lookups tables apply to `upload` as to `validate`: same findings, same verdict."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.gscontract]\n"
        'kinds = {"feeds/*.jsonl" = "timeline-insert"}\n'
        'lookups = {"feeds/*.jsonl" = "feeds/crm.lookups.json"}\n',
        encoding="utf-8",
    )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "crm.jsonl").write_text("".join(json.dumps(record(i)) + "\n" for i in external_ids(3)))
    (feeds / "crm.lookups.json").write_text(json.dumps(lookups()), encoding="utf-8")
    # From a subfolder, as in a repository: the tables are relative to the configuration's folder.
    run = functools.partial(
        subprocess.run, cwd=feeds, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL
    )
    checked = run([sys.executable, "-m", "gscontract", "validate", "crm.jsonl"])
    planned = run(upload_cmd("crm.jsonl"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "plan: 3 records of 1 files in 1 bulk calls" in planned.stdout, planned.stdout
    # Without the configuration the file's kind is unknown and its lookups missing: nothing would be sent.
    (tmp_path / "pyproject.toml").write_text("[tool.gscontract]\n", encoding="utf-8")
    unconfigured = run(upload_cmd("crm.jsonl", "--kind", "timeline-insert"))
    assert unconfigured.returncode == 1, unconfigured.stdout + unconfigured.stderr
    assert "GS113" in unconfigured.stdout


@pytest.mark.parametrize(("content", "message"), [(None, "cannot read tenant file"), ("[1", "invalid JSON")])
def test_a_broken_tenant_file_is_a_one_line_usage_error(tmp_path: Path, content: str | None, message: str) -> None:
    payload = write_insert_file(tmp_path / "timeline-insert.one.json", external_ids(1))
    tenant = tmp_path / "tenant.json"
    if content is not None:
        tenant.write_text(content, encoding="utf-8")
    done = subprocess.run(
        upload_cmd(payload, "--tenant", tenant), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
