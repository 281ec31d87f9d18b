"""The contract, as pytest tests: every operation of both specs keeps it, and the run completed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ..contract.engine.options import APIS, operations
from ..findings import Finding, Severity, Subject

if TYPE_CHECKING:
    from ..contract.engine.runner import ContractRun

OPERATIONS = [name for api in APIS for name, _ in operations(api)]


def _subject(run: ContractRun, name: str) -> Subject | None:
    return next((s for section in run.report.sections for s in section.subjects if s.name == name), None)


def _describe(finding: Finding) -> str:
    code = f" [{finding.code}]" if finding.code else ""
    text = f"{finding.rule}{code}: {finding.message}"
    if finding.reproduction:
        text += "\n    reproduce: " + finding.reproduction.replace("\n", "\n               ")
    return text


def _errors(subject: Subject) -> list[Finding]:
    return [f for f in subject.findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_keeps_the_contract(gsc_contract: ContractRun, operation: str) -> None:
    """No check failed on the operation (warnings are reported, not failed)."""
    subject = _subject(gsc_contract, operation)
    if subject is None:
        pytest.skip(f"{operation} is not part of this run (--gsc-api)")
    errors = _errors(subject)
    if errors:
        pytest.fail(f"{operation}: {len(errors)} failed check(s)\n" + "\n".join(map(_describe, errors)), pytrace=False)


def test_run_completed(gsc_contract: ContractRun) -> None:
    """The run did everything it planned: no error, interruption, unreachable tenant or failed cleanup."""
    subject = _subject(gsc_contract, "<run>")
    errors = _errors(subject) if subject is not None else []
    if errors:
        pytest.fail("the contract run did not complete:\n" + "\n".join(map(_describe, errors)), pytrace=False)
