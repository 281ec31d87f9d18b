"""``gscontract validate``: lint payload files before they are uploaded."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import load_config
from ..findings import Severity
from ..folding import DEFAULT_MAX_FINDINGS
from ..gainsight.profiles import PROFILES
from ..payload.kinds import IDENTIFIERS, Kind
from ..reporting import REPORTERS
from ..validator import ValidateOptions
from ._jobs import jobs_options, run_validation
from ._output import FAIL_ON, write_report

__all__ = ["validate"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["auto", *(k.value for k in Kind)]),
    default="auto",
    show_default=True,
    help="Payload kind; auto reads it from the file name, the config's kinds table, then the content.",
)
@click.option(
    "--identifier",
    type=click.Choice(IDENTIFIERS, case_sensitive=False),
    help="How update records are matched (default activityid, as the API).",
)
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout.")
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that fails the run [default: error].")
@click.option("--profile", type=click.Choice(PROFILES), help="Documentation profile.")
@click.option("--select", multiple=True, help="Only these rules (ids, names or prefixes); repeatable.")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, names or prefixes); repeatable.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml.")
@click.option(
    "--tenant",
    "tenant_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tenant data file; its customFields types the Ant__*__c fields (else they are judged by their values).",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_FINDINGS,
    show_default=True,
    help="Findings of one rule listed per file; alike ones past it are folded into one that counts them (0: list all).",
)
@jobs_options
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    kind: str,
    identifier: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    profile: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    tenant_path: Path | None,
    max_findings: int,
    jobs: int | None,
    shard: str | None,
    shard_file: Path | None,
    merge: tuple[Path, ...],
) -> None:
    """Validate activity and event payload files (.json, .jsonl, .ndjson, or folders of them).

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error.
    """
    config = load_config(config_path)
    if not paths and not merge:
        paths = tuple(_globbed(config.root, config.payloads)) if config.payloads else ()
    if not paths and not merge:
        raise click.UsageError("give one or more payload files or folders (or set payloads in [tool.gscontract])")
    options = ValidateOptions(
        kind=None if kind == "auto" else Kind(kind),
        identifier=identifier.lower() if identifier else None,
        profile=profile or config.profile,
        select=select or config.select,
        ignore=ignore or config.ignore,
        severities=config.severity,
        kinds=config.kinds,
        custom_field_types=_custom_fields(tenant_path),
        max_findings=max_findings,
    )
    report = run_validation(paths, options, jobs=jobs, shard=shard, shard_file=shard_file, merge=merge)
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    ctx.exit(write_report(report, fmt, output, threshold))


def _custom_fields(tenant_path: Path | None) -> dict[str, str]:
    """The tenant file's field types; its reader loads only when a file is given (start-up stays light)."""
    if tenant_path is None:
        return {}
    from ..tenants.reference import load_tenant

    return dict(load_tenant(tenant_path).custom_fields)


def _globbed(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found.extend(sorted(root.glob(pattern)))
    return found
