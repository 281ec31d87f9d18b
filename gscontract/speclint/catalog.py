"""The registry of spec checks: what ``gscontract specs lint`` verifies in an OpenAPI document.

A check is a small function registered with :func:`spec_check`. It receives a parsed
:class:`~gscontract.speclint.document.SpecDocument` and yields :class:`SpecViolation` values carrying a
JSON pointer into the document; the runner turns them into findings with the file's line and column.
Checks never read files or print. Ids are ``SP`` plus three digits and are never reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..findings import Severity
from ..registry import Registry, summary_of
from .document import SpecDocument

__all__ = ["CHECKS", "SpecCheck", "SpecViolation", "add_check", "get_check", "spec_check"]


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
        return summary_of(self.doc)

    def run(self, document: SpecDocument) -> Iterator[SpecViolation]:
        """Run the check over a parsed document."""
        if self.func is not None:
            yield from self.func(document)


_REGISTRY: Registry[SpecCheck] = Registry(noun="spec check", families=("SP",), example="SP101")
CHECKS: dict[str, SpecCheck] = _REGISTRY.entries


def add_check(check: SpecCheck) -> SpecCheck:
    """Register a check.

    Raises:
        RegistryError: the id or name is malformed or taken, or the doc is empty.
    """
    return _REGISTRY.add(check)


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
    return _REGISTRY.get(key)
