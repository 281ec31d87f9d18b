"""Broken data: valid records, bodies and events mutated to break exactly one rule each.

One mutator per rule, never ``.filter``: the rule's code is then the only error code a tenant should answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from hypothesis import strategies as st

from ..gainsight.limits import NOTES_LIMIT, SUBJECT_LIMIT
from ..payload.kinds import Kind
from ..tenants.reference import TenantData
from ._values import Draw, Record, _context, _external_ids, _non_blank, _profile, _tenant
from .valid import _activity_record, _event_input, _insert_payload

__all__ = ["invalid_activity_records", "invalid_event_inputs", "invalid_insert_payloads", "invalid_rules"]

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
    return _mutated_record(_tenant(tenant), rule_id, _context(context))


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
