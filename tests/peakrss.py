"""Peak memory of one command, measured by a small launcher so that the test process's own size never counts.

Linux carries a process's peak RSS across ``exec``: a command forked from a pytest worker that has grown to
800 MB reports at least 800 MB, whatever it used itself. The launcher is a fresh interpreter of a few
megabytes that runs the command as its child and writes that child's peak (``RUSAGE_CHILDREN``) to a file.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["launched", "peak_bytes"]

_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)


def launched(command: Sequence[str], report: Path) -> list[str]:
    """``command`` run through the launcher, which writes the command's peak RSS to ``report``."""
    return [sys.executable, "-c", _LAUNCHER, str(report), *command]


def peak_bytes(report: Path) -> int:
    """The peak RSS the launcher wrote, in bytes (``ru_maxrss`` is in kilobytes on Linux)."""
    return int(report.read_text()) * 1024
