"""The compliance matrix: one row per documented rule or code, with what the run made of it."""

from __future__ import annotations

from gscontract.findings import Finding, MatrixRow, Report, Section, SectionName, Severity, Subject
from gscontract.reporting.matrix import CodeInfo, RuleInfo, build_matrix

P = SectionName.PAYLOADS


def _report(*subjects: Subject, section: SectionName = P) -> Report:
    return Report((Section(section, subjects),))


def _rows(report: Report, *rules: RuleInfo, codes: tuple[CodeInfo, ...] = ()) -> dict[str, MatrixRow]:
    return {row.rule or str(row.code): row for row in build_matrix(report, rules, codes=codes)}


def test_statuses_passed_failed_not_run() -> None:
    report = _report(
        Subject("a.json", "timeline-insert", 2, ("TL101", "TL201")),
        Subject(
            "b.json",
            "timeline-insert",
            1,
            ("TL101", "TL201"),
            (Finding("TL201", Severity.ERROR, "no type id", "GS_TL_10_0215", "b.json", "/records/0"),),
        ),
    )
    rows = _rows(
        report,
        RuleInfo("TL101", "no ExternalId", P, "GS_TL_10_0202"),
        RuleInfo("TL201", "no type id", P, "GS_TL_10_0215"),
        RuleInfo("TL601", "bad delete body", P),
    )
    assert rows["TL101"] == MatrixRow("TL101", "GS_TL_10_0202", "no ExternalId", P, "passed", 2, 0, 0)
    assert rows["TL201"] == MatrixRow("TL201", "GS_TL_10_0215", "no type id", P, "failed", 2, 1, 0)
    assert rows["TL601"] == MatrixRow("TL601", None, "bad delete body", P, "not-run", 0, 0, 0)


def test_warnings_do_not_fail_a_rule() -> None:
    warning = Finding("TL202", Severity.WARNING, "newer context", path="a.json")
    rows = _rows(_report(Subject("a.json", "timeline-insert", 1, ("TL202",), (warning,))), RuleInfo("TL202", "", P))
    assert (rows["TL202"].status, rows["TL202"].warnings) == ("passed", 1)


def test_a_rule_that_reports_without_being_listed_still_ran() -> None:
    finding = Finding("GS101", Severity.ERROR, "invalid JSON", path="a.json", line=1, column=2)
    rows = _rows(_report(Subject("a.json", "timeline-insert", 0, (), (finding,))), RuleInfo("GS101", "valid JSON", P))
    assert (rows["GS101"].status, rows["GS101"].subjects, rows["GS101"].errors) == ("failed", 1, 1)


def test_undocumented_rules_that_ran_get_a_row() -> None:
    report = _report(Subject("POST /v1/events", "events", 3, ("CT999",)), section=SectionName.CONTRACT)
    rows = _rows(report)
    assert rows["CT999"] == MatrixRow("CT999", None, "", SectionName.CONTRACT, "passed", 1, 0, 0)


def test_codes_without_a_rule_get_rows_and_fail_when_a_finding_carries_them() -> None:
    finding = Finding("CT201", Severity.ERROR, "wrong code", "GS_TL_10_0211", operation="POST /x")
    report = _report(Subject("POST /x", "timeline", 1, ("CT201",), (finding,)), section=SectionName.CONTRACT)
    codes = (
        CodeInfo("GS_TL_10_0202", "ExternalId missing", P),  # carried by TL101: no extra row
        CodeInfo("GS_TL_10_0211", "ContextName missing", P),
        CodeInfo("GSOBJ_1023", "Invalid API path", SectionName.CONTRACT),
    )
    rows = _rows(report, RuleInfo("TL101", "no ExternalId", P, "GS_TL_10_0202"), codes=codes)
    assert set(rows) == {"TL101", "CT201", "GS_TL_10_0211", "GSOBJ_1023"}
    assert rows["GS_TL_10_0211"] == MatrixRow("", "GS_TL_10_0211", "ContextName missing", P, "failed", 0, 1, 0)
    assert rows["GSOBJ_1023"].status == "not-run"


def test_rows_are_ordered_by_section_then_id_codes_last() -> None:
    report = Report()
    rules = (
        RuleInfo("CT101", "c", SectionName.CONTRACT),
        RuleInfo("TL201", "t", P),
        RuleInfo("SP101", "s", SectionName.SPECS),
        RuleInfo("GS101", "g", P),
    )
    codes = (CodeInfo("GSOBJ_1002", "x", P), CodeInfo("GS_APIG_2401", "y", SectionName.CONTRACT))
    order = [row.rule or row.code for row in build_matrix(report, rules, codes=codes)]
    assert order == ["SP101", "GS101", "TL201", "GSOBJ_1002", "CT101", "GS_APIG_2401"]
