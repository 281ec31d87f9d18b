"""What the human-facing formats share: the checks a report records, safe display text and tallies.

A *check* is one rule (or contract check) that ran over one subject. The JUnit, Markdown and HTML
formats count passes from checks, so they all agree on what "passed" means: a rule that ran over a
subject and found no error there (warnings do not fail a check).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..findings import (
    PLAN_KIND,
    PLAN_REQUEST,
    SKIPPED,
    Finding,
    MatrixRow,
    Report,
    Section,
    SectionName,
    Severity,
    Subject,
)

__all__ = [
    "SECTION_TITLES",
    "TRUNCATE_AT",
    "Check",
    "SectionStats",
    "Tally",
    "checks",
    "clip",
    "counted",
    "location",
    "plan_lines",
    "rule_index",
    "section_stats",
    "split_code",
    "tally",
    "visible",
]

TRUNCATE_AT = 2000
"""Longest text (in characters) a renderer shows of one message, reproduction or name."""

SECTION_TITLES: dict[SectionName, str] = {name: name.heading for name in SectionName}

# Characters that XML 1.0 forbids or that print as nothing: C0 controls other than tab, newline and
# carriage return, DEL, lone surrogates (which cannot even be encoded as UTF-8) and the two non-characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def location(finding: Finding) -> str:
    """``path:line:col`` of a file finding, the operation of a contract finding, else ``<run>``."""
    return finding.location


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""Text with control characters, lone surrogates and non-characters written as ``\xNN`` or ``\uNNNN``.

    A NUL byte in a payload must not make the JUnit file unreadable XML or vanish from a page.
    """
    return _INVISIBLE.sub(_visible, text)


def clip(text: str, limit: int = TRUNCATE_AT) -> str:
    """Make text fit any output: cut to ``limit`` characters with its full size shown, and :func:`visible`.

    A payload's text reaches reports through messages and reproductions; a 30,000-character Notes
    value must not bury the report.
    """
    if len(text) > limit:
        text = f"{text[:limit]}… [truncated: {limit:,} of {len(text):,} characters shown]"
    return visible(text)


@dataclass(frozen=True, slots=True)
class Check:
    """One rule that ran over one subject, with the findings it produced there."""

    section: SectionName
    subject: Subject
    rule: str
    findings: tuple[Finding, ...]

    @property
    def status(self) -> str:
        """``failed`` with an error, ``warned`` with warnings only, else ``passed``."""
        if any(f.severity is Severity.ERROR for f in self.findings):
            return "failed"
        return "warned" if self.findings else "passed"


def checks(report: Report) -> Iterator[Check]:
    """Every (subject, rule) pair of the report in report order, rules sorted by id within a subject.

    A rule counts as having run when the subject lists it or when it produced a finding there.
    """
    for section in report.sections:
        for subject in section.subjects:
            by_rule: dict[str, list[Finding]] = {rule: [] for rule in subject.rules}
            for finding in subject.findings:
                by_rule.setdefault(finding.rule, []).append(finding)
            for rule in sorted(by_rule):
                yield Check(section.name, subject, rule, tuple(by_rule[rule]))


@dataclass(frozen=True, slots=True)
class Tally:
    """Outcome counts of the checks that share one label (a rule id, an operation, a section)."""

    label: str
    passed: int = 0
    warned: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """All checks counted."""
        return self.passed + self.warned + self.failed


def tally(items: Iterable[tuple[str, Check]]) -> list[Tally]:
    """Count check outcomes per label, labels in first-seen order."""
    counts: dict[str, dict[str, int]] = {}
    for label, check in items:
        counts.setdefault(label, {"passed": 0, "warned": 0, "failed": 0})[check.status] += 1
    return [Tally(label, **c) for label, c in counts.items()]


def rule_index(report: Report) -> dict[str, MatrixRow]:
    """The report's matrix rows by rule id, to show each rule's summary and code next to its id."""
    return {row.rule: row for row in report.matrix if row.rule}


def split_code(text: str) -> list[tuple[bool, str]]:
    """Split text at backtick pairs into ``(is_code, part)`` pieces, so `names` render as code.

    Rule summaries and messages quote field names in backticks. Each renderer escapes every piece
    itself; an unpaired backtick stays plain text.
    """
    pieces = text.split("`")
    if len(pieces) % 2 == 0:
        # An odd number of backticks: keep the last one as text with what follows it.
        pieces[-2:] = [pieces[-2] + "`" + pieces[-1]]
    return [(i % 2 == 1, piece) for i, piece in enumerate(pieces) if piece]


@dataclass(frozen=True, slots=True)
class SectionStats:
    """The numbers of one section's summary line: subjects, check outcomes and findings."""

    name: SectionName
    title: str
    subjects: int
    items: int
    checks: Tally
    errors: int
    warnings: int


def counted(section: Section) -> list[Subject]:
    """The subjects a section's summary counts, with the items they hold.

    An upload's section holds its plan (one subject per request, with its records) and then one subject per
    file with its verdicts: counting both would count every record twice, so the requests alone count.
    Elsewhere every subject counts but files a run passed over as not payloads (``skipped``).
    """
    if section.name is SectionName.UPLOAD:
        return [s for s in section.subjects if s.kind == PLAN_REQUEST]
    return [s for s in section.subjects if s.kind != SKIPPED]


def section_stats(report: Report, all_checks: Iterable[Check]) -> list[SectionStats]:
    """One :class:`SectionStats` per section of the report, in report order."""
    tallies = {t.label: t for t in tally((c.section.value, c) for c in all_checks)}
    stats = []
    for section in report.sections:
        findings = list(section.findings())
        errors = sum(1 + f.folded for f in findings if f.severity is Severity.ERROR)
        stats.append(
            SectionStats(
                name=section.name,
                title=SECTION_TITLES[section.name],
                subjects=len(counted(section)),
                items=sum(s.count for s in counted(section)),
                checks=tallies.get(section.name.value, Tally(section.name.value)),
                errors=errors,
                warnings=sum(1 + f.folded for f in findings) - errors,
            )
        )
    return stats


def plan_lines(report: Report) -> list[str]:
    """An upload's plan and request states as ``kind: text`` lines (raw: each format escapes them its way)."""
    upload = report.section(SectionName.UPLOAD)
    subjects = upload.subjects if upload is not None else ()
    return [f"{s.kind}: {s.name}" for s in subjects if s.kind.startswith(PLAN_KIND)]
