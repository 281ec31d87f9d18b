"""Hypothesis strategies for Timeline activities and Events inputs, valid and broken one rule at a time.

Valid data is built from a tenant's reference data (the demo tenant by default), so the mock tenant
accepts every record: authors, companies, relationships, attendees and activity types exist there.

* :func:`activity_records` - insert records, valid inside a body whose ``lookups`` is one of
  :func:`lookups` (records may name their company and relationship through lookups);
* :func:`lookups` - the body's ``lookups`` object: the document's five lookups, options varied;
* :func:`insert_payloads` - whole insert bodies (records with unique ExternalIds, and lookups);
* :func:`event_inputs` - Events API ``EventInput`` objects;
* :func:`invalid_activity_records`, :func:`invalid_insert_payloads`, :func:`invalid_event_inputs` -
  valid data mutated to break exactly one rule (one mutator per rule, never ``.filter``), so the rule's
  code is the only error code a tenant should answer; :func:`invalid_rules` lists the rules they know.

Options are keyword-only; an unknown rule id raises :class:`ValueError` when the strategy is made.
This module imports hypothesis: it is not on the validator's import path.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Mapping
from typing import Any, Final

from hypothesis import strategies as st

from .kinds import Kind
from .rules.context import LEGACY_CONTEXTS
from .rules.events import OPERATIONS
from .rules.fields import NOTES_LIMIT, SUBJECT_LIMIT
from .tenantdata import TenantData, demo_tenant

__all__ = [
    "DOCUMENT_LOOKUPS",
    "activity_records",
    "event_inputs",
    "insert_payloads",
    "invalid_activity_records",
    "invalid_event_inputs",
    "invalid_insert_payloads",
    "invalid_rules",
    "lookups",
]

Record = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

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
_OFFSETS: Final = ("Z", "+00:00", "-07:00", "+05:30", "+09:00", "-03:00")
_LETTERS: Final = string.ascii_letters
# Any text JSON can carry (no lone surrogates): the tail of generated names, subjects and notes.
_TEXT: Final = st.text(st.characters(codec="utf-8"), max_size=40)


def _tenant(tenant: TenantData | None) -> TenantData:
    return tenant if tenant is not None else demo_tenant()


def _non_blank(max_size: int) -> st.SearchStrategy[str]:
    """Text up to ``max_size`` characters that starts with a letter (never blank, never date-like)."""
    return st.builds(lambda head, tail: (head + tail)[:max_size], st.sampled_from(_LETTERS), _TEXT)


def _external_ids() -> st.SearchStrategy[str]:
    return st.text(string.ascii_lowercase + string.digits + "-", min_size=6, max_size=32).map(lambda s: f"ext-{s}")


@st.composite
def _datetimes(draw: Draw) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss[.SSS](Z|±hh:mm)`` on a real date, as the document writes ActivityDate."""
    moment = draw(st.datetimes(min_value=_dt(2000), max_value=_dt(2099)))
    millis = draw(st.sampled_from(["", f".{moment.microsecond // 1000:03d}"]))
    return f"{moment:%Y-%m-%dT%H:%M:%S}{millis}{draw(st.sampled_from(_OFFSETS))}"


def _dt(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1)


def _dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=_dt(2000).date(), max_value=_dt(2099).date()).map(lambda d: d.isoformat())


def _custom_values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "date":
        return _dates()
    if kind == "datetime":
        return _datetimes()
    if kind == "number":
        return st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return _non_blank(80)


def _names(rows: tuple[Mapping[str, Any], ...], field: str) -> list[Any]:
    return [row[field] for row in rows if row.get(field)]


