"""The ``gscontract`` command: a click group whose subcommands are imported only when run.

Loading lazily keeps ``gscontract validate`` from importing the HTTP, schema and test libraries that
the other commands need. Every command turns its options into a library call, renders the report and
returns an exit code: 0 clean, 1 findings, 2 usage or configuration errors, 130 interrupted (Ctrl-C).

An error is one line on standard error, for every command: a :class:`GscontractError` as
``gscontract: error: ...``, a command-line mistake that click finds (an unknown option, a bad value) as
``gscontract validate: error: ... (see --help)``. CI reads exit 1 as "findings", so neither may end in a
traceback; ``-v`` adds the traceback above the line.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from typing import Any, NoReturn

import click

from .. import __version__
from ..errors import GscontractError
from ..safetext import one_line

__all__ = ["COMMANDS", "INTERRUPTED", "cli", "main"]

INTERRUPTED = 130
"""The exit status of a run stopped by Ctrl-C (SIGINT), after what it created was cleaned up."""

# name -> "module:attribute" of the click command; help lists them in this order.
COMMANDS: dict[str, str] = {
    "run": "gscontract.cli.run:run",
    "validate": "gscontract.cli.validate:validate",
    "rules": "gscontract.cli.rules:rules",
    "specs": "gscontract.cli.specs:specs",
    "mock": "gscontract.cli.mock:mock",
    "report": "gscontract.cli.report:report",
    "contract": "gscontract.cli.contract:contract",
    "upload": "gscontract.cli.upload:upload",
}


class OneLineUsageError(click.UsageError):
    """A click error on the command line, shown as one line (click's own shows usage, a hint and the error)."""

    exit_code = 2  # a usage error, whatever click's class says (FileError says 1)

    def __init__(self, original: click.ClickException, *, verbose: bool) -> None:
        super().__init__(_message(original), getattr(original, "ctx", None))
        self.original = original
        self.verbose = verbose

    def show(self, file: Any = None) -> None:
        """Write ``<command>: error: <message> (see --help)``, after the traceback with ``-v``."""
        if self.verbose:
            traceback.print_exception(self.original, file=sys.stderr)
        command = self.ctx.command_path if self.ctx is not None else "gscontract"
        click.echo(f"{one_line(command)}: error: {one_line(self.message)} (see --help)", err=True)


def _message(exc: click.ClickException) -> str:
    """Click's message in the style of the other errors: lower case, no full stop."""
    if isinstance(exc, click.NoSuchOption):
        hint = f" (did you mean {', '.join(exc.possibilities)}?)" if exc.possibilities else ""
        return f"no such option: {exc.option_name}{hint}"
    text = exc.format_message().strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _verbose(ctx: click.Context | None, args: list[str] | None = None) -> bool:
    """Whether ``-v`` was given: from the parsed root options, or the raw arguments when parsing failed."""
    if ctx is not None and ctx.find_root().params.get("verbose"):
        return True
    return bool(args) and any(arg in ("-v", "--verbose") for arg in args or ())


def _one_line(exc: click.ClickException, verbose: bool) -> click.ClickException:
    # Asking for help with no arguments is not an error: click prints the help, as it should.
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc
    return OneLineUsageError(exc, verbose=verbose)


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

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """Parse the group's own options; a mistake there is one line, as everywhere."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            raise _one_line(exc, _verbose(parent, args)) from exc

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; an error becomes one line on stderr and exit status 2."""
        try:
            return super().invoke(ctx)
        except GscontractError as exc:
            _fail(ctx, exc)
        except click.ClickException as exc:
            raise _one_line(exc, _verbose(ctx)) from exc
        except KeyboardInterrupt:
            # Ctrl-C: 128 + SIGINT, as shells report it, instead of click's "Aborted!" and exit 1.
            click.echo("gscontract: interrupted", err=True)
            ctx.exit(INTERRUPTED)


def _fail(ctx: click.Context, exc: GscontractError) -> NoReturn:
    if _verbose(ctx):
        traceback.print_exc()
    click.echo(f"gscontract: error: {one_line(str(exc))}", err=True)
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
