"""Validate payload files before upload: the library behind ``gscontract validate``.

``validate_paths`` checks many files and folders in one run, so an ExternalId used by two insert files
is caught (``GS_TL_10_0107``: the second upload would meet the first's saved record). ``validate_file``
and ``validate_text`` are the one-file forms, ``validate_document`` takes a body parsed already. All
return a :class:`~gscontract.findings.Report` whose ``payloads`` section has one subject per file.

Each file is read as it is checked, a batch of records at a time (:mod:`gscontract.validating`), so
memory follows the largest file's text, not its parsed records. ``jobs`` checks files in parallel
processes; the cross-file check runs after, in the run's order, so findings do not depend on it.

A file found in a folder (or by the configuration's globs) whose kind cannot be told is skipped; named by
itself, it is an error (GS104). JSON Lines files get their lookups from ``ValidateOptions.lookups``.

This module is on the CLI's hot path: it imports no HTTP, schema or test library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import UsageError
from .findings import Report, Section, SectionName, Subject
from .payload.kinds import Kind
from .payload.selection import PAYLOAD_SUFFIXES, PayloadFile, expand_paths, select_payloads
from .validating.crossfile import Checked, across_files
from .validating.one_file import check_text, check_value
from .validating.parallel import check_files, default_jobs
from .validating.validate_options import ValidateOptions

__all__ = [
    "PAYLOAD_SUFFIXES",
    "PayloadFile",
    "ValidateOptions",
    "expand_paths",
    "merge_shards",
    "select_payloads",
    "validate_document",
    "validate_file",
    "validate_paths",
    "validate_shard",
    "validate_text",
]


def _options(options: ValidateOptions | None, kind: str | Kind | None, identifier: str | None) -> ValidateOptions:
    base = options or ValidateOptions()
    if kind not in (None, "auto"):
        try:
            base = replace(base, kind=Kind(kind))
        except ValueError:
            choices = ", ".join(["auto", *(k.value for k in Kind)])
            raise UsageError(f"unknown kind {kind!r} (expected one of {choices})") from None
    if identifier is not None:
        base = replace(base, identifier=identifier.lower())
    return base


def report_of(subjects: Iterable[Subject]) -> Report:
    """A report whose payloads section holds ``subjects``."""
    return Report(sections=(Section(SectionName.PAYLOADS, tuple(subjects)),))


def validate_paths(
    paths: Iterable[str | Path | PayloadFile], *, options: ValidateOptions | None = None, jobs: int | None = 1
) -> Report:
    """Validate files and folders as one run (ExternalIds are tracked across insert files).

    ``jobs`` above 1 checks files in that many processes (``None``: one per core, at most one per file);
    the report is the same. A file found in a folder whose kind cannot be told is skipped (its subject's
    kind is ``skipped``); named by itself, it is an error (GS104).

    Raises:
        UsageError: a path does not exist or cannot be read, or a lookups file is broken.
    """
    opts = options or ValidateOptions()
    files = list(expand_paths(paths))  # all of them first: a path that cannot be read stops the run up front
    results = check_files(files, opts, default_jobs(len(files)) if jobs is None else jobs)
    checked = [Checked(result, _rereadable(file)) for result, file in zip(results, files, strict=True)]
    return report_of(across_files(checked, opts))


def _rereadable(file: PayloadFile) -> Path | None:
    """Where the cross-file check may read a file again to place its findings (not standard input)."""
    return file.path if file.data is None else None


def validate_shard(
    paths: Iterable[str | Path | PayloadFile],
    *,
    shard: str,
    shard_file: Path,
    options: ValidateOptions | None = None,
    jobs: int | None = 1,
) -> Report:
    """Validate shard ``K/N`` of the files (see :mod:`gscontract.validating.shards`) and write its shard file.

    The report holds the shard's files without the cross-file check, which :func:`merge_shards` runs.

    Raises:
        UsageError: ``shard`` is malformed, a path cannot be read, a lookups file is broken, or the shard
            file cannot be written.
    """
    from .validating.shards import parse_shard, share, write_shard  # CI shards only: not on the common path

    k, n = parse_shard(shard)
    opts = options or ValidateOptions()
    files = list(expand_paths(paths))
    mine = share(files, k, n)
    chosen = [file for _, file in mine]
    results = check_files(chosen, opts, default_jobs(len(chosen)) if jobs is None else jobs, ids=True)
    checked = [(place, Checked(result, _rereadable(file))) for (place, file), result in zip(mine, results, strict=True)]
    write_shard(shard_file, k, n, len(files), checked)
    return report_of(item.result.subject for _, item in checked)


def merge_shards(shard_files: Iterable[str | Path], *, options: ValidateOptions | None = None) -> Report:
    """The report of a sharded run: every shard's files in order, with the cross-file check across shards.

    Raises:
        UsageError: a shard file cannot be read, or shards are missing, repeated or from different runs.
    """
    from .validating.shards import read_shards

    checked = read_shards([Path(p) for p in shard_files])
    return report_of(across_files(checked, options or ValidateOptions()))


def validate_file(
    path: str | Path,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    options: ValidateOptions | None = None,
) -> Report:
    """Validate one payload file (``.json``, or ``.jsonl``/``.ndjson`` with one record a line).

    Raises:
        UsageError: the file does not exist, or ``kind``/``identifier`` is unknown.
    """
    return validate_paths([path], options=_options(options, kind, identifier))


def validate_text(
    text: str,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    path: str = "<document>",
    fmt: str = "json",
    options: ValidateOptions | None = None,
) -> Report:
    """Validate JSON (or JSON Lines, ``fmt="jsonl"``) text as if it were a file named ``path``."""
    opts = _options(options, kind, identifier)
    return report_of([check_text(text, path, fmt, opts).subject])


def validate_document(
    document: Any,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    path: str = "<document>",
    options: ValidateOptions | None = None,
) -> Report:
    """Validate an already-parsed body (findings have pointers but no line numbers)."""
    opts = _options(options, kind, identifier)
    return report_of([check_value(document, path, opts).subject])
