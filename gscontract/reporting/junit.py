"""The ``junit`` format: JUnit XML that CI dashboards count, passes included.

One ``<testsuite>`` per section (spec lint, payload validation, contract checks); one ``<testcase>``
per rule that ran over a subject (``classname`` is the file or operation, ``name`` the rule and its
summary). A check with an error has one ``<failure>`` listing its findings with their locations; a
check with warnings only passes and lists them in ``<system-out>``. A subject over which no rule ran
gets one skipped testcase, so every file shows up. Only attributes of the common JUnit XSDs are used.
The mapping is documented in ``docs/report-format.md``.

Times are real where the report measured them: a subject's ``seconds`` (reading and checking a payload
file, running the checks over a spec, an operation's answers) is shared evenly among its testcases,
since the rules run record by record together and no rule has a time of its own; a suite's time is its
subjects' total.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from ..findings import Finding, Report, RunMeta, Severity
from . import reporter
from ._view import SECTION_TITLES, Check, checks, clip, location, rule_index, visible

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

__all__ = ["write_junit"]


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An element whose text and attributes are valid XML 1.0 whatever a report holds."""
    import xml.etree.ElementTree as ET  # imported here: choosing another format should not load it

    values = {key: visible(value) for key, value in attrs.items()}
    element = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        element.text = visible(text)
    return element


def _finding_text(finding: Finding) -> str:
    code = f" {finding.code}" if finding.code else ""
    lines = [f"{clip(location(finding), 500)}: {finding.severity.label} {finding.rule}{code}: {clip(finding.message)}"]
    if finding.pointer:
        lines.append(f"  pointer: {clip(finding.pointer, 500)}")
    if finding.reproduction:
        lines.append(f"  reproduction: {clip(finding.reproduction)}")
    return "\n".join(lines)


def _seconds(value: float) -> str:
    """A time attribute: microseconds, or a plain ``0`` where nothing was measured (an operation sent nothing)."""
    return f"{value:.6f}" if value else "0"


def _testcase(check: Check, titles: dict[str, str], share: float) -> ET.Element:
    name = titles.get(check.rule, check.rule)
    case = _element(None, "testcase", classname=clip(check.subject.name, 500), name=name, time=_seconds(share))
    errors = [f for f in check.findings if f.severity is Severity.ERROR]
    warnings = [f for f in check.findings if f.severity is Severity.WARNING]
    if errors:
        count = sum(1 + f.folded for f in errors)
        noun = "error" if count == 1 else "errors"
        message = f"{count} {noun}: {clip(errors[0].message, 200)}"
        text = "\n".join(_finding_text(f) for f in errors) + "\n"
        _element(case, "failure", text, message=message, type=check.rule)
    if warnings:
        _element(case, "system-out", "\n".join(_finding_text(f) for f in warnings) + "\n")
    return case


def _properties(suite: ET.Element, meta: RunMeta) -> None:
    props = _element(suite, "properties")
    values = {
        "tool_version": meta.tool_version,
        "target": meta.target,
        "seed": meta.seed,
        "profile": meta.profile,
        "started": meta.started,
    }
    for name, value in values.items():
        if value is not None:
            _element(props, "property", name=name, value=clip(str(value)))


@reporter("junit", filename="junit.xml", suffixes=(".xml",))
def write_junit(report: Report, out: TextIO) -> None:
    """Write one testsuite per section and one testcase per (subject, rule) that ran."""
    import xml.etree.ElementTree as ET

    titles = {rule: clip(f"{rule} {row.summary}".strip(), 200) for rule, row in rule_index(report).items()}
    by_section: dict[str, list[ET.Element]] = {s.name.value: [] for s in report.sections}
    ran: set[tuple[str, str]] = set()
    every = list(checks(report))
    per_subject = Counter(id(check.subject) for check in every)
    for check in every:
        share = (check.subject.seconds or 0.0) / per_subject[id(check.subject)]
        by_section[check.section.value].append(_testcase(check, titles, share))
        ran.add((check.section.value, check.subject.name))

    root = _element(None, "testsuites", name="gscontract")
    tests = failures = 0
    total = 0.0
    for section in report.sections:
        cases = by_section[section.name.value]
        for subject in section.subjects:
            if (section.name.value, subject.name) not in ran:
                took = _seconds(subject.seconds or 0.0)
                case = _element(None, "testcase", classname=clip(subject.name, 500), name="no checks", time=took)
                _element(case, "skipped", message="no rule applies to this subject")
                cases.append(case)
        failed = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        suite = _element(
            root,
            "testsuite",
            name=SECTION_TITLES[section.name],
            tests=str(len(cases)),
            failures=str(failed),
            skipped=str(skipped),
            errors="0",
            time=_seconds(sum(s.seconds or 0.0 for s in section.subjects)),
        )
        if report.meta is not None:
            _properties(suite, report.meta)
        suite.extend(cases)
        tests, failures = tests + len(cases), failures + failed
        total += sum(s.seconds or 0.0 for s in section.subjects)
    # The root carries only what the common XSDs (Jenkins' junit-10) allow there: no skipped count.
    for key, value in (("tests", str(tests)), ("failures", str(failures)), ("errors", "0"), ("time", _seconds(total))):
        root.set(key, value)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
