"""Wiring of the command group: help, version, lazy loading, `rules`, and error exits."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from gscontract import __version__
from gscontract.cli import COMMANDS, cli


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"], prog_name="gscontract")
    assert result.exit_code == 2
    assert result.output == "gscontract: error: no such command 'frobnicate' (see --help)\n"


def test_rules_lists_ids_and_summaries() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    assert "GS101  invalid-json" in result.output
    rows = json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)
    ids = [row["id"] for row in rows]
    assert ids == sorted(ids)
    assert {"GS105", "SP101", "CT204"} <= set(ids)  # payload rules, spec checks and contract checks
    assert {"id", "name", "family", "code", "codes", "severity", "summary", "help"} <= rows[0].keys()


def test_rules_explain_prints_the_doc_and_unknown_ids_exit_2() -> None:
    result = CliRunner().invoke(cli, ["rules", "explain", "gs105"])
    assert result.exit_code == 0
    assert "GS105 wrong-top-level-type" in result.output
    assert "## Why is this bad?" in result.output
    missing = CliRunner().invoke(cli, ["rules", "explain", "TL999"])
    assert missing.exit_code == 2
    assert missing.output.strip().startswith("gscontract: error: unknown rule, check or code 'TL999'")


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gscontract", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_library_errors_are_one_line_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gscontract", "validate", "no/such/file.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "gscontract: error: no/such/file.json: no such file or directory\n"
    assert "Traceback" not in done.stdout + done.stderr
