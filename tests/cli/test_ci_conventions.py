"""The conventions users of ruff, Spectral and schemathesis expect, tried from the command line.

Standard input with ``--stdin-filename``, GitHub Actions annotations, ``--exit-zero``, several formats
in one run, exit 130 on Ctrl-C and ``${NAME}`` in the configuration. Each test works in a scratch
repository and runs the CLI as a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sarif_kit.validate import validation_errors

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting.github import annotation

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "gscontract" / "samples"
# One insert record with every field but Notes: one TL302 error, at line 1.
MISSING_NOTES = {
    "records": [
        {
            "ContextName": "Company",
            "TypeName": "Update",
            "ExternalId": "a1",
            "Subject": "Kick-off",
            "Author": "testuser@gainsight.com",
            "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
        }
    ]
}


def gscontract(
    cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gscontract", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose update files are typed by the configuration's kinds table."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gscontract]\nkinds = {"payloads/updates/*.json" = "timeline-update:externalid"}\n', encoding="utf-8"
    )
    (tmp_path / "payloads" / "updates").mkdir(parents=True)
    (tmp_path / "bad.timeline-insert.json").write_text(json.dumps(MISSING_NOTES), encoding="utf-8")
    return tmp_path


def test_a_payload_on_standard_input_takes_its_kind_and_name_from_stdin_filename(repo: Path) -> None:
    update = (SAMPLES / "timeline-update.externalid.bulk.json").read_text(encoding="utf-8")
    named = gscontract(repo, "validate", "-", "--stdin-filename", "payloads/updates/june.json", stdin=update)
    assert named.returncode == 0, named.stdout + named.stderr  # typed as an update by the kinds table
    assert named.stdout.startswith("1 file, ")

    bad = gscontract(
        repo, "validate", "-", "--stdin-filename", "x.timeline-insert.json", stdin=json.dumps(MISSING_NOTES)
    )
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0].startswith("x.timeline-insert.json:1:")

    unnamed = gscontract(repo, "validate", "-", stdin=json.dumps({"package": "x"}))
    assert unnamed.returncode == 1
    assert unnamed.stdout.startswith("-:1:1: GS104 ")


def test_stdin_filename_without_a_dash_is_a_usage_error(repo: Path) -> None:
    done = gscontract(repo, "validate", "bad.timeline-insert.json", "--stdin-filename", "x.json")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "give - among the paths" in done.stderr


def test_format_github_prints_one_annotation_per_finding(repo: Path) -> None:
    done = gscontract(repo, "validate", "bad.timeline-insert.json", "--format", "github")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("::error file=bad.timeline-insert.json,line=1,col=")
    assert ",title=TL302 GSOBJ_1007::Notes is required" in lines[0]


def test_an_annotation_cannot_be_ended_early_or_start_a_command_of_its_own() -> None:
    hostile = Finding(
        rule="TL302",
        severity=Severity.WARNING,
        message="50% done\n::set-env name=X::y",
        path="a,b:c.json",
        line=3,
        column=5,
    )
    line = annotation(hostile)
    assert "\n" not in line
    assert line == "::warning file=a%2Cb%3Ac.json,line=3,col=5,title=TL302::50%25 done%0A::set-env name=X::y"
    contract = Finding(rule="CT201", severity=Severity.ERROR, message="500", operation="POST /v1/ant/es/activity")
    report = Report(sections=(Section(SectionName.CONTRACT, (Subject("op", "timeline", 1, ("CT201",), (contract,)),)),))
    assert annotation(next(report.findings())) == "::error title=CT201::POST /v1/ant/es/activity: 500"


def test_exit_zero_passes_a_run_with_findings_but_not_a_usage_error(repo: Path) -> None:
    found = gscontract(repo, "validate", "bad.timeline-insert.json", "--exit-zero")
    assert found.returncode == 0
    assert "TL302" in found.stdout  # the findings are still reported
    missing = gscontract(repo, "validate", "nothing-here.json", "--exit-zero")
    assert missing.returncode == 2


def test_several_formats_in_one_run_each_to_its_own_output(repo: Path) -> None:
    done = gscontract(
        repo,
        "validate",
        "bad.timeline-insert.json",
        "--format",
        "sarif",
        "-o",
        "out/report.sarif",
        "--format",
        "junit",
        "-o",
        "out/junit.xml",
        "--format",
        "github",
    )
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=bad.timeline-insert.json")
    sarif = json.loads((repo / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert validation_errors(sarif) == []
    assert sarif["runs"][0]["results"][0]["ruleId"] == "TL302"
    assert "<testsuites" in (repo / "out" / "junit.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "text", "--format", "json"], "only one format can go to standard output"),
        (["-o", "a.txt", "-o", "b.txt"], "no --format in its position"),
        (["--format", "json", "-o", "a.out", "--format", "sarif", "-o", "a.out"], "given for two formats"),
    ],
)
def test_formats_and_outputs_that_do_not_pair_are_a_usage_error(repo: Path, args: list[str], message: str) -> None:
    done = gscontract(repo, "validate", "bad.timeline-insert.json", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1


@contextlib.contextmanager
def _started(args: list[str], cwd: Path, **streams: Any) -> Iterator[subprocess.Popen[str]]:
    """``gscontract ARGS`` as a child process, killed by its PID if the test ends before it does."""
    process = subprocess.Popen([sys.executable, "-m", "gscontract", *args], cwd=cwd, text=True, **streams)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _blocked_reading(pid: int) -> bool:
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text(encoding="ascii")
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs /proc to see the process wait")
def test_ctrl_c_exits_130_with_one_line(repo: Path) -> None:
    args = ["validate", "-", "--stdin-filename", "x.timeline-insert.json"]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with _started(args, repo, **pipes) as process:
        # Once it waits on its standard input, gscontract has started and Ctrl-C meets its own handling.
        for _ in range(3000):
            if _blocked_reading(process.pid):
                break
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
        assert process.poll() is None, "gscontract ended before it read standard input"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "gscontract: interrupted\n"


def test_env_references_in_the_config_are_expanded_and_never_echoed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gscontract]\nprofile = "${GSC_TEST_PROFILE}"\npayloads = ["${GSC_TEST_DIR}/*.json"]\n',
        encoding="utf-8",
    )
    (tmp_path / "inserts").mkdir()
    (tmp_path / "inserts" / "a.timeline-insert.json").write_text(json.dumps(MISSING_NOTES), encoding="utf-8")

    expanded = gscontract(tmp_path, "validate", env={"GSC_TEST_PROFILE": "legacy", "GSC_TEST_DIR": "inserts"})
    assert expanded.returncode == 1
    assert expanded.stdout.startswith("inserts/a.timeline-insert.json:")

    unset = gscontract(tmp_path, "validate", env={"GSC_TEST_DIR": "inserts"})
    assert unset.returncode == 2
    assert unset.stderr.count("\n") == 1
    assert "'profile': environment variable GSC_TEST_PROFILE is not set" in unset.stderr

    secret = "s3cr3t-do-not-print"
    wrong = gscontract(tmp_path, "validate", env={"GSC_TEST_PROFILE": secret, "GSC_TEST_DIR": "inserts"})
    assert wrong.returncode == 2
    assert "'profile' must be one of" in wrong.stderr
    assert "${GSC_TEST_PROFILE}" in wrong.stderr
    assert secret not in wrong.stderr + wrong.stdout


@pytest.mark.parametrize("command", ["contract", "run"])
def test_ctrl_c_stops_a_contract_run_after_its_cleanup_with_130(tmp_path: Path, command: str) -> None:
    with _started([command], tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stderr is not None
        # Interrupted once schemathesis' phases run: what the run sent so far must be cleaned up first.
        line = process.stderr.readline()
        while line and "running examples" not in line:
            line = process.stderr.readline()
        assert line.startswith(f"gscontract {command}"), line
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert (tmp_path / "reports" / "report.json").is_file()  # the reports of what ran are written first
