"""The ``gscontract`` command: a click group whose subcommands are imported only when run.

Loading lazily keeps ``gscontract validate`` from importing the HTTP, schema and test libraries that
the other commands need. Every command turns its options into a library call, renders the report and
returns an exit code: 0 clean, 1 findings, 2 usage or configuration errors.
"""

from __future__ import annotations

import importlib
import traceback
from typing import Any

import click

from .. import __version__
from ..errors import GscontractError

__all__ = ["COMMANDS", "cli", "main"]

# name -> "module:attribute" of the click command; help lists them in this order.
COMMANDS: dict[str, str] = {
    "run": "gscontract.cli.run:run",
    "validate": "gscontract.cli.validate:validate",
    "rules": "gscontract.cli.rules:rules",
    "specs": "gscontract.cli.specs:specs",
    "mock": "gscontract.cli.mock:mock",
    "report": "gscontract.cli.report:report",
    "contract": "gscontract.cli.contract:contract",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module the first time the subcommand is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Names of all subcommands, in the order of :data:`COMMANDS`."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the subcommand, or ``None`` for an unknown name."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a :class:`GscontractError` becomes one line on stderr and exit status 2."""
        try:
            return super().invoke(ctx)
        except GscontractError as exc:
            if ctx.find_root().params.get("verbose"):
                traceback.print_exc()
            click.echo(f"gscontract: error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gscontract")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Validate Gainsight payloads, run contract tests and write compliance reports."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (the console script and ``python -m gscontract``)."""
    cli.main(args=argv, prog_name="gscontract")
