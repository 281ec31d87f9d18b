"""The ``sarif`` format: SARIF 2.1.0 for code scanning, one result per finding.

``tool.driver.rules`` lists the rules that ran or reported, with the matrix's summary as their
description and the page of ``docs/`` that documents them as ``helpUri``; each result has its rule id,
level (``error``/``warning``), message, a physical location (a file URI relative to ``SRCROOT``, the
folder gscontract ran in, with line and column) for file findings or a logical location (the API operation) for
contract findings, and a ``partialFingerprints`` entry that stays the same while the finding does, so
code scanning can match results across runs. Passing checks are not results. The mapping is
documented in ``docs/report-format.md``.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TextIO

import orjson

from ..findings import Finding, Report
from . import reporter
from ._view import SECTION_TITLES, checks, clip, plan_lines, rule_index

__all__ = ["SARIF_SCHEMA", "sarif_log", "write_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "gscontractFinding/v1"
SRCROOT = "SRCROOT"
"""The base of relative file URIs: the folder gscontract ran in (code scanning maps it to the checkout)."""


def _artifact(path: str) -> dict[str, Any]:
    """A finding's file: a relative URI based on :data:`SRCROOT`, or an absolute file URI."""
    uri = _uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": SRCROOT}


def _based(result: dict[str, Any]) -> bool:
    """Whether a result's file URI is relative to :data:`SRCROOT`."""
    return any(
        "uriBaseId" in loc.get("physicalLocation", {}).get("artifactLocation", {})
        for loc in result.get("locations", ())
    )


def _uri(path: str) -> str:
    """A URI reference for a finding's file: relative paths stay relative, absolute ones become file URIs."""
    from urllib.parse import quote

    try:
        if PureWindowsPath(path).drive:
            return PureWindowsPath(path).as_uri()
        posix = PurePosixPath(path.replace("\\", "/"))
        if posix.is_absolute():
            return posix.as_uri()
        # surrogateescape gives back the bytes of a file name that is not valid UTF-8.
        return quote(str(posix), safe="/", errors="surrogateescape")
    except (UnicodeError, ValueError):
        return quote(clip(path), safe="/")


def _location(finding: Finding) -> list[dict[str, Any]]:
    if finding.path is not None:
        physical: dict[str, Any] = {"artifactLocation": _artifact(finding.path)}
        if finding.line is not None and finding.line >= 1:
            region: dict[str, Any] = {"startLine": finding.line}
            if finding.column is not None and finding.column >= 1:
                region["startColumn"] = finding.column
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.operation is not None:
            location["logicalLocations"] = [_logical(finding.operation)]
        return [location]
    if finding.operation is not None:
        return [{"logicalLocations": [_logical(finding.operation)]}]
    return []


def _logical(operation: str) -> dict[str, Any]:
    name = clip(operation, 200)
    return {"name": name, "fullyQualifiedName": name, "kind": "function"}


def _fingerprint(finding: Finding, occurrence: int) -> str:
    """Hash what identifies the finding apart from its line, which moves when unrelated records are added."""
    import hashlib

    parts = (finding.rule, finding.code or "", finding.path or "", finding.operation or "", finding.pointer or "")
    return hashlib.sha256("\x1f".join((*parts, str(occurrence))).encode("utf-8", "surrogatepass")).hexdigest()


def sarif_log(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain JSON data)."""
    from .. import __version__

    index = rule_index(report)
    sections = {c.rule: c.section for c in checks(report)}
    for section in report.sections:
        sections.update((f.rule, section.name) for f in section.findings())
    rule_ids = sorted(sections)
    rules = []
    for rule_id in rule_ids:
        row = index.get(rule_id)
        summary = clip(row.summary) if row and row.summary else rule_id
        part = row.section if row else sections[rule_id]
        details = [SECTION_TITLES[part], *([f"Gainsight code {clip(row.code)}"] if row and row.code else [])]
        entry: dict[str, Any] = {
            "id": rule_id,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": f"{summary} ({'; '.join(details)})"},
            "helpUri": part.docs,
        }
        if row and row.code:
            entry["properties"] = {"gainsightCode": clip(row.code)}
        rules.append(entry)
    positions = {rule_id: i for i, rule_id in enumerate(rule_ids)}

    results = []
    seen: dict[str, int] = {}
    for section in report.sections:
        for finding in section.findings():
            identity = _fingerprint(finding, 0)
            occurrence = seen.get(identity, 0)
            seen[identity] = occurrence + 1
            properties: dict[str, Any] = {"section": section.name.value}
            for key, value in (
                ("gainsightCode", finding.code),
                ("pointer", finding.pointer),
                ("reproduction", finding.reproduction),
            ):
                if value is not None:
                    properties[key] = clip(value)
            result: dict[str, Any] = {
                "ruleId": finding.rule,
                "ruleIndex": positions[finding.rule],
                "level": finding.severity.label,
                "message": {"text": clip(finding.message) or finding.rule},
                "locations": _location(finding),
                "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding, occurrence)},
                "properties": properties,
            }
            if not result["locations"]:
                del result["locations"]
            results.append(result)

    driver: dict[str, Any] = {"name": "gscontract", "version": __version__, "rules": rules}
    run: dict[str, Any] = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    if any(_based(r) for r in results):
        run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "The folder gscontract ran in."}}}
    if report.meta is not None:
        meta = report.meta
        run["properties"] = {
            key: value
            for key, value in (
                ("toolVersion", meta.tool_version),
                ("target", meta.target),
                ("seed", meta.seed),
                ("profile", meta.profile),
                ("started", meta.started),
                ("durationSeconds", meta.duration_seconds),
            )
            if value is not None
        }
    plan = plan_lines(report)
    if plan:
        run.setdefault("properties", {})["uploadPlan"] = [clip(line) for line in plan]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


@reporter("sarif", filename="report.sarif", suffixes=(".sarif", ".sarif.json"))
def write_sarif(report: Report, out: TextIO) -> None:
    """Write the report as an indented SARIF 2.1.0 log."""
    out.write(orjson.dumps(sarif_log(report), option=orjson.OPT_INDENT_2).decode())
    out.write("\n")
