"""Check many files at once: one process per core, each checking whole files, results in the run's order.

A file is the unit of work: each is read and checked by one process, which hands back its subject and
insert ExternalIds (small, next to the file). The cross-file check runs afterwards in the parent, so
how the files were shared out changes nothing in the report. Processes are forked (Linux's default),
so workers start without importing anything again.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import PurePath

from ..errors import UsageError
from ..payload.lookups_file import LookupsSource
from ..payload.reader import JSONL_SUFFIXES
from ..payload.selection import PayloadFile
from .one_file import FileResult, How, check_bytes, check_path
from .validate_options import ValidateOptions

__all__ = ["check_files", "default_jobs"]


def default_jobs(files: int) -> int:
    """Processes worth starting for ``files`` files: one per core the process may use, at most one per file."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files))


def check_files(
    files: Sequence[PayloadFile], options: ValidateOptions, jobs: int = 1, *, ids: bool | None = None
) -> list[FileResult]:
    """Check each file alone; results in the order of ``files``, each subject with the seconds it took.

    ``ids``: keep insert files' ExternalIds for the cross-file check (``None``: when there are several files).
    A file found in a folder whose kind cannot be told is skipped (its subject's kind is ``skipped``).

    Raises:
        UsageError: a file cannot be read, or a lookups file is broken.
    """
    keep = len(files) > 1 if ids is None else ids
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        lookups = LookupsSource(options.lookups, options.root)  # each lookups file is read once in the run
        with _collector_paused():
            return [_check_one(file, options, keep, lookups) for file in files]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # One file per task, handed out as workers free up: files differ in size.
        futures = [pool.submit(_check_in_worker, file, options, keep) for file in files]
        return [future.result() for future in futures]


_WORKER_LOOKUPS: dict[tuple[object, ...], LookupsSource] = {}
"""A worker process's lookups sources, by the options that make them: each lookups file is read once per process."""


def _check_in_worker(file: PayloadFile, options: ValidateOptions, ids: bool) -> FileResult:
    key = (tuple(sorted(options.lookups.items())), options.root)
    lookups = _WORKER_LOOKUPS.get(key)
    if lookups is None:
        lookups = _WORKER_LOOKUPS[key] = LookupsSource(options.lookups, options.root)
    with _collector_paused():
        return _check_one(file, options, ids, lookups)


def _check_one(file: PayloadFile, options: ValidateOptions, ids: bool, lookups: LookupsSource) -> FileResult:
    how = How(explicit=file.explicit, lookups=lookups, ids=ids)
    started = time.perf_counter()
    try:
        if file.data is None:
            result = check_path(file.path, file.display, options, how=how)
        else:  # standard input: its name (--stdin-filename) tells its format, as a file's would
            fmt = "jsonl" if PurePath(file.display).suffix.lower() in JSONL_SUFFIXES else "json"
            result = check_bytes(file.data, file.display, fmt, options, how=how)
    except OSError as exc:
        raise UsageError(f"{file.display}: cannot read: {exc.strerror or exc}") from None
    return replace(result, subject=replace(result.subject, seconds=time.perf_counter() - started))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are parsed and checked.

    Parsing makes millions of containers and no reference cycles; each collection would walk the live
    ones again for nothing. Memory is freed by reference counting as usual, and the collector's previous
    state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
