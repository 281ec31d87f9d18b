"""The main job in one call: lint the specs, validate payloads, run the contract, build one report.

``gscontract run`` is a thin wrapper around :func:`run_all`. The three steps are independent (a spec
finding does not stop the payload step), and their sections, the run's metadata and the compliance
matrix go into one :class:`~gscontract.findings.Report` that every format renders.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .documented import documented_codes, matrix_rules
from .findings import Finding, Report, RunMeta, Section, SectionName, Severity, Subject
from .redact import Redactor
from .reporting.matrix import RuleInfo, with_matrix
from .samples import sample_paths
from .specfiles import SPEC_NAMES, spec_path
from .speclint.linter import lint_spec_paths
from .validator import PayloadFile, ValidateOptions, expand_paths, validate_paths

if TYPE_CHECKING:
    from .contract.engine.options import ContractOptions
    from .contract.engine.runner import ContractRun

__all__ = [
    "RunOptions",
    "RunResult",
    "display_path",
    "documented_codes",
    "documented_rules",
    "payload_sources",
    "run_all",
]

Progress = Callable[[str, str], None]
"""Receives ``(step, line)``: the step is ``specs``, ``payloads`` or ``contract``."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What ``gscontract run`` does.

    ``payloads`` are the files and folders to validate; with ``None``, the bundled samples of the
    Timeline document are validated, each on its own (they share ExternalIds), and with ``()`` none.
    ``contract=None`` skips the contract step.
    """

    payloads: tuple[Path | PayloadFile, ...] | None = None
    validate: ValidateOptions = field(default_factory=ValidateOptions)
    contract: ContractOptions | None = None
    redactor: Redactor = field(default_factory=Redactor)


@dataclass(frozen=True, slots=True)
class RunResult:
    """The run's report, and the contract run's facts when there was one."""

    report: Report
    contract: ContractRun | None = None


def payload_sources(paths: Sequence[Path | PayloadFile] | None) -> list[list[Path | PayloadFile]]:
    """Groups of payload paths validated as one run each: all given paths together, or each sample alone."""
    if paths is None:
        return [[sample] for sample in sample_paths()]
    return [list(paths)] if paths else []


def display_path(path: Path) -> str:
    """How a report names a file: relative to the working folder, else to the installed package's parent.

    Bundled specs and samples live in the package; absolute paths would tie a report to one machine.
    """
    resolved = path.resolve()
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return str(path)


def _renamed(section: Section, names: dict[str, str]) -> Section:
    """The section with its subjects and findings named by ``names`` (old path -> display path)."""
    subjects = []
    for subject in section.subjects:
        name = names.get(subject.name, subject.name)
        findings = tuple(replace(f, path=names.get(f.path, f.path)) if f.path else f for f in subject.findings)
        subjects.append(replace(subject, name=name, findings=findings))
    return replace(section, subjects=tuple(subjects))


def _spec_hashes() -> tuple[tuple[str, str], ...]:
    return tuple(
        (display_path(spec_path(name)), hashlib.sha256(spec_path(name).read_bytes()).hexdigest()) for name in SPEC_NAMES
    )


def _redacted(section: Section, redactor: Redactor) -> Section:
    def clean(finding: Finding) -> Finding:
        reproduction = redactor.text(finding.reproduction) if finding.reproduction is not None else None
        return replace(finding, message=redactor.text(finding.message), reproduction=reproduction)

    subjects = tuple(replace(s, findings=tuple(clean(f) for f in s.findings)) for s in section.subjects)
    return replace(section, subjects=subjects)


def _payload_section(options: RunOptions) -> Section:
    subjects: list[Subject] = []
    for group in payload_sources(options.payloads):
        report = validate_paths(group, options=options.validate)
        payloads = report.section(SectionName.PAYLOADS)
        subjects.extend(payloads.subjects if payloads else ())
    section = Section(SectionName.PAYLOADS, tuple(subjects))
    if options.payloads is not None:
        return section  # the user's own paths, shown as they gave them
    return _renamed(section, {str(p): display_path(p) for p in sample_paths()})


def documented_rules() -> list[RuleInfo]:
    """What every registry documents, for the compliance matrix (see :func:`.documented.matrix_rules`).

    The matrix is built here and handed to reporting as data, so rendering a report needs no registry.
    """
    return matrix_rules()


def run_all(options: RunOptions, *, progress: Progress | None = None) -> RunResult:
    """Run spec lint, payload validation and (unless skipped) the contract; return one report.

    Raises:
        UsageError: a payload path does not exist, or the tenant cannot be reached.
    """
    say = progress or (lambda step, line: None)
    # A mistyped path must stop the run before minutes of contract checks, not after.
    for _ in expand_paths(options.payloads or ()):
        pass
    started = datetime.now(UTC)
    clock = time.monotonic()

    say("specs", "linting the bundled specs")
    bundled = [spec_path(name) for name in SPEC_NAMES]
    specs = _renamed(lint_spec_paths(bundled).sections[0], {str(p): display_path(p) for p in bundled})
    say("specs", _tally(specs))

    say("payloads", "validating " + _payloads_named(options.payloads))
    payloads = _payload_section(options)
    say("payloads", _tally(payloads))

    sections = [specs, payloads]
    contract_run = None
    target = seed = None
    if options.contract is not None:
        from .contract.engine.runner import run_contract

        say("contract", "starting")
        contract_run = run_contract(options.contract, progress=lambda line: say("contract", line))
        contract = contract_run.report.section(SectionName.CONTRACT)
        if contract is not None:
            sections.append(contract)
            say("contract", _tally(contract))
        target, seed = contract_run.target, contract_run.seed

    redactor = contract_run.redactor if contract_run is not None else options.redactor
    meta = RunMeta(
        tool_version=__version__,
        started=started.isoformat(timespec="seconds"),
        duration_seconds=round(time.monotonic() - clock, 3),
        target=target,
        seed=seed,
        profile=options.validate.profile,
        spec_hashes=_spec_hashes(),
    )
    report = Report(sections=tuple(_redacted(s, redactor) for s in sections), meta=meta)
    return RunResult(with_matrix(report, documented_rules(), codes=documented_codes()), contract_run)


def _payloads_named(payloads: Sequence[Path | PayloadFile] | None) -> str:
    if payloads is None:
        return "the bundled samples"
    names = [p.display if isinstance(p, PayloadFile) else str(p) for p in payloads]
    return ", ".join(names) or "no files"


def _tally(section: Section) -> str:
    errors = sum(1 for f in section.findings() if f.severity is Severity.ERROR)
    warnings = sum(1 for f in section.findings() if f.severity is Severity.WARNING)
    return f"{len(section.subjects)} checked: {errors} errors, {warnings} warnings"
