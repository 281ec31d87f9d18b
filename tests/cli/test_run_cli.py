"""``gscontract run``: the main job, its reports in every format, exit codes, and secrets kept out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from junitparser import JUnitXml
from sarif_kit.validate import validation_errors

from gscontract.cli import cli

REPORTS = ("index.html", "report.md", "junit.xml", "report.sarif", "report.json")
KEY = "gsc-secret-9f1c2e7a4b"

# ContextName is missing from the second record: TL201 (GS_TL_10_0211), reported on line 14.
BAD_PAYLOAD = """{
  "records": [
    {
      "ContextName": "Company",
      "TypeName": "Update",
      "ExternalId": "crm-1",
      "Subject": "Kick-off",
      "Notes": "Agenda",
      "Author": "testuser@gainsight.com",
      "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"
    },
    {
      "TypeName": "Update",
      "ExternalId": "crm-2",
      "Subject": "Follow-up",
      "Notes": "Minutes",
      "Author": "testuser@gainsight.com",
      "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"
    }
  ]
}
"""
BAD_LINE = 12


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One full `gscontract run` as a user starts it: a fresh folder, the key in the environment."""
    folder = tmp_path_factory.mktemp("run")
    env = {**os.environ, "GAINSIGHT_ACCESS_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "gscontract", "run"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, folder


@pytest.mark.slow
def test_default_run_passes_and_writes_every_report(
    default_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, folder = default_run
    assert done.returncode == 0, done.stdout + done.stderr
    for name in REPORTS:
        assert (folder / "reports" / name).stat().st_size > 0, name
    report = json.loads((folder / "reports" / "report.json").read_text(encoding="utf-8"))
    assert {"specs", "files", "contract", "matrix", "meta"} <= report.keys()
    assert len(report["specs"]) == 3
    assert {Path(f["path"]).name for f in report["files"]} >= {"timeline-insert.single.json", "timeline-query.json"}
    assert len(report["contract"]) == 13
    assert report["meta"]["target"] == "embedded mock"
    specs = {"specs/timeline.openapi.yaml", "specs/events.openapi.yaml", "specs/events-framework.openapi.yaml"}
    assert set(report["meta"]["spec_hashes"]) == specs
    statuses = {row["status"] for row in report["matrix"]}
    assert "passed" in statuses
    assert "failed" not in statuses
    assert "Contract checks" in done.stdout
    assert "gscontract run passed" in done.stdout


@pytest.mark.slow
def test_default_run_outputs_are_valid_and_hold_no_access_key(
    default_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, folder = default_run
    reports = folder / "reports"
    assert validation_errors(json.loads((reports / "report.sarif").read_text(encoding="utf-8"))) == []
    junit = JUnitXml.fromfile(str(reports / "junit.xml"))
    assert sum(suite.tests for suite in junit) > 100
    assert KEY not in done.stdout + done.stderr
    for path in folder.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def _run(args: list[str], folder: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(cli, ["run", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_a_bad_payload_fails_the_run_and_appears_with_its_line_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "timeline-insert.accounts.json").write_text(BAD_PAYLOAD, encoding="utf-8")
    code, out, err = _run(["--no-contract", "timeline-insert.accounts.json"], tmp_path)
    assert code == 1
    where = f"timeline-insert.accounts.json:{BAD_LINE}:5"
    assert f"{where}: TL201 GS_TL_10_0211" in out
    assert "payloads: 1 checked: 1 errors" in err
    reports = tmp_path / "reports"
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    (finding,) = report["files"][0]["findings"]
    assert (finding["rule"], finding["code"], finding["line"], finding["pointer"]) == (
        "TL201",
        "GS_TL_10_0211",
        BAD_LINE,
        "/records/1",
    )
    sarif = json.loads((reports / "report.sarif").read_text(encoding="utf-8"))
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "TL201"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (BAD_LINE, 5)
    for name in ("index.html", "report.md", "junit.xml", "report.txt"):
        assert where in (reports / name).read_text(encoding="utf-8"), name


def test_the_config_names_payloads_and_report_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gscontract]\npayloads = ["payloads/*.json"]\nreport_dir = "out"\n', encoding="utf-8"
    )
    (tmp_path / "payloads").mkdir()
    (tmp_path / "payloads" / "timeline-insert.a.json").write_text(BAD_PAYLOAD, encoding="utf-8")
    code, _, _ = _run(["--no-contract"], tmp_path)
    assert code == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [Path(f["path"]).name for f in report["files"]] == ["timeline-insert.a.json"]


def test_without_paths_the_bundled_samples_pass(tmp_path: Path) -> None:
    code, out, _ = _run(["--no-contract", "--report-dir", "elsewhere"], tmp_path)
    assert code == 0
    report = json.loads((tmp_path / "elsewhere" / "report.json").read_text(encoding="utf-8"))
    assert len(report["files"]) >= 8
    assert "contract" not in report
    assert "gscontract run passed" in out


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    code, _, err = _run(["--no-contract", "missing.json"], tmp_path)
    assert code == 2
    assert err.strip() == "gscontract: error: missing.json: no such file or directory"
    (tmp_path / "pyproject.toml").write_text('[tool.gscontract]\npayloads = ["none/*.json"]\n', encoding="utf-8")
    code, _, err = _run(["--no-contract"], tmp_path)
    assert code == 2
    assert err.startswith("gscontract: error: no payload files matched none/*.json")