@st.composite
def _activity_record(draw: Draw, data: TenantData, context: str | None) -> Record:
    chosen = context or draw(st.sampled_from(LEGACY_CONTEXTS))
    record: Record = {"ContextName": chosen, "ExternalId": draw(_external_ids())}
    types = data.rows("ActivityType")
    if types and draw(st.booleans()):
        record["ActivityTypeId"] = draw(st.sampled_from(_names(types, "Id")))
    else:
        record["TypeName"] = draw(st.sampled_from(_names(types, "Name") or ["Update"]))
    record["Subject"] = draw(_non_blank(SUBJECT_LIMIT))
    notes = draw(_non_blank(400))
    record["Notes"] = draw(st.sampled_from([notes, f"<p>{notes}</p>"]))
    users = data.rows("GsUser")
    record["Author"] = draw(st.sampled_from(_names(users, "Email")))
    relationship = None
    if chosen == "Relationship":
        relationship = draw(st.sampled_from(data.rows("Relationship")))
        record["GsRelationshipTypeId"] = relationship["TypeGsid"]
        if draw(st.booleans()):
            record["RelationshipName"] = relationship["Name"]
        else:
            record["GsRelationshipId"] = relationship["Gsid"]
    companies = data.rows("Company")
    company = (
        next(c for c in companies if c["Gsid"] == relationship["CompanyGsid"])
        if relationship is not None
        else draw(st.sampled_from(companies))
    )
    if draw(st.booleans()):
        record["companyName"] = company["Name"]
    else:
        record["GsCompanyId"] = company["Gsid"]
    if draw(st.booleans()):
        record["ActivityDate"] = draw(_datetimes())
    if draw(st.booleans()):
        record["internalAttendees"] = draw(st.lists(st.sampled_from(_names(users, "Email")), max_size=3, unique=True))
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
    if context not in (None, *LEGACY_CONTEXTS):
        raise ValueError(f"context must be one of {', '.join(LEGACY_CONTEXTS)} or None, not {context!r}")
    return _activity_record(_tenant(tenant), context)


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


def _profile(profile: str) -> str:
    if profile not in ("current", "legacy"):
        raise ValueError(f"profile must be 'current' or 'legacy', not {profile!r}")
    return profile


# ----------------------------------------------------------------------------------------- mutators
# Each mutator takes a valid record (a copy) and a draw function and breaks exactly one rule.

Mutator = Callable[[Record, Draw, TenantData], Record]


def _drop(record: Record, *names: str) -> Record:
    for name in names:
        record.pop(name, None)
    return record


def _blank(draw: Draw) -> Any:
    return draw(st.sampled_from([None, "", " ", "\t\n"]))


def _missing(record: Record, draw: Draw, *names: str) -> Record:
    """Remove the fields, or give them a blank value: both count as missing."""
    if draw(st.booleans()):
        return _drop(record, *names)
    for name in names:
        record[name] = _blank(draw)
    return record


def _as_relationship(record: Record, data: TenantData) -> Record:
    record["ContextName"] = "Relationship"
    relationship = data.rows("Relationship")[0]
    record.setdefault("GsRelationshipTypeId", relationship["TypeGsid"])
    if "RelationshipName" not in record and "GsRelationshipId" not in record:
        record["GsRelationshipId"] = relationship["Gsid"]
    return record


