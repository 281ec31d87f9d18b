"""Checking and saving Timeline records: the document's required fields, limits and codes, then the store.

A field is missing when it is absent, null or the empty string; a whitespace-only string is a value
and is saved as given. Every problem a record has is listed under its key (its ExternalId, or
``records[<index>]`` when it has no usable one); the record is saved only when it has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .data import ACTIVITY_TYPES, CONTEXTS, CUSTOM_FIELDS, OBJECTS
from .dates import date_ok, datetime_ms
from .lookups import DIRECT_IDS, Failure, LookupPlan, failure, plan_lookups, resolve
from .options import Flaws
from .store import Store

__all__ = ["Outcome", "insert_records", "record_key", "update_records"]

SUBJECT_LIMIT = 255
NOTES_LIMIT = 32000
_STRINGS = (
    "ExternalId",
    "Gsid",
    "ContextName",
    "TypeName",
    "ActivityTypeId",
    "Subject",
    "Notes",
    "Author",
    "AuthorId",
    "companyName",
    "CompanyName",
    "GsCompanyId",
    "RelationshipName",
    "GsRelationshipId",
    "GsRelationshipTypeId",
    "ActivityDate",
)
_LISTS = ("internalAttendees", "externalAttendees")
_DATETIME_MESSAGE = "Date Time is expected to be expressed according to ISO 8601 - `yyyy-MM-dd'T'HH:mm:ssZ`. Field {}"
_DATE_MESSAGE = "Date is expected to be expressed according to ISO 8601 - `yyyy-MM-dd`. Field {}"


@dataclass(slots=True)
class Outcome:
    """Per-record results keyed by record key: ``{"activityId": gsid}`` items and failure items."""

    success: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    success_count: int = 0
    failed_count: int = 0

    def saved(self, key: str, gsid: str) -> None:
        self.success.setdefault(key, []).append({"activityId": gsid})
        self.success_count += 1

    def failed(self, key: str, items: list[Failure]) -> None:
        self.failures.setdefault(key, []).extend(items)
        self.failed_count += 1


def record_key(record: Any, index: int) -> str:
    """How answers name a record: its ExternalId when that is a non-empty string, else ``records[<index>]``."""
    external_id = record.get("ExternalId") if isinstance(record, dict) else None
    return external_id if isinstance(external_id, str) and external_id else f"records[{index}]"


def _missing(record: Mapping[str, Any], *names: str) -> bool:
    """Whether every one of ``names`` is absent, null or ""."""
    return all(record.get(name) is None or record.get(name) == "" for name in names)


def _wrong_types(record: Mapping[str, Any]) -> tuple[set[str], list[Failure]]:
    bad: set[str] = set()
    for name in _STRINGS:
        if record.get(name) is not None and not isinstance(record[name], str):
            bad.add(name)
    for name in _LISTS:
        value = record.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            bad.add(name)
    for name, kind in CUSTOM_FIELDS.items():
        if record.get(name) is not None and not _custom_type_ok(kind, record[name]):
            bad.add(name)
    return bad, [failure("GSOBJ_1002", f"Invalid value for {name}: {record[name]!r}") for name in sorted(bad)]


def _custom_type_ok(kind: str, value: Any) -> bool:
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def _common_problems(record: Mapping[str, Any], bad: set[str]) -> list[Failure]:
    """Checks shared by insert and update: type, lengths, ContextName's value, dates."""
    problems: list[Failure] = []
    if _missing(record, "TypeName", "ActivityTypeId") and not bad & {"TypeName", "ActivityTypeId"}:
        problems.append(failure("GS_TL_10_0203", "ActivityTypeId missing"))
    context = record.get("ContextName")
    if isinstance(context, str) and context and context.casefold() not in {c.casefold() for c in CONTEXTS}:
        problems.append(failure("GSOBJ_1002", f"Invalid value {context!r} for ContextName"))
    for name, limit in (("Subject", SUBJECT_LIMIT), ("Notes", NOTES_LIMIT)):
        value = record.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(failure("GSOBJ_1001", f"{name} is longer than {limit} characters ({len(value)})"))
    date = record.get("ActivityDate")
    if isinstance(date, str) and date and datetime_ms(date) is None:
        problems.append(failure("GS_TL_10_0222", _DATETIME_MESSAGE.format("ActivityDate")))
    for name, kind in CUSTOM_FIELDS.items():
        value = record.get(name)
        if name in bad or not isinstance(value, str) or not value:
            continue
        if kind == "datetime" and datetime_ms(value) is None:
            problems.append(failure("GS_TL_10_0222", _DATETIME_MESSAGE.format(name)))
        elif kind == "date" and not date_ok(value):
            problems.append(failure("GS_TL_10_0223", _DATE_MESSAGE.format(name)))
    return problems


def _insert_problems(record: Mapping[str, Any], flaws: Flaws) -> list[Failure]:
    bad, problems = _wrong_types(record)
    if _missing(record, "ExternalId") and "ExternalId" not in bad:
        problems.append(failure("GS_TL_10_0202", "External Id for key `ExternalId` missing"))
    if _missing(record, "ContextName") and "ContextName" not in bad:
        problems.append(failure("GS_TL_10_0211", "Activity context name for key `ContextName` missing"))
    required = [
        ("Subject", ("Subject",)),
        ("Notes", ("Notes",)),
        ("Author", ("Author", "AuthorId")),
        ("CompanyName", ("companyName", "CompanyName", "GsCompanyId")),
    ]
    if flaws.skip_subject_check:
        required = required[1:]
    for label, names in required:
        if _missing(record, *names) and not bad & set(names):
            problems.append(failure("GSOBJ_1007", f"{label} is required"))
    problems += _common_problems(record, bad)
    context = record.get("ContextName")
    if isinstance(context, str) and context.casefold() == "relationship":
        if _missing(record, "RelationshipName", "GsRelationshipId"):
            problems.append(failure("GS_TL_10_0214", "Relationship gsid for key `GsRelationshipId` is missing"))
        if _missing(record, "GsRelationshipTypeId") and "GsRelationshipTypeId" not in bad:
            problems.append(
                failure("GS_TL_10_0215", "Relationship Type gsid for key `GsRelationshipTypeId` is missing")
            )
    if flaws.reject_company_saves and isinstance(context, str) and context.casefold() == "company":
        problems.append(failure("GSOBJ_1002", "Activities on the Company context are not accepted"))
    return problems


