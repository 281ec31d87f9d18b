"""TL3xx: an activity's fields: the required ones, their lengths, their value types and their spelling."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from ..findings import Severity
from ..gainsight.limits import NOTES_LIMIT, SUBJECT_LIMIT
from ..payload.kinds import Kind
from . import Context, Violation, rule
from ._helpers import (
    ACTIVITY_KINDS,
    LIST_FIELDS,
    STANDARD_FIELDS,
    STRING_FIELDS,
    is_custom_field,
    present,
    type_name,
)
from .shapes import ANYTHING, STRING_OR_NULL, Shape, first_of

_TAG: Final = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
# What a custom field's declared type accepts (date and date-time values are strings; TL4xx check them).
_CUSTOM_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "date": (str,),
    "datetime": (str,),
    "number": (int, float),
    "boolean": (bool,),
}
_TYPE_WORDS: Final = {"string": "a string", "date": "a string", "datetime": "a string", "number": "a number"}
# The spelling the samples use, by case-folded name: `CompanyName` (the parameter table) and
# `contextname` (the read API) are read back to `companyName` and `ContextName`.
_SPELLING: Final = {name.casefold(): name for name in STANDARD_FIELDS - {"InternalAttendees", "ExternalAttendees"}}


def custom_type_ok(expected: str, value: Any) -> bool:
    """Whether a non-null custom field value has the JSON type its declared type takes."""
    accepted = _CUSTOM_TYPES.get(expected)
    if accepted is None:
        return True  # a type gscontract does not know: not checked
    if isinstance(value, bool):
        return expected == "boolean"
    return isinstance(value, accepted)


def notes_plain_text(notes: str) -> str:
    """Notes as a reader sees them: HTML tags and comments removed, entities decoded."""
    return html.unescape(_TAG.sub("", notes))


def notes_text_length(notes: str) -> int:
    """The length of Notes as text (:func:`notes_plain_text`), which the 32,000-character limit counts."""
    return len(notes_plain_text(notes))


def _typed(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean record for TL301: it gives TypeName or ActivityTypeId."""
    name = first_of(keys, "TypeName", "ActivityTypeId")
    return None if name is None else Shape(text=(name,))


