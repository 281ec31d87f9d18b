"""TL4xx: ActivityDate and custom date and date-time fields, as ISO 8601 with real calendar dates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from . import Context, Violation, rule
from ._helpers import (
    ACTIVITY_KINDS,
    custom_fields,
    is_custom_datetime,
    is_custom_field,
    is_date,
    is_datetime,
    looks_like_date,
)
from .shapes import ANYTHING, Shape

_DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSS] with an offset (Z or ±hh:mm), on a real date"
_CUSTOM_DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSS] with an offset (Z, ±hh:mm or ±hhmm), on a real date"


def custom_date_kind(name: str, value: str, declared: Mapping[str, str]) -> str | None:
    """``date`` or ``datetime`` when a custom field's string value is checked as one.

    Its declared type decides (tenant data); without one, its look does (docs/decisions.md#one-rule-table).
    """
    expected = declared.get(name) if declared else None
    return expected if expected is not None else looks_like_date(value)


def _custom_date_ok(
    name: str, value: str, declared: Mapping[str, str], kind: str, valid: Callable[[str], bool]
) -> bool:
    """Whether a custom field's string value is fine as a ``kind`` (date or datetime): not one, or ``valid``."""
    return custom_date_kind(name, value, declared) != kind or valid(value)


def _bad_custom_dates(
    record: dict[str, Any], ctx: Context, kind: str, valid: Callable[[str], bool], message: str
) -> Iterator[Violation]:
    """A violation for each custom field checked as a ``kind`` (date or datetime) whose value is not ``valid``."""
    for name in custom_fields(record):
        value = record[name]
        if value.__class__ is str and not _custom_date_ok(name, value, ctx.custom_field_types, kind, valid):
            yield Violation(f"{message}. Field {name}: {value!r}", (name,))


def _custom_dates_valid(kind: str, valid: Callable[[str], bool]) -> Callable[[frozenset[str], Context], Shape]:
    """The shape of TL402 or TL403: each custom field's string passes :func:`_custom_date_ok`."""

    def shape(keys: frozenset[str], ctx: Context) -> Shape:
        """The test of each custom field the record has, as this context's declared types read it."""
        declared = ctx.custom_field_types
        tests = {
            name: (lambda value, name=name: _custom_date_ok(name, value, declared, kind, valid))
            for name in keys
            if is_custom_field(name)
        }
        return Shape(formats=tests) if tests else ANYTHING

    return shape


@rule(
    "TL401",
    name="activity-date-invalid",
    kinds=ACTIVITY_KINDS,
    code="GS_TL_10_0222",
    guard=Shape(formats={"ActivityDate": is_datetime}),
)
def activity_date_invalid(record: dict[str, Any], ctx: Context) -> Iterable[Violation]:
    """``ActivityDate`` is not an ISO 8601 date-time with an offset on a real calendar date.

    ## Why is this bad?
    The Timeline document: ActivityDate's format is "ISO 8601 format - yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
    (the samples send ``2022-07-01T06:36:00.000-07:00``), and its error table answers a bad date-time
    with ``GS_TL_10_0222``, whose message writes the pattern ``yyyy-MM-dd'T'HH:mm:ssZ``. Both patterns
    need an offset; they differ on milliseconds, so milliseconds are optional here (three digits, ``SSS``,
    when given), and the offset is ``Z`` or ``±hh:mm`` as in the samples. ``2022-02-30T10:00:00Z`` is not
    a date. ActivityDate itself is optional ("The current date in UTC is added by default if no value is
    provided").

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "ActivityDate": "2022-07-01 06:36"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "ActivityDate": "2022-07-01T06:36:00.000-07:00"}]}
    ```
    """
    value = record.get("ActivityDate")
    if value.__class__ is not str or is_datetime(value):
        return ()
    message = f"Date Time is expected to be expressed according to ISO 8601 ({_DATETIME_FORMAT}). Field ActivityDate"
    return (Violation(f"{message}: {value!r}", ("ActivityDate",)),)


@rule(
    "TL402",
    name="custom-datetime-invalid",
    kinds=ACTIVITY_KINDS,
    code="GS_TL_10_0222",
    guard=_custom_dates_valid("datetime", is_custom_datetime),
)
def custom_datetime_invalid(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """A custom date-time field is not an ISO 8601 date-time with an offset on a real calendar date.

    ## Why is this bad?
    The Timeline document's error table: ``GS_TL_10_0222`` "Date Time is expected to be expressed
    according to ISO 8601 ... Field Ant__date_ttimee__c", a custom field its bulk sample fills with
    ``2022-06-08T21:09:20.000-07:00``. A field is a date-time field when tenant data says so
    (``customFields`` in a ``--tenant`` file); otherwise gscontract goes by the value: one that reads
    as a date with a time of day must be a full date-time, as ActivityDate (TL401).

    The offset may also be written without a colon (``2022-06-08T21:09:20.000-0700``), and that is
    valid here, not a warning: Gainsight's newer custom-field data-type table gives DateTime fields the
    pattern ``yyyy-MM-dd'T'HH:mm:ss.SSSZ``, whose ``Z`` is an offset such as ``-0700``, so a payload
    written from that table follows Gainsight's own documentation. ActivityDate is not a custom field:
    the Timeline document gives it ``...SSSXXX`` (``-07:00``), and TL401 keeps that.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "Ant__date_ttimee__c": "2022-06-08 21:09:20"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "Ant__date_ttimee__c": "2022-06-08T21:09:20.000-07:00"}]}
    ```
    """
    message = f"Date Time is expected to be expressed according to ISO 8601 ({_CUSTOM_DATETIME_FORMAT})"
    yield from _bad_custom_dates(record, ctx, "datetime", is_custom_datetime, message)


@rule(
    "TL403",
    name="custom-date-invalid",
    kinds=ACTIVITY_KINDS,
    code="GS_TL_10_0223",
    guard=_custom_dates_valid("date", is_date),
)
def custom_date_invalid(record: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    """A custom date field is not a real ``yyyy-MM-dd`` date.

    ## Why is this bad?
    The Timeline document's error table: ``GS_TL_10_0223`` "Date is expected to be expressed according
    to ISO 8601 - yyyy-MM-dd. Field Ant__CustomDateField__c", a custom field its bulk sample fills with
    ``2022-06-08``. A field is a date field when tenant data says so; otherwise gscontract goes by the
    value: one that reads as a date without a time of day (``06/08/2022``, ``2022-6-8``) must be
    ``yyyy-MM-dd``, and ``2022-02-30`` is not a date.

    ## Example
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "Ant__CustomDateField__c": "06/08/2022"}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
                  "Ant__CustomDateField__c": "2022-06-08"}]}
    ```
    """
    message = "Date is expected to be expressed according to ISO 8601 - yyyy-MM-dd, on a real date"
    yield from _bad_custom_dates(record, ctx, "date", is_date, message)