def _references(record: Mapping[str, Any], plan: LookupPlan) -> tuple[dict[str, Any], list[Failure]]:
    """Lookups resolved, Gsids given directly checked, and the activity type's id and name filled in."""
    values, problems = resolve(record, plan)
    for key, object_name in DIRECT_IDS.items():
        given = record.get(key)
        if isinstance(given, str) and given and not any(row["Gsid"] == given for row in OBJECTS[object_name]):
            problems.append(failure("GSOBJ_1011", f"No record found for {key}"))
    type_id, type_name = record.get("ActivityTypeId"), record.get("TypeName")
    for row in ACTIVITY_TYPES:
        if type_id == row["Gsid"] or (isinstance(type_name, str) and type_name.casefold() == row["Name"].casefold()):
            # A type named by either its id or its name reads back with both.
            if not type_id:
                values["ActivityTypeId"] = row["Gsid"]
            if not type_name:
                values["TypeName"] = row["Name"]
            break
    return values, problems


def _stored(record: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    fields = {**record, **values}
    if isinstance(fields.get("ActivityDate"), str):
        fields["ActivityDate"] = datetime_ms(fields["ActivityDate"])
    return fields


def insert_records(store: Store, records: list[Any], lookups: Mapping[str, Any], flaws: Flaws) -> Outcome:
    """Check each record, then save the ones without problems."""
    outcome = Outcome()
    plan = plan_lookups(lookups)
    seen: set[str] = set()
    for index, record in enumerate(records):
        key = record_key(record, index)
        if not isinstance(record, dict):
            outcome.failed(key, [failure("GSOBJ_1002", "A record must be a JSON object")])
            continue
        problems = _insert_problems(record, flaws)
        external_id = record.get("ExternalId")
        if not problems and not flaws.skip_duplicate_checks and isinstance(external_id, str):
            if external_id in seen:
                problems.append(failure("GS_TL_10_0108", "Multiple records with same External Id found. First taken"))
            elif store.by_external_id(external_id) is not None:
                problems.append(failure("GS_TL_10_0107", "Activity with same External Id exists"))
        if isinstance(external_id, str):
            seen.add(external_id)
        values: dict[str, Any] = {}
        if not problems:
            values, problems = _references(record, plan)
        if problems:
            outcome.failed(key, problems)
        else:
            outcome.saved(key, store.insert(_stored(record, values)))
    return outcome


def _update_problems(record: Mapping[str, Any], identifier: str) -> list[Failure]:
    bad, problems = _wrong_types(record)
    if identifier == "externalid" and _missing(record, "ExternalId") and "ExternalId" not in bad:
        problems.append(failure("GS_TL_10_0202", "External Id for key `ExternalId` missing"))
    if identifier == "activityid" and _missing(record, "Gsid") and "Gsid" not in bad:
        problems.append(failure("GS_TL_10_0110", "Activity identifier key not provided"))
    for name in ("Subject", "Notes"):
        if _missing(record, name) and name not in bad:
            problems.append(failure("GSOBJ_1007", f"{name} is required"))
    return problems + _common_problems(record, bad)


def update_records(store: Store, records: list[Any], lookups: Mapping[str, Any], identifier: str) -> Outcome:
    """Check each update record, then merge it into the activity its identifier names.

    Records of one activity type must carry the same fields (the document's rule for bulk updates): a
    record whose field names differ from the first record of its type fails with GSOBJ_1002.
    """
    outcome = Outcome()
    plan = plan_lookups(lookups)
    shapes: dict[Any, frozenset[str]] = {}
    for index, record in enumerate(records):
        key = record_key(record, index) if identifier == "externalid" else _gsid_key(record, index)
        if not isinstance(record, dict):
            outcome.failed(key, [failure("GSOBJ_1002", "A record must be a JSON object")])
            continue
        problems = _update_problems(record, identifier)
        kind = record.get("ActivityTypeId") or record.get("TypeName")
        shape = shapes.setdefault(kind if isinstance(kind, str) else repr(kind), frozenset(record))
        if shape != frozenset(record):
            problems.append(failure("GSOBJ_1002", "Records of one activity type must carry the same fields"))
        target = None
        if not problems:
            name = "ExternalId" if identifier == "externalid" else "Gsid"
            value = record[name]
            target = store.by_external_id(value) if name == "ExternalId" else _live_gsid(store, value)
            if target is None:
                problems.append(failure("GSOBJ_1011", f"No record found for {name}"))
        values: dict[str, Any] = {}
        if not problems:
            values, problems = _references(record, plan)
        if problems or target is None:
            outcome.failed(key, problems)
            continue
        store.update(target, _stored({k: v for k, v in record.items() if k != "Gsid"}, values))
        outcome.saved(key, target)
    return outcome


def _gsid_key(record: Any, index: int) -> str:
    gsid = record.get("Gsid") if isinstance(record, dict) else None
    return gsid if isinstance(gsid, str) and gsid else record_key(record, index)


def _live_gsid(store: Store, gsid: str) -> str | None:
    return gsid if gsid in store.activities and gsid not in store.hidden else None
