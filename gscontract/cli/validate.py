"""``gscontract validate``: lint payload files before they are uploaded."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import load_config
from ..documented import payload_rule_infos
from ..findings import Severity
from ..folding import DEFAULT_MAX_FINDINGS
from ..gainsight.profiles import PROFILES
from ..payload.kinds import IDENTIFIERS, Kind
from ..reporting.matrix import with_matrix
from ..validator import PayloadFile, ValidateOptions
from ._jobs import jobs_options, run_validation
from ._output import FAIL_ON
from ._payloads import (
    ALLOW_EMPTY,
    LOOKUPS,
    STDIN_FILENAME,
    TENANT,
    lookups_table,
    note_skipped,
    payload_files,
    tenant_checks,
    with_stdin,
)
from ._report_targets import EXIT_ZERO, FORMATS, OUTPUTS, report_targets, write_targets

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
@FORMATS
@OUTPUTS
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that fails the run [default: error].")
@click.option("--profile", type=click.Choice(PROFILES), help="Documentation profile.")
@click.option("--select", multiple=True, help="Only these rules (ids, names or prefixes); repeatable.")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, names or prefixes); repeatable.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml.")
@TENANT
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_FINDINGS,
    show_default=True,
    help="Findings of one rule listed per file; alike ones past it are folded into one that counts them (0: list all).",
)
@LOOKUPS
@ALLOW_EMPTY
@STDIN_FILENAME
@EXIT_ZERO
@jobs_options
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    kind: str,
    identifier: str | None,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    fail_on: str | None,
    profile: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    tenant_path: Path | None,
    max_findings: int,
    lookups_path: Path | None,
    allow_empty: bool,
    stdin_filename: str | None,
    exit_zero: bool,
    jobs: int | None,
    shard: str | None,
    shard_file: Path | None,
    merge: tuple[Path, ...],
) -> None:
    """Validate activity and event payload files (.json, .jsonl, .ndjson, or folders of them).

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error.
    """
    config = load_config(config_path)
    if not paths and not config.payloads and not merge:
        raise click.UsageError("give one or more payload files or folders (or set payloads in [tool.gscontract])")
    targets = report_targets(formats, outputs)  # before anything is read: a mistake here costs nothing
    files: list[Path | PayloadFile]
    if merge:
        files = list(paths)  # --merge reads shard files only: run_validation refuses payload paths with it
    else:
        files = list(payload_files(with_stdin(paths, stdin_filename), config, allow_empty=allow_empty))
    options = ValidateOptions(
        kind=None if kind == "auto" else Kind(kind),
        identifier=identifier.lower() if identifier else None,
        profile=profile or config.profile,
        select=select or config.select,
        ignore=ignore or config.ignore,
        severities=config.severity,
        kinds=config.kinds,
        **tenant_checks(tenant_path),
        max_findings=max_findings,
        lookups=lookups_table(lookups_path, config),
        root=config.root,
    )
    report = run_validation(files, options, jobs=jobs, shard=shard, shard_file=shard_file, merge=merge)
    # The payload rules' matrix gives every format the rules' descriptions (SARIF's rule metadata).
    report = with_matrix(report, payload_rule_infos())
    # A shard may hold only files that are not payloads; the run as a whole is judged by --merge.
    note_skipped(report, allow_empty=allow_empty or shard is not None)
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    ctx.exit(write_targets(report, targets, threshold, exit_zero=exit_zero))
