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

__all__ = [
    "LINT_ONLY_RULES",
    "invalid_activity_records",
    "invalid_event_inputs",
    "invalid_insert_payloads",
    "invalid_rules",
]

# Each mutator takes a valid record (a copy) and a draw function and breaks exactly one rule.

Mutator = Callable[[Record, Draw, TenantData, bool], Record]
"""``(record, draw, tenant data, plain)``: ``plain`` breaks the rule only in ways the documents state."""


def _drop(record: Record, *names: str) -> Record:
    for name in names:
        record.pop(name, None)
    return record


_EMPTY: Final = (None, "")
"""Values the documents plainly call missing: null and the empty string."""
_WHITESPACE: Final = (" ", "\t\n")
"""Values the validator calls missing too; the documents never say whether a tenant trims them."""


def _missing(record: Record, draw: Draw, *names: str, plain: bool = False) -> Record:
    """Remove the fields, or give them a blank value: both count as missing (whitespace only if not ``plain``)."""
    if draw(st.booleans()):
        return _drop(record, *names)
    blanks = _EMPTY if plain else (*_EMPTY, *_WHITESPACE)
    for name in names:
        record[name] = draw(st.sampled_from(blanks))
    return record


def _as_relationship(record: Record, data: TenantData) -> Record:
    record["ContextName"] = "Relationship"
    # A tenant whose relationships are unknown gets a made-up one: the record fails either way.
    relationship = next(iter(data.rows("Relationship")), {"Gsid": _UNKNOWN_GSID, "TypeGsid": _UNKNOWN_GSID})
    record.setdefault("GsRelationshipTypeId", relationship.get("TypeGsid") or _UNKNOWN_GSID)
    if "RelationshipName" not in record and "GsRelationshipId" not in record:
        record["GsRelationshipId"] = relationship["Gsid"]
    return record


_UNKNOWN_GSID: Final = "1P00GSCONTRACTUNKNOWN0000000000000000"


