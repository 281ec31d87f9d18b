"""Reading through a saved activity's lookup fields with Gainsight's ``__gr.`` notation.

Gainsight's data query API names a field of the record a lookup field points at as
``<lookup>__gr.<field>``: ``AuthorId__gr.Email`` is the email of the activity's author, as public
Timeline clients filter on it. The mock serves one hop through the single-valued lookups of a saved
activity (``AuthorId`` to the tenant's users, ``GsCompanyId`` to its companies, ``GsRelationshipId`` to
its relationships), reading the tenant's reference data, in ``select``, ``where`` and ``orderBy`` alike.
Names match case-insensitively, as every field name of the read API does.

A traversal the tenant cannot follow (not a lookup field, a lookup holding a list, a field its object
does not have, or a second hop) is refused as a whole query, never answered with zero records: a client
that filters on a misspelt field would otherwise read "nothing matched" as the truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..gainsight.objects import TIMELINE_OBJECT, TRAVERSABLE_LOOKUPS, TRAVERSAL_MARK
from .query_language import field_value
from .tenantview import ReferenceData

__all__ = ["Traversal", "TraversalError", "follow", "traversals"]

_MARK = TRAVERSAL_MARK.casefold()
_LOOKUPS_BY_FOLD = {key.casefold(): key for key in TRAVERSABLE_LOOKUPS}


class TraversalError(ValueError):
    """A ``__gr.`` field name the tenant cannot follow: the name as the query wrote it, and why.

    The reason never repeats the name, which may be long: whoever answers quotes the name as it likes.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Traversal:
    """One ``<lookup>__gr.<field>`` name of a query, resolved against the tenant's objects."""

    name: str
    lookup: str
    object_name: str
    target: str


def _parse(name: str, reference: ReferenceData) -> Traversal:
    at = name.casefold().find(_MARK)
    lookup, target = name[:at], name[at + len(_MARK) :]
    canonical = _LOOKUPS_BY_FOLD.get(lookup.casefold())
    if canonical is None:
        known = ", ".join(TRAVERSABLE_LOOKUPS)
        raise TraversalError(name, f"not a lookup field of {TIMELINE_OBJECT} to read through (only {known})")
    object_name = TRAVERSABLE_LOOKUPS[canonical]
    if _MARK in target.casefold():
        raise TraversalError(name, f"only one {TRAVERSAL_MARK} step is served")
    fields = reference.fields(object_name)
    if target.casefold() not in fields:
        known = ", ".join(fields.values())
        raise TraversalError(name, f"{object_name} has no such field (known: {known})")
    return Traversal(name=name, lookup=canonical, object_name=object_name, target=fields[target.casefold()])


def traversals(names: Iterable[str], reference: ReferenceData) -> tuple[Traversal, ...]:
    """The ``__gr.`` names among ``names``, each resolved once.

    Raises:
        TraversalError: a name the tenant cannot follow.
    """
    found: dict[str, Traversal] = {}
    for name in names:
        if _MARK in name.casefold() and name not in found:
            found[name] = _parse(name, reference)
    return tuple(found.values())


def follow(row: dict[str, Any], steps: Iterable[Traversal], reference: ReferenceData) -> None:
    """Add to ``row`` (one saved activity) the value of each traversal, under the name the query wrote.

    An activity whose lookup field is empty, or holds a GSID the tenant does not know, reads ``None``.
    """
    for step in steps:
        gsid = field_value(row, step.lookup)
        target: Mapping[str, Any] | None = (
            reference.by_gsid(step.object_name).get(gsid) if isinstance(gsid, str) else None
        )
        row[step.name] = None if target is None else target.get(step.target)
