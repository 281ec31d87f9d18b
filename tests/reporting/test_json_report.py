"""report.json: the round trip every re-render depends on, the `files` shape, and clear errors for bad input."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting.json_ import report_from_dict, report_to_dict, write_json


def test_round_trip(sample_report: Report) -> None:
    assert report_from_dict(report_to_dict(sample_report)) == sample_report


def test_round_trip_through_the_written_text(sample_report: Report) -> None:
    out = io.StringIO()
    write_json(sample_report, out)
    assert report_from_dict(json.loads(out.getvalue())) == sample_report


def test_files_keep_the_validate_shape(sample_report: Report) -> None:
    data = report_to_dict(sample_report)
    bulk = next(f for f in data["files"] if f["path"].endswith("bulk.json"))
    assert set(bulk) >= {"path", "kind", "records", "findings"}
    finding = bulk["findings"][0]
    assert finding == {
        "severity": "warning",
        "rule": "TL202",
        "code": None,
        "pointer": "/records/0/ContextName",
        "line": 4,
        "column": 7,
        "message": "ContextName `CTA` works on newer tenants only; its extra keys are undocumented",
    }
    assert data["summary"] == {"files": 5, "records": 5, "errors": 7, "warnings": 2}


def test_spec_finding_keeps_its_operation(sample_report: Report) -> None:
    spec = report_to_dict(sample_report)["specs"][1]
    assert spec["findings"][0]["operation"] == "saveActivity"
    assert "path" not in spec["findings"][0]  # inherited from the spec


def test_matrix_rows_carry_counts(sample_report: Report) -> None:
    matrix = report_to_dict(sample_report)["matrix"]
    tl201 = next(r for r in matrix if r["rule"] == "TL201")
    assert tl201 == {
        "rule": "TL201",
        "code": "GS_TL_10_0215",
        "summary": "Relationship activity has no `GsRelationshipTypeId`",
        "section": "payloads",
        "status": "failed",
        "subjects": 2,
        "errors": 1,
        "warnings": 0,
    }


def test_older_matrix_rows_without_counts_still_load() -> None:
    row = {"rule": "TL101", "code": None, "summary": "s", "section": "payloads", "status": "not-run"}
    report = report_from_dict({"version": 1, "matrix": [row]})
    assert (report.matrix[0].subjects, report.matrix[0].errors) == (0, 0)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "not a gscontract report of format version 1"),
        ({"version": 2}, "not a gscontract report of format version 1"),
        ({"version": 1, "files": {}}, "files: expected an array of objects"),
        ({"version": 1, "files": [{"kind": "event"}]}, "files[0].path: missing"),
        (
            {"version": 1, "files": [{"path": "a", "kind": "e", "records": "3"}]},
            "files[0].records: expected an integer",
        ),
        (
            {"version": 1, "files": [{"path": "a", "kind": "e", "findings": [{"rule": "X", "message": "m"}]}]},
            "files[0].findings[0].severity: missing",
        ),
        (
            {
                "version": 1,
                "contract": [
                    {
                        "operation": "GET /",
                        "kind": "k",
                        "findings": [{"rule": "X", "severity": "fatal", "message": "m"}],
                    }
                ],
            },
            "contract[0].findings[0].severity: unknown severity 'fatal'",
        ),
        ({"version": 1, "files": [{"path": "a", "kind": "e", "rules": [1]}]}, "files[0].rules: expected an array"),
        (
            {
                "version": 1,
                "files": [
                    {
                        "path": "a",
                        "kind": "e",
                        "findings": [{"rule": "X", "severity": "error", "message": "m", "line": True}],
                    }
                ],
            },
            "files[0].findings[0].line: expected an integer or null",
        ),
        ({"version": 1, "meta": []}, "meta: expected an object"),
        ({"version": 1, "meta": {"tool_version": "1", "spec_hashes": {"a": 1}}}, "meta.spec_hashes"),
        (
            {"version": 1, "matrix": [{"rule": "A", "summary": "", "section": "specs", "status": "done"}]},
            "matrix[0].status: expected one of",
        ),
        (
            {"version": 1, "matrix": [{"rule": "A", "summary": "", "section": "nope", "status": "passed"}]},
            "matrix[0].section: expected one of specs, payloads, contract",
        ),
    ],
)
def test_malformed_documents_name_the_field(document: Any, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        report_from_dict(document)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_keys = st.sampled_from(
    [
        "files",
        "specs",
        "contract",
        "matrix",
        "meta",
        "path",
        "kind",
        "findings",
        "rule",
        "severity",
        "message",
        "line",
        "records",
        "status",
        "section",
        "summary",
        "tool_version",
    ]
)
_reportish = st.fixed_dictionaries(
    {"version": st.just(1)},
    optional={
        k: _json | st.lists(st.dictionaries(_keys, _json, max_size=6), max_size=2)
        for k in ("files", "specs", "contract", "matrix", "meta")
    },
)


@given(_reportish)
def test_any_json_either_loads_or_raises_value_error(document: dict[str, Any]) -> None:
    try:
        report = report_from_dict(document)
    except ValueError:
        return
    assert isinstance(report, Report)


@given(st.text(), st.text(), st.text())
def test_round_trip_keeps_arbitrary_text(message: str, name: str, pointer: str) -> None:
    finding = Finding("TL301", Severity.ERROR, message, path=name, pointer=pointer, line=1, column=1)
    report = Report((Section(SectionName.PAYLOADS, (Subject(name, "timeline-insert", 1, ("TL301",), (finding,)),)),))
    assert report_from_dict(json.loads(json.dumps(report_to_dict(report)))) == report
