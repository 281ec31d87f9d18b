"""TL5xx: the body's ``lookups`` object, and the lookups a tenant cannot resolve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from ..findings import Severity
from ..gainsight.objects import LOOKUP_OBJECTS
from ..tenants.questions import REFERENCE_DATA
from . import Context, Scope, Violation, rule
from ._helpers import ACTIVITY_KINDS, type_name
from .shapes import Unguarded

MULTI_MATCH_OPTIONS: Final = ("FIRSTMATCH", "MARKASERROR")
NO_MATCH_OPTIONS: Final = ("ERROR", "NULLABLE", "DEFAULTVALUE")
_KEYS_BY_FOLD: Final = {key.casefold(): key for key in LOOKUP_OBJECTS}


def _lookups(document: Any) -> Mapping[str, Any] | None:
    if not isinstance(document, dict) or "lookups" not in document:
        return None
    value = document["lookups"]
    return value if isinstance(value, dict) else None


def _specs(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The lookups that are objects (TL504 reports the others)."""
    for key, spec in (_lookups(document) or {}).items():
        if isinstance(spec, dict):
            yield key, spec


@rule("TL501", name="lookup-key-unknown", kinds=ACTIVITY_KINDS, scope=Scope.DOCUMENT, severity=Severity.WARNING)
def lookup_key_unknown(document: Any, ctx: Context) -> Iterator[Violation]:
    """A lookup's key is not one the Timeline document uses.

    ## Why is this bad?
    A lookup's key is the activity field it fills: the Timeline document's samples use ``AuthorId``,
    ``GsCompanyId``, ``GsRelationshipId``, ``InternalAttendees`` and ``ExternalAttendees``. Another
    key (a typo such as ``GSCompanyId``, or a field of a newer context) is not documented, so
    gscontract cannot tell whether the tenant fills anything with it.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}],
     "lookups": {"OwnerId": {"fields": {"Author": "Email"}, "lookupField": "Gsid",
                             "objectName": "GsUser", "multiMatchOption": "FIRSTMATCH",
                             "onNoMatch": "ERROR"}}}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}],
     "lookups": {"AuthorId": {"fields": {"Author": "Email"}, "lookupField": "Gsid",
                              "objectName": "GsUser", "multiMatchOption": "FIRSTMATCH",
                              "onNoMatch": "ERROR"}}}
    ```
    """
    for key in _lookups(document) or {}:
        if key in LOOKUP_OBJECTS:
            continue
        hint = _KEYS_BY_FOLD.get(key.casefold())
        known = f"did you mean {hint!r}?" if hint else f"the document uses {', '.join(LOOKUP_OBJECTS)}"
        yield Violation(f"lookup {key!r} is not a documented lookup key ({known})", ("lookups", key))


@rule("TL502", name="lookup-object-mismatch", kinds=ACTIVITY_KINDS, scope=Scope.DOCUMENT, code="GSOBJ_1002")
def lookup_object_mismatch(document: Any, ctx: Context) -> Iterator[Violation]:
    """A lookup's ``objectName`` is not the object its key resolves from.

    ## Why is this bad?
    In the Timeline document's samples ``AuthorId`` and ``InternalAttendees`` read ``GsUser``,
    ``GsCompanyId`` reads ``Company``, ``GsRelationshipId`` reads ``Relationship`` and
    ``ExternalAttendees`` reads ``Company_Person``. Another object fills the field with the Gsid of
    the wrong kind of entity, or finds nothing. Names compare case-insensitively, since Gainsight's
    other documents write ``gsuser`` too. We report ``GSOBJ_1002`` (invalid value).

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "companyName": "Tech systems ABC Ltd"}],
     "lookups": {"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid",
                                 "objectName": "Relationship", "multiMatchOption": "FIRSTMATCH",
                                 "onNoMatch": "ERROR"}}}
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
    for key, spec in _specs(document):
        expected = LOOKUP_OBJECTS.get(key)
        name = spec.get("objectName")
        if expected is not None and isinstance(name, str) and name.casefold() != expected.casefold():
            yield Violation(f"lookup {key} reads {expected}, not {name!r}", ("lookups", key))


@rule("TL503", name="lookup-option-invalid", kinds=ACTIVITY_KINDS, scope=Scope.DOCUMENT, code="GSOBJ_1002")
def lookup_option_invalid(document: Any, ctx: Context) -> Iterator[Violation]:
    """A lookup's ``multiMatchOption`` or ``onNoMatch`` is not an allowed value.

    ## Why is this bad?
    The Timeline document's samples use ``multiMatchOption`` ``FIRSTMATCH`` and ``MARKASERROR`` and
    ``onNoMatch`` ``ERROR``, without listing the choices; Gainsight's data-load options (as a summary
    of its REST reference lists them) are ``FIRSTMATCH``/``MARKASERROR`` and
    ``ERROR``/``NULLABLE``/``DEFAULTVALUE``. Either key may be absent (the attendee lookups omit
    ``onNoMatch``). Values are upper case, as written. We report ``GSOBJ_1002`` (invalid value).

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "companyName": "Tech systems ABC Ltd"}],
     "lookups": {"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid",
                                 "objectName": "Company", "multiMatchOption": "FIRST",
                                 "onNoMatch": "MARKASERROR"}}}
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
    for key, spec in _specs(document):
        for option, allowed in (("multiMatchOption", MULTI_MATCH_OPTIONS), ("onNoMatch", NO_MATCH_OPTIONS)):
            if option in spec and spec[option] not in allowed:
                yield Violation(
                    f"lookup {key}: {option} {spec[option]!r} is not one of {', '.join(allowed)}", ("lookups", key)
                )


