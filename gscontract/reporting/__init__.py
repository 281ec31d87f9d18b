"""Reporters: pure functions that render a finished :class:`~gscontract.findings.Report` by name.

A reporter never filters, sorts or decides the exit code; it writes what the report holds. Formats that
need heavy libraries import them inside the function, so choosing ``text`` or ``json`` stays fast.
Each format declares, where it is registered, the file it is written to in a report folder and the
file-name suffixes that imply it; the CLI's format choices, report file names and suffix inference
are read from :data:`REPORTERS`. Reporting imports no registry: a report arrives with everything a
format shows (the compliance matrix included), so rendering loads no rule, spec or contract check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TextIO

from ..errors import RegistryError
from ..findings import Report

__all__ = ["REPORTERS", "ReportFormat", "Reporter", "format_for_path", "get_reporter", "reporter"]

Reporter = Callable[[Report, TextIO], None]


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """A registered format: its name, the function that renders it and the files it is written to.

    ``filename`` is the file's name in a report folder (``gscontract run`` writes ``reports/index.html``);
    ``suffixes`` are the lower-case endings of a file name that imply this format (``.sarif.json``
    included), the first being the usual one. A format meant for a stream only (``github``, whose
    annotations belong in a CI log) has an empty ``filename`` and no suffixes, and no report folder
    holds it.
    """

    name: str
    render: Reporter
    filename: str
    suffixes: tuple[str, ...]


REPORTERS: dict[str, ReportFormat] = {}
"""Every format by name, in registration order: the order a report folder is written and listed in."""


def reporter(name: str, *, filename: str, suffixes: tuple[str, ...]) -> Callable[[Reporter], Reporter]:
    """Register the decorated function as the renderer of format ``name``.

    Args:
        name: the format's name (``--format`` choice).
        filename: the file the format is written to in a report folder.
        suffixes: file-name endings that imply the format, the usual one first.

    Raises:
        RegistryError: the format is registered already, a suffix is claimed by another format, or a
            suffix does not start with a dot.
    """

    def register(func: Reporter) -> Reporter:
        if name in REPORTERS:
            raise RegistryError(f"reporter {name!r} is registered twice")
        for suffix in suffixes:
            if not suffix.startswith(".") or suffix != suffix.lower():
                raise RegistryError(f"reporter {name!r}: suffix {suffix!r} must be lower-case and start with a dot")
            owner = next((f.name for f in REPORTERS.values() if suffix in f.suffixes), None)
            if owner is not None:
                raise RegistryError(f"reporter {name!r}: suffix {suffix!r} already implies {owner!r}")
        REPORTERS[name] = ReportFormat(name, func, filename, tuple(suffixes))
        return func

    return register


def get_reporter(name: str) -> Reporter:
    """The reporter of format ``name``.

    Raises:
        RegistryError: no such format.
    """
    try:
        return REPORTERS[name].render
    except KeyError:
        raise RegistryError(f"unknown format {name!r}; choose from {', '.join(sorted(REPORTERS))}") from None


def format_for_path(path: PurePath) -> str | None:
    """The format a file's name implies by its longest declared suffix (``x.sarif.json`` is sarif), or ``None``."""
    name = path.name.lower()
    matches = [(len(s), f.name) for f in REPORTERS.values() for s in f.suffixes if name.endswith(s)]
    return max(matches)[1] if matches else None


# Imported in the order a report folder lists its files (index.html first); the order is REPORTERS' order.
from . import html_, md, junit, sarif, json_, text, github  # noqa: E402, F401, I001 - imported for registration
