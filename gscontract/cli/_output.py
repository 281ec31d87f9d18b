"""Shared plumbing of the commands: choose a reporter, write the report, compute the exit code."""

from __future__ import annotations

import contextlib
import os
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

REPORT_FILES = {name: fmt.filename for name, fmt in REPORTERS.items() if fmt.filename}
"""The file each format is written to in a report folder, as the format declares it, in writing order
(formats for a stream only, such as ``github``, have none)."""


@contextlib.contextmanager
def open_output(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``output`` opened for writing (its folder is created).

    The body only writes: an ``OSError`` in it (a full disk, ``/dev/full``, a closed pipe, a file of
    ``/proc``) is the output failing, and is raised as a usage error, as one that opening raises is.

    Raises:
        UsageError: the output cannot be written.
    """
    if output is None:
        try:
            yield sys.stdout
            sys.stdout.flush()  # now, while a failure can still be reported, not at interpreter exit
        except OSError as exc:
            _drop_stdout()
            raise UsageError(f"standard output: cannot write: {exc.strerror or exc}") from None
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = output.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None


def _drop_stdout() -> None:
    """Send what standard output still buffers to the null device.

    Python flushes standard output once more at exit; on a full disk or a closed pipe that flush fails too
    and prints a second error (and exit status 120) after ours. This is the remedy Python's documentation
    gives for a broken pipe.
    """
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


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
