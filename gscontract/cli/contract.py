"""``gscontract contract``: run the contract tests against the embedded mock or a live tenant."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from ..config import load_config
from ..findings import Severity
from ..gainsight.operations import APIS
from ..reporting import REPORTERS
from . import INTERRUPTED
from ._contract_options import ContractArgs, build_contract_options, contract_target_options
from ._output import FAIL_ON, REPORT_FILES, write_report, write_report_files
from ._signals import sigterm_as_interrupt as _sigterm_as_interrupt

__all__ = ["contract"]


@click.command()
@contract_target_options
@click.option(
    "--api",
    type=click.Choice([*APIS, "all"]),
    default="all",
    show_default=True,
    help="The API to test: the Timeline and Events APIs of the supplied documents, or the Events Framework "
    "publish call of Gainsight's public pages; all three by default.",
)
@click.option(
    "--phases",
    default="examples,coverage,fuzzing,stateful,scenarios",
    show_default=True,
    help="Comma-separated phases to run.",
)
@click.option(
    "--tenant",
    "tenant_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tenant reference data (JSON) that valid records are built from [default: tenant of the config; else "
    "the demo tenant on the mock, learned from the tenant's recent activities on a live one].",
)
@click.option(
    "--strict/--lenient", default=None, help="Judge as the mock (strict) or a live tenant [default: by target]."
)
@click.option(
    "--rate-limit",
    metavar="SPEC",
    help="Limits kept against a tenant: off, or GROUP=N/PERIOD,... as gscontract mock takes them "
    "[default: the profile's documented limits, half the hourly bulk quota].",
)
@click.option(
    "--job-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a bulk job may take to finish [default: 10 on the mock, 120 on a tenant].",
)
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), help="Write every report format here.")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that fails the run [default: error].")
@click.option("--dry-run", is_flag=True, help="Print the planned operations and a request estimate; send nothing.")
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="schemathesis workers (more help only against a slow tenant; generation holds the GIL).",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.pass_context
def contract(
    ctx: click.Context,
    shared: ContractArgs,
    api: str,
    phases: str,
    tenant_path: Path | None,
    strict: bool | None,
    rate_limit: str | None,
    job_timeout: float | None,
    report_dir: Path | None,
    fmt: str,
    fail_on: str | None,
    dry_run: bool,
    workers: int,
    config_path: Path | None,
    quiet: bool,
) -> None:
    """Check that a tenant (or the embedded mock) keeps the Timeline and Events contracts.

    Without --base-url the mock tenant runs in-process. Against a live tenant the run is read-only unless
    --allow-writes, spends at most --max-requests requests, honours the documented rate limits and
    deletes every record it created. Exit status: 0 passed, 1 failures, 2 usage error.
    """
    from ..contract.engine.options import plan_contract
    from ..contract.engine.runner import run_contract
    from ..tenants.reference import load_tenant

    config = load_config(config_path)
    base = build_contract_options(shared, config)
    options = replace(
        base,
        apis=APIS if api == "all" else (api,),
        phases=tuple(p.strip() for p in phases.split(",") if p.strip()),
        tenant=load_tenant(tenant_path) if tenant_path is not None else base.tenant,
        strict=strict,
        workers=workers,
        rate_limit=rate_limit,
        job_timeout=job_timeout,
    )
    if dry_run:
        plan = plan_contract(options)
        click.echo(f"target: {plan.target}")
        click.echo(f"phases: {', '.join(plan.phases)}")
        for name, status in plan.operations:
            click.echo(f"  {name:<52} {status}")
        if plan.reserved:
            kept = ", ".join(f"{name} {count}" for name, count in plan.reserved)
            click.echo(f"reserved for scenarios: {sum(c for _, c in plan.reserved)} ({kept})")
        if plan.phases_budget is not None:
            click.echo(f"left to schemathesis' phases: {plan.phases_budget}; kept for cleanup: {plan.cleanup}")
        budget = f" (budget {plan.budget})" if plan.budget is not None else ""
        click.echo(f"estimated requests: about {plan.estimate}{budget}; nothing was sent")
        ctx.exit(0)

    started = time.monotonic()

    def progress(line: str) -> None:
        if not quiet:
            click.echo(f"gscontract contract [{time.monotonic() - started:5.1f}s] {line}", err=True)

    with _sigterm_as_interrupt():
        run = run_contract(options, progress=progress)
    redact = run.redactor.text
    progress(redact(f"{run.requests} requests to {run.target}, seed {run.seed}"))
    if run.cleanup is not None:
        progress(f"cleanup deleted {len(run.cleanup.deleted)} activities, left {len(run.cleanup.left)}")
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    out_dir = report_dir if report_dir is not None else config.root / config.report_dir
    write_report_files(run.report, out_dir, REPORT_FILES if report_dir is not None else ["json"])
    code = write_report(run.report, fmt, None, threshold)
    sys.stdout.flush()
    if run.interrupted:
        click.echo("gscontract contract: interrupted; cleanup done", err=True)
        code = INTERRUPTED  # the reports are written and the cleanup ran: now say it was cut short
    ctx.exit(code)
