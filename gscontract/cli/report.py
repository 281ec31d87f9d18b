"""``gscontract report``: render a saved ``report.json`` in another format without running anything again."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from ..errors import UsageError
from ..findings import Report, Severity
from ..reporting import REPORTERS, format_for_path, get_reporter
from ..reporting.json_ import report_from_dict
from ._output import FAIL_ON, open_output

__all__ = ["load_report", "report"]


def load_report(path: Path) -> Report:
    """Read a ``report.json`` written by gscontract.

    Raises:
        UsageError: the file cannot be read, is not JSON, or is not a gscontract report; the one-line
            message names the file and the line, column or field at fault.
    """
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    try:
        return report_from_dict(data)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _format_for(output: Path | None) -> str:
    """The format ``-o`` implies by its suffix; text for stdout or a suffix no format declares."""
    return (format_for_path(output) if output is not None else None) or "text"


# The usual suffix of each format, as the formats declare them, for --format's help.
_USUAL_SUFFIXES = " ".join(fmt.suffixes[0] for fmt in REPORTERS.values() if fmt.suffixes)


@click.command()
@click.argument("report_json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    help=f"Output format [default: from the -o file's suffix ({_USUAL_SUFFIXES}), else text].",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout.")
@click.option("--fail-on", type=FAIL_ON, help="Exit 1 when the report has findings at or above this severity.")
@click.pass_context
def report(ctx: click.Context, report_json: Path, fmt: str | None, output: Path | None, fail_on: str | None) -> None:
    """Re-render a saved report.json (from `gscontract run` or `--format json`) in another format.

    Exit status: 0 rendered; 1 only with --fail-on and findings at or above it; 2 unreadable report.
    """
    loaded = load_report(report_json)
    render = get_reporter(fmt or _format_for(output))
    with open_output(output) as out:
        render(loaded, out)
    ctx.exit(loaded.exit_code(Severity.parse(fail_on)) if fail_on else 0)
