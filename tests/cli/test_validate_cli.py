"""``gscontract validate``: output shapes, exit codes, malformed input and multi-file runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gscontract.cli import cli

RECORD = {
    "ContextName": "Company",
    "TypeName": "Update",
    "ExternalId": "crm-0001",
    "Subject": "Kick-off",
    "Notes": "Agenda",
    "Author": "testuser@gainsight.com",
    "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
}


def record(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**RECORD, **changes}.items() if v is not ...}


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, ["validate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def as_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = run("--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_json_output_has_the_documented_shape(tmp_path: Path) -> None:
    bad = record(ExternalId="crm-0002", ContextName=...)
    path = write(tmp_path, "acts.json", {"records": [record(), bad, record(ExternalId="crm-0003")]})
    code, data = as_json(path)
    assert code == 1
    assert data["summary"] == {"files": 1, "records": 3, "errors": 1, "warnings": 0}
    (entry,) = data["files"]
    assert {k: entry[k] for k in ("path", "kind", "records")} == {
        "path": str(path),
        "kind": "timeline-insert",
        "records": 3,
    }
    (finding,) = entry["findings"]
    assert finding == {
        "severity": "error",
        "rule": "TL201",
        "code": "GS_TL_10_0211",
        "pointer": "/records/1",
        "line": 12,
        "column": 5,
        "message": "Activity context name for key `ContextName` missing",
    }


def test_text_output_is_path_line_col_code_message(tmp_path: Path) -> None:
    path = write(tmp_path, "acts.json", {"records": [record(Subject="x" * 300)]})
    result = run(path)
    assert result.exit_code == 1
    first, summary = result.output.splitlines()
    assert first.startswith(f"{path}:7:7: TL303 GSOBJ_1001 Subject has 300 characters")
    assert summary == "1 file, 1 record: 1 error, 0 warnings"


def test_clean_files_exit_0_and_fail_on_warning_counts_warnings(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.json", {"records": [record()]})
    assert run(clean).exit_code == 0
    warned = write(tmp_path, "warned.json", {"records": [record(ContextName="CTA")]})
    assert run(warned).exit_code == 0
    assert run("--fail-on", "warning", warned).exit_code == 1
    code, data = as_json("--fail-on", "warning", warned)
    assert code == 1
    assert data["files"][0]["findings"][0] | {"message": ""} == {
        "severity": "warning",
        "rule": "TL203",
        "code": None,
        "pointer": "/records/0/ContextName",
        "line": 4,
        "column": 7,
        "message": "",
    }


@pytest.mark.parametrize(
    ("name", "content", "rule", "line", "column"),
    [
        ("invalid.json", '{"records": [\n  {"ExternalId": "a1",}\n]}', "GS101", 2, 22),
        ("object-record.json", '{"records": [\n  "a1"\n]}', "GS106", 2, 3),
        ("top-level.json", '"records"', "GS104", 1, 1),
        ("empty.json", "", "GS102", 1, 1),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00", "GS103", 3, 1),
        ("timeline-insert.array.json", '[{"ExternalId": "a1"}]', "GS105", 1, 1),
    ],
)
def test_malformed_files_are_findings_with_a_position(
    tmp_path: Path, name: str, content: str | bytes, rule: str, line: int, column: int
) -> None:
    path = write(tmp_path, name, content)
    code, data = as_json(path)
    assert code == 1
    first = data["files"][0]["findings"][0]
    assert (first["rule"], first["line"], first["column"]) == (rule, line, column)
    assert first["code"] is None


def test_a_missing_file_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gscontract", "validate", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"gscontract: error: {tmp_path / 'nope.json'}: no such file or directory\n"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run().exit_code == 2
    assert run("--kind", "nonsense", tmp_path).exit_code == 2
    assert run("--format", "yaml", tmp_path).exit_code == 2
    assert run("--select", "ZZ9", write(tmp_path, "a.json", {"records": []})).exit_code == 2


def test_many_files_and_folders_in_one_run_share_external_ids(tmp_path: Path) -> None:
    first = write(tmp_path, "a/timeline-insert.first.json", {"records": [record()]})
    write(tmp_path, "a/b/timeline-insert.second.json", {"records": [record(ExternalId="new"), record()]})
    # Updates point at saved records on purpose: never counted as duplicates.
    write(tmp_path, "a/b/timeline-update.externalid.x.json", {"records": [{**record(), "Notes": "changed"}]})
    write(tmp_path, "a/notes.txt", "not a payload")
    code, data = as_json(tmp_path / "a")
    assert code == 1
    assert [f["path"] for f in data["files"]] == sorted(f["path"] for f in data["files"])
    kinds = {Path(f["path"]).name: f["kind"] for f in data["files"]}
    assert kinds == {
        "timeline-insert.first.json": "timeline-insert",
        "timeline-insert.second.json": "timeline-insert",
        "timeline-update.externalid.x.json": "timeline-update:externalid",
    }
    findings = [(Path(f["path"]).name, g["rule"], g["pointer"]) for f in data["files"] for g in f["findings"]]
    # Folders are read in sorted order: a/b/... comes before a/timeline-insert.first.json.
    assert findings == [("timeline-insert.first.json", "TL104", "/records/0/ExternalId")]
    assert data["summary"]["files"] == 3
    assert str(first) in [f["path"] for f in data["files"]]


def test_json_lines_records_are_located_by_line(tmp_path: Path) -> None:
    lines = [json.dumps(record(ExternalId=f"crm-{i}")) for i in range(3)]
    lines[1] = json.dumps(record(ExternalId="crm-1", ActivityDate="2022-02-30T10:00:00Z"))
    path = write(tmp_path, "timeline-insert.acts.jsonl", "\n".join([*lines, "{not json}", ""]))
    code, data = as_json(path)
    assert code == 1
    findings = [(g["rule"], g["pointer"], g["line"]) for g in data["files"][0]["findings"]]
    assert findings == [("TL401", "/records/1/ActivityDate", 2), ("GS101", "/records/3", 4)]
    assert data["files"][0]["records"] == 4


def test_kind_and_identifier_options_override_detection(tmp_path: Path) -> None:
    body = {"records": [{"TypeName": "Update", "ExternalId": "crm-0001", "Subject": "s", "Notes": "n"}]}
    path = write(tmp_path, "changes.json", body)
    code, data = as_json("--kind", "timeline-update", path)
    assert [g["rule"] for g in data["files"][0]["findings"]] == ["TL102"]
    assert data["files"][0]["kind"] == "timeline-update:activityid"
    code, data = as_json("--kind", "timeline-update", "--identifier", "externalid", path)
    assert code == 0
    assert data["files"][0]["kind"] == "timeline-update:externalid"


def test_tenant_file_types_custom_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "acts.json", {"records": [record(Ant__Score__c="12")]})
    assert run(path).exit_code == 0
    tenant = write(tmp_path, "tenant.json", {"customFields": {"Ant__Score__c": "number"}})
    code, data = as_json("--tenant", tenant, path)
    assert code == 1
    assert data["files"][0]["findings"][0]["rule"] == "TL305"
    broken = write(tmp_path, "broken.json", {"customFields": {"Ant__Score__c": "float"}})
    result = run("--tenant", broken, path)
    assert result.exit_code == 2
    assert result.output.startswith("gscontract: error:")


def test_output_file_and_profile(tmp_path: Path) -> None:
    path = write(tmp_path, "acts.json", {"records": [record(ContextName="Milestone")]})
    out = tmp_path / "out" / "report.json"
    assert run("--profile", "legacy", "--format", "json", "--output", out, path).exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["files"][0]["findings"][0]["rule"] == "TL202"


def test_select_and_ignore(tmp_path: Path) -> None:
    path = write(tmp_path, "acts.json", {"records": [record(Subject=..., ContextName=...)]})
    _, data = as_json("--select", "TL2", path)
    assert {g["rule"] for g in data["files"][0]["findings"]} == {"TL201"}
    _, data = as_json("--ignore", "context-name-missing", path)
    assert {g["rule"] for g in data["files"][0]["findings"]} == {"TL302"}


def test_the_validate_path_imports_no_heavy_library() -> None:
    """docs/decisions.md#speed-and-start-up: the CLI's validate path stays lean (and rich loads only for a terminal)."""
    code = (
        "import sys\n"
        "from gscontract.cli import main\n"
        "from gscontract.samples import sample_paths\n"
        "try:\n"
        "    main(['validate', '--format', 'json', str(sample_paths()[0])])\n"
        "except SystemExit:\n"
        "    pass\n"
        "roots = {name.partition('.')[0] for name in sys.modules}\n"
        "print(sorted(roots), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    roots = set(json.loads(done.stderr.replace("'", '"')))
    heavy = {"schemathesis", "hypothesis", "starlette", "uvicorn", "jsonschema", "requests", "rich", "jinja2"}
    assert roots & heavy == set()
    assert "gscontract" in roots


@pytest.mark.parametrize("fmt", ["json", "junit", "md", "sarif", "text", "html"])
def test_every_output_format_renders_a_validate_report(tmp_path: Path, fmt: str) -> None:
    from gscontract.reporting import REPORTERS

    if fmt not in REPORTERS:
        pytest.skip(f"no {fmt} reporter in this build")
    path = write(tmp_path, "acts.json", {"records": [record(), record(ExternalId="crm-0002", Subject=...)]})
    out = tmp_path / f"report.{fmt}"
    assert run("--format", fmt, "--output", out, path).exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "TL302" in text
