"""Findings and the report that carries them: the values every part of gscontract produces and renders.

Spec lint, payload validation and contract checks all emit the same :class:`Finding`. A :class:`Report`
groups them by :class:`Section` and :class:`Subject` (a file or an API operation) and remembers which
rules ran over each subject, so renderers can count passes as well as failures.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

__all__ = [
    "PLAN_KIND",
    "PLAN_REQUEST",
    "SKIPPED",
    "Finding",
    "MatrixRow",
    "Report",
    "RunMeta",
    "Section",
    "SectionName",
    "Severity",
    "Subject",
    "Summary",
]


PLAN_KIND = "plan"
"""The kind of an upload section's subjects that describe the plan (``plan``, ``plan:request``): shown as lines."""
PLAN_REQUEST = f"{PLAN_KIND}:request"
"""The kind of an upload plan's subject for one request; its ``count`` is the records the request carries."""

SKIPPED = "skipped"
"""The kind of a subject that was found but not checked: a file in a payload folder that is not a payload."""


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``ERROR > WARNING``."""

    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        """The lower-case name used in every output format."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity from its label (``error`` or ``warning``), case-insensitively.

        Raises:
            ValueError: the text names no severity.
        """
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected 'error' or 'warning')") from None


class SectionName(enum.StrEnum):
    """The parts of a run, in report order (an upload's plan and verdicts come last)."""

    SPECS = "specs"
    PAYLOADS = "payloads"
    CONTRACT = "contract"
    UPLOAD = "upload"

    @property
    def heading(self) -> str:
        """How reports and summaries name the part ("Spec lint", "Payload validation", "Contract checks")."""
        return _SECTION_TITLES[self]

    @property
    def docs(self) -> str:
        """The page of this repository's documentation that describes the part's rules or checks."""
        return _SECTION_DOCS[self]


_SECTION_DOCS = {
    SectionName.SPECS: "docs/specs.md#the-checks",
    SectionName.PAYLOADS: "docs/rules.md#payload-rules",
    SectionName.CONTRACT: "docs/contract.md#checks",
    SectionName.UPLOAD: "docs/upload.md#the-report",
}
_SECTION_TITLES = {
    SectionName.SPECS: "Spec lint",
    SectionName.PAYLOADS: "Payload validation",
    SectionName.CONTRACT: "Contract checks",
    SectionName.UPLOAD: "Upload",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a spec, a payload file or a response, located as precisely as possible.

    ``path``/``line``/``column``/``pointer`` locate it in a file; ``operation`` names the API operation
    of a contract finding. ``code`` is the vendor's error code (``GS_TL_10_0215``) the tenant would
    return, when one is documented. Lines and columns are 1-based. ``folded`` counts the further findings
    like this one that were left out and that it stands for (see :mod:`gscontract.folding`); counts of
    findings count ``1 + folded`` for it.
    """

    rule: str
    severity: Severity
    message: str
    code: str | None = None
    path: str | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    operation: str | None = None
    reproduction: str | None = None
    folded: int = 0

    def sort_key(self) -> tuple[str, str, int, int, str, str, str]:
        """Order findings by where they are, then by rule, so output is stable."""
        return (
            self.path or "",
            self.operation or "",
            self.line or 0,
            self.column or 0,
            self.pointer or "",
            self.rule,
            self.message,
        )

    @property
    def location(self) -> str:
        """``path:line:col`` of a file finding, the operation of a contract finding, else ``<run>``."""
        if self.path is not None:
            parts = [self.path]
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
            return ":".join(parts)
        return self.operation or "<run>"

    def located(self, *, line: int | None, column: int | None) -> Finding:
        """Return a copy with its line and column filled in."""
        return replace(self, line=line, column=column)


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=Finding.sort_key))


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing that was checked: a spec file, a payload file, or an API operation.

    ``count`` is what the subject holds (records of a payload file, operations of a spec, cases of an
    operation). ``rules`` are the ids of the rules or checks that ran over it, passes included.
    ``seconds`` is the wall-clock time spent reading and checking it, where that was measured.
    """

    name: str
    kind: str
    count: int = 0
    rules: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    seconds: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", _sorted(self.findings))
        object.__setattr__(self, "rules", tuple(sorted(set(self.rules))))

    @property
    def checks_evaluated(self) -> int:
        """How many rules or checks were applied to the subject: those listed, and any that reported."""
        return len(set(self.rules) | {f.rule for f in self.findings})

    def failed_rules(self) -> frozenset[str]:
        """Ids of the rules with at least one error on this subject."""
        return frozenset(f.rule for f in self.findings if f.severity is Severity.ERROR)


@dataclass(frozen=True, slots=True)
class Section:
    """The subjects of one part of a run (spec lint, payload validation or contract checks)."""

    name: SectionName
    subjects: tuple[Subject, ...] = ()
    observed: tuple[str, ...] = ()
    """What the section's checks saw in answers: statuses (``HTTP 401``) and Gainsight error codes.

    A documented code that was seen counts as exercised in the compliance matrix, even with no rule
    of its own (``GS_APIG_2401`` of the 401 checks)."""

    def findings(self) -> Iterator[Finding]:
        """Every finding of the section, subject by subject."""
        for subject in self.subjects:
            yield from subject.findings


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One line of the compliance matrix: a documented rule and what this run made of it.

    ``status`` is ``passed`` (exercised, no error), ``failed`` (at least one error) or ``not-run``.
    ``rule`` is empty for a documented error code that no rule or check carries. ``subjects`` counts
    the subjects the rule ran over; ``errors`` and ``warnings`` count its findings.
    """

    rule: str
    code: str | None
    summary: str
    section: SectionName
    status: str
    subjects: int = 0
    errors: int = 0
    warnings: int = 0


@dataclass(frozen=True, slots=True)
class RunMeta:
    """Facts about the run itself; the only part of a report allowed to change between equal runs."""

    tool_version: str
    started: str | None = None
    duration_seconds: float | None = None
    target: str | None = None
    seed: int | None = None
    profile: str | None = None
    spec_hashes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over a whole report."""

    files: int
    records: int
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a run found, ready for any renderer; renderers never filter or re-check it."""

    sections: tuple[Section, ...] = ()
    meta: RunMeta | None = None
    matrix: tuple[MatrixRow, ...] = field(default=())

    def section(self, name: SectionName) -> Section | None:
        """The section of that name, if the run had one."""
        return next((s for s in self.sections if s.name == name), None)

    def findings(self) -> Iterator[Finding]:
        """Every finding of every section."""
        for section in self.sections:
            yield from section.findings()

    def summary(self) -> Summary:
        """Count payload files (those skipped as not payloads aside), records, errors and warnings."""
        payloads = self.section(SectionName.PAYLOADS)
        subjects = payloads.subjects if payloads else ()
        errors = warnings = 0
        for finding in self.findings():
            if finding.severity is Severity.ERROR:
                errors += 1 + finding.folded
            else:
                warnings += 1 + finding.folded
        return Summary(
            files=sum(1 for s in subjects if s.kind != SKIPPED),
            records=sum(s.count for s in subjects),
            errors=errors,
            warnings=warnings,
        )

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> int:
        """``1`` when any finding is at or above ``fail_on``, else ``0``."""
        return int(any(f.severity >= fail_on for f in self.findings()))
