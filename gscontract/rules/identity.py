"""TL1xx: which activity a record is, by ExternalId (inserts, updates by externalid) or Gsid (updates)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from typing import Any, Final

from ..payload.kinds import Kind
from ..tenants.questions import ACTIVITIES, EXTERNAL_IDS, Tenant
from . import Context, Scope, Violation, rule
from ._helpers import ACTIVITY_KINDS, INSERT, UPDATE, present
from .folds import Fold, Located, over_records, records_of
from .shapes import ANYTHING, Shape, Unguarded

_EXTERNAL_ID_GIVEN: Final = Shape(text=("ExternalId",))
_GSID_GIVEN: Final = Shape(text=("Gsid",))


def _matched_by_external_id(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL101: it gives its ExternalId, unless it is an update matched by Gsid."""
    if ctx.kind is Kind.TIMELINE_UPDATE and ctx.identifier != "externalid":
        return ANYTHING
    return _EXTERNAL_ID_GIVEN


@rule("TL101", name="external-id-missing", kinds=ACTIVITY_KINDS, code="GS_TL_10_0202", guard=_matched_by_external_id)
def external_id_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """A record has no ``ExternalId`` where one is required.

    ## Why is this bad?
    The Timeline document marks ``ExternalId (Record Id)*`` mandatory on insert ("the Record id
    received from the client. It is unique for an activity"), and on update "if the value of the
    query parameter identifier is externalid". Its error table answers a record without one with
    ``GS_TL_10_0202`` "External Id for key `ExternalId` missing", inside an HTTP 200 response, so the
    upload looks fine while the activity is never saved. A blank string counts as missing.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "Subject": "Kick-off",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    if ctx.kind is Kind.TIMELINE_UPDATE and ctx.identifier != "externalid":
        return ()
    if present(record, "ExternalId"):
        return ()
    return (Violation("External Id for key `ExternalId` missing"),)


def _matched_by_gsid(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL102: an update by activity id gives its Gsid."""
    return ANYTHING if ctx.identifier == "externalid" else _GSID_GIVEN


@rule("TL102", name="activity-id-missing", kinds=UPDATE, code="GS_TL_10_0110", guard=_matched_by_gsid)
def activity_id_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An update by activity id has no ``Gsid``.

    ## Why is this bad?
    The Timeline document's update table: ``Gsid* <activityId>`` "is mandatory if the value of the
    query parameter identifier is activityid or when no query parameter is provided". Without it the
    tenant cannot tell which activity to change and fails the record with ``GS_TL_10_0110``
    "Activity identifier key not provided". Remember that an update with no ``identifier`` matches
    by activity id: to match by ExternalId, upload with ``?identifier=externalid`` (and validate with
    ``--identifier externalid``, or a file named ``timeline-update.externalid.*.json``).

    ## Example
    ```json timeline-update:activityid
    {"records": [{"TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Kick-off",
                  "Notes": "New agenda"}]}
    ```

    Use instead:
    ```json timeline-update:activityid
    {"records": [{"TypeName": "Update", "Gsid": "1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY",
                  "Subject": "Kick-off", "Notes": "New agenda"}]}
    ```
    """
    if ctx.identifier == "externalid" or present(record, "Gsid"):
        return ()
    return (Violation("Activity identifier key not provided: `Gsid` is required when updating by activityid"),)


def _external_ids(records: Sequence[Any]) -> list[Any]:
    """Each record's ExternalId when it is a string, else ``None`` (other types are TL305's, and may not hash)."""
    ids = [r.get("ExternalId") if r.__class__ is dict else None for r in records]
    return [i if i.__class__ is str else None for i in ids]


class _DuplicateIds(Fold):
    """TL103's memory: the index of the first record of each ExternalId (ids only, never records)."""

    def __init__(self, ctx: Context) -> None:
        self.first: dict[str, int] = {}

    def feed(self, start: int, records: Sequence[Any]) -> Iterator[Located]:
        first = self.first
        ids = _external_ids(records)
        fresh = set(ids)
        fresh.discard(None)
        if len(fresh) == len(ids) - ids.count(None) and first.keys().isdisjoint(fresh):
            # No repeat in the batch nor with earlier ones (nearly every batch): remember the ids in C.
            first.update(zip(ids, count(start)))
            first.pop(None, None)  # type: ignore[call-overload]  # the records without a string id
            return
        for index, external_id in enumerate(ids, start):
            if external_id is None:
                continue
            seen = first.setdefault(external_id, index)
            if seen != index and external_id.strip():  # a blank one is missing (TL101's)
                message = f"Multiple records with same External Id found. First taken: {external_id!r} is also record"
                yield index, Violation(f"{message} {seen}", ("ExternalId",))


