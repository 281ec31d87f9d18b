"""What ``validate`` and ``run`` share about payload files: which to check, their lookups, the skipped ones."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from ..config import ALL_FILES, Config
from ..errors import UsageError
from ..findings import SKIPPED, Report, SectionName
from ..readfile import MAX_FILE_BYTES
from ..validator import PayloadFile, select_payloads

__all__ = [
    "ALLOW_EMPTY",
    "LOOKUPS",
    "STDIN_FILENAME",
    "TENANT",
    "lookups_table",
    "note_skipped",
    "payload_files",
    "tenant_checks",
    "with_stdin",
]

STDIN = Path("-")
"""The path that stands for standard input, as in ruff and most Unix tools."""

LOOKUPS = click.option(
    "--lookups",
    "lookups_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lookups for .jsonl/.ndjson files (a JSON object of lookups) [default: the config's lookups].",
)
TENANT = click.option(
    "--tenant",
    "tenant_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tenant data file; its customFields types the Ant__*__c fields (else they are judged by their values), "
    "its eventTopics are the registered Events Framework events.",
)
ALLOW_EMPTY = click.option(
    "--allow-empty", is_flag=True, help="Pass when no payload file matched (else it is a usage error, exit 2)."
)

STDIN_FILENAME = click.option(
    "--stdin-filename",
    help="The file name a payload read from standard input (-) stands for: its kind, format and the name "
    "findings give it, as for a file of that name [default: -].",
)


def with_stdin(paths: Sequence[Path], stdin_filename: str | None) -> list[Path | PayloadFile]:
    """``paths`` with ``-`` replaced by the payload read from standard input, named ``stdin_filename``.

    Raises:
        UsageError: ``-`` is given twice, ``--stdin-filename`` without ``-``, or the input is over 1 GiB.
    """
    dashes = sum(1 for p in paths if p == STDIN)
    if dashes > 1:
        raise UsageError("- (standard input) can be given only once")
    if dashes == 0:
        if stdin_filename is not None:
            raise UsageError("--stdin-filename names the payload read from standard input; give - among the paths")
        return list(paths)
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"-: standard input is over {MAX_FILE_BYTES >> 30} GiB, the largest payload read")
    name = stdin_filename or "-"
    return [PayloadFile(Path(name), name, data=data) if p == STDIN else p for p in paths]


def payload_files(paths: Sequence[Path | PayloadFile], config: Config, *, allow_empty: bool) -> list[PayloadFile]:
    """The files named, else those the config's ``payloads`` globs find (relative to its folder).

    Raises:
        UsageError: a path does not exist, or nothing matched and ``allow_empty`` is false.
    """
    return select_payloads(paths, globs=config.payloads, root=config.root, allow_empty=allow_empty)


def lookups_table(lookups_path: Path | None, config: Config) -> Mapping[str, str]:
    """``--lookups FILE`` for every JSON Lines file, else the config's ``lookups``."""
    return {ALL_FILES: str(lookups_path.resolve())} if lookups_path else config.lookups


def tenant_checks(tenant_path: Path | None) -> dict[str, Any]:
    """The validation settings a tenant data file gives: its custom fields' types and its registered events."""
    if tenant_path is None:
        return {}
    # The tenant file's reader loads only when a file is given (start-up stays light).
    from ..tenants.reference import load_tenant

    tenant = load_tenant(tenant_path)
    return {
        "custom_field_types": dict(tenant.custom_fields),
        "registrations": tenant.framework if tenant.framework.events else None,
    }


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
