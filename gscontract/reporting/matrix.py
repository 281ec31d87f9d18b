"""The compliance matrix: every documented rule or error code, and what this run made of it.

The builder takes the documentation as data (:class:`RuleInfo`, :class:`CodeInfo`), so it needs none
of the registries; :func:`documented_rules` gathers that data from whichever registries are
importable. The matrix is stored in the report, so re-rendering a saved ``report.json`` needs no
registry either.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..findings import MatrixRow, Report, SectionName, Severity
from ._view import checks

__all__ = ["CodeInfo", "RuleInfo", "build_matrix", "documented_rules", "with_matrix"]

PASSED, FAILED, NOT_RUN = "passed", "failed", "not-run"

# Where each part of gscontract keeps its documented rules or checks: (section, module, attribute).
# The attribute is a mapping (or iterable) of objects with ``id``, ``summary`` (or ``doc``) and ``code``.
REGISTRIES: tuple[tuple[SectionName, str, str], ...] = (
    (SectionName.SPECS, "gscontract.speclint", "CHECKS"),
    (SectionName.PAYLOADS, "gscontract.rules", "RULES"),
    (SectionName.CONTRACT, "gscontract.contract", "CHECKS"),
)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A documented rule or check: its id, the vendor code it stands for, its summary and its section."""

    id: str
    summary: str
    section: SectionName
    code: str | None = None


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """A documented vendor error code, so that codes no rule carries still get a matrix row."""

    code: str
    summary: str
    section: SectionName


@dataclass(slots=True)
class _Seen:
    subjects: int = 0
    errors: int = 0
    warnings: int = 0
    section: SectionName | None = None


def _status(seen: _Seen | None) -> str:
    if seen is None:
        return NOT_RUN
    return FAILED if seen.errors else PASSED


def build_matrix(
    report: Report,
    rules: Iterable[RuleInfo],
    *,
    codes: Iterable[CodeInfo] = (),
) -> tuple[MatrixRow, ...]:
    """One row per documented rule, plus one per documented code that no rule carries.

    A rule has ``passed`` when it ran over at least one subject without an error, ``failed`` when
    it has an error anywhere, and is ``not-run`` otherwise. Rules that ran but are not documented get
    a row too (with an empty summary), so no failure is missing from the matrix. A code-only row fails
    when an error finding carries that code, else it is ``not-run``. Rows are ordered by section,
    then rule id, code-only rows last in their section.
    """
    seen: dict[str, _Seen] = {}
    for check in checks(report):
        entry = seen.setdefault(check.rule, _Seen(section=check.section))
        entry.subjects += 1
        for finding in check.findings:
            if finding.severity is Severity.ERROR:
                entry.errors += 1
            else:
                entry.warnings += 1

    def row(rule: str, code: str | None, summary: str, section: SectionName) -> MatrixRow:
        entry = seen.get(rule)
        counts = (entry.subjects, entry.errors, entry.warnings) if entry else (0, 0, 0)
        return MatrixRow(rule, code, summary, section, _status(entry), *counts)

    rows: dict[str, MatrixRow] = {}
    for info in rules:
        rows.setdefault(info.id, row(info.id, info.code, info.summary, info.section))
    for rule, entry in seen.items():
        if rule not in rows and entry.section is not None:
            rows[rule] = row(rule, None, "", entry.section)

    covered = {r.code for r in rows.values() if r.code}
    failing_codes: dict[str, int] = {}
    for finding in report.findings():
        if finding.code and finding.severity is Severity.ERROR:
            failing_codes[finding.code] = failing_codes.get(finding.code, 0) + 1
    extra: dict[str, MatrixRow] = {}
    for code in codes:
        if code.code in covered or code.code in extra:
            continue
        errors = failing_codes.get(code.code, 0)
        status = FAILED if errors else NOT_RUN
        extra[code.code] = MatrixRow("", code.code, code.summary, code.section, status, 0, errors, 0)

    order = list(SectionName)
    return tuple(
        sorted(
            [*rows.values(), *extra.values()],
            key=lambda r: (order.index(r.section), r.rule == "", r.rule or r.code or ""),
        )
    )


def with_matrix(report: Report, rules: Iterable[RuleInfo], *, codes: Iterable[CodeInfo] = ()) -> Report:
    """A copy of ``report`` carrying its compliance matrix."""
    return replace(report, matrix=build_matrix(report, rules, codes=codes))


def _summary_of(item: Any) -> str:
    summary = getattr(item, "summary", None)
    if isinstance(summary, str):
        return summary
    doc = getattr(item, "doc", None) or getattr(item, "__doc__", None) or ""
    lines = str(doc).strip().splitlines()
    return lines[0].strip() if lines else ""


def documented_rules(registries: Iterable[tuple[SectionName, str, str]] = REGISTRIES) -> list[RuleInfo]:
    """Rule descriptions from every registry that can be imported, in registry order.

    A registry whose module is missing (a part not installed or not built yet) is skipped, so the
    matrix lists what this installation can check.
    """
    found: list[RuleInfo] = []
    for section, module_name, attribute in registries:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only the registry's own absence is expected; a broken import inside it is a bug to show.
            if exc.name != module_name:
                raise
            continue
        registry = getattr(module, attribute, None)
        if registry is None:
            continue
        items = registry.values() if isinstance(registry, Mapping) else registry
        for item in items:
            rule_id = getattr(item, "id", None)
            if isinstance(rule_id, str) and rule_id:
                code = getattr(item, "code", None)
                found.append(RuleInfo(rule_id, _summary_of(item), section, code if isinstance(code, str) else None))
    return found