@rule(
    "TL103",
    name="duplicate-external-id",
    kinds=INSERT,
    code="GS_TL_10_0108",
    scope=Scope.DOCUMENT,
    fold=_DuplicateIds,
)
def duplicate_external_id(document: Any, ctx: Context) -> Iterator[Violation]:
    """Two records of one payload have the same ``ExternalId``; every one after the first fails.

    ## Why is this bad?
    The Timeline document's error table: ``GS_TL_10_0108`` "Multiple records with same External Id
    found. First taken", because the "Bulk insert payload has multiple records with the same external
    id". The parameter text says more bluntly "In case duplicate Ids are received, the records are
    rejected". Both agree that the later records are lost; we follow the table (the first is kept)
    and report each later record at its ``ExternalId``.

    ## Example
    ```json timeline-insert
    {"records": [
      {"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Call",
       "Notes": "First", "Author": "testuser@gainsight.com",
       "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"},
      {"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Call",
       "Notes": "Second", "Author": "testuser@gainsight.com",
       "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [
      {"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Call",
       "Notes": "First", "Author": "testuser@gainsight.com",
       "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"},
      {"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0002", "Subject": "Call",
       "Notes": "Second", "Author": "testuser@gainsight.com",
       "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    return over_records(_DuplicateIds(ctx), document, ctx)


@rule(
    "TL104",
    name="external-id-exists",
    kinds=INSERT,
    code="GS_TL_10_0107",
    tenant_question=EXTERNAL_IDS,
    scope=Scope.DOCUMENT,
)
def external_id_exists(document: Any, ctx: Context) -> Iterator[Violation]:
    """An insert uses an ``ExternalId`` that an activity already has.

    ## Why is this bad?
    The Timeline document's error table: ``GS_TL_10_0107`` "Activity with same External Id exists"
    when "A record exists with the given ExternalId"; the ExternalId "is unique for an activity".
    The mock tenant checks its saved activities. ``gscontract validate`` has no tenant, but it checks
    every file of one run together: an insert file that reuses an ExternalId of an insert file
    validated before it would meet that file's saved record once both are uploaded.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update",
                  "ExternalId": "16f0383a1e404d7ba52361bb7370d7de", "Subject": "Kick-off",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0002",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    (The demo tenant holds the document's sample activity ``16f0383a1e404d7ba52361bb7370d7de``.)
    """
    if ctx.tenant is None:
        return
    base, records = records_of(document, ctx.kind)
    ids = [(n, i) for n, i in enumerate(_external_ids(records or ())) if i is not None]
    for index, violation in existing_ids(ids, ctx.tenant):
        yield Violation(violation.message, (*base, index, *violation.path))


def existing_ids(ids: Iterable[tuple[int, str]], tenant: Tenant) -> Iterator[Located]:
    """TL104's violations for (record index, ExternalId) pairs: the ids ``tenant`` already has.

    The validator calls it across files, with the ids earlier insert files create.
    """
    exists = tenant.external_id_exists
    # The validator's run tenant can say which earlier file created it; a real tenant has it saved.
    first_source = getattr(tenant, "first_source", None)
    for index, external_id in ids:
        if not exists(external_id):
            continue
        origin = first_source(external_id) if callable(first_source) else None
        where = f" (created by {origin}, validated earlier in this run)" if origin else ""
        yield index, Violation(f"Activity with same External Id exists: {external_id!r}{where}", ("ExternalId",))


@rule(
    "TL105",
    name="activity-not-found",
    kinds=UPDATE,
    code="GSOBJ_1011",
    tenant_question=ACTIVITIES,
    guard=Unguarded("it asks the tenant about every record"),
)
def activity_not_found(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An update's identifier matches no saved activity.

    ## Why is this bad?
    The Timeline document's update API "updates Activities listed in the request body. The records
    can either be identified by externalId or by activityId": a record whose ``ExternalId`` (with
    ``identifier=externalid``) or ``Gsid`` (otherwise) names no activity updates nothing. The
    document gives no code for it; we use the data APIs' ``GSOBJ_1011`` (no entity matches the given
    criteria). Only a tenant can tell, so ``gscontract validate`` does not run this rule.

    ## Example
    ```json timeline-update:activityid
    {"records": [{"TypeName": "Update", "Gsid": "1I004SG7RDV06L1HFJ000000000000000000",
                  "Subject": "Kick-off", "Notes": "New agenda"}]}
    ```

    Use instead:
    ```json timeline-update:activityid
    {"records": [{"TypeName": "Update", "Gsid": "1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY",
                  "Subject": "Kick-off", "Notes": "New agenda"}]}
    ```
    """
    field = "ExternalId" if ctx.identifier == "externalid" else "Gsid"
    value = record.get(field)
    if value.__class__ is not str or not value or ctx.tenant is None:
        return ()
    identifier = "externalid" if field == "ExternalId" else "activityid"
    if ctx.tenant.activity_exists(identifier=identifier, value=value) is False:
        return (Violation(f"No activity found for {field} {value!r}", (field,)),)
    return ()
