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
    SectionName.UPLOAD: ("upload", "subject", "records"),
}


def _finding_to_dict(finding: Finding, *, subject: str | None) -> dict[str, Any]:
    """A finding's entry; ``subject`` is the file the section keys it under (None for contract findings)."""
    data: dict[str, Any] = {
        "severity": finding.severity.label,
        "rule": finding.rule,
        "code": finding.code,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }
    if subject is None:
        data["path"] = finding.path
        data["operation"] = finding.operation
    else:
        # A file's findings inherit its path; say so only where one differs (a spec check on an operation).
        if finding.path != subject:
            data["path"] = finding.path
        if finding.operation is not None:
            data["operation"] = finding.operation
    if finding.reproduction is not None:
        data["reproduction"] = finding.reproduction
    if finding.folded:
        data["folded"] = finding.folded
    return data


def _subject_to_dict(subject: Subject, section: SectionName) -> dict[str, Any]:
    _, name_key, count_key = _SECTION_KEYS[section]
    in_file = section is not SectionName.CONTRACT
    return {
        name_key: subject.name,
        "kind": subject.kind,
        count_key: subject.count,
        "rules": list(subject.rules),
        "findings": [_finding_to_dict(f, subject=subject.name if in_file else None) for f in subject.findings],
        **({} if subject.seconds is None else {"seconds": round(subject.seconds, 6)}),
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
        if section.observed:
            data[f"{key}_observed"] = list(section.observed)
    if report.matrix:
        data["matrix"] = [
            {
                "rule": r.rule,
                "code": r.code,
                "summary": r.summary,
                "section": r.section.value,
                "status": r.status,
                "subjects": r.subjects,
                "errors": r.errors,
                "warnings": r.warnings,
            }
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


_TYPE_NAMES: dict[type, str] = {str: "a string", int: "an integer", float: "a number", list: "an array"}
_MATRIX_STATUSES = frozenset({"passed", "failed", "not-run"})


def _get(obj: Mapping[str, Any], key: str, kind: type, where: str, *, optional: bool = False) -> Any:
    """``obj[key]`` checked to be of JSON type ``kind`` (``None`` allowed when optional), or ValueError naming it."""
    value = obj.get(key)
    if value is None:
        if optional:
            return None
        raise ValueError(f"{where}.{key}: missing")
    # bool is an int to Python but not to JSON; an integer is a fine number.
    ok = isinstance(value, int | float) if kind is float else isinstance(value, kind)
    if not ok or (isinstance(value, bool) and kind is not bool):
        name = _TYPE_NAMES.get(kind, kind.__name__)
        raise ValueError(f"{where}.{key}: expected {name}{' or null' if optional else ''}, got {value!r:.60}")
    return value


def _objects(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{where}: expected an array of objects")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}: expected an array of strings")
    return tuple(value)


def _finding_from_dict(data: Mapping[str, Any], subject: str, section: SectionName, where: str) -> Finding:
    in_file = section is not SectionName.CONTRACT
    path = _get(data, "path", str, where, optional=True)
    label = _get(data, "severity", str, where)
    try:
        severity = Severity.parse(label)
    except ValueError as exc:
        raise ValueError(f"{where}.severity: {exc}") from None
    return Finding(
        rule=_get(data, "rule", str, where),
        severity=severity,
        message=_get(data, "message", str, where),
        code=_get(data, "code", str, where, optional=True),
        path=(path if "path" in data else subject) if in_file else path,
        pointer=_get(data, "pointer", str, where, optional=True),
        line=_get(data, "line", int, where, optional=True),
        column=_get(data, "column", int, where, optional=True),
        operation=_get(data, "operation", str, where, optional=True),
        reproduction=_get(data, "reproduction", str, where, optional=True),
        folded=_get(data, "folded", int, where, optional=True) or 0,
    )


def _section_from_dict(data: Mapping[str, Any], name: SectionName) -> Section:
    key, name_key, count_key = _SECTION_KEYS[name]
    subjects = []
    for i, item in enumerate(_objects(data[key], key)):
        where = f"{key}[{i}]"
        subject_name = _get(item, name_key, str, where)
        findings = _objects(item.get("findings", []), f"{where}.findings")
        subjects.append(
            Subject(
                name=subject_name,
                kind=_get(item, "kind", str, where),
                count=_get(item, count_key, int, where, optional=True) or 0,
                rules=_strings(item.get("rules", []), f"{where}.rules"),
                seconds=_get(item, "seconds", float, where, optional=True),
                findings=tuple(
                    _finding_from_dict(f, subject_name, name, f"{where}.findings[{j}]") for j, f in enumerate(findings)
                ),
            )
        )
    observed = _strings(data.get(f"{key}_observed", []), f"{key}_observed")
    return Section(name, tuple(subjects), observed)


def _meta_from_dict(m: Any) -> RunMeta:
    if not isinstance(m, Mapping):
        raise ValueError("meta: expected an object")
    hashes = m.get("spec_hashes") or {}
    if not isinstance(hashes, Mapping) or not all(isinstance(v, str) for v in hashes.values()):
        raise ValueError("meta.spec_hashes: expected an object of strings")
    return RunMeta(
        tool_version=_get(m, "tool_version", str, "meta"),
        started=_get(m, "started", str, "meta", optional=True),
        duration_seconds=_get(m, "duration_seconds", float, "meta", optional=True),
        target=_get(m, "target", str, "meta", optional=True),
        seed=_get(m, "seed", int, "meta", optional=True),
        profile=_get(m, "profile", str, "meta", optional=True),
        spec_hashes=tuple(sorted(hashes.items())),
    )


def _matrix_row_from_dict(r: Mapping[str, Any], where: str) -> MatrixRow:
    status = _get(r, "status", str, where)
    if status not in _MATRIX_STATUSES:
        raise ValueError(f"{where}.status: expected one of {', '.join(sorted(_MATRIX_STATUSES))}, got {status!r:.60}")
    try:
        section = SectionName(_get(r, "section", str, where))
    except ValueError:
        raise ValueError(f"{where}.section: expected one of {', '.join(SectionName)}") from None
    return MatrixRow(
        rule=_get(r, "rule", str, where),
        code=_get(r, "code", str, where, optional=True),
        summary=_get(r, "summary", str, where),
        section=section,
        status=status,
        subjects=_get(r, "subjects", int, where, optional=True) or 0,
        errors=_get(r, "errors", int, where, optional=True) or 0,
        warnings=_get(r, "warnings", int, where, optional=True) or 0,
    )


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """Rebuild a report from its ``json`` document.

    Raises:
        ValueError: the document is not a gscontract report of a version this release reads; the
            message names the first field at fault (``files[0].findings[2].line: expected an integer``).
    """
    if not isinstance(data, Mapping) or data.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a gscontract report of format version {FORMAT_VERSION}")
    sections = tuple(_section_from_dict(data, name) for name, keys in _SECTION_KEYS.items() if keys[0] in data)
    meta = _meta_from_dict(data["meta"]) if data.get("meta") is not None else None
    matrix = tuple(
        _matrix_row_from_dict(r, f"matrix[{i}]") for i, r in enumerate(_objects(data.get("matrix", []), "matrix"))
    )
    return Report(sections=sections, meta=meta, matrix=matrix)


@reporter("json", filename="report.json", suffixes=(".json",))
def write_json(report: Report, out: TextIO) -> None:
    """Write the report as indented JSON."""
    data = report_to_dict(report)
    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except TypeError:
        # A lone surrogate (a file name that is not UTF-8, decoded with surrogateescape) cannot be
        # encoded; write it as the text "\\udc80" rather than fail the whole report.
        text = orjson.dumps(_without_surrogates(data), option=orjson.OPT_INDENT_2)
    out.write(text.decode())
    out.write("\n")


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value
