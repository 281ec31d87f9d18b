"""Where ``validate`` writes its report: one or more formats, each to a file of its own or standard output.

``--format`` and ``-o`` repeat, and pair by position: the first ``-o`` receives the first format, the
second the second, and so on; a format left without an ``-o`` goes to standard output, which at most
one may. ``--format text --format sarif -o report.sarif`` therefore writes ``report.sarif`` and prints
the text; ``--format sarif -o report.sarif --format github`` writes the file and prints annotations.
``--exit-zero`` makes findings exit 0, as ruff's option of that name does; a usage error still exits 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import UsageError
from ..findings import Report, Severity
from ..reporting import REPORTERS
from ._output import write_report

__all__ = ["EXIT_ZERO", "FORMATS", "OUTPUTS", "ReportTarget", "report_targets", "write_targets"]

DEFAULT_FORMAT = "text"

FORMATS = click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(sorted(REPORTERS)),
    help="Report format; repeat for several, each written to the -o in the same position [default: text].",
)
OUTPUTS = click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the --format in the same position here, not to stdout; repeatable.",
)
EXIT_ZERO = click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on (usage errors still exit 2)."
)


@dataclass(frozen=True, slots=True)
class ReportTarget:
    """One format of the report and where it goes (``None``: standard output)."""

    fmt: str
    output: Path | None


def report_targets(formats: Sequence[str], outputs: Sequence[Path]) -> list[ReportTarget]:
    """Pair formats with outputs by position; a format without an output goes to standard output.

    Raises:
        UsageError: more outputs than formats, two formats for standard output, or one file given twice.
    """
    chosen = list(formats) or [DEFAULT_FORMAT]
    if len(outputs) > len(chosen):
        extra = ", ".join(str(o) for o in outputs[len(chosen) :])
        raise UsageError(f"-o {extra}: no --format in its position; give one --format per -o")
    targets = [ReportTarget(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(chosen)]
    to_stdout = [t.fmt for t in targets if t.output is None]
    if len(to_stdout) > 1:
        both = ", ".join(to_stdout)
        raise UsageError(f"--format {both}: only one format can go to standard output; give the others an -o")
    seen: set[Path] = set()
    for target in targets:
        if target.output is not None:
            resolved = target.output.resolve()
            if resolved in seen:
                raise UsageError(f"-o {target.output}: given for two formats")
            seen.add(resolved)
    return targets


def write_targets(report: Report, targets: Sequence[ReportTarget], fail_on: Severity, *, exit_zero: bool) -> int:
    """Write every target (files first, standard output last) and return the exit code."""
    code = 0
    for target in sorted(targets, key=lambda t: t.output is None):
        code = write_report(report, target.fmt, target.output, fail_on)
    return 0 if exit_zero else code