@rule("TL301", name="activity-type-missing", kinds=ACTIVITY_KINDS, code="GS_TL_10_0203", guard=_typed)
def activity_type_missing(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """An activity has neither ``TypeName`` nor ``ActivityTypeId``.

    ## Why is this bad?
    The Timeline document marks ``ActivityTypeId* or TypeName*`` mandatory on insert and update: "the
    type of Activity, provide activity form Id or name of the Activity". Without either the tenant
    answers ``GS_TL_10_0203`` "ActivityTypeId missing". Type names are not limited to a list: the
    bulk sample uses a custom type, ``newrelactivity``.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "ExternalId": "crm-0001", "Subject": "Kick-off",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Meeting", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    if present(record, "TypeName") or present(record, "ActivityTypeId"):
        return ()
    return (Violation("ActivityTypeId missing: give TypeName or ActivityTypeId"),)


_SUBJECT_AND_NOTES: Final = Shape(text=("Subject", "Notes"))


def _required_given(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean record for TL302: Subject, Notes and, on insert, Author or AuthorId."""
    if ctx.kind is not Kind.TIMELINE_INSERT:
        return _SUBJECT_AND_NOTES
    author = first_of(keys, "Author", "AuthorId")
    return None if author is None else Shape(text=("Subject", "Notes", author))


@rule("TL302", name="required-field-missing", kinds=ACTIVITY_KINDS, code="GSOBJ_1007", guard=_required_given)
def required_field_missing(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """An activity lacks ``Subject``, ``Notes`` or (on insert) its author.

    ## Why is this bad?
    The Timeline document's insert table marks ``Author*``, ``Subject*`` and ``Notes*`` mandatory,
    and its update table marks ``Subject*`` and ``Notes*`` mandatory too (strict for an update, but
    documented, so we follow it). The author may be given as ``Author`` (an email the ``AuthorId``
    lookup resolves, as in every sample) or as the ``AuthorId`` Gsid itself. The document gives no
    code; we use the data APIs' ``GSOBJ_1007`` (a required value is null). Blank strings count as
    missing.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    if not present(record, "Subject"):
        yield Violation("Subject is required")
    if not present(record, "Notes"):
        yield Violation("Notes is required")
    if ctx.kind is Kind.TIMELINE_INSERT and not (present(record, "Author") or present(record, "AuthorId")):
        yield Violation("Author is required (an email the AuthorId lookup resolves, or AuthorId itself)")


@rule(
    "TL303",
    name="subject-too-long",
    kinds=ACTIVITY_KINDS,
    code="GSOBJ_1001",
    documented_limit=True,
    guard=Shape(limits={"Subject": SUBJECT_LIMIT}),
)
def subject_too_long(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """``Subject`` is longer than 255 characters.

    ## Why is this bad?
    The Timeline document: Subject is "the subject of an Activity. The character limit of 255". The
    data APIs answer a value over a field's length with ``GSOBJ_1001``. Characters are counted as
    Unicode code points, as a person counts them.

    ## Example
    A subject of 308 characters (shortened here; the test builds the real text):
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Review: {{300 characters}}",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Quarterly business review", "Notes": "Adoption, renewals, roadmap ...",
                  "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    value = record.get("Subject")
    if value.__class__ is str and len(value) > SUBJECT_LIMIT:
        return (Violation(f"Subject has {len(value)} characters; the limit is {SUBJECT_LIMIT}", ("Subject",)),)
    return ()


@rule(
    "TL304",
    name="notes-too-long",
    kinds=ACTIVITY_KINDS,
    code="GSOBJ_1001",
    documented_limit=True,
    # Markup only shortens the text a reader sees, so raw Notes within the limit are clean.
    guard=Shape(limits={"Notes": NOTES_LIMIT}),
)
def notes_too_long(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    r"""``Notes`` holds more than 32,000 characters of text.

    ## Why is this bad?
    The Timeline document: Notes "contains Html formatted notes from the Activity. The character limit
    is 32000 for plain text". It does not say whether markup counts; since the limit is "for plain
    text", we count the text a reader sees: tags and comments removed, entities such as ``&amp;``
    decoded to one character. Longer notes answer ``GSOBJ_1001`` (value over the field's length).

    ## Example
    Notes of 40,000 characters (shortened here; the test builds the real text):
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "<p>{{40000 characters}}</p>",
                  "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```

    Use instead:
    Notes of 31,000 characters of text and 2,000 characters of markup (33,007 in all):
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "<p>{{31000 characters}}</p>{{400 tags}}",
                  "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    value = record.get("Notes")
    # Markup only ever shortens the text, so the raw length decides for nearly every record.
    if value.__class__ is not str or len(value) <= NOTES_LIMIT:
        return ()
    length = notes_text_length(value)
    if length > NOTES_LIMIT:
        message = f"Notes has {length} characters of text (markup not counted); the limit is {NOTES_LIMIT}"
        return (Violation(message, ("Notes",)),)
    return ()


def _list_problems(name: str, value: Any) -> Iterator[Violation]:
    if value.__class__ is not list:
        yield Violation(f"{name} must be an array of strings, not {type_name(value)}", (name,))
        return
    for index, item in enumerate(value):
        if item.__class__ is not str:
            yield Violation(f"{name} items must be strings, not {type_name(item)}", (name, index))


_LIST_OR_NULL: Final[frozenset[type]] = frozenset({list, type(None)})
_DOCUMENTED_TYPES: Final = Shape(
    types=dict.fromkeys(STRING_FIELDS, STRING_OR_NULL) | dict.fromkeys(LIST_FIELDS, _LIST_OR_NULL),
    string_lists=tuple(sorted(LIST_FIELDS)),
)


def _custom_value_ok(expected: str) -> Callable[[Any], bool]:
    """The test TL305 puts to a custom field declared as ``expected``: null, or a value of that type."""
    return lambda value: value is None or custom_type_ok(expected, value)


def _well_typed(keys: frozenset[str], ctx: Context) -> Shape:
    """A clean record for TL305: documented fields of their types, custom fields of their declared ones."""
    declared = ctx.custom_field_types
    if not declared or keys.isdisjoint(declared):
        return _DOCUMENTED_TYPES
    custom = {name: _custom_value_ok(declared[name]) for name in keys if name in declared}
    return Shape(types=_DOCUMENTED_TYPES.types, string_lists=_DOCUMENTED_TYPES.string_lists, values=custom)


@rule("TL305", name="wrong-value-type", kinds=ACTIVITY_KINDS, code="GSOBJ_1002", guard=_well_typed)
def wrong_value_type(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """A field's value has the wrong JSON type.

    ## Why is this bad?
    The Timeline document's parameter tables give every field a type: the names, ids, Subject, Notes
    and ActivityDate are "String", ``internalAttendees`` and ``externalAttendees`` are "List" (of
    user emails or names, as the samples show). Custom fields take the type the tenant gives them:
    gscontract knows it from tenant data (``customFields`` in a ``--tenant`` file) and otherwise does
    not check it. The data APIs answer a value of the wrong type with ``GSOBJ_1002``. ``null`` is not
    a type error here (a missing required field is reported by its own rule).

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": 1001,
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "internalAttendees": "hysty@gainsight.com"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "1001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "internalAttendees": ["hysty@gainsight.com"]}]}
    ```
    """
    declared = ctx.custom_field_types
    for name, value in record.items():
        if value is None:
            continue
        if name in STRING_FIELDS:
            if value.__class__ is not str:
                yield Violation(f"{name} must be a string, not {type_name(value)}", (name,))
        elif name in LIST_FIELDS:
            if value.__class__ is not list or not all(item.__class__ is str for item in value):
                yield from _list_problems(name, value)
        elif declared and name in declared and not custom_type_ok(declared[name], value):
            expected = declared[name]
            word = _TYPE_WORDS.get(expected, "a boolean")
            yield Violation(f"{name} is a {expected} field: it must be {word}, not {type_name(value)}", (name,))


def _spelled_as_documented(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean record for TL306: no other casing of a documented field (a question of keys alone)."""
    unknown = keys - STANDARD_FIELDS
    return None if any(name.casefold() in _SPELLING for name in unknown) else ANYTHING


@rule(
    "TL306",
    name="field-name-casing",
    kinds=ACTIVITY_KINDS,
    severity=Severity.WARNING,
    guard=_spelled_as_documented,
)
def field_name_casing(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """A documented field is spelled with other capitals than the document's samples.

    ## Why is this bad?
    The Timeline document's tables write ``CompanyName`` while every sample sends ``companyName``;
    its read API returns ``contextname``. Field names are matched as written, so a record with
    ``CompanyName`` does not feed a lookup that reads ``companyName``, and ``contextname`` is not
    ``ContextName``. We accept the samples' spelling exactly and warn on any other casing of a
    documented field. (``InternalAttendees`` and ``ExternalAttendees``, the lookup keys, are accepted
    as the fields that hold resolved Gsids.)

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "activityDate": "2022-07-01T06:36:00.000-07:00"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "ActivityDate": "2022-07-01T06:36:00.000-07:00"}]}
    ```
    """
    if record.keys() <= STANDARD_FIELDS:
        return
    for name in record:
        if name in STANDARD_FIELDS:
            continue
        spelling = _SPELLING.get(name.casefold())
        if spelling is not None:
            yield Violation(f"{name!r} is spelled {spelling!r} in the document's samples", (name,))


def _custom_names_spelled(keys: frozenset[str], ctx: Context) -> Shape | None:
    """A clean record for TL307: every name that starts like a custom field is one (a question of keys alone)."""
    odd = any(name[:4].casefold() == "ant_" and not is_custom_field(name) for name in keys)
    return None if odd else ANYTHING


@rule(
    "TL307",
    name="custom-field-name",
    kinds=ACTIVITY_KINDS,
    severity=Severity.WARNING,
    guard=_custom_names_spelled,
)
def custom_field_name(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """A field looks like a custom field but is not spelled ``Ant__<Name>__c``.

    ## Why is this bad?
    The Timeline document's note says custom fields use "field names starting with Ant_<fieldName>",
    but every sample spells them ``Ant__<Name>__c`` (``Ant__CustomDateField__c``), and so does the read
    API. The samples are what the tenant accepted; a single underscore, other capitals or a missing
    ``__c`` most likely names no field.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O", "Ant_Remarks": "remarks field"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O", "Ant__Remarks__c": "remarks field"}]}
    ```
    """
    if record.keys() <= STANDARD_FIELDS:
        return
    for name in record:
        if name[:4].casefold() == "ant_" and not is_custom_field(name):
            yield Violation(f"{name!r} is not a custom field name: custom fields are spelled Ant__<Name>__c", (name,))
