"""The ``github`` format: one GitHub Actions workflow command per finding, shown as an annotation.

``::error file=payloads/a.json,line=3,col=5,title=TL303 GSOBJ_1001::Subject is 300 characters...``:
GitHub Actions turns each line a step prints into an annotation on the file and line of the pull
request's diff, as ``ruff --output-format github`` and ``spectral lint -f github-actions`` do. A
finding without a file (a contract check on an operation) is annotated on the run, its operation
leading the message. The format is for a CI log only, so it is never written into a report folder.

Workflow commands escape ``%``, carriage return and line feed in the message, and ``:`` and ``,`` too
in a property; a payload's text therefore cannot end a command early or start one of its own.
"""

from __future__ import annotations

from typing import TextIO

from ..findings import Finding, Report, Severity
from . import reporter
from ._view import clip, plan_lines

__all__ = ["annotation", "write_github"]

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}
_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def _data(text: str) -> str:
    return clip(text).translate(_DATA_ESCAPES)


def _property(text: str) -> str:
    return clip(text, 500).translate(_PROPERTY_ESCAPES)


def annotation(finding: Finding) -> str:
    """The workflow command that annotates one finding (at its file, line and column when it has them)."""
    props = []
    if finding.path is not None:
        props.append(f"file={_property(finding.path)}")
        if finding.line is not None:
            props.append(f"line={finding.line}")
            if finding.column is not None:
                props.append(f"col={finding.column}")
    title = finding.rule + (f" {finding.code}" if finding.code else "")
    props.append(f"title={_property(title)}")
    message = finding.message
    if finding.path is None and finding.operation is not None:
        message = f"{finding.operation}: {message}"
    if finding.folded:
        message += f" (and {finding.folded} more like it)"
    return f"::{_LEVELS[finding.severity]} {','.join(props)}::{_data(message)}"


# No file name: annotations belong in a CI log, not in a report folder.
@reporter("github", filename="", suffixes=())
def write_github(report: Report, out: TextIO) -> None:
    """Write one annotation line per finding, in report order, after an upload's plan as notices."""
    for line in plan_lines(report):
        out.write(f"::notice title=upload plan::{_data(line)}\n")
    for finding in report.findings():
        out.write(annotation(finding) + "\n")
