"""The independent tenant's own reference data: companies, users, relationships, types, people and event types.

Made up for this tenant and unlike any demo data: a runner that only knows another tenant's names
finds none of them here. :func:`tenant_document` writes the same data in the JSON shape a contract
runner's ``--tenant FILE`` option reads, so a run can be told what this tenant holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "ACTIVITY_TYPES",
    "COMPANIES",
    "CONTEXTS",
    "CUSTOM_FIELDS",
    "EVENT_TYPES",
    "OBJECTS",
    "PERSONS",
    "PUBLISHER_TENANT_ID",
    "REGISTERED_EVENTS",
    "RELATIONSHIPS",
    "RELATIONSHIP_TYPES",
    "USERS",
    "find",
    "tenant_document",
]

Row = Mapping[str, Any]

COMPANIES: tuple[Row, ...] = (
    {"Gsid": "1P02J9U1S4UOK9O95POBOBF8B25BB8XP7TPZ", "Name": "Northwind Traders"},
    {"Gsid": "1P022UBXME2ABH1KTDY2HM2W7JOJPQ1W2JUL", "Name": "Globex Corporation"},
    {"Gsid": "1P02NMYHQUE19522V77DP2GLN7WPMNS8ZOHA", "Name": "Initech LLC"},
    {"Gsid": "1P02VOLVZX2Y03MSCW25VIBY53Q791S3TPIM", "Name": "Umbrella Health"},
)
USERS: tuple[Row, ...] = (
    {"Gsid": "1P0177EUXUF7LN158RMTJXLF3RZ46TRGZOC5", "Name": "Ines Ortega", "Email": "ines.ortega@harbor.example"},
    {"Gsid": "1P01Y961KQXCF0G0XL3FY0BEKL12U14NT7IU", "Name": "Bram de Vries", "Email": "bram.devries@harbor.example"},
    {"Gsid": "1P01KI3U7WTYESHFNF0ADX29GLVEA8UXBYEI", "Name": "Chen Wei", "Email": "chen.wei@harbor.example"},
    {"Gsid": "1P01O1264ADH0DSG3XEAN696TW3RKFGTCV33", "Name": "Amara Okafor", "Email": "amara.okafor@harbor.example"},
    {"Gsid": "1P01B1X4F520PEUWX2ZR7TX1GNS77NYAZDBN", "Name": "Lukas Brandt", "Email": "lukas.brandt@harbor.example"},
)
RELATIONSHIP_TYPES: tuple[Row, ...] = (
    {"Gsid": "1P06SHJM3ZVBXQE6M2S581QZMDUAEF7D7U6J", "Name": "Subscription"},
    {"Gsid": "1P062KLJ9O361VSWVR0R5YX1HQMZYACV8BJ0", "Name": "Partner"},
)
RELATIONSHIPS: tuple[Row, ...] = (
    {
        "Gsid": "1P05TBTDHK6JM3J7Y0PICL7JGUXHD9TK2X9S",
        "Name": "Northwind Analytics Seat",
        "CompanyId": COMPANIES[0]["Gsid"],
        "RelationshipTypeId": RELATIONSHIP_TYPES[0]["Gsid"],
    },
    {
        "Gsid": "1P05RMT6M28VJRG7KIPJF76T8TMMSXYEX2U0",
        "Name": "Globex EU Reseller",
        "CompanyId": COMPANIES[1]["Gsid"],
        "RelationshipTypeId": RELATIONSHIP_TYPES[1]["Gsid"],
    },
    {
        "Gsid": "1P05GH2R9E19EQX7I7NN5NCSB0L1BFL4MF44",
        "Name": "Initech Payroll Suite",
        "CompanyId": COMPANIES[2]["Gsid"],
        "RelationshipTypeId": RELATIONSHIP_TYPES[0]["Gsid"],
    },
)
# External attendees are people of a company: the ExternalAttendees lookup matches a person's name
# (``Person_ID__gr.Name``) within a company (``Company_ID``).
PERSONS: tuple[Row, ...] = tuple(
    {"Gsid": gsid, "Name": name, "Person_ID__gr.Name": name, "Company_ID": COMPANIES[company]["Gsid"]}
    for gsid, name, company in (
        ("1P03JEXHO351F03SOKY5UXSFUL9GXE3FXQST", "Dana Whitfield", 0),
        ("1P03RH319705DSZU3DC8BCB1017YTC3C10Q7", "Otto Keller", 1),
        ("1P03WC1WHBN8ZG9FDK7ZQDDLQDRVP52GX348", "Priya Raman", 2),
        ("1P030GB4NUMMCS06AJ5CJK9OLUSCSD8QRPYR", "Sam Lowe", 3),
        ("1P03AC5D3HZAR03Z396WQ26PZMCWAT9X1LM6", "Noor Haddad", 0),
    )
)
ACTIVITY_TYPES: tuple[Row, ...] = (
    {"Gsid": "45957617-f59b-5dd9-a1b3-239c5aa46772", "Name": "Email"},
    {"Gsid": "0de249db-62d8-567c-94ac-f3bc9f5b3c26", "Name": "Onboarding Session"},
    {"Gsid": "4398e362-cf49-56f9-a43d-c27db2eb7248", "Name": "Quarterly Review"},
    {"Gsid": "da442c4a-7dc5-5033-baa4-589f19c5e333", "Name": "Escalation Note"},
    {"Gsid": "09311a50-39b4-5dbc-b3d3-31b35d687288", "Name": "Renewal Call"},
)
CUSTOM_FIELDS: Mapping[str, str] = {
    "Ant__RenewalDate__c": "date",
    "Ant__LastTouch__c": "datetime",
    "Ant__SeatCount__c": "number",
    "Ant__AtRisk__c": "boolean",
    "Ant__Channel__c": "string",
}
EVENT_TYPES: tuple[Row, ...] = (
    {"id": "renewal_signal", "name": "Renewal signal", "description": "A renewal date moved", "isActive": True},
    {"id": "usage_spike", "name": "Usage spike", "description": "Daily usage doubled", "isActive": True},
    {"id": "ticket_escalated", "name": "Ticket escalated", "description": "A ticket was escalated", "isActive": True},
)

CONTEXTS = ("Company", "Relationship", "CTA", "SuccessPlan", "Scorecard", "ScorecardMeasure", "Milestone")
"""ContextName values this tenant knows (matched without regard to letter case)."""

OBJECTS: Mapping[str, tuple[Row, ...]] = {
    "gsuser": USERS,
    "company": COMPANIES,
    "relationship": RELATIONSHIPS,
    "relationshiptype": RELATIONSHIP_TYPES,
    "company_person": PERSONS,
    "activitytype": ACTIVITY_TYPES,
}
"""Rows by lower-case object name: what lookups and ``__gr`` paths read."""


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


# Each row beside its case-folded copy, so a lookup folds only its criteria.
_FOLDED: Mapping[str, tuple[tuple[Row, dict[str, Any]], ...]] = {
    name: tuple((row, {k.casefold(): _fold(v) for k, v in row.items()}) for row in rows)
    for name, rows in OBJECTS.items()
}


def find(object_name: str, criteria: Mapping[str, Any]) -> list[Row]:
    """Rows of ``object_name`` whose fields equal every criterion; names and text compare without case."""
    wanted = [(name.casefold(), _fold(value)) for name, value in criteria.items()]
    found = []
    for row, folded in _FOLDED.get(object_name.casefold(), ()):
        if all(name in folded and folded[name] == value for name, value in wanted):
            found.append(row)
    return found


PUBLISHER_TENANT_ID = "indep-tenant-0417"
"""The ``tenantId`` an Events Framework publisher sends to this tenant."""

REGISTERED_EVENTS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("Renewals", "Renewal Date Moved", "2"): ("accountId", "newDate"),
    ("Renewals", "Renewal Won", "1"): ("accountId",),
}
"""(topic, event, version) -> the payload fields the registration makes required."""


def tenant_document() -> dict[str, Any]:
    """This tenant's reference data as a contract runner's tenant file (``--tenant FILE``)."""
    return {
        "companies": [dict(c) for c in COMPANIES],
        "users": [dict(u) for u in USERS],
        "relationshipTypes": [dict(t) for t in RELATIONSHIP_TYPES],
        "relationships": [
            {"Gsid": r["Gsid"], "Name": r["Name"], "CompanyGsid": r["CompanyId"], "TypeGsid": r["RelationshipTypeId"]}
            for r in RELATIONSHIPS
        ],
        "activityTypes": [{"Id": t["Gsid"], "Name": t["Name"]} for t in ACTIVITY_TYPES],
        "persons": [{"Gsid": p["Gsid"], "Name": p["Name"], "CompanyGsid": p["Company_ID"]} for p in PERSONS],
        "customFields": dict(CUSTOM_FIELDS),
        "eventTypes": [dict(e) for e in EVENT_TYPES],
        "tenantId": PUBLISHER_TENANT_ID,
        "eventTopics": [
            {
                "name": "Renewals",
                "events": [
                    {
                        "name": name,
                        "version": version,
                        "schema": {"type": "object", "required": list(required)},
                        "example": {field: f"{field}-1" for field in required},
                    }
                    for (topic, name, version), required in REGISTERED_EVENTS.items()
                    if topic == "Renewals"
                ],
            }
        ],
    }
