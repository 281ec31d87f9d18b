"""The one shape of gscontract's registries: payload rules, spec checks and contract checks.

Each registry is a plain ``dict`` from id to entry, filled by decorators at import time, plus
the checks every registry makes the same way: an id is a family prefix and three digits (``TL201``,
``SP101``, ``CT101``), a name is kebab-case, neither an id, an old id (alias) nor a name is registered
twice, and lookups accept an id, alias or name in any case. A :class:`Registry` holds that state for one
family of entries; the modules that own the entries keep their own public names (``RULES``, ``rule``,
``CHECKS``, ``get_check`` ...) on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Generic, Protocol, TypeVar

from .errors import RegistryError

__all__ = ["Entry", "Registry", "plain_text", "summary_of"]

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ROLE = re.compile(r":(?:[a-z]+:)?[a-z]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")
_LITERAL = re.compile(r"``(.+?)``")


def plain_text(text: str) -> str:
    """Docs as people read them outside Sphinx: ``:class:`~a.B``` becomes ``B``, a ````literal```` its text.

    Rule and check docs are docstrings written in reStructuredText; reports, SARIF and ``rules explain``
    show them as plain text.
    """
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1] if m.group(0).count("~") else m.group(1), text)
    return _LITERAL.sub(r"\1", text)


def summary_of(doc: str) -> str:
    """The first line of a doc, stripped: what a rule or check reports (empty for no doc)."""
    lines = doc.strip().splitlines()
    return lines[0].strip() if lines else ""


class Entry(Protocol):
    """What a registry holds: anything with an id, a name and a one-line summary."""

    @property
    def id(self) -> str:
        """The entry's id: a family prefix and three digits."""

    @property
    def name(self) -> str:
        """The entry's kebab-case name."""

    @property
    def summary(self) -> str:
        """The first line of the entry's doc."""


E = TypeVar("E", bound=Entry)


class Registry(Generic[E]):
    """The entries of one family (rules, spec checks or contract checks), keyed by id.

    ``noun`` names an entry in error messages (``rule``, ``spec check``); ``example`` is an id shown when
    one is malformed; ``hint`` ends the message of a failed lookup (where to list the entries);
    ``require_doc`` refuses entries whose summary is empty.
    """

    __slots__ = ("_aliases", "_families", "_id", "entries", "example", "hint", "noun", "require_doc")

    def __init__(
        self,
        *,
        noun: str,
        families: Iterable[str],
        example: str,
        hint: str = "",
        require_doc: bool = True,
    ) -> None:
        self.noun = noun
        self._families = tuple(families)
        self._id = re.compile(rf"^(?:{'|'.join(map(re.escape, self._families))})[1-9]\d\d$")
        self.example = example
        self.hint = hint
        self.require_doc = require_doc
        self.entries: dict[str, E] = {}
        self._aliases: dict[str, str] = {}

    def fresh(self) -> Registry[E]:
        """An empty registry with the same families and wording (for tests that register their own)."""
        return Registry(
            noun=self.noun,
            families=self._families,
            example=self.example,
            hint=self.hint,
            require_doc=self.require_doc,
        )

    def add(self, entry: E, *, aliases: Iterable[str] = ()) -> E:
        """Insert ``entry``, known also by its old ids ``aliases``.

        Raises:
            RegistryError: the id or name is malformed, the id, an alias or the name is taken, or a
                required doc is empty. Nothing is inserted then.
        """
        old_ids = tuple(aliases)
        if not self._id.match(entry.id):
            families = ", ".join(self._families)
            raise RegistryError(
                f"{self.noun} id {entry.id!r} must look like {self.example}: a family prefix ({families})"
                " and three digits"
            )
        if not _KEBAB.match(entry.name):
            raise RegistryError(f"{self.noun} name {entry.name!r} must be kebab-case")
        if entry.id in self.entries:
            raise RegistryError(f"{self.noun} {entry.id} is registered twice")
        taken = {entry.id, *old_ids} & (self.entries.keys() | self._aliases.keys())
        if taken:
            raise RegistryError(f"{self.noun} {entry.id} ({entry.name}) reuses {sorted(taken)}; an id is never reused")
        other = next((e for e in self.entries.values() if e.name == entry.name), None)
        if other is not None:
            raise RegistryError(
                f"{self.noun} {entry.id} ({entry.name}) is registered twice: the name is taken by {other.id}"
            )
        if self.require_doc and not entry.summary:
            raise RegistryError(f"{self.noun} {entry.id} has no documentation")
        self.entries[entry.id] = entry
        for alias in old_ids:
            self._aliases[alias] = entry.id
        return entry

    def get(self, key: str) -> E:
        """The entry with this id, old id or name, in any case.

        Raises:
            RegistryError: no such entry.
        """
        wanted = key.strip()
        found = self.entries.get(wanted.upper())
        if found is None:
            found = self.entries.get(self._aliases.get(wanted.upper(), ""))
        if found is None:
            found = next((e for e in self.entries.values() if e.name == wanted.lower()), None)
        if found is None:
            raise RegistryError(f"unknown {self.noun} {key!r}{self.hint}")
        return found

    def select(self, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[E]:
        """Every entry by id, narrowed by ``select`` and ``ignore``.

        Both take ids, old ids, names or id prefixes (``TL2`` selects the TL2xx family), like ruff's options.

        Raises:
            RegistryError: an entry of ``select`` or ``ignore`` matches nothing.
        """
        keep, drop = self._matcher(select), self._matcher(ignore)
        return [
            e for _, e in sorted(self.entries.items()) if (keep is None or keep(e)) and (drop is None or not drop(e))
        ]

    def _matcher(self, wanted: Iterable[str]) -> Callable[[E], bool] | None:
        keys = [w.strip() for w in wanted if w.strip()]
        if not keys:
            return None
        for key in keys:
            if not any(self._matches(e, key) for e in self.entries.values()):
                raise RegistryError(f"{key!r} matches no {self.noun}{self.hint}")
        return lambda e: any(self._matches(e, key) for key in keys)

    def _matches(self, entry: E, key: str) -> bool:
        upper = key.upper()
        return entry.id.startswith(upper) or self._aliases.get(upper) == entry.id or entry.name == key.lower()
