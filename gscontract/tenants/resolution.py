"""Resolve a Timeline record's lookups against a tenant: the values a save would store, and its failures.

A body's ``lookups`` object fills GSID fields from readable values in each record (the Timeline
document's samples: ``AuthorId`` from ``Author`` by ``GsUser.Email``, ``GsCompanyId`` from
``companyName`` by ``Company.Name``, ...). This module is shared: the mock tenant calls
:func:`resolve_lookups` to store the resolved GSIDs, and rule TL505 (``GSOBJ_1011``) calls it to report
the records a tenant would fail. Both read the same semantics, stated here once:

* A lookup applies to a record when the record holds every key of its ``fields`` (a key may name a
  field that another lookup resolves, as ``ExternalAttendees`` uses ``GsCompanyId``; that lookup runs
  first). A lookup whose inputs are missing, null, blank or empty lists is not applied, and is not a
  failure (the rules that require the field report it).
* ``fields`` pairs are ANDed into one set of criteria (record key -> target object field). A
  list-valued record field (the attendees) is resolved element by element into a list of GSIDs.
* ``multiMatchOption``: ``FIRSTMATCH`` (the default when absent) takes the first match;
  ``MARKASERROR`` fails the record when several entities match.
* ``onNoMatch``: ``ERROR`` fails the record with ``No record found for <LookupKey>``; ``NULLABLE``
  stores null; ``DEFAULTVALUE`` stores null too, because no document says where a default would come
  from. When absent (the document's attendee lookups omit it) it behaves as ``NULLABLE``: an attendee
  the tenant does not know leaves the activity saved. An unresolved list element is left out.
* A tenant that answers ``None`` cannot tell: that lookup is neither resolved nor failed.

Option values other than the documented ones are treated as their defaults here; rule TL503 reports them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["LookupFailure", "LookupSource", "Resolution", "lookup_order", "resolve_lookups"]


class LookupSource(Protocol):
    """What resolution needs from a tenant: :meth:`gscontract.tenants.questions.Tenant.lookup`."""

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        """Gsids of the ``object_name`` entities whose fields equal ``criteria``; ``None``: cannot tell."""


@dataclass(frozen=True, slots=True)
class LookupFailure:
    """A lookup that fails the record: its key, the record field it read, and the tenant's message."""

    key: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of one record's lookups.

    ``values`` maps each resolved lookup key to what a save stores: a GSID, ``None`` (no match, not
    an error) or a list of GSIDs (list-valued fields). ``failures`` are the lookups that fail the
    record. ``unknown`` are keys the tenant could not answer.
    """

    values: dict[str, Any] = field(default_factory=dict)
    failures: tuple[LookupFailure, ...] = ()
    unknown: frozenset[str] = frozenset()


def lookup_order(lookups: Mapping[str, Any]) -> list[str]:
    """The lookup keys in an order where each comes after the lookups its ``fields`` read.

    Keys keep the document's order otherwise; a cycle (which no document shows) keeps document order.
    """
    keys = [k for k, spec in lookups.items() if isinstance(spec, Mapping)]
    depends = {k: [d for d in _fields(lookups[k]) if d in lookups and d != k] for k in keys}
    ordered: list[str] = []
    placed: set[str] = set()
    pending = list(keys)
    while pending:
        ready = [k for k in pending if all(d in placed or d not in depends for d in depends[k])]
        if not ready:  # a cycle: give up on ordering the rest
            ready = pending
        for k in ready:
            ordered.append(k)
            placed.add(k)
        pending = [k for k in pending if k not in placed]
    return ordered


def _fields(spec: Any) -> Mapping[str, Any]:
    fields = spec.get("fields") if isinstance(spec, Mapping) else None
    return fields if isinstance(fields, Mapping) else {}


def _match(source: LookupSource, object_name: str, criteria: dict[str, Any], multi: str) -> tuple[str, ...] | None:
    found = source.lookup(object_name, criteria)
    if found is None:
        return None
    return tuple(found[:1]) if multi != "MARKASERROR" else tuple(found)


def resolve_lookups(record: Mapping[str, Any], lookups: Mapping[str, Any], source: LookupSource) -> Resolution:
    """Resolve ``record``'s lookups (the body's ``lookups`` object) against ``source``.

    Args:
        record: one activity record.
        lookups: the body's ``lookups`` object; malformed entries are skipped.
        source: anything with the tenant's ``lookup(object_name, criteria)``.

    Returns:
        The values to store, the failures, and the keys the tenant could not answer.
    """
    values: dict[str, Any] = {}
    failures: list[LookupFailure] = []
    unknown: set[str] = set()
    for key in lookup_order(lookups):
        spec = lookups[key]
        fields = _fields(spec)
        object_name = spec.get("objectName")
        if not fields or not isinstance(object_name, str):
            continue
        inputs: dict[str, Any] = {}
        for name in fields:
            value = values[name] if name in values else record.get(name)
            if value is None or value == [] or (isinstance(value, str) and (not value or value.isspace())):
                break  # a blank input is a missing one: the lookup does not apply
            inputs[name] = value
        else:
            multi = spec.get("multiMatchOption") or "FIRSTMATCH"
            on_no_match = spec.get("onNoMatch") or "NULLABLE"
            outcome = _resolve_one(key, fields, inputs, object_name, multi, on_no_match, source)
            if outcome is None:
                unknown.add(key)
                continue
            value, failure = outcome
            if failure is not None:
                failures.append(failure)
            else:
                values[key] = value
    return Resolution(values, tuple(failures), frozenset(unknown))


def _resolve_one(
    key: str,
    fields: Mapping[str, Any],
    inputs: dict[str, Any],
    object_name: str,
    multi: str,
    on_no_match: str,
    source: LookupSource,
) -> tuple[Any, LookupFailure | None] | None:
    """Resolve one lookup; ``None`` when the tenant cannot tell."""
    list_field = next((name for name, value in inputs.items() if isinstance(value, list)), None)
    first_field = next(iter(inputs))
    elements = inputs[list_field] if list_field is not None else [None]
    resolved: list[str] = []
    for element in elements:
        criteria = {str(fields[name]): (element if name == list_field else value) for name, value in inputs.items()}
        matches = _match(source, object_name, criteria, multi)
        if matches is None:
            return None
        if len(matches) > 1:
            return None, LookupFailure(key, list_field or first_field, f"Multiple records found for {key}")
        if not matches:
            if on_no_match == "ERROR":
                return None, LookupFailure(key, list_field or first_field, f"No record found for {key}")
            continue
        resolved.append(matches[0])
    if list_field is not None:
        return resolved, None
    return (resolved[0] if resolved else None), None
