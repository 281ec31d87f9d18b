"""``gscontract specs lint``: check the OpenAPI specs that drive the suite."""

from __future__ import annotations

from pathlib import Path

import click

from ..findings import Severity
from ..reporting import REPORTERS
from ._output import write_report

__all__ = ["specs"]


@click.group()
def specs() -> None:
    """Work with the OpenAPI specs (the bundled ones or your own)."""


@specs.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout.")
@click.pass_context
def lint(ctx: click.Context, paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Lint OpenAPI spec files or folders (default: the bundled timeline and events specs).

    Runs openapi-spec-validator and gscontract's checks SP101-SP110: operationId, summary, a 2xx
    response with a schema, 401 and 429 on every operation, examples valid against their schemas,
    every $ref resolved, no unused components.

    Exit status: 0 clean, 1 findings, 2 usage error (such as a missing file).
    """
    from ..specfiles import SPEC_NAMES, spec_path
    from ..speclint import lint_spec_paths

    targets = paths or tuple(spec_path(name) for name in SPEC_NAMES)
    report = lint_spec_paths(targets)
    ctx.exit(write_report(report, fmt, output, Severity.ERROR))
