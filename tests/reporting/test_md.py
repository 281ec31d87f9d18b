"""The Markdown output: summary, matrix, a section per rule, and payload text that stays text."""

from __future__ import annotations

import io

from reporting_sample import REPRODUCTION

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting._view import TRUNCATE_AT
from gscontract.reporting.md import MAX_FINDINGS_PER_RULE, code, escape, write_markdown


def markdown(report: Report) -> str:
    out = io.StringIO()
    write_markdown(report, out)
    return out.getvalue()


def test_summary_table_counts_each_section(sample_report: Report) -> None:
    text = markdown(sample_report)
    assert "❌ **Failed**: 29 checks evaluated, 7 failed; 7 errors, 2 warnings." in text
    assert "| Payload validation | 5 | 16 | 10 | 1 | 5 | 5 | 1 |" in text


def test_matrix_is_folded_with_its_counts(sample_report: Report) -> None:
    text = markdown(sample_report)
    assert "<details><summary>Compliance matrix: 8 passed, 8 failed, 3 not run</summary>" in text
    assert "| `TL601` | — | Payload validation | ⚪ not run |" in text
    assert "| — | `GSOBJ_1023` | Contract checks | ⚪ not run | Invalid API path |" in text


def test_one_section_per_rule_in_report_order(sample_report: Report) -> None:
    text = markdown(sample_report)
    headings = [line for line in text.splitlines() if line.startswith("#### ")]
    rules = [h.split("`")[1] for h in headings]
    assert rules == ["SP103", "EV102", "GS101", "TL201", "TL202", "TL301", "TL302", "CT102", "CT201"]
    assert "#### ❌ `TL201` `GS_TL_10_0215`: Relationship activity has no `GsRelationshipTypeId`" in headings
    assert headings[4].startswith("#### ⚠️ `TL202`")


def test_finding_line_has_location_pointer_and_message(sample_report: Report) -> None:
    text = markdown(sample_report)
    expected = (
        "- ❌ **error** `payloads/timeline-insert.bulk.json:14:5` at `/records/1`: "
        "Relationship activity has no `GsRelationshipTypeId`"
    )
    assert expected in text


def test_script_payload_is_escaped_and_cannot_mention(sample_report: Report) -> None:
    text = markdown(sample_report)
    assert "<script>" not in text
    assert "<img" not in text
    assert "&lt;script&gt;window.\\_\\_pwned" in text
    assert "@octocat" not in text
    assert "&#64;octocat" in text


def test_reproduction_is_a_fenced_code_block(sample_report: Report) -> None:
    lines = markdown(sample_report).splitlines()
    start = lines.index("  ```text", lines.index(next(line for line in lines if "record failed with" in line)))
    assert lines[start + 1] == "  " + REPRODUCTION
    assert lines[start + 2] == "  ```"


def test_long_message_is_truncated_with_its_size(sample_report: Report) -> None:
    text = markdown(sample_report)
    assert f"\\[truncated: {TRUNCATE_AT:,} of 3,058 characters shown\\]" in text


def test_escape_and_code_helpers() -> None:
    assert escape("a|b *c* [x](y) <i>&") == "a\\|b \\*c\\* \\[x\\](y) &lt;i&gt;&amp;"
    # A line break stays visible as its escape, so a message cannot start a list item of its own.
    assert escape("one\ntwo") == "one\\\\ntwo"
    assert code("a\n- b\x1b[2J") == "`a\\n- b\\u001b[2J`"
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"


def test_findings_per_rule_are_capped_with_the_rest_counted() -> None:
    findings = tuple(
        Finding("TL301", Severity.ERROR, f"record {i} too long", path="a.json", pointer=f"/records/{i}", line=i + 1)
        for i in range(MAX_FINDINGS_PER_RULE + 7)
    )
    report = Report((Section(SectionName.PAYLOADS, (Subject("a.json", "timeline-insert", 57, ("TL301",), findings),)),))
    text = markdown(report)
    assert text.count("- ❌ **error**") == MAX_FINDINGS_PER_RULE
    assert "- … and 7 more (the HTML and JSON reports list them all)" in text


def test_clean_report_says_so() -> None:
    report = Report((Section(SectionName.PAYLOADS, (Subject("a.json", "event", 1, ("EV101",)),)),))
    text = markdown(report)
    assert "✅ **Passed**: 1 checks evaluated, 0 failed; 0 errors, 0 warnings." in text
    assert "No findings." in text


def test_without_a_matrix_headings_take_the_code_from_the_findings() -> None:
    finding = Finding("TL301", Severity.ERROR, "too long", "GSOBJ_1001", "a.json", "/records/0/Subject", 2, 3)
    report = Report(
        (Section(SectionName.PAYLOADS, (Subject("a.json", "timeline-insert", 1, ("TL301",), (finding,)),)),)
    )
    assert "#### ❌ `TL301` `GSOBJ_1001`\n" in markdown(report)
