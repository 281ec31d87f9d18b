"""TL2xx: where an activity lives: its ContextName, its company and, for Relationship activities, the relationship."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ..findings import Severity
from ..gainsight.profiles import (
    CURRENT_CONTEXTS,
    DEFAULT_PROFILE,
    LEGACY,
    LEGACY_CONTEXTS,
    NEWER_CONTEXTS,
    PROFILES,
    allowed_contexts,
)
from . import Context, Violation, rule
from ._helpers import ACTIVITY_KINDS, INSERT, lookup_sources, present
from .jsonl import needs_company_lookup
from .shapes import ANYTHING, Shape, first_of

_NEWER: Final = frozenset(NEWER_CONTEXTS)
_BY_FOLD: Final = {name.casefold(): name for name in CURRENT_CONTEXTS}


@rule("TL201", name="context-name-missing", kinds=INSERT, code="GS_TL_10_0211", guard=Shape(text=("ContextName",)))
def context_name_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An activity has no ``ContextName``.

    ## Why is this bad?
    The Timeline document marks ``ContextName*`` mandatory: "It describes whether the Activity was
    created on a Company or on a Relationship". Its error table answers ``GS_TL_10_0211`` "Activity
    context name for key `ContextName` missing"; its single-save failure sample shows the same message
    under ``GS_TL_10_0206``. The table is canonical, so we report 0211 (the mock accepts a live
    tenant's 0206 as the same failure). The key is case-sensitive: ``contextname``, as the read API
    returns it, does not count (TL306 says so).

    ## Example
    ```json timeline-insert
    {"records": [{"TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Kick-off",
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
    if present(record, "ContextName"):
        return ()
    return (Violation("Activity context name for key `ContextName` missing"),)


# A clean ContextName is one the profile allows, or null (a blank one is clean too, but rare: TL202 decides).
_ALLOWED_SHAPES: Final = {
    profile: Shape(choices={"ContextName": allowed_contexts(profile) | {None}}) for profile in PROFILES
}


def _context_allowed(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL202: its ContextName is one the profile allows."""
    return _ALLOWED_SHAPES.get(ctx.profile, _ALLOWED_SHAPES[DEFAULT_PROFILE])


