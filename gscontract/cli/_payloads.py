"""What ``validate`` and ``run`` share about payload files: which to check, their lookups, the skipped ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from ..config import ALL_FILES, Config
from ..errors import UsageError
from ..findings import SKIPPED, Report, SectionName
from ..validator import PayloadFile, select_payloads

__all__ = ["ALLOW_EMPTY", "LOOKUPS", "lookups_table", "note_skipped", "payload_files"]

LOOKUPS = click.option(
    "--lookups",
    "lookups_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lookups for .jsonl/.ndjson files (a JSON object of lookups) [default: the config's lookups].",
)
ALLOW_EMPTY = click.option(
    "--allow-empty", is_flag=True, help="Pass when no payload file matched (else it is a usage error, exit 2)."
)


def payload_files(paths: Sequence[Path], config: Config, *, allow_empty: bool) -> list[PayloadFile]:
    """The files named, else those the config's ``payloads`` globs find (relative to its folder).

    Raises:
        UsageError: a path does not exist, or nothing matched and ``allow_empty`` is false.
    """
    return select_payloads(paths, globs=config.payloads, root=config.root, allow_empty=allow_empty)


def lookups_table(lookups_path: Path | None, config: Config) -> Mapping[str, str]:
    """``--lookups FILE`` for every JSON Lines file, else the config's ``lookups``."""
    return {ALL_FILES: str(lookups_path.resolve())} if lookups_path else config.lookups


def note_skipped(report: Report, *, allow_empty: bool) -> None:
    """Note on stderr the files found in folders or by globs that are not payloads; all skipped is nothing checked.

    Raises:
        UsageError: every file was skipped and ``allow_empty`` is false.
    """
    section = report.section(SectionName.PAYLOADS)
    subjects = section.subjects if section else ()
    skipped = [s.name for s in subjects if s.kind == SKIPPED]
    for name in skipped:
        click.echo(f"note: {name}: skipped, not a payload (its kind cannot be told)", err=True)
    if skipped and len(skipped) == len(subjects) and not allow_empty:
        raise UsageError(f"no payload files matched: the {len(skipped)} found are not payloads; see the notes above")
