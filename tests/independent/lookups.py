"""The ``lookups`` object of a save or update body, resolved against the independent tenant's own data.

``{"AuthorId": {"fields": {"Author": "Email"}, "lookupField": "Gsid", "objectName": "GsUser",
"multiMatchOption": "FIRSTMATCH", "onNoMatch": "ERROR"}}`` fills ``AuthorId`` with the Gsid of the user
whose Email is the record's ``Author``. How this tenant reads it:

* a lookup applies to a record that gives a value for one of its source fields (a source naming
  another lookup's key, as ``GsCompanyId`` in ``ExternalAttendees``, only narrows the match); a record
  that gives the target key itself (``AuthorId``) skips the lookup;
* a list-valued source (attendees) is resolved element by element into a list of Gsids;
* ``multiMatchOption``: FIRSTMATCH (also when absent) takes the first match, MARKASERROR fails the
  record when several match (GSOBJ_1002);
* ``onNoMatch``: ERROR fails the record with GSOBJ_1011 "No record found for <Key>"; NULLABLE and
  DEFAULTVALUE leave the key null (an unmatched attendee is left out). **When absent it means ERROR.**
* a malformed lookup (unknown object or field, unknown option, no ``fields``) fails, with GSOBJ_1002,
  the records that use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .data import OBJECTS, find

__all__ = ["DIRECT_IDS", "Failure", "LookupPlan", "failure", "plan_lookups", "resolve"]

Failure = dict[str, str]

DIRECT_IDS: Mapping[str, str] = {
    "AuthorId": "gsuser",
    "GsCompanyId": "company",
    "GsRelationshipId": "relationship",
    "GsRelationshipTypeId": "relationshiptype",
}
"""Reference fields a record may give as Gsids directly, and the object each Gsid must belong to."""

_MULTI = ("FIRSTMATCH", "MARKASERROR")
_NO_MATCH = ("ERROR", "NULLABLE", "DEFAULTVALUE")


def failure(code: str, message: str) -> Failure:
    """One item of a record's failure list."""
    return {"errorCode": code, "errorMessage": message}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _spec_problem(key: str, spec: Any) -> str | None:
    """Why a lookup cannot be used, or ``None``."""
    if not isinstance(spec, Mapping):
        return f"Lookup {key} must be an object"
    fields, object_name = spec.get("fields"), spec.get("objectName")
    if not isinstance(fields, Mapping) or not fields or not all(isinstance(v, str) for v in fields.values()):
        return f"Lookup {key}: fields must map record fields to {object_name or 'object'} fields"
    if not isinstance(object_name, str) or object_name.casefold() not in OBJECTS:
        return f"Lookup {key}: unknown objectName {object_name!r}"
    known = {name.casefold() for row in OBJECTS[object_name.casefold()] for name in row}
    unknown = [target for target in fields.values() if target.casefold() not in known]
    if unknown:
        return f"Lookup {key}: {object_name} has no field {unknown[0]!r}"
    lookup_field = spec.get("lookupField", "Gsid")
    if not isinstance(lookup_field, str) or lookup_field.casefold() != "gsid":
        return f"Lookup {key}: lookupField must be Gsid, not {lookup_field!r}"
    if spec.get("multiMatchOption") not in (None, *_MULTI):
        return f"Lookup {key}: multiMatchOption {spec.get('multiMatchOption')!r} is not one of {', '.join(_MULTI)}"
    if spec.get("onNoMatch") not in (None, *_NO_MATCH):
        return f"Lookup {key}: onNoMatch {spec.get('onNoMatch')!r} is not one of {', '.join(_NO_MATCH)}"
    return None


def _sources(spec: Any, lookups: Mapping[str, Any]) -> list[str] | None:
    fields = spec.get("fields") if isinstance(spec, Mapping) else None
    return [name for name in fields if name not in lookups] if isinstance(fields, Mapping) else None


def _uses(record: Mapping[str, Any], key: str, spec: Any, lookups: Mapping[str, Any]) -> bool:
    if not _empty(record.get(key)):
        return False  # the record gives the value itself
    sources = _sources(spec, lookups)
    if not sources:
        return True  # no readable sources: every record that needs the key is affected
    return any(not _empty(record.get(name)) for name in sources)


@dataclass(frozen=True, slots=True)
class LookupPlan:
    """A body's lookups, checked once: the order to resolve them in, and why any cannot be used."""

    lookups: Mapping[str, Any]
    order: tuple[str, ...]
    problems: Mapping[str, str]


def plan_lookups(lookups: Mapping[str, Any]) -> LookupPlan:
    """Check a body's ``lookups`` object once, for all its records."""
    problems = {key: problem for key, spec in lookups.items() if (problem := _spec_problem(key, spec)) is not None}
    return LookupPlan(lookups, tuple(_ordered(lookups)), problems)


def _ordered(lookups: Mapping[str, Any]) -> list[str]:
    """Keys whose fields read no other lookup's key first, then the rest (ExternalAttendees reads GsCompanyId)."""
    first = [k for k, spec in lookups.items() if not set(_fields(spec)) & set(lookups)]
    return first + [k for k in lookups if k not in first]


def _fields(spec: Any) -> Mapping[str, Any]:
    fields = spec.get("fields") if isinstance(spec, Mapping) else None
    return fields if isinstance(fields, Mapping) else {}


def _match(key: str, spec: Mapping[str, Any], criteria: dict[str, Any]) -> tuple[str | None, Failure | None]:
    rows = find(str(spec["objectName"]), criteria)
    if len(rows) > 1 and spec.get("multiMatchOption") == "MARKASERROR":
        return None, failure("GSOBJ_1002", f"Multiple records found for {key}")
    if rows:
        return str(rows[0]["Gsid"]), None
    if spec.get("onNoMatch") in ("NULLABLE", "DEFAULTVALUE"):
        return None, None
    return None, failure("GSOBJ_1011", f"No record found for {key}")


def resolve(record: Mapping[str, Any], plan: LookupPlan) -> tuple[dict[str, Any], list[Failure]]:
    """The values ``record``'s lookups fill in, and the failures they cause."""
    values: dict[str, Any] = {}
    failures: list[Failure] = []
    lookups = plan.lookups
    for key in plan.order:
        spec = lookups[key]
        if not _uses({**record, **values}, key, spec, lookups):
            continue
        problem = plan.problems.get(key)
        if problem is not None:
            failures.append(failure("GSOBJ_1002", problem))
            continue
        fields: Mapping[str, str] = spec["fields"]
        given: dict[str, Any] = {source: values.get(source, record.get(source)) for source in fields}
        listed = [source for source, value in given.items() if isinstance(value, list)]
        if not listed:
            gsid, problem_item = _match(key, spec, {fields[s]: v for s, v in given.items()})
            values[key] = gsid
            failures.extend([problem_item] if problem_item else [])
            continue
        found: list[str] = []
        for element in given[listed[0]]:
            criteria = {fields[s]: (element if s == listed[0] else v) for s, v in given.items()}
            gsid, problem_item = _match(key, spec, criteria)
            if problem_item is not None:
                failures.append(problem_item)
                break
            if gsid is not None:
                found.append(gsid)
        values[key] = found
    return values, failures
