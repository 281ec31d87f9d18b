"""Progress of a long command: rich bars on a terminal, plain timestamped lines elsewhere (CI logs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

__all__ = ["Step", "progress_reporter"]

Step = Callable[[str, str], None]
"""Called with ``(step, line)`` as a command goes; a new step name finishes the previous one."""

_TITLES = {"specs": "Spec lint", "payloads": "Payload validation", "contract": "Contract checks"}


@contextmanager
def progress_reporter(*, prog: str, quiet: bool = False) -> Iterator[Step]:
    """Yield a :data:`Step` callback that shows progress on stderr, as bars on a terminal or as lines."""
    if quiet:
        yield lambda step, line: None
    elif sys.stderr.isatty():
        with _bars() as step:
            yield step
    else:
        started = time.monotonic()

        def plain(step: str, line: str) -> None:
            click.echo(f"{prog} [{time.monotonic() - started:5.1f}s] {step}: {line}", err=True)

        yield plain


@contextmanager
def _bars() -> Iterator[Step]:
    # rich is imported only here: the plain path (CI, pipes) never pays for it.
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns: list[Any] = [
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("[bold]{task.fields[title]:<20}"),
        BarColumn(bar_width=24),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
    ]
    tasks: dict[str, Any] = {}
    with Progress(*columns, console=Console(stderr=True), transient=False) as bars:

        def step(name: str, line: str) -> None:
            if name not in tasks:
                for previous in tasks.values():
                    bars.update(previous, total=1, completed=1)
                tasks[name] = bars.add_task(line, total=None, title=_TITLES.get(name, name))
            bars.update(tasks[name], description=line[:80])

        yield step
        for task in tasks.values():
            bars.update(task, total=1, completed=1)
