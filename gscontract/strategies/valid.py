"""Valid data: Timeline insert records and bodies, lookups and Events inputs, built from a tenant's reference data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from hypothesis import strategies as st

from ..gainsight.limits import SUBJECT_LIMIT
from ..gainsight.profiles import LEGACY_CONTEXTS
from ..rules.events import OPERATIONS
from ..tenants.reference import TenantData
from ._values import (
    _TEXT,
    Draw,
    Record,
    _context,
    _custom_values,
    _datetimes,
    _external_ids,
    _names,
    _non_blank,
    _profile,
    _tenant,
)

__all__ = ["DOCUMENT_LOOKUPS", "activity_records", "event_inputs", "insert_payloads", "lookups"]

# The lookups of the document's bulk sample, with attendees matched by email as in its single sample.
DOCUMENT_LOOKUPS: Final[Mapping[str, Mapping[str, Any]]] = {
    "AuthorId": {"fields": {"Author": "Email"}, "lookupField": "Gsid", "objectName": "GsUser"},
    "GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid", "objectName": "Company"},
    "GsRelationshipId": {"fields": {"RelationshipName": "Name"}, "lookupField": "Gsid", "objectName": "Relationship"},
    "InternalAttendees": {"fields": {"internalAttendees": "Email"}, "lookupField": "Gsid", "objectName": "GsUser"},
    "ExternalAttendees": {
        "fields": {"externalAttendees": "Person_ID__gr.Name", "GsCompanyId": "Company_ID"},
        "lookupField": "Gsid",
        "objectName": "Company_Person",
    },
}
_OBJECT_SPELLINGS: Final = {"GsUser": ("GsUser", "gsuser"), "Company": ("Company", "company")}


@st.composite
def _activity_record(draw: Draw, data: TenantData, context: str | None) -> Record:
    # Reference data learned from a tenant's activities knows ids, not always names or emails: a record then
    # names its author, company and relationship by id, which the document allows as well as a lookup.
    relationships = [r for r in data.rows("Relationship") if r.get("TypeGsid") and r.get("CompanyGsid")]
    chosen = context or draw(st.sampled_from(LEGACY_CONTEXTS if relationships else LEGACY_CONTEXTS[:1]))
    record: Record = {"ContextName": chosen, "ExternalId": draw(_external_ids())}
    types = data.rows("ActivityType")
    type_ids = _names(types, "Id")
    if type_ids and draw(st.booleans()):
        record["ActivityTypeId"] = draw(st.sampled_from(type_ids))
    else:
        record["TypeName"] = draw(st.sampled_from(_names(types, "Name") or ["Update"]))
    record["Subject"] = draw(_non_blank(SUBJECT_LIMIT))
    notes = draw(_non_blank(400))
    record["Notes"] = draw(st.sampled_from([notes, f"<p>{notes}</p>"]))
    users = data.rows("GsUser")
    emails = _names(users, "Email")
    if emails:
        record["Author"] = draw(st.sampled_from(emails))
    else:
        record["AuthorId"] = draw(st.sampled_from(_names(users, "Gsid")))
    relationship = None
    if chosen == "Relationship":
        relationship = draw(st.sampled_from(relationships))
        record["GsRelationshipTypeId"] = relationship["TypeGsid"]
        if relationship.get("Name") and draw(st.booleans()):
            record["RelationshipName"] = relationship["Name"]
        else:
            record["GsRelationshipId"] = relationship["Gsid"]
    companies = data.rows("Company")
    company = (
        next((c for c in companies if c["Gsid"] == relationship["CompanyGsid"]), {"Gsid": relationship["CompanyGsid"]})
        if relationship is not None
        else draw(st.sampled_from(companies))
    )
    if company.get("Name") and draw(st.booleans()):
        record["companyName"] = company["Name"]
    else:
        record["GsCompanyId"] = company["Gsid"]
    if draw(st.booleans()):
        record["ActivityDate"] = draw(_datetimes())
    if emails and draw(st.booleans()):
        record["internalAttendees"] = draw(st.lists(st.sampled_from(emails), max_size=3, unique=True))
    persons = [p["Name"] for p in data.rows("Company_Person") if p.get("CompanyGsid") == company["Gsid"]]
    if persons and draw(st.booleans()):
        record["externalAttendees"] = draw(st.lists(st.sampled_from(persons), max_size=3, unique=True))
    for name, kind in sorted(data.custom_fields.items()):
        if draw(st.booleans()):
            record[name] = draw(_custom_values(kind))
    return record


def activity_records(
    *,
    context: str | None = None,
    tenant: TenantData | None = None,
) -> st.SearchStrategy[Record]:
    """Valid Timeline insert records.

    Args:
        context: ``"Company"`` or ``"Relationship"``; ``None`` draws either.
        tenant: reference data the values come from (the demo tenant by default).

    A record may name its company by ``companyName`` and its relationship by ``RelationshipName``, so it
    is valid inside a body whose ``lookups`` resolve them: :data:`DOCUMENT_LOOKUPS` or :func:`lookups`.

    Raises:
        ValueError: an unknown context.
    """
    return _activity_record(_tenant(tenant), _context(context))


@st.composite
def _lookups(draw: Draw) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, spec in DOCUMENT_LOOKUPS.items():
        entry = dict(spec)
        spellings = _OBJECT_SPELLINGS.get(entry["objectName"])
        if spellings:
            entry["objectName"] = draw(st.sampled_from(spellings))
        multi = draw(st.sampled_from([None, "FIRSTMATCH", "MARKASERROR"]))
        if multi:
            entry["multiMatchOption"] = multi
        on_no_match = draw(st.sampled_from([None, "ERROR", "NULLABLE", "DEFAULTVALUE"]))
        if on_no_match:
            entry["onNoMatch"] = on_no_match
        result[key] = entry
    return result


def lookups() -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``lookups`` objects: the document's five lookups, with their options and spellings varied."""
    return _lookups()


