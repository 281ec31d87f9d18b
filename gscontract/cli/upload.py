"""``gscontract upload``: validate, plan and send payload files to a tenant, resumably."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import load_config
from ..errors import UsageError
from ..findings import Severity
from ..gainsight.profiles import PROFILES
from ..payload.kinds import IDENTIFIERS, Kind
from ..redact import Redactor
from ..upload import DEFAULT_JOURNAL, UploadOptions, resume_upload, upload_paths
from ..validator import ValidateOptions
from . import INTERRUPTED
from ._payloads import LOOKUPS, TENANT, lookups_table, tenant_checks
from ._report_targets import FORMATS, OUTPUTS, report_targets, write_targets
from ._signals import sigterm_as_interrupt

__all__ = ["upload"]


def _confirm(host: str) -> None:
    """Ask before the first write, when a person is at the terminal; refusing ends the run."""
    if sys.stdin.isatty() and sys.stderr.isatty():
        click.confirm(f"Upload to {host}? This writes to the tenant", abort=True, err=True)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base-url", metavar="URL", help="The tenant to upload to (required with --allow-writes).")
@click.option(
    "--access-key",
    envvar="GAINSIGHT_ACCESS_KEY",
    show_envvar=True,
    metavar="KEY",
    help="The tenant's access key (never printed or written).",
)
@click.option(
    "--shared-secret",
    envvar="GAINSIGHT_SHARED_SECRET",
    show_envvar=True,
    metavar="SECRET",
    help="The Events Framework publisher's shared secret (never printed or written).",
)
@click.option("--tenant-id", metavar="ID", help="The Events Framework's tenantId header, for framework-events files.")
@click.option("--allow-writes", is_flag=True, help="Send the records; without it the upload is a dry run.")
@click.option("--dry-run", is_flag=True, help="Only print the plan (the default without --allow-writes).")
@click.option("--skip-invalid", is_flag=True, help="Send the clean records of files with errors; hold the rest back.")
@click.option("--resume", "resume", type=click.Path(dir_okay=False, path_type=Path), help="Continue this journal.")
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where the journal goes [default: {DEFAULT_JOURNAL} next to the first -o, else here].",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", Kind.TIMELINE_INSERT.value, Kind.TIMELINE_UPDATE.value]),
    default="auto",
    show_default=True,
    help="Payload kind; auto reads it from the file name and content.",
)
@click.option("--identifier", type=click.Choice(IDENTIFIERS, case_sensitive=False), help="How updates match.")
@click.option(
    "--profile", type=click.Choice(PROFILES), help="Documentation profile [default: the config's, else current]."
)
@click.option("--rate-limit", metavar="SPEC", help="The tenant's limits as GROUP=N/PERIOD,... (used as given).")
@click.option(
    "--bulk-share",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=0.5,
    show_default=True,
    help="Share of the hourly bulk quota the upload may use (other clients share the tenant).",
)
@click.option(
    "--max-records",
    type=click.IntRange(min=1),
    help="Most records per request [default: no limit; 1 with --single].",
)
@click.option("--single", is_flag=True, help="Send inserts with the synchronous single save, not bulk jobs.")
@click.option(
    "--max-duration",
    type=click.FloatRange(min=0, min_open=True),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop sending after this long; the journal says where, and --resume goes on.",
)
@click.option(
    "--job-timeout", type=click.FloatRange(min=0, min_open=True), default=600.0, show_default=True, metavar="SECONDS"
)
@click.option("--poll-interval", type=click.FloatRange(min=0.01), default=1.0, show_default=True, metavar="SECONDS")
@click.option("--redact-field", multiple=True, metavar="F", help="A body field whose value is secret; repeatable.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="pyproject.toml whose [tool.gscontract] validation settings apply, as for validate.",
)
@TENANT
@LOOKUPS
@FORMATS
@OUTPUTS
@click.pass_context
def upload(
    ctx: click.Context,
    paths: tuple[Path, ...],
    base_url: str | None,
    access_key: str | None,
    shared_secret: str | None,
    tenant_id: str | None,
    allow_writes: bool,
    dry_run: bool,
    skip_invalid: bool,
    resume: Path | None,
    journal: Path | None,
    kind: str,
    identifier: str | None,
    profile: str | None,
    rate_limit: str | None,
    bulk_share: float,
    max_records: int | None,
    single: bool,
    max_duration: float,
    job_timeout: float,
    poll_interval: float,
    redact_field: tuple[str, ...],
    config_path: Path | None,
    tenant_path: Path | None,
    lookups_path: Path | None,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
) -> None:
    """Upload Timeline activity files after validating them; a dry run (the default) prints the plan.

    Exit status: 0 every record accepted (or, dry, nothing to hold back), 1 any record failed, held back
    or unsettled, 2 usage error, 130 interrupted (resume with --resume JOURNAL).
    """
    if not paths and resume is None:
        raise UsageError("give one or more payload files or folders, or --resume JOURNAL")
    if paths and resume is not None:
        raise UsageError("--resume continues the journal's own files; give no paths with it")
    targets = report_targets(formats, outputs)
    if journal is None:
        folder = outputs[0].parent if outputs else Path()
        journal = folder / DEFAULT_JOURNAL
    redactor = Redactor(fields=redact_field).with_secrets(access_key, shared_secret)
    # The files are validated exactly as `validate` would check them, configuration included.
    config = load_config(config_path)
    validation = ValidateOptions(
        select=config.select,
        ignore=config.ignore,
        severities=config.severity,
        kinds=config.kinds,
        root=config.root,
        **tenant_checks(tenant_path),
    )
    options = UploadOptions(
        base_url=base_url,
        access_key=access_key,
        shared_secret=shared_secret,
        tenant_id=tenant_id,
        allow_writes=allow_writes and not dry_run,
        skip_invalid=skip_invalid,
        profile=profile or config.profile,
        rate_limit=rate_limit,
        bulk_share=bulk_share,
        max_duration=max_duration,
        job_timeout=job_timeout,
        poll_interval=poll_interval,
        max_records=max_records,
        single=single,
        journal=journal,
        kind=None if kind == "auto" else kind,
        identifier=identifier.lower() if identifier else None,
        lookups=lookups_table(lookups_path, config),
        validation=validation,
        redactor=redactor,
        confirm=_confirm,
        on_request=lambda b: click.echo(
            redactor.text(f"sending request {b.number}: {b.path} ({b.count} records)"), err=True
        ),
    )
    try:
        with sigterm_as_interrupt():
            outcome = resume_upload(resume, options) if resume is not None else upload_paths(paths, options)
    except KeyboardInterrupt:
        click.echo(f"interrupted: resume with gscontract upload --resume {journal}", err=True)
        ctx.exit(INTERRUPTED)
    if outcome.stopped:
        click.echo(redactor.text(outcome.stopped), err=True)
    code = write_targets(outcome.report, targets, Severity.ERROR, exit_zero=False)
    ctx.exit(max(code, outcome.exit_code))
