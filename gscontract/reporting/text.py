"""The ``text`` format: one ``path:line:col: RULE CODE message`` line per finding and a summary.

Colours are used only when writing to a terminal and ``NO_COLOR`` is unset.
"""

from __future__ import annotations

import os
from typing import TextIO

from ..findings import Finding, Report, SectionName, Severity
from . import reporter
from ._view import visible

__all__ = ["finding_line", "write_text"]

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_WORDS = {
    SectionName.SPECS: ("spec", "operation"),
    SectionName.PAYLOADS: ("file", "record"),
    SectionName.CONTRACT: ("operation", "case"),
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def finding_line(finding: Finding, *, color: bool = False) -> str:
    """Render one finding as ``location: RULE [CODE] message (at pointer)``."""
    code = f" {finding.code}" if finding.code else ""
    where = f" (at {visible(finding.pointer)})" if finding.pointer else ""
    if color:
        tone = _COLOURS[finding.severity]
        return (
            f"{_BOLD}{visible(finding.location)}{_RESET}: {tone}{finding.rule}{_RESET}{code} "
            f"{visible(finding.message)}{_DIM}{where}{_RESET}"
        )
    return f"{visible(finding.location)}: {finding.rule}{code} {visible(finding.message)}{where}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@reporter("text", filename="report.txt", suffixes=(".txt",))
def write_text(report: Report, out: TextIO) -> None:
    """Write every finding on its own line, then one summary line."""
    color = bool(getattr(out, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
    for finding in report.findings():
        out.write(finding_line(finding, color=color) + "\n")
    parts = []
    for section in report.sections:
        subject_word, count_word = _WORDS[section.name]
        total = sum(s.count for s in section.subjects)
        parts.append(f"{_plural(len(section.subjects), subject_word)}, {_plural(total, count_word)}")
    summary = report.summary()
    tally = f"{_plural(summary.errors, 'error')}, {_plural(summary.warnings, 'warning')}"
    out.write(f"{'; '.join(parts) or 'nothing checked'}: {tally}\n")
