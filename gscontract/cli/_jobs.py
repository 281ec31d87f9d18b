"""``gscontract validate``'s options for spreading the work: processes, CI shards and their merge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..findings import Report
from ..validator import PayloadFile, ValidateOptions, merge_shards, validate_paths, validate_shard

__all__ = ["jobs_options", "run_validation"]

F = TypeVar("F", bound=Callable[..., Any])


def jobs_options(command: F) -> F:
    """Add ``--jobs``, ``--shard``, ``--shard-file`` and ``--merge`` to a command."""
    options = [
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Files checked at once, each in its own process [default: one per core, 1 for one file].",
        ),
        click.option(
            "--shard",
            metavar="K/N",
            help="Check only shard K of N of the files (for a CI matrix); write its shard file for --merge.",
        ),
        click.option(
            "--shard-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Where --shard writes its results [default: gscontract-shard-K-of-N.json].",
        ),
        click.option(
            "--merge",
            "merge",
            multiple=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="Report the shard files of a sharded run as one, with the cross-file checks; repeatable.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_validation(
    paths: Sequence[Path | PayloadFile],
    options: ValidateOptions,
    *,
    jobs: int | None,
    shard: str | None,
    shard_file: Path | None,
    merge: Sequence[Path],
) -> Report:
    """Validate as the options say: all files, one shard of them, or the merge of the shards' files."""
    if merge:
        if paths or shard:
            raise click.UsageError("--merge takes shard files only: give no payload paths and no --shard")
        return merge_shards(merge, options=options)
    if shard:
        target = shard_file or Path(f"gscontract-shard-{shard.replace('/', '-of-')}.json")
        return validate_shard(paths, shard=shard, shard_file=target, options=options, jobs=jobs)
    if shard_file:
        raise click.UsageError("--shard-file goes with --shard")
    return validate_paths(paths, options=options, jobs=jobs)