@st.composite
def _insert_payload(draw: Draw, data: TenantData, min_records: int, max_records: int) -> dict[str, Any]:
    records = draw(
        st.lists(
            _activity_record(data, None),
            min_size=min_records,
            max_size=max_records,
            unique_by=lambda r: r["ExternalId"],
        )
    )
    return {"records": records, "lookups": draw(_lookups())}


def insert_payloads(
    *,
    tenant: TenantData | None = None,
    profile: str = "current",
    min_records: int = 1,
    max_records: int = 5,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid insert bodies: ``records`` with unique ExternalIds, and the ``lookups`` they need.

    ``profile`` is accepted for symmetry with the validator; both profiles allow Company and
    Relationship, the only contexts generated.
    """
    if not 0 <= min_records <= max_records:
        raise ValueError("need 0 <= min_records <= max_records")
    _profile(profile)
    return _insert_payload(_tenant(tenant), min_records, max_records)


@st.composite
def _event_input(draw: Draw, data: TenantData) -> Record:
    event_types = [e["id"] for e in data.event_types] or ["sample_event"]
    event: Record = {
        "eventType": draw(st.sampled_from(event_types)),
        "objectType": draw(st.sampled_from(["Company", "Relationship", "Company_Person", "activity_timeline"])),
        "operation": draw(st.sampled_from(OPERATIONS)),
        "payload": draw(st.dictionaries(_non_blank(20), st.none() | st.booleans() | st.integers() | _TEXT, max_size=4)),
    }
    companies = _names(data.rows("Company"), "Gsid")
    if companies and draw(st.booleans()):
        event["companyId"] = draw(st.sampled_from(companies))
    if draw(st.booleans()):
        event["timestamp"] = draw(_datetimes())
    if draw(st.booleans()):
        event["sourceSystem"] = draw(st.sampled_from(["Zendesk", "Salesforce", "HubSpot"]))
    return event


def event_inputs(*, tenant: TenantData | None = None) -> st.SearchStrategy[Record]:
    """Valid Events API ``EventInput`` objects (event types from the tenant's ``eventTypes``)."""
    return _event_input(_tenant(tenant))
