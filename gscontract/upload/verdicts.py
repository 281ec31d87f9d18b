"""The upload's report section: the plan, each request's state, and every tenant verdict at its record's line.

A record the tenant refused is reported at ``file:line:col`` with the tenant's code, labelled by what the
validator said of the same record: ``predicted and confirmed`` (the validator reported that code for it),
``tenant-only rule`` (a code only the tenant can judge: an ExternalId taken by an earlier upload, a lookup
that finds no match in the tenant's data) or ``not predicted`` (a gap in the validator, reported as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from ..findings import PLAN_KIND, PLAN_REQUEST, Finding, Section, SectionName, Severity, Subject
from ..gainsight.codes import EXTERNAL_ID_EXISTS, NO_MATCH
from .plan import Plan
from .upload_journal import FAILED, HELD, Journal, RecordRow

__all__ = [
    "HELD_BACK",
    "NOT_PREDICTED",
    "PREDICTED",
    "TENANT_ONLY",
    "TENANT_ONLY_CODES",
    "UNSETTLED",
    "label_for",
    "upload_section",
]

TENANT_ONLY_CODES: Final = frozenset({EXTERNAL_ID_EXISTS, NO_MATCH})
"""Codes whose rule needs the tenant's data: no payload file can show them for certain."""

PREDICTED: Final = "UP101"
TENANT_ONLY: Final = "UP102"
NOT_PREDICTED: Final = "UP103"
HELD_BACK: Final = "UP104"
UNSETTLED: Final = "UP105"
_LABELS: Final = {PREDICTED: "predicted and confirmed", TENANT_ONLY: "tenant-only rule", NOT_PREDICTED: "not predicted"}


def label_for(code: str | None, predicted: Iterable[Finding]) -> str:
    """The rule id of a tenant failure with ``code``, given the validator's findings for that record."""
    if code is not None and any(f.code == code for f in predicted):
        return PREDICTED
    if code in TENANT_ONLY_CODES:
        return TENANT_ONLY
    return NOT_PREDICTED


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def plan_subjects(plan: Plan, states: Mapping[int, str] | None = None) -> list[Subject]:
    """The plan as subjects: one summary, then one per request in sending order."""
    files = len({b.path for b in plan.batches})
    calls = " and ".join(str(g) for g in plan.groups) or "no calls"
    summary = f"{plan.records} records of {files} files in {calls}: about {_duration(plan.seconds)} of quota spacing"
    subjects = [Subject(name=summary, kind=PLAN_KIND)]
    for batch in plan.batches:
        state = (states or {}).get(batch.number, "planned")
        name = (
            f"request {batch.number}: {batch.operation} {batch.path} records {batch.start + 1}-{batch.end} "
            f"({batch.size:,} bytes) {state}"
        )
        subjects.append(Subject(name=name, kind=PLAN_REQUEST, count=batch.count))
    return subjects


def _finding(row: RecordRow, predicted: Iterable[Finding]) -> Finding | None:
    where = {"path": row.path, "line": row.line, "column": row.column, "pointer": f"/records/{row.index}"}
    if row.verdict == FAILED:
        rule = label_for(row.code, predicted)
        message = f"{_LABELS[rule]}: the tenant refused the record: {row.message or 'no message'}"
        return Finding(rule=rule, severity=Severity.ERROR, message=message, code=row.code, **where)  # type: ignore[arg-type]
    if row.verdict == HELD:
        message = f"held back, not sent: {row.message or 'the validator found errors in it'}"
        return Finding(rule=HELD_BACK, severity=Severity.ERROR, message=message, **where)  # type: ignore[arg-type]
    if row.verdict is None and row.batch is not None:
        message = "no verdict yet: resume the upload to settle it"
        return Finding(rule=UNSETTLED, severity=Severity.ERROR, message=message, **where)  # type: ignore[arg-type]
    return None


def upload_section(
    plan: Plan, journal: Journal | None, predictions: Mapping[tuple[str, int], list[Finding]]
) -> Section:
    """The ``upload`` section: the plan and request states, then one subject per file with its verdicts."""
    states = {b.number: state for b, state, _ in journal.batches()} if journal is not None else None
    subjects = plan_subjects(plan, states)
    if journal is not None:
        per_file: dict[str, tuple[int, list[Finding]]] = {}
        for row in journal.records():
            count, found = per_file.setdefault(row.path, (0, []))
            finding = _finding(row, predictions.get((row.path, row.index), ()))
            if finding is not None:
                found.append(finding)
            per_file[row.path] = (count + (row.verdict not in (None, HELD)), found)
        for path, (settled, found) in per_file.items():
            subjects.append(Subject(name=path, kind="upload", count=settled, findings=tuple(found)))
    return Section(SectionName.UPLOAD, tuple(subjects))
