"""``gscontract run``: the main job in one command, writing every report format to ``reports/``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import load_config
from ..findings import Report, Severity
from ..pipeline import display_path
from ..reporting.text import finding_line
from ..validator import ValidateOptions
from . import INTERRUPTED
from ._contract_options import ContractArgs, build_contract_options, contract_target_options, redactor_for
from ._output import FAIL_ON, REPORT_FILES, write_report_files
from ._payloads import ALLOW_EMPTY, LOOKUPS, lookups_table, note_skipped, payload_files
from ._progress import progress_reporter

__all__ = ["run"]

_SHOWN = 50
"""Findings printed on the console; the reports hold all of them."""

# The counts' vocabulary is explained once, in docs/report-format.md ("Counts"), and the reports use it too.
_NOUNS = {"specs": ("spec", "operations"), "payloads": ("file", "records"), "contract": ("operation", "requests")}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@contract_target_options
@click.option("--no-contract", is_flag=True, help="Skip the contract step (spec lint and payloads only).")
@click.option(
    "--report-dir", type=click.Path(file_okay=False, path_type=Path), help="Where reports go [default: reports]."
)
@click.option("--fail-on", type=FAIL_ON, help="Lowest severity that fails the run [default: error].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="pyproject.toml.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@LOOKUPS
@ALLOW_EMPTY
@click.pass_context
def run(
    ctx: click.Context,
    paths: tuple[Path, ...],
    shared: ContractArgs,
    no_contract: bool,
    report_dir: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    quiet: bool,
    lookups_path: Path | None,
    allow_empty: bool,
) -> None:
    """Lint the specs, validate payloads, run the contract and write every report.

    PATHS are payload files or folders; without them the payloads of [tool.gscontract] are used, else
    the Timeline document's bundled samples. The contract runs against the embedded mock unless
    --base-url (or base_url in the config) names a tenant. Reports go to reports/: index.html,
    report.md, junit.xml, report.sarif, report.json. Exit status: 0 passed, 1 findings, 2 usage error.
    """
    from ..pipeline import RunOptions, run_all

    config = load_config(config_path)
    # Without paths or configured globs, the bundled samples are validated.
    files = payload_files(paths, config, allow_empty=allow_empty) if paths or config.payloads else None
    contract = build_contract_options(shared, config)
    options = RunOptions(
        payloads=None if files is None else tuple(files),
        validate=ValidateOptions(
            profile=contract.profile,
            select=config.select,
            ignore=config.ignore,
            severities=config.severity,
            kinds=config.kinds,
            lookups=lookups_table(lookups_path, config),
            root=config.root,
        ),
        contract=None if no_contract else contract,
        redactor=redactor_for(contract),
    )
    with progress_reporter(prog="gscontract run", quiet=quiet) as step:
        result = run_all(options, progress=step)
    note_skipped(result.report, allow_empty=allow_empty)
    out_dir = report_dir if report_dir is not None else config.root / config.report_dir
    written = write_report_files(result.report, out_dir)
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    _print_findings(result.report)
    _print_summary(result.report, [p.name for p in written if p.name != REPORT_FILES["text"]], out_dir)
    if result.contract is not None and result.contract.interrupted:
        click.echo("gscontract run: interrupted; cleanup done", err=True)
        ctx.exit(INTERRUPTED)  # reports written and cleanup done, as the contract command does
    ctx.exit(result.report.exit_code(threshold))


def _print_findings(report: Report) -> None:
    color = sys.stdout.isatty()
    findings = list(report.findings())
    for finding in findings[:_SHOWN]:
        click.echo(finding_line(finding, color=color))
    if len(findings) > _SHOWN:
        click.echo(f"... and {len(findings) - _SHOWN} more findings in the reports")


def _print_summary(report: Report, files: list[str], out_dir: Path) -> None:
    rows = []
    for section in report.sections:
        noun, counted = _NOUNS[section.name.value]
        subjects = len(section.subjects)
        errors = sum(1 for f in section.findings() if f.severity is Severity.ERROR)
        warnings = sum(1 for f in section.findings() if f.severity is Severity.WARNING)
        evaluated = sum(s.checks_evaluated for s in section.subjects)
        checked = (
            f"{subjects} {noun}{'' if subjects == 1 else 's'}, {sum(s.count for s in section.subjects)} {counted}, "
            f"{evaluated} checks evaluated"
        )
        rows.append((section.name.heading, checked, errors, warnings))
    verdict = "failed" if report.exit_code() else "passed"
    where = f"reports in {display_path(out_dir)}/: {', '.join(files)}"
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"gscontract run {verdict}", title_justify="left")
        for column, justify in (("Step", "left"), ("Checked", "left"), ("Errors", "right"), ("Warnings", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for title, checked, errors, warnings in rows:
            table.add_row(title, checked, f"[red]{errors}" if errors else "0", str(warnings))
        console = Console()
        console.print(table)
        console.print(where, highlight=False)
        return
    for title, checked, errors, warnings in rows:
        click.echo(f"{title}: {checked}: {errors} errors, {warnings} warnings")
    click.echo(f"gscontract run {verdict}; {where}")
