"""Shared plumbing of the commands: choose a reporter, write the report, compute the exit code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from ..errors import UsageError
from ..findings import Report, Severity
from ..reporting import get_reporter

__all__ = ["FAIL_ON", "open_output", "write_report"]

FAIL_ON = click.Choice(["error", "warning"], case_sensitive=False)


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
