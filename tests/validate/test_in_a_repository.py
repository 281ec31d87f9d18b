"""gscontract in a repository of one's own: the README's configuration, JSON Lines lookups, empty selections.

Each test builds a scratch repository in tmp_path and runs the CLI as a subprocess, as a user would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "gscontract" / "samples"
COMPANY_LOOKUP = {
    "GsCompanyId": {
        "fields": {"companyName": "Name"},
        "lookupField": "Gsid",
        "objectName": "Company",
        "multiMatchOption": "FIRSTMATCH",
        "onNoMatch": "ERROR",
    }
}


def gscontract(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gscontract", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def readme_config() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(\[tool\.gscontract\]\n.*?)```", text, flags=re.S)
    return block


def jsonl_records(count: int, prefix: str) -> str:
    record = {"ContextName": "Company", "TypeName": "Update", "Subject": "Call", "Notes": "Agenda"}
    lines = [
        {**record, "ExternalId": f"{prefix}-{i}", "Author": "testuser@gainsight.com", "companyName": "Acme Ltd"}
        for i in range(count)
    ]
    return "".join(json.dumps(line) + "\n" for line in lines)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository laid out as the README's configuration expects, with that configuration."""
    (tmp_path / "pyproject.toml").write_text(readme_config(), encoding="utf-8")
    for folder in ("inserts", "updates", "crm"):
        (tmp_path / "payloads" / folder).mkdir(parents=True)
    (tmp_path / "payloads" / "inserts" / "accounts.json").write_bytes(
        (SAMPLES / "timeline-insert.bulk.json").read_bytes()
    )
    (tmp_path / "payloads" / "updates" / "accounts.json").write_bytes(
        (SAMPLES / "timeline-update.externalid.bulk.json").read_bytes()
    )
    (tmp_path / "payloads" / "crm" / "june.jsonl").write_text(jsonl_records(3, "crm"), encoding="utf-8")
    (tmp_path / "lookups.json").write_text(json.dumps(COMPANY_LOOKUP), encoding="utf-8")
    return tmp_path


def test_the_readmes_configuration_as_written_gives_no_false_finding(repo: Path) -> None:
    config = readme_config()
    assert '"payloads/updates/*.json" = "timeline-update:externalid"' in config
    # The README's lookups file, placed where the scratch repository keeps it.
    (repo / "pyproject.toml").write_text(config.replace('"payloads/lookups.json"', '"lookups.json"'))
    for cwd in (repo, repo / "payloads" / "updates"):  # globs are relative to the configuration's folder
        done = gscontract(cwd, "validate", "--format", "json")
        assert done.returncode == 0, done.stdout + done.stderr
        files = {Path(f["path"]).name: f for f in json.loads(done.stdout)["files"]}
        assert files["accounts.json"]  # both sample files were checked...
        kinds = sorted(f["kind"] for f in json.loads(done.stdout)["files"])
        assert kinds == ["timeline-insert", "timeline-insert", "timeline-update:externalid"]
        assert [f["findings"] for f in json.loads(done.stdout)["files"]] == [[], [], []]


def test_an_update_file_named_on_the_command_line_takes_its_kind_from_the_table(repo: Path) -> None:
    done = gscontract(repo / "payloads", "validate", "--format", "json", "updates/accounts.json")
    assert done.returncode == 0, done.stdout + done.stderr
    (file,) = json.loads(done.stdout)["files"]
    assert file["kind"] == "timeline-update:externalid"


def test_a_json_lines_file_without_lookups_gets_one_finding_that_says_how_to_give_them(tmp_path: Path) -> None:
    (tmp_path / "activities.jsonl").write_text(jsonl_records(5, "x"), encoding="utf-8")
    done = gscontract(tmp_path, "validate", "activities.jsonl")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout  # one finding, one summary
    assert lines[0].startswith("activities.jsonl:1:1: GS113 ")
    assert "--lookups FILE" in lines[0]
    assert "lookups` in [tool.gscontract]" in lines[0]


def test_lookups_given_on_the_command_line_apply_to_every_line(tmp_path: Path) -> None:
    (tmp_path / "activities.ndjson").write_text(jsonl_records(5, "x"), encoding="utf-8")
    (tmp_path / "lookups.json").write_text(json.dumps({"records": [], "lookups": COMPANY_LOOKUP}))
    done = gscontract(tmp_path, "validate", "--lookups", "lookups.json", "activities.ndjson")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "1 file, 5 records: 0 errors, 0 warnings"


def test_lookups_from_the_config_table_apply_to_the_files_their_glob_matches(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.gscontract]\nlookups = {"crm/*.jsonl" = "crm.lookups.json"}\n')
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "a.jsonl").write_text(jsonl_records(2, "a"), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(jsonl_records(2, "b"), encoding="utf-8")
    (tmp_path / "crm.lookups.json").write_text(json.dumps(COMPANY_LOOKUP), encoding="utf-8")
    done = gscontract(tmp_path / "crm", "validate", ".", "../b.jsonl")
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()[:-1]] == ["../b.jsonl"]


def test_a_broken_lookups_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(jsonl_records(1, "a"), encoding="utf-8")
    (tmp_path / "lookups.json").write_text("[1, 2]", encoding="utf-8")
    done = gscontract(tmp_path, "validate", "--lookups", "lookups.json", "a.jsonl")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "lookups" in done.stderr


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        pytest.param(lambda repo: (repo / "payloads").mkdir(), ["validate", "payloads"], id="empty-folder"),
        pytest.param(
            lambda repo: (repo / "pyproject.toml").write_text('[tool.gscontract]\npayloads = ["moved/*.json"]\n'),
            ["validate"],
            id="glob-matching-nothing",
        ),
        pytest.param(
            lambda repo: (repo / "pyproject.toml").write_text('[tool.gscontract]\npayloads = ["moved/*.json"]\n'),
            ["run", "--no-contract", "--report-dir", "out"],
            id="run-with-configured-globs",
        ),
        pytest.param(lambda repo: (repo / "payloads").mkdir(), ["run", "--no-contract", "payloads"], id="run-folder"),
    ],
)
def test_validating_nothing_is_an_error_unless_allowed(tmp_path: Path, setup, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    setup(tmp_path)
    done = gscontract(tmp_path, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("gscontract: error: no payload files matched ")
    allowed = gscontract(tmp_path, *args, "--allow-empty")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_a_file_of_unknown_kind_is_an_error_only_when_named(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "package.json").write_text('{"name": "web"}', encoding="utf-8")
    (tmp_path / "data" / "timeline-delete.old.json").write_text('["1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY"]')
    found = gscontract(tmp_path, "validate", "data")
    assert found.returncode == 0, found.stdout + found.stderr
    assert found.stderr.startswith("note: data/package.json: skipped")
    assert found.stdout.strip().endswith("1 file, 1 record: 0 errors, 0 warnings")
    named = gscontract(tmp_path, "validate", "data/package.json")
    assert named.returncode == 1
    assert "GS104" in named.stdout