def _long_text(draw: Draw, limit: int) -> str:
    piece: str = draw(_non_blank(30)).replace("<", "").replace("&", "") or "x"
    size: int = draw(st.integers(limit + 1, limit + 300))
    return (piece * (size // len(piece) + 1))[:size]


# Each has a time of day (so an untyped custom field reads as a date-time) and none is RFC 3339 either.
_BAD_DATETIMES: Final = st.sampled_from(
    [
        "2022-07-01T06:36:00.000",
        "2022-07-01 06:36:00Z",
        "2022-07-01T06:36:00.000+0700",
        "2022-02-30T10:00:00Z",
        "2022-07-01T24:00:00Z",
        "07/01/2022 06:36",
        "2022-07-01T06:36Z",
    ]
)
_BAD_DATES: Final = st.sampled_from(["06/08/2022", "2022-6-8", "2022-02-30", "2022.06.08", "2022-13-01", "8.6.2022"])


def _custom_field(data: TenantData, kind: str) -> str:
    return next((name for name, t in sorted(data.custom_fields.items()) if t == kind), f"Ant__Gsc{kind.title()}__c")


_ACTIVITY_MUTATORS: Final[dict[str, Mutator]] = {
    "TL101": lambda r, draw, data: _missing(r, draw, "ExternalId"),
    "TL201": lambda r, draw, data: _missing(r, draw, "ContextName"),
    "TL202": lambda r, draw, data: {
        **r,
        "ContextName": draw(st.sampled_from(["Account", "company", "COMPANY", "Opportunity", "Person"])),
    },
    "TL204": lambda r, draw, data: _drop(_as_relationship(r, data), "RelationshipName", "GsRelationshipId"),
    "TL205": lambda r, draw, data: _missing(_as_relationship(r, data), draw, "GsRelationshipTypeId"),
    "TL206": lambda r, draw, data: _drop(r, "GsCompanyId", "companyName", "externalAttendees"),
    "TL301": lambda r, draw, data: _missing(r, draw, "TypeName", "ActivityTypeId"),
    "TL302": lambda r, draw, data: _missing(r, draw, draw(st.sampled_from(["Subject", "Notes", "Author"]))),
    "TL303": lambda r, draw, data: {**r, "Subject": _long_text(draw, SUBJECT_LIMIT)},
    "TL304": lambda r, draw, data: {**r, "Notes": _long_text(draw, NOTES_LIMIT)},
    "TL305": lambda r, draw, data: {
        **r,
        **draw(
            st.sampled_from(
                [
                    {"ExternalId": 1001},
                    {"Subject": 42},
                    {"Notes": ["a", "b"]},
                    {"ActivityDate": 1656682560000},
                    {"TypeName": True},
                    {"GsRelationshipTypeId": {"Gsid": "x"}},
                ]
            )
        ),
    },
    "TL401": lambda r, draw, data: {**r, "ActivityDate": draw(_BAD_DATETIMES)},
    "TL402": lambda r, draw, data: {**r, _custom_field(data, "datetime"): draw(_BAD_DATETIMES)},
    "TL403": lambda r, draw, data: {**r, _custom_field(data, "date"): draw(_BAD_DATES)},
}


def _check_rule(rule: str, known: Mapping[str, Any], what: str) -> str:
    rule_id = rule.strip().upper()
    if rule_id not in known:
        raise ValueError(f"no {what} strategy breaks rule {rule!r}; known: {', '.join(sorted(known))}")
    return rule_id


@st.composite
def _mutated_record(draw: Draw, data: TenantData, rule_id: str, context: str | None) -> Record:
    record = dict(draw(_activity_record(data, context)))
    return _ACTIVITY_MUTATORS[rule_id](record, draw, data)


def invalid_activity_records(
    *,
    rule: str,
    context: str | None = None,
    tenant: TenantData | None = None,
) -> st.SearchStrategy[Record]:
    """Insert records that break ``rule`` (a record rule of the TL1xx-TL4xx families) and no other.

    Like :func:`activity_records`, they are meant for a body with :func:`lookups`.

    Raises:
        ValueError: no mutator breaks that rule.
    """
    rule_id = _check_rule(rule, _ACTIVITY_MUTATORS, "activity record")
    if context not in (None, *LEGACY_CONTEXTS):
        raise ValueError(f"context must be one of {', '.join(LEGACY_CONTEXTS)} or None, not {context!r}")
    return _mutated_record(_tenant(tenant), rule_id, context)


def _break_lookup(payload: dict[str, Any], key: str, **changes: Any) -> dict[str, Any]:
    entry = {**payload["lookups"][key], **changes}
    payload["lookups"] = {**payload["lookups"], key: {k: v for k, v in entry.items() if v is not None}}
    return payload


def _duplicate(payload: dict[str, Any], draw: Draw) -> dict[str, Any]:
    records = payload["records"]
    first, later = sorted(draw(st.lists(st.integers(0, len(records) - 1), min_size=2, max_size=2, unique=True)))
    records[later] = {**records[later], "ExternalId": records[first]["ExternalId"]}
    return payload


def _unresolved(payload: dict[str, Any], draw: Draw) -> dict[str, Any]:
    index = draw(st.integers(0, len(payload["records"]) - 1))
    record = dict(payload["records"][index])
    record["Author"] = f"nobody-{draw(_external_ids())}@example.invalid"
    record.pop("AuthorId", None)
    payload["records"][index] = record
    return _break_lookup(payload, "AuthorId", onNoMatch="ERROR", multiMatchOption="FIRSTMATCH")


PayloadMutator = Callable[[dict[str, Any], Draw], dict[str, Any]]

_PAYLOAD_MUTATORS: Final[dict[str, PayloadMutator]] = {
    "TL103": _duplicate,
    # NULLABLE: against a tenant the misdirected lookup then finds nothing without failing the record too.
    "TL502": lambda p, draw: _break_lookup(
        p, "AuthorId", objectName=draw(st.sampled_from(["Company", "Person"])), onNoMatch="NULLABLE"
    ),
    "TL503": lambda p, draw: _break_lookup(
        p, "AuthorId", **draw(st.sampled_from([{"multiMatchOption": "FIRST"}, {"onNoMatch": "MARKASERROR"}]))
    ),
    "TL504": lambda p, draw: _break_lookup(
        p, "AuthorId", **draw(st.sampled_from([{"fields": "Author"}, {"objectName": None}, {"fields": {}}]))
    ),
    "TL505": _unresolved,
}


@st.composite
def _mutated_payload(draw: Draw, data: TenantData, rule_id: str) -> dict[str, Any]:
    payload = draw(_insert_payload(data, 2 if rule_id == "TL103" else 1, 4))
    payload = {"records": [dict(r) for r in payload["records"]], "lookups": payload["lookups"]}
    if rule_id in _PAYLOAD_MUTATORS:
        return _PAYLOAD_MUTATORS[rule_id](payload, draw)
    index = draw(st.integers(0, len(payload["records"]) - 1))
    payload["records"][index] = _ACTIVITY_MUTATORS[rule_id](payload["records"][index], draw, data)
    return payload


def invalid_insert_payloads(
    *,
    rule: str,
    tenant: TenantData | None = None,
    profile: str = "current",
) -> st.SearchStrategy[dict[str, Any]]:
    """Insert bodies in which exactly one thing breaks ``rule``: one record, a repeated ExternalId, or a lookup.

    ``TL505`` (a lookup that finds nothing) shows only against a tenant: the validator cannot tell.

    Raises:
        ValueError: no mutator breaks that rule.
    """
    rule_id = _check_rule(rule, {**_ACTIVITY_MUTATORS, **_PAYLOAD_MUTATORS}, "insert payload")
    _profile(profile)
    return _mutated_payload(_tenant(tenant), rule_id)


_EVENT_MUTATORS: Final[dict[str, Callable[[Record, Draw], Record]]] = {
    "EV101": lambda e, draw: _drop(e, draw(st.sampled_from(["eventType", "objectType", "operation", "payload"]))),
    "EV102": lambda e, draw: {**e, "operation": draw(st.sampled_from(["insert", "CREATE", "Upsert", "", 1, None]))},
    "EV103": lambda e, draw: {**e, "payload": draw(st.sampled_from(['{"hello": "world"}', [], None, 3]))},
    "EV104": lambda e, draw: {**e, "timestamp": draw(_BAD_DATETIMES)},
    "EV105": lambda e, draw: {
        **e,
        draw(st.sampled_from(["eventType", "objectType", "companyId", "sourceSystem"])): draw(
            st.sampled_from([1, None, True, ["x"]])
        ),
    },
}


@st.composite
def _mutated_event(draw: Draw, data: TenantData, rule_id: str) -> Record:
    return _EVENT_MUTATORS[rule_id](dict(draw(_event_input(data))), draw)


def invalid_event_inputs(*, rule: str, tenant: TenantData | None = None) -> st.SearchStrategy[Record]:
    """Event inputs that break ``rule`` (an EV1xx rule) and no other.

    Raises:
        ValueError: no mutator breaks that rule.
    """
    rule_id = _check_rule(rule, _EVENT_MUTATORS, "event")
    return _mutated_event(_tenant(tenant), rule_id)


def invalid_rules(kind: str | Kind) -> tuple[str, ...]:
    """The rule ids the ``invalid_*`` strategies can break for a kind, sorted.

    ``timeline-insert`` covers :func:`invalid_insert_payloads`; ``event`` and ``events-bulk`` cover
    :func:`invalid_event_inputs`; other kinds have none yet.

    Raises:
        ValueError: an unknown kind.
    """
    chosen = Kind(kind)
    if chosen is Kind.TIMELINE_INSERT:
        return tuple(sorted({**_ACTIVITY_MUTATORS, **_PAYLOAD_MUTATORS}))
    if chosen in (Kind.EVENT, Kind.EVENTS_BULK):
        return tuple(sorted(_EVENT_MUTATORS))
    return ()
