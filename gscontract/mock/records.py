"""Save and update Timeline records: run the validator's rules, fail the bad records, store the rest.

The rules are the validator's own (:func:`gscontract.lint.check` over :func:`gscontract.rules.select_rules`),
so the mock and ``gscontract validate`` cannot disagree on a code. Findings become outcomes like this
(docs/decisions.md#status-codes-and-record-failures and docs/decisions.md#one-rule-table):

* a warning never fails a record;
* an error without a vendor code (an envelope problem: not an object, no ``records`` array, a record
  that is not an object) rejects the whole request with HTTP 400;
* an error at ``/records/<i>/...`` fails record *i*, keyed by its ExternalId (``records[<i>]`` when it has
  none); an error at ``/lookups/<Key>`` fails only the records that use that lookup; any other error
  with a code fails every record.

Work is split in two: :func:`prepare` runs the rules that need no tenant state, outside any transaction
(a bulk job's big body is checked there); :func:`apply` runs the tenant rules (duplicates against saved
data, unknown update targets, lookups with no match) and saves, inside the caller's write transaction.
A small request defers every rule to :func:`apply`, so they run in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from .. import lint
from ..findings import Finding
from ..payload.kinds import Kind
from ..pointer import parse_pointer
from ..rules import Context, Rule, get
from ..tenants.reference import TenantData
from ..tenants.resolution import resolve_lookups
from .failures import FailureList
from .http import BodyError
from .ids import iso_from_ms, new_gsid, now_ms
from .rule_runner import context, describe, errors, rules_for
from .statements import Tx
from .tenantview import ReferenceData, StoreTenant

__all__ = ["Outcome", "Plan", "apply", "prepare", "record_key"]

# The rules that say why the store refused a record the earlier checks let through: its ExternalId was
# taken meanwhile, or its update target is gone.
_EXISTS = "external-id-exists"
_NOT_FOUND = "activity-not-found"
# Values that count as "not given" when deciding which records use a lookup.
_EMPTY: tuple[Any, ...] = (None, [], "")
# Identity fields are columns of the store, never changed by an update.
_IDENTITY = frozenset({"Gsid", "ExternalId"})


@dataclass(slots=True)
class Outcome:
    """Per-record results of a save or update: successes and (capped) failures keyed by record key."""

    success: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: FailureList = field(default_factory=FailureList)
    success_count: int = 0
    failed_count: int = 0

    def job_result(self) -> bytes:
        """The job-status part of the outcome, as stored with a finished job."""
        unlisted = self.failures.summary(self.failed_count)
        return orjson.dumps({"successes": self.success, "failures": self.failures.listed, "unlisted": unlisted})


@dataclass(frozen=True, slots=True)
class Plan:
    """A checked request body, ready to be applied: its records, the failures found so far, the rules still to run."""

    kind: Kind
    identifier: str | None
    records: Sequence[dict[str, Any]]
    lookups: Mapping[str, Any]
    ctx: Context
    document: Any
    pending_rules: tuple[Rule, ...]
    failures: Mapping[int, tuple[Finding, ...]]


def record_key(record: Any, index: int) -> str:
    """How a record is named in ``success``/``failures``: its ExternalId, else ``records[<index>]``."""
    external_id = record.get("ExternalId") if isinstance(record, dict) else None
    if isinstance(external_id, str) and external_id.strip():
        return external_id
    return f"records[{index}]"


def _well_formed(document: Any) -> bool:
    records = document.get("records") if isinstance(document, dict) else None
    return isinstance(records, list) and all(isinstance(r, dict) for r in records)


def prepare(
    document: Any, kind: Kind, *, identifier: str | None, tenant: TenantData, profile: str, defer: bool = False
) -> Plan:
    """Check a save or update body with every rule that needs no tenant state.

    With ``defer`` (a small request), a well-formed body leaves every rule to :func:`apply`, so the
    rules run in one pass; a big bulk body is checked here, outside the write transaction.

    Raises:
        BodyError: 400 when the envelope is invalid.
    """
    ctx = context(kind, identifier, document, tenant, profile)
    plain, tenant_rules = rules_for(kind)
    if defer and _well_formed(document):
        return Plan(
            kind=kind,
            identifier=identifier,
            records=document["records"],
            lookups=ctx.lookups,
            ctx=ctx,
            document=document,
            pending_rules=plain + tenant_rules,
            failures={},
        )
    findings = errors(lint.check(document, plain, ctx))
    envelope = [f for f in findings if f.code is None]
    if envelope:
        raise BodyError(400, describe(envelope))
    records = document["records"]
    return Plan(
        kind=kind,
        identifier=identifier,
        records=records,
        lookups=ctx.lookups,
        ctx=ctx,
        document=document,
        pending_rules=tenant_rules,
        failures=_by_record(findings, records, ctx.lookups),
    )


def _users(records: Sequence[dict[str, Any]], lookups: Mapping[str, Any], key: str) -> list[int]:
    """Indexes of the records that use lookup ``key``.

    A record uses a lookup when it gives a value for one of its source fields (``Author`` for
    ``AuthorId``). A lookup that names no readable source field (``fields`` missing, empty or not an
    object) is used by every record that does not give the looked-up field itself (no ``AuthorId``).
    """
    spec = lookups.get(key)
    fields = spec.get("fields") if isinstance(spec, Mapping) else None
    sources = [name for name in fields if name not in lookups] if isinstance(fields, Mapping) else []
    if sources:
        return [i for i, r in enumerate(records) if any(r.get(name) not in _EMPTY for name in sources)]
    return [i for i, r in enumerate(records) if r.get(key) in _EMPTY]


def _by_record(
    findings: Iterable[Finding], records: Sequence[dict[str, Any]], lookups: Mapping[str, Any]
) -> dict[int, tuple[Finding, ...]]:
    grouped: dict[int, list[Finding]] = {}
    for finding in findings:
        tokens = parse_pointer(finding.pointer or "")
        if len(tokens) >= 2 and tokens[0] == "records" and tokens[1].isdigit():
            targets = [int(tokens[1])]
        elif len(tokens) >= 2 and tokens[0] == "lookups":
            targets = _users(records, lookups, tokens[1])
        else:
            targets = list(range(len(records)))
        for index in targets:
            grouped.setdefault(index, []).append(finding)
    return {i: tuple(fs) for i, fs in grouped.items()}


def _item(code: str | None, message: str) -> dict[str, Any]:
    return {"errorCode": code, "errorMessage": message}


def apply(tx: Tx, plan: Plan, reference: ReferenceData) -> Outcome:
    """Run the remaining rules in ``tx`` and save (or update) every record that passes; return the outcome.

    Raises:
        BodyError: 400 when a deferred rule finds the envelope invalid (the transaction then rolls back).
    """
    source = StoreTenant(tx, reference)
    ctx = replace(plan.ctx, tenant=source)
    extra = errors(lint.check(plan.document, plan.pending_rules, ctx))
    envelope = [f for f in extra if f.code is None]
    if envelope:
        raise BodyError(400, describe(envelope))
    failures: dict[int, list[Finding]] = {i: list(fs) for i, fs in plan.failures.items()}
    for index, found in _by_record(extra, plan.records, plan.lookups).items():
        failures.setdefault(index, []).extend(found)

    outcome = Outcome()
    now = now_ms()
    for index, record in enumerate(plan.records):
        key = record_key(record, index)
        problems = _dedupe(failures.get(index, ()))
        if not problems:
            resolved = resolve_lookups(record, plan.lookups, source).values
            if plan.kind is Kind.TIMELINE_INSERT:
                gsid, refused = _insert(tx, record, resolved, now)
            else:
                gsid, refused = _update(tx, record, resolved, plan.identifier or "activityid", now)
            if refused is not None:
                problems = [_rule_failure(refused, record, ctx)]
        if problems:
            outcome.failures.add(key, problems)
            outcome.failed_count += 1
        else:
            outcome.success.setdefault(key, []).append({"activityId": gsid})
            outcome.success_count += 1
    return outcome


def _dedupe(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    items: dict[tuple[str | None, str], dict[str, Any]] = {}
    for f in findings:
        items.setdefault((f.code, f.message), _item(f.code, f.message))
    return list(items.values())


def _rule_failure(name: str, record: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """A record's failure item in the words of rule ``name``, run again now on that record alone.

    The store refused what the rule let through a moment ago (a save elsewhere took the ExternalId), so
    the rule, asked again with the store's present answers, gives the code and message.
    """
    refusing = get(name)
    for finding in lint.check({"records": [record]}, [refusing], ctx):
        return _item(finding.code, finding.message)
    return _item(refusing.code, refusing.summary)


def _insert(tx: Tx, record: dict[str, Any], resolved: dict[str, Any], now: int) -> tuple[str, str | None]:
    doc = {k: v for k, v in record.items() if k != "Gsid"}
    # The tenant fills in the current date when ActivityDate is absent (docs/decisions.md#one-rule-table).
    if doc.get("ActivityDate") is None:
        doc["ActivityDate"] = iso_from_ms(now)
    doc.update(resolved)
    gsid = new_gsid()
    external_id = record.get("ExternalId")
    saved = tx.insert_activity(
        gsid=gsid,
        external_id=external_id if isinstance(external_id, str) else None,
        doc=orjson.dumps(doc),
        now=now,
    )
    return gsid, None if saved else _EXISTS


def _update(
    tx: Tx, record: dict[str, Any], resolved: dict[str, Any], identifier: str, now: int
) -> tuple[str, str | None]:
    field_name = "ExternalId" if identifier == "externalid" else "Gsid"
    value = record.get(field_name)
    row = None
    if isinstance(value, str):
        row = tx.activity_by_external_id(value) if identifier == "externalid" else tx.activity_by_gsid(value)
    if row is None:
        return "", _NOT_FOUND
    doc = orjson.loads(row.doc)
    doc.update({k: v for k, v in record.items() if k not in _IDENTITY})
    doc.update(resolved)
    tx.replace_doc(gsid=row.gsid, doc=orjson.dumps(doc), now=now)
    return row.gsid, None
