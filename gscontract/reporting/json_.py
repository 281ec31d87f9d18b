"""The ``json`` format: the report as one JSON document, and the reader that turns it back into a Report.

The layout (``version`` 1) is documented in ``docs/report-format.md``. ``files`` is the payload
validation section; its shape is the one ``gscontract validate --format json`` promises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

import orjson

from ..findings import Finding, MatrixRow, Report, RunMeta, Section, SectionName, Severity, Subject
from . import reporter

__all__ = ["FORMAT_VERSION", "report_from_dict", "report_to_dict", "write_json"]

FORMAT_VERSION = 1

# How each section's subjects are keyed in the document, and what their name and count are called.
_SECTION_KEYS: dict[SectionName, tuple[str, str, str]] = {
    SectionName.SPECS: ("specs", "path", "operations"),
    SectionName.PAYLOADS: ("files", "path", "records"),
    SectionName.CONTRACT: ("contract", "operation", "cases"),
}


def _finding_to_dict(finding: Finding, *, in_file: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "severity": finding.severity.label,
        "rule": finding.rule,
        "code": finding.code,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }
    if not in_file:
        data["path"] = finding.path
        data["operation"] = finding.operation
    if finding.reproduction is not None:
        data["reproduction"] = finding.reproduction
    return data


def _subject_to_dict(subject: Subject, section: SectionName) -> dict[str, Any]:
    _, name_key, count_key = _SECTION_KEYS[section]
    in_file = section is not SectionName.CONTRACT
    return {
        name_key: subject.name,
        "kind": subject.kind,
        count_key: subject.count,
        "rules": list(subject.rules),
        "findings": [_finding_to_dict(f, in_file=in_file) for f in subject.findings],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data (the ``json`` format's document)."""
    from .. import __version__

    data: dict[str, Any] = {"version": FORMAT_VERSION, "tool": {"name": "gscontract", "version": __version__}}
    if report.meta is not None:
        meta = report.meta
        data["meta"] = {
            "tool_version": meta.tool_version,
            "started": meta.started,
            "duration_seconds": meta.duration_seconds,
            "target": meta.target,
            "seed": meta.seed,
            "profile": meta.profile,
            "spec_hashes": dict(meta.spec_hashes),
        }
    for section in report.sections:
        key = _SECTION_KEYS[section.name][0]
        data[key] = [_subject_to_dict(s, section.name) for s in section.subjects]
    if report.matrix:
        data["matrix"] = [
            {"rule": r.rule, "code": r.code, "summary": r.summary, "section": r.section.value, "status": r.status}
            for r in report.matrix
        ]
    summary = report.summary()
    data["summary"] = {
        "files": summary.files,
        "records": summary.records,
        "errors": summary.errors,
        "warnings": summary.warnings,
    }
    return data


def _finding_from_dict(data: Mapping[str, Any], subject: Mapping[str, Any], section: SectionName) -> Finding:
    in_file = section is not SectionName.CONTRACT
    return Finding(
        rule=data["rule"],
        severity=Severity.parse(data["severity"]),
        message=data["message"],
        code=data.get("code"),
        path=subject.get("path") if in_file else data.get("path"),
        pointer=data.get("pointer"),
        line=data.get("line"),
        column=data.get("column"),
        operation=data.get("operation") if not in_file else None,
        reproduction=data.get("reproduction"),
    )


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """Rebuild a report from its ``json`` document.

    Raises:
        ValueError: the document is not a gscontract report of a version this release reads.
    """
    if not isinstance(data, Mapping) or data.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a gscontract report of format version {FORMAT_VERSION}")
    try:
        sections = []
        for name, (key, name_key, count_key) in _SECTION_KEYS.items():
            if key not in data:
                continue
            subjects = tuple(
                Subject(
                    name=s[name_key],
                    kind=s["kind"],
                    count=s[count_key],
                    rules=tuple(s.get("rules", ())),
                    findings=tuple(_finding_from_dict(f, s, name) for f in s["findings"]),
                )
                for s in data[key]
            )
            sections.append(Section(name, subjects))
        meta = None
        if "meta" in data:
            m = data["meta"]
            meta = RunMeta(
                tool_version=m["tool_version"],
                started=m.get("started"),
                duration_seconds=m.get("duration_seconds"),
                target=m.get("target"),
                seed=m.get("seed"),
                profile=m.get("profile"),
                spec_hashes=tuple(sorted((m.get("spec_hashes") or {}).items())),
            )
        matrix = tuple(
            MatrixRow(r["rule"], r.get("code"), r["summary"], SectionName(r["section"]), r["status"])
            for r in data.get("matrix", ())
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed gscontract report: {exc}") from None
    order = list(SectionName)
    return Report(sections=tuple(sorted(sections, key=lambda s: order.index(s.name))), meta=meta, matrix=matrix)


@reporter("json")
def write_json(report: Report, out: TextIO) -> None:
    """Write the report as indented JSON."""
    out.write(orjson.dumps(report_to_dict(report), option=orjson.OPT_INDENT_2).decode())
    out.write("\n")