def _named(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shape_problems(key: str, spec: Any) -> Iterator[str]:
    if not isinstance(spec, dict):
        yield f"lookup {key} must be an object, not {type_name(spec)}"
        return
    fields = spec.get("fields")
    if not isinstance(fields, dict) or not fields:
        yield f'lookup {key} needs "fields", an object of record field -> {spec.get("objectName", "object")} field'
    elif not all(_named(target) for target in fields.values()):
        yield f'lookup {key}: every "fields" value must name a field of the looked-up object'
    if not _named(spec.get("objectName")):
        yield f'lookup {key} needs "objectName", the object to look in (as {LOOKUP_OBJECTS.get(key, "GsUser")})'
    if not _named(spec.get("lookupField")):
        yield f'lookup {key} needs "lookupField", the field whose value fills {key} ("Gsid" in every sample)'


@rule("TL504", name="lookup-malformed", kinds=ACTIVITY_KINDS, scope=Scope.DOCUMENT, code="GSOBJ_1002")
def lookup_malformed(document: Any, ctx: Context) -> Iterator[Violation]:
    """A lookup lacks ``fields``, ``objectName`` or ``lookupField``, or ``lookups`` is not an object.

    ## Why is this bad?
    The Timeline document's lookups all have one shape: ``"fields"`` maps record fields to fields of
    the object named by ``"objectName"``, and ``"lookupField": "Gsid"`` is the value written into the
    key's field. Every sample gives all three (the Timeline spec requires them too); a lookup without
    them cannot resolve anything. Names must not be blank. We report ``GSOBJ_1002`` (a value of the
    wrong type).

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}],
     "lookups": {"AuthorId": {"fields": "Author", "lookupField": "Gsid"}}}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}],
     "lookups": {"AuthorId": {"fields": {"Author": "Email"}, "lookupField": "Gsid",
                              "objectName": "GsUser"}}}
    ```
    """
    if not isinstance(document, dict) or "lookups" not in document:
        return
    lookups = document["lookups"]
    if not isinstance(lookups, dict):
        yield Violation(
            f"lookups must be an object keyed by the field each lookup fills, not {type_name(lookups)}", ("lookups",)
        )
        return
    for key, spec in lookups.items():
        for message in _shape_problems(key, spec):
            yield Violation(message, ("lookups", key))


@rule(
    "TL505",
    name="lookup-unresolved",
    kinds=ACTIVITY_KINDS,
    code="GSOBJ_1011",
    tenant_question=REFERENCE_DATA,
    guard=Unguarded("it asks the tenant to resolve every record's lookups"),
)
def lookup_unresolved(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """A lookup finds no record (with ``onNoMatch: ERROR``), or several (with ``MARKASERROR``).

    ## Why is this bad?
    The Timeline document's job-status sample fails a record with "No record found for
    GsRelationshipId": its ``RelationshipName`` matched no relationship, and the lookup's
    ``onNoMatch`` was ``ERROR``. ``multiMatchOption: MARKASERROR`` likewise fails a record whose value
    matches several entities. The data APIs' code for it is ``GSOBJ_1011`` (no entity matches the
    given criteria); the message is the document's. Only a tenant knows its companies and users, so
    ``gscontract validate`` does not run this rule; the mock tenant does. The semantics (order,
    list-valued fields, defaults) are those of :mod:`gscontract.tenants.resolution`.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "companyName": "No Such Company Ltd"}],
     "lookups": {"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid",
                                 "objectName": "Company", "multiMatchOption": "FIRSTMATCH",
                                 "onNoMatch": "ERROR"}}}
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
    if not ctx.lookups or ctx.tenant is None:
        return ()
    from ..tenants.resolution import resolve_lookups  # only a tenant's run gets here: keep validate's start-up light

    failures = resolve_lookups(record, ctx.lookups, ctx.tenant).failures
    return tuple(Violation(f.message, (f.field,)) for f in failures)
