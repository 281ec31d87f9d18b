"""Shared plumbing of the commands: choose a reporter, write the report, compute the exit code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import click

from ..errors import UsageError
from ..findings import Report, Severity
from ..reporting import REPORTERS, get_reporter

__all__ = ["FAIL_ON", "REPORT_FILES", "open_output", "write_report", "write_report_files"]

FAIL_ON = click.Choice(["error", "warning"], case_sensitive=False)

REPORT_FILES = {name: fmt.filename for name, fmt in REPORTERS.items()}
"""The file each format is written to in a report folder, as the format declares it, in writing order."""


@contextlib.contextmanager
def open_output(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``output`` opened for writing (its folder is created).

    Raises:
        UsageError: the file cannot be written.
    """
    if output is None:
        yield sys.stdout
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = output.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
    with handle:
        yield handle


def write_report(report: Report, fmt: str, output: Path | None, fail_on: Severity) -> int:
    """Render ``report`` in ``fmt`` to ``output`` (or stdout) and return the exit code."""
    render = get_reporter(fmt)
    with open_output(output) as out:
        render(report, out)
    return report.exit_code(fail_on)


def write_report_files(report: Report, directory: Path, formats: Iterable[str] = REPORT_FILES) -> list[Path]:
    """Write ``report`` into ``directory`` once per format, under the names of :data:`REPORT_FILES`."""
    written = []
    for name in formats:
        path = directory / REPORT_FILES[name]
        with open_output(path) as out:
            get_reporter(name)(report, out)
        written.append(path)
    return written
