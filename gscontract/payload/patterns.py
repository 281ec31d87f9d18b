"""Glob patterns of the configuration, matched relative to the folder of the configuration file.

``payloads`` globs, and the keys of the ``kinds`` and ``lookups`` tables, are written relative to the
folder that holds ``pyproject.toml``, whatever folder gscontract runs in and however a file was named
(a path on the command line, or one a glob found). A path is made relative to that folder before it
is matched, so ``payloads/updates/*.json`` means the same file from the repository's root and from a
sub-folder.

``**`` matches any number of folders, ``{a,b}`` either name. In a table, a pattern without a slash
matches a file name in any folder (``*.updates.json``), as in ``.gitignore``. wcmatch gives one
implementation for both finding files and matching them, so the two cannot disagree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from wcmatch import glob

__all__ = ["expand_globs", "first_match", "relative_name"]

_FIND = glob.GLOBSTAR | glob.BRACE
_MATCH = _FIND | glob.MATCHBASE


def relative_name(path: str | os.PathLike[str], root: Path | None) -> str:
    """The path as a pattern sees it: relative to ``root`` (the working folder when ``None``), with ``/``.

    A file outside ``root`` keeps its absolute path; only name patterns (no slash) can match it.
    """
    base = (root or Path.cwd()).resolve()
    resolved = Path(path).resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def first_match(table: Mapping[str, str], path: str | os.PathLike[str], root: Path | None) -> tuple[str, str] | None:
    """The first ``(pattern, value)`` of ``table`` whose pattern matches ``path``, relative to ``root``."""
    if not table:
        return None
    name = relative_name(path, root)
    for pattern, value in table.items():
        if glob.globmatch(name, pattern, flags=_MATCH):
            return pattern, value
    return None


def expand_globs(patterns: Iterable[str], root: Path | None) -> list[Path]:
    """The files and folders each glob finds under ``root``, sorted per glob, without repeats."""
    base = root or Path.cwd()
    found: dict[Path, None] = {}
    for pattern in patterns:
        for name in sorted(glob.glob(pattern, root_dir=base, flags=_FIND)):
            found.setdefault(base / name)
    return list(found)
