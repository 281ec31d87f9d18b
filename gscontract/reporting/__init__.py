"""Reporters: pure functions that render a finished :class:`~gscontract.findings.Report` by name.

A reporter never filters, sorts or decides the exit code; it writes what the report holds. Formats that
need heavy libraries import them inside the function, so choosing ``text`` or ``json`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..errors import RegistryError
from ..findings import Report

__all__ = ["REPORTERS", "Reporter", "get_reporter", "reporter"]

Reporter = Callable[[Report, TextIO], None]
REPORTERS: dict[str, Reporter] = {}


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    """Register the decorated function as the renderer of format ``name``.

    Raises:
        RegistryError: the format is registered already.
    """

    def register(func: Reporter) -> Reporter:
        if name in REPORTERS:
            raise RegistryError(f"reporter {name!r} is registered twice")
        REPORTERS[name] = func
        return func

    return register


def get_reporter(name: str) -> Reporter:
    """The reporter of format ``name``.

    Raises:
        RegistryError: no such format.
    """
    try:
        return REPORTERS[name]
    except KeyError:
        raise RegistryError(f"unknown format {name!r}; choose from {', '.join(sorted(REPORTERS))}") from None


from . import html_, json_, junit, md, sarif, text  # noqa: E402, F401 - imported for registration
