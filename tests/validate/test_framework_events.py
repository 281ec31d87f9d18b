"""``gscontract validate`` on files of Events Framework events: kinds, registrations, payload schemas, lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from gscontract.cli import cli
from gscontract.payload.kinds import Kind, kind_from_content
from gscontract.validator import ValidateOptions, validate_paths

DEMO = Path(__file__).resolve().parents[2] / "gscontract" / "data" / "demo_tenant.json"
GOOD = {"topicName": "Ticket Actions", "eventName": "Ticket Resolved Event", "eventVersion": "1.0.0"}


def _lines(tmp_path: Path, *events: dict[str, object], name: str = "published.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def _tenant(tmp_path: Path, schema: dict[str, object]) -> Path:
    path = tmp_path / "tenant.json"
    event = {"name": "Ticket Resolved Event", "version": "1.0.0", "schema": schema}
    path.write_text(json.dumps({"tenantId": "t", "eventTopics": [{"name": "Ticket Actions", "events": [event]}]}))
    return path


def test_a_schema_violation_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _lines(tmp_path, {**GOOD, "payload": {"ticketId": "t-1"}}, {**GOOD, "payload": {"ticketId": 7}})
    tenant = _tenant(tmp_path, {"type": "object", "properties": {"ticketId": {"type": "string"}}})

    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--tenant", str(tenant), str(path)])

    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["files"][0]["findings"]
    assert [(f["rule"], f["code"], f["line"], f["pointer"]) for f in findings] == [
        ("EF104", "GSOBJ_1002", 2, "/records/1/payload/ticketId")
    ]


def test_an_unregistered_event_is_reported_only_with_registrations(tmp_path: Path) -> None:
    path = _lines(tmp_path, {**GOOD, "eventVersion": "2.0.0", "payload": {}})

    with_tenant = CliRunner().invoke(cli, ["validate", "--tenant", str(DEMO), str(path)])
    without = CliRunner().invoke(cli, ["validate", str(path)])

    assert with_tenant.exit_code == 1
    assert "EF103" in with_tenant.output
    assert without.exit_code == 0, without.output


def test_a_records_file_of_events_is_told_from_its_content(tmp_path: Path) -> None:
    document = {"records": [{**GOOD, "payload": {"ticketId": "t-1"}}, {"eventName": "x", "payload": []}]}
    path = tmp_path / "events.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    report = validate_paths([path], options=ValidateOptions())

    subject = report.sections[0].subjects[0]
    assert kind_from_content(document) is not None
    assert subject.kind == Kind.FRAMEWORK_EVENTS.value
    assert sorted(f.rule for f in subject.findings) == ["EF101", "EF101", "EF102"]


def test_a_tenant_file_with_a_broken_schema_is_a_one_line_error(tmp_path: Path) -> None:
    path = _lines(tmp_path, {**GOOD, "payload": {}})
    tenant = _tenant(tmp_path, {"type": "no-such-type"})

    result = CliRunner().invoke(cli, ["validate", "--tenant", str(tenant), str(path)])

    assert result.exit_code == 2
    assert "/eventTopics/0/events/0/schema" in result.output
    assert "Traceback" not in result.output


def test_no_schema_library_is_loaded_without_registered_schemas(tmp_path: Path) -> None:
    path = _lines(tmp_path, {**GOOD, "payload": {"ticketId": "t-1"}})
    code = (
        "import sys\n"
        "from gscontract.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({name.partition('.')[0] for name in sys.modules}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    roots = set(json.loads(done.stderr.replace("'", '"')))
    assert {"jsonschema", "jsonschema_rs"} & roots == set()
