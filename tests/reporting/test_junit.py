"""The JUnit output parses with junitparser, counts passes, and puts each failing finding in a failure."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from junitparser import Failure, JUnitXml, Skipped, TestCase
from reporting_sample import BULK, REPRODUCTION, XSS_SUBJECT

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting.junit import write_junit


def junit(report: Report) -> tuple[str, JUnitXml]:
    out = io.StringIO()
    write_junit(report, out)
    text = out.getvalue()
    return text, JUnitXml.fromstring(text.encode())


def cases(xml: JUnitXml) -> list[tuple[str, TestCase]]:
    return [(suite.name, case) for suite in xml for case in suite]


def test_one_suite_per_section_and_one_case_per_check(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    assert [s.name for s in xml] == ["Spec lint", "Payload validation", "Contract checks"]
    expected = sum(
        len(set(s.rules) | {f.rule for f in s.findings}) or 1 for sec in sample_report.sections for s in sec.subjects
    )
    assert len(cases(xml)) == expected


def test_passes_are_counted(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    passed = [case for _, case in cases(xml) if case.is_passed]
    # Every check without an error passes, warnings included; the sample has 22 such checks.
    assert len(passed) == 22
    names = {(case.classname, case.name) for case in passed}
    assert (
        "payloads/timeline-insert.single.json",
        "TL201 Relationship activity has no `GsRelationshipTypeId`",
    ) in names


def test_declared_counts_match_the_cases(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    declared = [(s.tests, s.failures, s.errors, s.skipped) for s in xml]
    totals = (xml.tests, xml.failures)
    for suite in xml:
        suite.update_statistics()
    assert declared == [(s.tests, s.failures, s.errors, s.skipped) for s in xml]
    assert totals == (sum(s.tests for s in xml), sum(s.failures for s in xml))


def test_failure_lists_findings_with_location(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    failing = {(case.classname, case.name.split()[0]): case for _, case in cases(xml) if case.is_failure}
    tl201 = failing[(BULK, "TL201")]
    (failure,) = tl201.result
    assert isinstance(failure, Failure)
    assert failure.type == "TL201"
    assert failure.message == "1 error: Relationship activity has no `GsRelationshipTypeId`"
    assert f"{BULK}:14:5: error TL201 GS_TL_10_0215:" in failure.text
    assert "pointer: /records/1" in failure.text

    ct201 = failing[("POST /v1/ant/es/activity", "CT201")]
    assert f"reproduction: {REPRODUCTION}" in ct201.result[0].text


def test_payload_text_survives_as_text(sample_report: Report) -> None:
    raw, xml = junit(sample_report)
    assert "<script>" not in raw
    texts = [case.result[0].text for _, case in cases(xml) if case.is_failure]
    assert any(XSS_SUBJECT in text for text in texts)


def test_warnings_pass_and_go_to_system_out(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    tl202 = next(case for _, case in cases(xml) if case.name.startswith("TL202"))
    assert tl202.is_passed
    assert "warning TL202" in tl202.system_out
    assert "/records/0/ContextName" in tl202.system_out


def test_subject_without_checks_is_one_skipped_case(sample_report: Report) -> None:
    _, xml = junit(sample_report)
    (empty,) = [case for _, case in cases(xml) if case.classname == "payloads/empty-delete.json"]
    assert empty.is_skipped
    assert isinstance(empty.result[0], Skipped)


def test_control_characters_do_not_break_the_xml() -> None:
    nasty = "NUL\x00 BEL\x07 ESC\x1b lone\ud800 end"
    finding = Finding("GS101", Severity.ERROR, nasty, path="a.json", line=1, column=1)
    report = Report((Section(SectionName.PAYLOADS, (Subject("a.json", "event", 1, ("GS101",), (finding,)),)),))
    raw, xml = junit(report)
    ET.fromstring(raw.encode())  # well-formed XML 1.0
    (case,) = [case for _, case in cases(xml)]
    assert "NUL\\x00 BEL\\x07 ESC\\x1b lone\\ud800 end" in case.result[0].text


def test_root_uses_only_common_attributes(sample_report: Report) -> None:
    raw, _ = junit(sample_report)
    root = ET.fromstring(raw.encode())
    assert root.tag == "testsuites"
    assert set(root.attrib) <= {"name", "tests", "failures", "errors", "time", "disabled"}
    for suite in root:
        assert set(suite.attrib) <= {"name", "tests", "failures", "errors", "skipped", "time", "timestamp", "id"}
        for case in suite.iter("testcase"):
            assert set(case.attrib) == {"classname", "name", "time"}
