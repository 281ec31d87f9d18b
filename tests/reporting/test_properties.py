"""No reporter crashes on arbitrary unicode, and the structured formats stay parseable."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st
from sarif_kit.validate import validation_errors

from gscontract.findings import Finding, Report, Section, SectionName, Severity, Subject
from gscontract.reporting import REPORTERS
from gscontract.reporting.matrix import RuleInfo, with_matrix

# Any code point, lone surrogates included: a file name that is not UTF-8 reaches reports as one.
_text = st.text(st.characters(exclude_categories=()), max_size=300)
_line = st.none() | st.integers(min_value=1, max_value=10**6)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    message, subject, pointer, summary = draw(_text), draw(_text), draw(_text), draw(_text)
    operation, reproduction, code = draw(_text), draw(st.none() | _text), draw(st.none() | _text)
    severity = draw(st.sampled_from(Severity))
    file_finding = Finding("TL301", severity, message, code, subject, pointer, draw(_line), draw(_line))
    contract_finding = Finding("CT201", severity, message, code, operation=operation, reproduction=reproduction)
    report = Report(
        (
            Section(SectionName.PAYLOADS, (Subject(subject, "timeline-insert", 1, ("TL301",), (file_finding,)),)),
            Section(SectionName.CONTRACT, (Subject(operation, "timeline", 2, ("CT201",), (contract_finding,)),)),
        )
    )
    rules = (RuleInfo("TL301", summary, SectionName.PAYLOADS, code), RuleInfo("CT201", summary, SectionName.CONTRACT))
    return with_matrix(report, rules)


@settings(max_examples=60)
@given(reports())
def test_no_reporter_crashes_on_arbitrary_text(report: Report) -> None:
    for name, fmt in sorted(REPORTERS.items()):
        out = io.StringIO()
        fmt.render(report, out)
        text = out.getvalue()
        assert text, name
        text.encode("utf-8")  # every format, the terminal's included, must be writable as UTF-8
        if name == "junit":
            ET.fromstring(text.encode())
        elif name == "sarif":
            assert validation_errors(json.loads(text)) == []
        elif name == "json":
            json.loads(text)
