"""The ``text`` format: one ``path:line:col: RULE CODE message`` line per finding and a summary.

Colours are used only when writing to a terminal and ``NO_COLOR`` is unset. Every piece of a line that can
come from a payload (the file name, the message, the pointer) goes through :func:`~gscontract.safetext.one_line`,
so a payload cannot print a line of its own or act on the terminal.
"""

from __future__ import annotations

import os
from typing import TextIO

from ..findings import Finding, Report, SectionName, Severity
from ..safetext import one_line
from . import reporter
from ._view import counted, plan_lines

__all__ = ["finding_line", "write_text"]

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_WORDS = {
    SectionName.SPECS: ("spec", "operation"),
    SectionName.PAYLOADS: ("file", "record"),
    SectionName.CONTRACT: ("operation", "request"),
    SectionName.UPLOAD: ("request", "record"),
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def finding_line(finding: Finding, *, color: bool = False) -> str:
    """Render one finding as ``location: RULE [CODE] message (at pointer)``."""
    # A saved report read back by `gscontract report` is a file like any other: its rule ids and codes too.
    rule = one_line(finding.rule)
    code = f" {one_line(finding.code)}" if finding.code else ""
    where = f" (at {one_line(finding.pointer)})" if finding.pointer else ""
    if color:
        tone = _COLOURS[finding.severity]
        return (
            f"{_BOLD}{one_line(finding.location)}{_RESET}: {tone}{rule}{_RESET}{code} "
            f"{one_line(finding.message)}{_DIM}{where}{_RESET}"
        )
    return f"{one_line(finding.location)}: {rule}{code} {one_line(finding.message)}{where}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@reporter("text", filename="report.txt", suffixes=(".txt",))
def write_text(report: Report, out: TextIO) -> None:
    """Write every finding on its own line, then one summary line."""
    color = bool(getattr(out, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
    # An upload's plan and request states are subjects, not findings; they are what a dry run is for.
    for line in plan_lines(report):
        out.write(one_line(line) + "\n")
    for finding in report.findings():
        out.write(finding_line(finding, color=color) + "\n")
    parts = []
    for section in report.sections:
        subject_word, count_word = _WORDS[section.name]
        subjects = counted(section)
        parts.append(f"{_plural(len(subjects), subject_word)}, {_plural(sum(s.count for s in subjects), count_word)}")
    summary = report.summary()
    tally = f"{_plural(summary.errors, 'error')}, {_plural(summary.warnings, 'warning')}"
    out.write(f"{'; '.join(parts) or 'nothing checked'}: {tally}\n")