@rule("TL202", name="context-name-unknown", kinds=ACTIVITY_KINDS, code="GSOBJ_1002", guard=_context_allowed)
def context_name_unknown(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """``ContextName`` is not one of the contexts the documentation profile allows.

    ## Why is this bad?
    The Timeline document (the seed, "legacy" profile) says ContextName "can either be Company or
    Relationship". Newer editions of the page (the default "current" profile) add CTA, SuccessPlan,
    Scorecard, ScorecardMeasure and Milestone. Any other value names no context the activity could
    live on. Values are compared exactly as the document writes them (``company`` is reported, with
    the spelling to use). No Timeline code is documented; we use the data APIs' ``GSOBJ_1002``
    (invalid value). Choose the profile with ``--profile`` or ``profile`` in ``[tool.gscontract]``.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Account", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    value = record.get("ContextName")
    if value.__class__ is not str:
        return ()
    allowed = allowed_contexts(ctx.profile)
    if value in allowed or not value.strip():
        return ()
    hint = _BY_FOLD.get(value.strip().casefold())
    suffix = f" (did you mean {hint!r}?)" if hint in allowed else f"; allowed: {', '.join(sorted(allowed))}"
    return (Violation(f"ContextName {value!r} is not a {ctx.profile} context{suffix}", ("ContextName",)),)


# Conservative: the newer contexts are the ones TL203 speaks about; other values are TL202's to judge.
_DOCUMENTED_CONTEXT: Final = Shape(choices={"ContextName": frozenset({*LEGACY_CONTEXTS, None})})


def _context_documented(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL203: not one of the newer contexts (which legacy leaves to TL202)."""
    return ANYTHING if ctx.profile == "legacy" else _DOCUMENTED_CONTEXT


@rule(
    "TL203",
    name="context-name-undocumented",
    kinds=ACTIVITY_KINDS,
    severity=Severity.WARNING,
    guard=_context_documented,
)
def context_name_undocumented(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """``ContextName`` is one of the five newer contexts, whose other required keys are undocumented.

    ## Why is this bad?
    Newer editions of the Timeline document list CTA, SuccessPlan, Scorecard, ScorecardMeasure and
    Milestone as contexts, but no edition we could read says which keys such an activity needs
    besides the company (a CTA activity surely needs to name its CTA). gscontract cannot check those
    records fully, so it says so. Only the "current" profile allows these values; under "legacy"
    they are errors of TL202 instead.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "CTA", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    value = record.get("ContextName")
    if isinstance(value, str) and value in _NEWER and ctx.profile != LEGACY:
        return (
            Violation(
                f"ContextName {value!r}: the documents do not say which other keys a {value} activity needs",
                ("ContextName",),
            ),
        )
    return ()


def _relationship_named(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL204: a Relationship activity gives RelationshipName or GsRelationshipId."""
    name = first_of(keys, "RelationshipName", "GsRelationshipId") or "RelationshipName"
    return Shape(text_when={("ContextName", "Relationship"): (name,)})


@rule(
    "TL204",
    name="relationship-missing",
    kinds=INSERT,
    code="GS_TL_10_0214",
    guard=_relationship_named,
)
def relationship_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """A Relationship activity has neither ``RelationshipName`` nor ``GsRelationshipId``.

    ## Why is this bad?
    The Timeline document: ``RelationshipName`` "is mandatory when the Activity is created on a
    Relationship" (it is resolved by the ``GsRelationshipId`` lookup); its update sample gives
    ``GsRelationshipId`` directly instead. With neither, the tenant fails the record with
    ``GS_TL_10_0214`` "Relationship gsid for key `GsRelationshipId` is missing". (The document's job
    status sample also prints 0214 with "Subject is missing"; the error table is canonical.)

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Relationship", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "abc@gainsight.com",
                  "GsCompanyId": "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK",
                  "GsRelationshipTypeId": "1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Relationship", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "abc@gainsight.com",
                  "GsCompanyId": "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK",
                  "GsRelationshipTypeId": "1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL",
                  "GsRelationshipId": "1P05H693E70AQ4W1X360SOIR73VW953CLPYD"}]}
    ```
    """
    if record.get("ContextName") != "Relationship":
        return ()
    if present(record, "RelationshipName") or present(record, "GsRelationshipId"):
        return ()
    return (
        Violation(
            "Relationship gsid for key `GsRelationshipId` is missing: a Relationship activity needs "
            "RelationshipName (with the GsRelationshipId lookup) or GsRelationshipId"
        ),
    )


@rule(
    "TL205",
    name="relationship-type-missing",
    kinds=INSERT,
    code="GS_TL_10_0215",
    guard=Shape(text_when={("ContextName", "Relationship"): ("GsRelationshipTypeId",)}),
)
def relationship_type_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """A Relationship activity has no ``GsRelationshipTypeId``.

    ## Why is this bad?
    The Timeline document: ``GsRelationshipTypeId`` "is mandatory in case the Activity is created on
    a Relationship Context". Without it the tenant answers HTTP 200 and fails the record later with
    ``GS_TL_10_0215`` "Relationship Type gsid for key `GsRelationshipTypeId` is missing", so the
    activity silently never reaches the timeline.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Relationship", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "abc@gainsight.com",
                  "GsCompanyId": "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK",
                  "GsRelationshipId": "1P05H693E70AQ4W1X360SOIR73VW953CLPYD"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Relationship", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "abc@gainsight.com",
                  "GsCompanyId": "1P02OP1M9JZVMQ0GCEAI5RP7LCNVWG6PWXOK",
                  "GsRelationshipId": "1P05H693E70AQ4W1X360SOIR73VW953CLPYD",
                  "GsRelationshipTypeId": "1P06GOGHZYYQJQ9HMNK0TR0XP2Z29VGJ53IL"}]}
    ```
    """
    if record.get("ContextName") != "Relationship" or present(record, "GsRelationshipTypeId"):
        return ()
    return (Violation("Relationship Type gsid for key `GsRelationshipTypeId` is missing"),)


_COMPANY_ID_GIVEN: Final = Shape(text=("GsCompanyId",))


def _company_named(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean record for TL206: it gives GsCompanyId, or every field the GsCompanyId lookup reads."""
    if "GsCompanyId" in keys:
        return _COMPANY_ID_GIVEN
    sources = lookup_sources(ctx.lookups, "GsCompanyId")
    return Shape(text=tuple(sorted(sources))) if sources and sources <= keys else None


@rule("TL206", name="company-missing", kinds=INSERT, code="GSOBJ_1007", guard=_company_named)
def company_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An activity names no company: neither ``GsCompanyId`` nor the field its lookup reads.

    ## Why is this bad?
    The Timeline document marks ``CompanyName*`` mandatory ("the name of the Company"); every sample
    sends it as ``companyName`` and resolves it to ``GsCompanyId`` through the ``GsCompanyId``
    lookup (``"fields": {"companyName": "Name"}``). A record therefore names its company either by
    ``GsCompanyId`` itself or by the record field(s) that lookup reads; a ``companyName`` with no
    ``GsCompanyId`` lookup to resolve it names nothing. No Timeline code is documented for it; we use
    the data APIs' ``GSOBJ_1007`` (a required value is null).

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "companyName": "Tech systems ABC Ltd"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "companyName": "Tech systems ABC Ltd"}],
     "lookups": {"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid",
                                 "objectName": "Company", "multiMatchOption": "FIRSTMATCH",
                                 "onNoMatch": "ERROR"}}}
    ```
    """
    if present(record, "GsCompanyId") or (ctx.lookups_missing and needs_company_lookup(record)):
        return ()  # a JSON Lines file without lookups: GS113 says so once for the file
    sources = lookup_sources(ctx.lookups, "GsCompanyId")
    if sources and all(present(record, name) for name in sources):
        return ()
    if sources:
        wanted = " and ".join(sorted(sources))
        return (Violation(f"no company: give GsCompanyId, or {wanted} for the GsCompanyId lookup"),)
    return (Violation("no company: give GsCompanyId, or companyName with a GsCompanyId lookup in `lookups`"),)
