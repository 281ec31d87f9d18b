"""The registry of spec checks: what ``gscontract specs lint`` verifies in an OpenAPI document.

A check is a small function registered with :func:`spec_check`. It receives a parsed
:class:`~gscontract.speclint.document.SpecDocument` and yields :class:`SpecViolation` values carrying a
JSON pointer into the document; the runner turns them into findings with the file's line and column.
Checks never read files or print. Ids are ``SP`` plus three digits and are never reused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import RegistryError
from ..findings import Severity
from .document import SpecDocument

__all__ = ["CHECKS", "SpecCheck", "SpecViolation", "add_check", "get_check", "spec_check"]

_ID = re.compile(r"^SP[1-9]\d\d$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class SpecViolation:
    """What a check yields: a message, where in the document, and the operation it concerns if any."""

    message: str
    pointer: str = ""
    operation: str | None = None


CheckFunc = Callable[[SpecDocument], Iterable[SpecViolation]]
F = TypeVar("F", bound=CheckFunc)


@dataclass(frozen=True, slots=True)
class SpecCheck:
    """A registered spec check; ``func`` is ``None`` for the one the loader reports (unreadable files)."""

    id: str
    name: str
    severity: Severity
    doc: str
    func: CheckFunc | None = field(default=None, repr=False, compare=False)

    @property
    def summary(self) -> str:
        """The first line of the check's doc: what it reports."""
        lines = self.doc.strip().splitlines()
        return lines[0].strip() if lines else ""

    def run(self, document: SpecDocument) -> Iterator[SpecViolation]:
        """Run the check over a parsed document."""
        if self.func is not None:
            yield from self.func(document)


CHECKS: dict[str, SpecCheck] = {}


def add_check(check: SpecCheck) -> SpecCheck:
    """Register a check.

    Raises:
        RegistryError: the id or name is malformed or taken, or the doc is empty.
    """
    if not _ID.match(check.id):
        raise RegistryError(f"spec check id {check.id!r} must look like SP101")
    if not _NAME.match(check.name):
        raise RegistryError(f"spec check name {check.name!r} must be kebab-case")
    if check.id in CHECKS:
        raise RegistryError(f"spec check {check.id} is registered twice")
    if any(c.name == check.name for c in CHECKS.values()):
        raise RegistryError(f"spec check name {check.name!r} is taken")
    if not check.summary:
        raise RegistryError(f"spec check {check.id} has no documentation")
    CHECKS[check.id] = check
    return check


def spec_check(id: str, *, name: str, severity: Severity = Severity.ERROR) -> Callable[[F], F]:
    """Register the decorated function as a spec check; its docstring is the check's documentation."""

    def register(func: F) -> F:
        add_check(SpecCheck(id=id, name=name, severity=severity, doc=func.__doc__ or "", func=func))
        return func

    return register


def get_check(key: str) -> SpecCheck:
    """The check with this id or name (case-insensitive).

    Raises:
        RegistryError: no such check.
    """
    wanted = key.strip()
    for check in CHECKS.values():
        if check.id == wanted.upper() or check.name == wanted.lower():
            return check
    raise RegistryError(f"unknown spec check {key!r}")
