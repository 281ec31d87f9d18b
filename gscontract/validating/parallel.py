"""Check many files at once: one process per core, each checking whole files, results in the run's order.

A file is the unit of work: each is read and checked by one process, which hands back its subject and
insert ExternalIds (small, next to the file). The cross-file check runs afterwards in the parent, so
how the files were shared out changes nothing in the report. Processes are forked (Linux's default),
so workers start without importing anything again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import UsageError
from .one_file import FileResult, check_path
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
    files: Sequence[tuple[Path, str]], options: ValidateOptions, jobs: int = 1, *, ids: bool | None = None
) -> list[FileResult]:
    """Check each (file, display name) alone; results in the order of ``files``.

    ``ids``: keep insert files' ExternalIds for the cross-file check (``None``: when there are several files).

    Raises:
        UsageError: a file cannot be read.
    """
    keep = len(files) > 1 if ids is None else ids
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        with _collector_paused():
            return [_check_one(file, display, options, keep) for file, display in files]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # One file per task, handed out as workers free up: files differ in size.
        futures = [pool.submit(_check_in_worker, file, display, options, keep) for file, display in files]
        return [future.result() for future in futures]


def _check_in_worker(file: Path, display: str, options: ValidateOptions, ids: bool) -> FileResult:
    with _collector_paused():
        return _check_one(file, display, options, ids)


def _check_one(file: Path, display: str, options: ValidateOptions, ids: bool) -> FileResult:
    try:
        return check_path(file, display, options, ids=ids)
    except OSError as exc:
        raise UsageError(f"{display}: cannot read: {exc.strerror or exc}") from None


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
