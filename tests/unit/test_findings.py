from __future__ import annotations

import dataclasses

import pytest

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject


def _finding(rule: str = "TL201", severity: Severity = Severity.ERROR, **where: object) -> Finding:
    return Finding(rule=rule, severity=severity, message="m", **where)  # type: ignore[arg-type]


def test_findings_are_frozen_values() -> None:
    finding = _finding(path="a.json", line=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 4  # type: ignore[misc]
    assert finding == _finding(path="a.json", line=3)
    assert finding.located(line=9, column=2) == _finding(path="a.json", line=9, column=2)


def test_subject_sorts_findings_by_place_then_rule() -> None:
    late = _finding("TL100", path="a.json", line=9)
    early_b = _finding("TL300", path="a.json", line=2)
    early_a = _finding("TL200", path="a.json", line=2)
    subject = Subject("a.json", "timeline-insert", findings=(late, early_b, early_a), rules=("TL3", "TL1", "TL3"))
    assert subject.findings == (early_a, early_b, late)
    assert subject.rules == ("TL1", "TL3")


def test_severity_parses_labels_and_orders() -> None:
    assert Severity.parse(" Warning ") is Severity.WARNING
    assert Severity.ERROR > Severity.WARNING
    assert Severity.ERROR.label == "error"
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("fatal")


def test_summary_and_exit_code_follow_fail_on() -> None:
    payloads = Section(
        SectionName.PAYLOADS,
        (
            Subject("a.json", "timeline-insert", count=3, findings=(_finding(severity=Severity.WARNING),)),
            Subject("b.json", "timeline-insert", count=2),
        ),
    )
    report = Report(sections=(payloads,))
    summary = report.summary()
    assert (summary.files, summary.records, summary.errors, summary.warnings) == (2, 5, 0, 1)
    assert report.exit_code(Severity.ERROR) == 0
    assert report.exit_code(Severity.WARNING) == 1


def test_findings_of_every_section_are_counted() -> None:
    specs = Section(SectionName.SPECS, (Subject("t.yaml", "openapi", findings=(_finding("SP101"),)),))
    contract = Section(SectionName.CONTRACT, (Subject("POST /x", "operation", findings=(_finding("CT1"),)),))
    report = Report(sections=(specs, contract))
    assert [f.rule for f in report.findings()] == ["SP101", "CT1"]
    assert report.summary().errors == 2
    assert report.section(SectionName.PAYLOADS) is None
    assert report.exit_code() == 1
    assert Subject("x", "k", findings=(_finding(), _finding(severity=Severity.WARNING))).failed_rules() == {"TL201"}
