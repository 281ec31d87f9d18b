"""Which files a run validates: paths named on the command line, folders, and the configuration's globs.

A file named by itself is *explicit*: when its kind cannot be told, that is an error (GS104). A file
found in a folder or by a glob is not: one whose kind cannot be told (a ``package.json`` next to the
payloads) is noted and skipped. Validating nothing is an error unless the caller allows it, so a CI job
whose payload folder moved does not go green on "0 files".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..readfile import check_regular
from .patterns import expand_globs
from .reader import JSONL_SUFFIXES

__all__ = ["PAYLOAD_SUFFIXES", "PayloadFile", "display_name", "expand_paths", "select_payloads"]

PAYLOAD_SUFFIXES = frozenset({".json", *JSONL_SUFFIXES})


@dataclass(frozen=True, slots=True)
class PayloadFile:
    """A file to validate, the name findings give it, and whether it was named by itself.

    ``data`` holds the payload itself when it did not come from a file (standard input, ``-``); its
    ``display`` name (``--stdin-filename``) then tells its kind and format as a file's name would.
    """

    path: Path
    display: str
    explicit: bool = True
    data: bytes | None = field(default=None, repr=False)


def display_name(path: Path) -> str:
    """How findings name a file found by a glob: relative to the working folder when it is below it."""
    if path.is_absolute() and path.resolve().is_relative_to(Path.cwd().resolve()):
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return os.fspath(path)


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAYLOAD_SUFFIXES and p.is_file())


def expand_paths(paths: Iterable[str | Path | PayloadFile]) -> Iterator[PayloadFile]:
    """Yield every file to validate; a folder gives its payload files, sorted, recursively.

    A folder is a folder whatever its name (``x.json/`` stands for the payload files under it). A path
    given that is neither a folder nor a regular file (a FIFO, a device, a socket) is refused, since
    reading it could wait or run forever; inside folders such entries are passed over.

    Raises:
        UsageError: a path does not exist or is not a regular file.
    """
    for given in paths:
        if isinstance(given, PayloadFile):
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            for file in _folder_files(path):
                yield PayloadFile(file, os.fspath(file), explicit=False)
        elif path.exists():
            try:
                check_regular(path)
            except OSError as exc:
                raise UsageError(f"{given}: cannot read: {exc.strerror or exc}") from None
            yield PayloadFile(path, os.fspath(given))
        else:
            raise UsageError(f"{given}: no such file or directory")


def select_payloads(
    paths: Sequence[str | Path | PayloadFile],
    *,
    globs: Sequence[str] = (),
    root: Path | None = None,
    allow_empty: bool = False,
) -> list[PayloadFile]:
    """The files of a run: ``paths`` when given, else what ``globs`` (relative to ``root``) find.

    Raises:
        UsageError: a path does not exist, or nothing matched and ``allow_empty`` is false.
    """
    if paths:
        files = list(expand_paths(paths))
        asked = ", ".join(p.display if isinstance(p, PayloadFile) else os.fspath(p) for p in paths)
    else:
        found = expand_globs(globs, root)
        files = list(expand_paths(PayloadFile(p, display_name(p), explicit=False) if p.is_file() else p for p in found))
        asked = ", ".join(globs) + (f" (in {display_name(root)})" if root is not None else "")
    if not files and not allow_empty:
        raise UsageError(f"no payload files matched {asked or 'nothing'}; pass --allow-empty if that is expected")
    return files