def _long_text(draw: Draw, limit: int) -> str:
    piece: str = draw(_non_blank(30)).replace("<", "").replace("&", "") or "x"
    size: int = draw(st.integers(limit + 1, limit + 300))
    return (piece * (size // len(piece) + 1))[:size]


# Each has a time of day (so an untyped custom field reads as a date-time) and none is RFC 3339 either.
# The plain ones break the documented pattern beyond doubt: no offset, no real calendar date, another
# layout. The others are the validator's reading: a space for the T and 24:00 are ISO 8601 variants, the
# seconds are optional in ISO 8601, and Gainsight's newer documentation writes offsets as +hhmm.
_PLAIN_BAD_DATETIMES: Final = (
    "2022-07-01T06:36:00.000",
    "2022-02-30T10:00:00Z",
    "07/01/2022 06:36",
)
_BAD_DATETIMES: Final = (
    *_PLAIN_BAD_DATETIMES,
    "2022-07-01 06:36:00Z",
    "2022-07-01T06:36:00.000+0700",
    "2022-07-01T24:00:00Z",
    "2022-07-01T06:36Z",
)
_PLAIN_BAD_DATES: Final = ("06/08/2022", "2022-02-30", "2022.06.08", "2022-13-01", "8.6.2022")
_BAD_DATES: Final = (*_PLAIN_BAD_DATES, "2022-6-8")


# A custom date-time field may write its offset as +hhmm (Gainsight's newer data-type table does), so that
# value is not a bad custom date-time.
_BAD_CUSTOM_DATETIMES: Final = tuple(v for v in _BAD_DATETIMES if not v.endswith("+0700"))


def _bad_datetimes(plain: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(_PLAIN_BAD_DATETIMES if plain else _BAD_DATETIMES)


def _bad_custom_datetimes(plain: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(_PLAIN_BAD_DATETIMES if plain else _BAD_CUSTOM_DATETIMES)


def _bad_dates(plain: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(_PLAIN_BAD_DATES if plain else _BAD_DATES)


def _custom_field(data: TenantData, kind: str) -> str:
    return next((name for name, t in sorted(data.custom_fields.items()) if t == kind), f"Ant__Gsc{kind.title()}__c")


def _author_missing(record: Record, draw: Draw, plain: bool) -> Record:
    field = draw(st.sampled_from(["Subject", "Notes", "Author"]))
    # A record names its author by email (Author) or by id (AuthorId): neither may be left.
    return _missing(record, draw, *(("Author", "AuthorId") if field == "Author" else (field,)), plain=plain)


_CONTEXT_VALUES: Final = ("Account", "Opportunity", "Person")
_CONTEXT_CASES: Final = ("company", "COMPANY")
"""Allowed values in another letter case: the documents never say whether a tenant minds."""

_ACTIVITY_MUTATORS: Final[dict[str, Mutator]] = {
    "TL101": lambda r, draw, data, plain: _missing(r, draw, "ExternalId", plain=plain),
    "TL201": lambda r, draw, data, plain: _missing(r, draw, "ContextName", plain=plain),
    "TL202": lambda r, draw, data, plain: {
        **r,
        "ContextName": draw(st.sampled_from(_CONTEXT_VALUES if plain else (*_CONTEXT_VALUES, *_CONTEXT_CASES))),
    },
    "TL204": lambda r, draw, data, plain: _drop(_as_relationship(r, data), "RelationshipName", "GsRelationshipId"),
    "TL205": lambda r, draw, data, plain: _missing(
        _as_relationship(r, data), draw, "GsRelationshipTypeId", plain=plain
    ),
    "TL206": lambda r, draw, data, plain: _drop(r, "GsCompanyId", "companyName", "externalAttendees"),
    "TL301": lambda r, draw, data, plain: _missing(r, draw, "TypeName", "ActivityTypeId", plain=plain),
    "TL302": lambda r, draw, data, plain: _author_missing(r, draw, plain),
    "TL303": lambda r, draw, data, plain: {**r, "Subject": _long_text(draw, SUBJECT_LIMIT)},
    "TL304": lambda r, draw, data, plain: {**r, "Notes": _long_text(draw, NOTES_LIMIT)},
    "TL305": lambda r, draw, data, plain: {
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
    "TL401": lambda r, draw, data, plain: {**r, "ActivityDate": draw(_bad_datetimes(plain))},
    "TL402": lambda r, draw, data, plain: {**r, _custom_field(data, "datetime"): draw(_bad_custom_datetimes(plain))},
    "TL403": lambda r, draw, data, plain: {**r, _custom_field(data, "date"): draw(_bad_dates(plain))},
}


def _check_rule(rule: str, known: Mapping[str, Any], what: str) -> str:
    rule_id = rule.strip().upper()
    if rule_id not in known:
        raise ValueError(f"no {what} strategy breaks rule {rule!r}; known: {', '.join(sorted(known))}")
    return rule_id


@st.composite
def _mutated_record(draw: Draw, data: TenantData, rule_id: str, context: str | None) -> Record:
    record = dict(draw(_activity_record(data, context)))
    return _ACTIVITY_MUTATORS[rule_id](record, draw, data, False)


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


def _author_by_lookup(payload: dict[str, Any], draw: Draw) -> dict[str, Any]:
    """Make sure a record goes through the AuthorId lookup (records built from ids alone do not)."""
    if not any("Author" in record for record in payload["records"]):
        record = dict(payload["records"][0])
        record.pop("AuthorId", None)
        record["Author"] = f"nobody-{draw(_external_ids())}@example.invalid"
        payload["records"][0] = record
    return payload


PayloadMutator = Callable[[dict[str, Any], Draw], dict[str, Any]]

_PAYLOAD_MUTATORS: Final[dict[str, PayloadMutator]] = {
    "TL103": _duplicate,
    # NULLABLE: against a tenant the misdirected lookup then finds nothing without failing the record too.
    "TL502": lambda p, draw: _break_lookup(
        p, "AuthorId", objectName=draw(st.sampled_from(["Company", "Person"])), onNoMatch="NULLABLE"
    ),
    "TL503": lambda p, draw: _break_lookup(
        _author_by_lookup(p, draw),
        "AuthorId",
        **draw(st.sampled_from([{"multiMatchOption": "FIRST"}, {"onNoMatch": "MARKASERROR"}])),
    ),
    "TL504": lambda p, draw: _break_lookup(
        p, "AuthorId", **draw(st.sampled_from([{"fields": "Author"}, {"objectName": None}, {"fields": {}}]))
    ),
    "TL505": _unresolved,
}


@st.composite
def _mutated_payload(draw: Draw, data: TenantData, rule_id: str, plain: bool) -> dict[str, Any]:
    payload = draw(_insert_payload(data, 2 if rule_id == "TL103" else 1, 4))
    payload = {"records": [dict(r) for r in payload["records"]], "lookups": payload["lookups"]}
    if rule_id in _PAYLOAD_MUTATORS:
        return _PAYLOAD_MUTATORS[rule_id](payload, draw)
    index = draw(st.integers(0, len(payload["records"]) - 1))
    payload["records"][index] = _ACTIVITY_MUTATORS[rule_id](payload["records"][index], draw, data, plain)
    return payload


def invalid_insert_payloads(
    *,
    rule: str,
    tenant: TenantData | None = None,
    profile: str = "current",
    documented_only: bool = False,
) -> st.SearchStrategy[dict[str, Any]]:
    """Insert bodies in which exactly one thing breaks ``rule``: one record, a repeated ExternalId, or a lookup.

    ``TL505`` (a lookup that finds nothing) shows only against a tenant: the validator cannot tell.
    ``documented_only`` breaks the rule only in ways the documents state plainly (no whitespace-only
    values, no other letter case, no date layout that a newer document allows); see :data:`LINT_ONLY_RULES`.

    Raises:
        ValueError: no mutator breaks that rule.
    """
    rule_id = _check_rule(rule, {**_ACTIVITY_MUTATORS, **_PAYLOAD_MUTATORS}, "insert payload")
    _profile(profile)
    return _mutated_payload(_tenant(tenant), rule_id, documented_only)


_PLAIN_OPERATIONS: Final = ("CREATE", "", 1, None)
"""Operations outside the enum beyond doubt (not another letter case of one in it)."""

_EVENT_MUTATORS: Final[dict[str, Callable[[Record, Draw, bool], Record]]] = {
    "EV101": lambda e, draw, plain: _drop(
        e, draw(st.sampled_from(["eventType", "objectType", "operation", "payload"]))
    ),
    "EV102": lambda e, draw, plain: {
        **e,
        "operation": draw(st.sampled_from(_PLAIN_OPERATIONS if plain else ("insert", "Upsert", *_PLAIN_OPERATIONS))),
    },
    "EV103": lambda e, draw, plain: {
        **e,
        "payload": draw(st.sampled_from((None,) if plain else ('{"hello": "world"}', [], None, 3))),
    },
    "EV104": lambda e, draw, plain: {**e, "timestamp": draw(_bad_datetimes(plain))},
    "EV105": lambda e, draw, plain: {
        **e,
        draw(st.sampled_from(["eventType", "objectType", "companyId", "sourceSystem"])): draw(
            st.sampled_from([1, None, True, ["x"]])
        ),
    },
}


@st.composite
def _mutated_event(draw: Draw, data: TenantData, rule_id: str, plain: bool) -> Record:
    return _EVENT_MUTATORS[rule_id](dict(draw(_event_input(data))), draw, plain)


def invalid_event_inputs(
    *, rule: str, tenant: TenantData | None = None, documented_only: bool = False
) -> st.SearchStrategy[Record]:
    """Event inputs that break ``rule`` (an EV1xx rule) and no other.

    ``documented_only`` breaks it only in ways the documents state plainly (see :data:`LINT_ONLY_RULES`).

    Raises:
        ValueError: no mutator breaks that rule.
    """
    rule_id = _check_rule(rule, _EVENT_MUTATORS, "event")
    return _mutated_event(_tenant(tenant), rule_id, documented_only)


LINT_ONLY_RULES: Final[Mapping[str, str]] = {
    "TL305": "a value of another JSON type: the documents list field types but not whether a tenant "
    "refuses or converts a number sent for text",
    "TL502": "a lookup's objectName that does not fit its key: the documents show the pairs, never a refusal",
    "TL504": "a lookup without fields or objectName: the documents show lookups by example only",
    "EV105": "an optional field of another type, or null: the documents do not say an optional null is refused",
}
"""Rules the validator enforces that the contract does not expect another tenant to share, and why.

The contract expects a tenant it did not build to refuse only what the documents state plainly: a field
absent, null or empty; a documented limit plus one; a date that is no calendar date or breaks the
documented layout; a value outside a documented list. The other mutators stay for the mock, which
shares the validator's stricter reading.
"""


def invalid_rules(
    kind: str | Kind, *, documented_only: bool = False, tenant: TenantData | None = None
) -> tuple[str, ...]:
    """The rule ids the ``invalid_*`` strategies can break for a kind, sorted.

    ``timeline-insert`` covers :func:`invalid_insert_payloads`; ``event`` and ``events-bulk`` cover
    :func:`invalid_event_inputs`; other kinds have none yet. ``documented_only`` leaves out
    :data:`LINT_ONLY_RULES`, and the custom-field date rules (TL402, TL403) unless ``tenant`` types such a
    field: a field a tenant does not have is an unknown extra field, which the documents say nothing of.

    Raises:
        ValueError: an unknown kind.
    """
    chosen = Kind(kind)
    if chosen is Kind.TIMELINE_INSERT:
        rules = {**_ACTIVITY_MUTATORS, **_PAYLOAD_MUTATORS}
    elif chosen in (Kind.EVENT, Kind.EVENTS_BULK):
        rules = dict(_EVENT_MUTATORS)
    else:
        return ()
    if documented_only:
        typed = set(_tenant(tenant).custom_fields.values())
        untyped = {rule for rule, kind_ in (("TL402", "datetime"), ("TL403", "date")) if kind_ not in typed}
        return tuple(sorted(set(rules) - set(LINT_ONLY_RULES) - untyped))
    return tuple(sorted(rules))
