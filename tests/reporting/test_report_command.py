"""`gscontract report`: re-render a saved report.json, with one-line errors for bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gscontract.cli import cli
from gscontract.findings import Report
from gscontract.reporting import get_reporter
from gscontract.reporting.json_ import write_json


@pytest.fixture
def saved(tmp_path: Path, sample_report: Report) -> Path:
    path = tmp_path / "report.json"
    with path.open("w", encoding="utf-8") as out:
        write_json(sample_report, out)
    return path


def rendered(report: Report, fmt: str) -> str:
    out = io.StringIO()
    get_reporter(fmt)(report, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["html", "md", "junit", "sarif", "json", "text"])
def test_re_renders_exactly_what_the_run_would_have_written(
    fmt: str, saved: Path, tmp_path: Path, sample_report: Report
) -> None:
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["report", str(saved), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == rendered(sample_report, fmt)


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("index.html", "<!DOCTYPE html>"),
        ("page.HTM", "<!DOCTYPE html>"),
        ("report.md", "## gscontract"),
        ("junit.xml", "<testsuites"),
        ("report.sarif", '"version": "2.1.0"'),
        ("scan.sarif.json", '"version": "2.1.0"'),
        ("copy.json", '"matrix": ['),
        ("out.txt", "payloads/broken.jsonl:2:40: GS101"),
    ],
)
def test_format_follows_the_output_suffix(name: str, marker: str, saved: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(saved), "-o", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    assert marker in (tmp_path / name).read_text(encoding="utf-8")


def test_stdout_defaults_to_text(saved: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(saved)])
    assert result.exit_code == 0
    assert "payloads/timeline-insert.bulk.json:14:5: TL201 GS_TL_10_0215" in result.output


def test_fail_on_turns_findings_into_exit_1(saved: Path) -> None:
    assert CliRunner().invoke(cli, ["report", str(saved), "--fail-on", "error"]).exit_code == 1
    assert CliRunner().invoke(cli, ["report", str(saved), "--fail-on", "warning"]).exit_code == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read: No such file or directory"),
        ('{"version": 1,\n  "files": [,]}', ":2:13: invalid JSON:"),
        ('{"files": []}', "not a gscontract report of format version 1"),
        (
            '{"version": 1, "files": [{"path": "a.json", "kind": "event", "records": -1, "findings": [{}]}]}',
            "files[0].findings[0].severity: missing",
        ),
    ],
)
def test_bad_report_is_one_line_and_exit_2(content: str | None, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(path)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"gscontract: error: {path}")
    assert expected in line
    assert "Traceback" not in result.output


def test_report_json_from_validate_renders(tmp_path: Path) -> None:
    payload = tmp_path / "timeline-insert.single.json"
    payload.write_text(json.dumps({"records": [{"ContextName": "Company"}]}), encoding="utf-8")
    saved = tmp_path / "report.json"
    CliRunner().invoke(cli, ["validate", str(payload), "--format", "json", "-o", str(saved)])
    result = CliRunner().invoke(cli, ["report", str(saved), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "timeline-insert.single.json" in result.output
