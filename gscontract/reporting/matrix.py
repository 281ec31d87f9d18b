"""The compliance matrix: every documented rule or error code, and what this run made of it.

The builder takes the documentation as data (:class:`RuleInfo`, :class:`CodeInfo`), which the code
that ran the checks gathers from its registries (``gscontract.pipeline`` does for ``gscontract run``);
reporting itself imports no registry. The matrix is stored in the report, so re-rendering a saved
``report.json`` needs no registry either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..findings import MatrixRow, Report, SectionName, Severity
from ._view import checks

__all__ = ["CodeInfo", "RuleInfo", "build_matrix", "with_matrix"]

PASSED, FAILED, NOT_RUN = "passed", "failed", "not-run"
_HTTP_STATUS = re.compile(r"HTTP \d{3}")


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
    when an error finding carries that code; it has ``passed`` when a section observed the code in
    an answer (or the HTTP status its summary names, ``(HTTP 401)``), and is ``not-run`` otherwise.
    Rows are ordered by section, then rule id, code-only rows last in their section.
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
    observed = {seen for section in report.sections for seen in section.observed}
    extra: dict[str, MatrixRow] = {}
    for code in codes:
        if code.code in covered or code.code in extra:
            continue
        errors = failing_codes.get(code.code, 0)
        status_named = _HTTP_STATUS.search(code.summary)
        exercised = code.code in observed or (status_named is not None and status_named.group(0) in observed)
        status = FAILED if errors else PASSED if exercised else NOT_RUN
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
