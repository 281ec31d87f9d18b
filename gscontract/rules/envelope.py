"""GS1xx: the file, its envelope and the shape of its records, before any field is looked at.

GS101 to GS104 are reported by the loader and the validator themselves (scope ``source``): a file that
cannot be parsed has no records to give a rule. GS105 to GS107 are ordinary document rules. GS108 to
GS111 are source rules too: what the file's text says that its parsed value hides (a number too long
to read or too large for a double, a control character, a key given twice), which only the loader sees.
GS112 (values nested too deep) is a document rule that fails a single record rather than the whole body.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any, Final

from ..findings import Severity
from ..payload.kinds import Kind
from ..payload.reader import Unparsed
from . import Context, Rule, Scope, Violation, add, rule
from ._helpers import type_name
from .folds import Fold, Located, over_records

ALL_KINDS = frozenset(Kind)
_ENVELOPE_KINDS = frozenset({Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENTS_BULK, Kind.FRAMEWORK_EVENTS})
_OBJECT_KINDS = frozenset({Kind.TIMELINE_DELETED_FILTER, Kind.TIMELINE_QUERY, Kind.EVENT})
_RECORD_KINDS = _ENVELOPE_KINDS | {Kind.EVENT}

MAX_VALUE_DEPTH: Final = 32
"""How many levels of arrays and objects one field of a record may nest (``[["a"]]`` is two)."""

_SCALARS: Final = frozenset({str, int, float, bool, type(None)})
_DICT: Final = frozenset({dict})
_FLAT_FIELDS: Final = _SCALARS | {list}
_IS_LIST: Final = list.__instancecheck__


def _source_rule(rule_id: str, name: str, doc: str, severity: Severity = Severity.ERROR) -> None:
    add(Rule(rule_id, name, ALL_KINDS, severity, Scope.SOURCE, None, doc))


_source_rule(
    "GS101",
    "invalid-json",
    """The file is not valid JSON (or a line of a JSON Lines file is not).

    ## Why is this bad?
    The tenant rejects the whole upload with HTTP 400, so none of its records is saved. The Timeline
    document's own bulk and update samples have trailing commas; copied as printed, they fail here.
    The finding points at the character where parsing failed (for a trailing comma, at the comma).

    ## Example
    ```json
    {"records": [{"ExternalId": "a1", "Subject": "Demo",}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1", "Subject": "Demo"}]}
    ```
    """,
)

_source_rule(
    "GS102",
    "empty-file",
    """The file is empty or holds only white space.

    ## Why is this bad?
    An empty body is not JSON; the tenant answers HTTP 400. An empty file in a payload folder is
    usually an export that failed.

    ## Example
    ```json
    ```

    Use instead:
    ```json
    {"records": []}
    ```
    """,
)

_source_rule(
    "GS103",
    "not-utf8-text",
    """The file is binary or not UTF-8 text.

    ## Why is this bad?
    JSON bodies are UTF-8 (RFC 8259). A binary file (a spreadsheet or an archive saved with a
    ``.json`` name) or a Latin-1 export cannot be read by the tenant.

    ## Example
    ```text
    PK\\x03\\x04... (a zip archive named activities.json)
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1"}]}
    ```
    """,
)

_source_rule(
    "GS104",
    "unknown-kind",
    """The payload's kind could not be told from its name, the configuration or its shape.

    ## Why is this bad?
    Without a kind gscontract cannot know which rules apply. Name the file after its kind
    (``timeline-insert.accounts.json``, ``timeline-update.externalid.x.json``), add it to the
    ``kinds`` table of ``[tool.gscontract]``, or pass ``--kind``.

    ## Example
    ```json
    {"activities": [{"ExternalId": "a1"}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1"}]}
    ```
    """,
)


_source_rule(
    "GS108",
    "number-too-long",
    """An integer has more than 4,300 digits.

    ## Why is this bad?
    No field of the Timeline or Events APIs holds such a number: a custom number field takes values
    like the Timeline document's ``"Ant__CustomNumber__c": 300``. Python refuses to convert an integer
    literal that long (converting one costs time that grows with the square of its length), and many
    JSON readers cap the length of a number; a literal like this is almost always a corrupted export.
    gscontract reads it as a very large number, so the other rules still run, and reports it here, at
    the member that holds it.

    ## Example
    ```json
    {"records": [{"ExternalId": "a1", "Ant__CustomNumber__c": {{4301 digits}}}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1", "Ant__CustomNumber__c": 300}]}
    ```
    """,
)

_source_rule(
    "GS109",
    "number-not-finite",
    """A number is too large for a double (such as ``1e999``) and reads as infinity.

    ## Why is this bad?
    JSON has no infinity: spelled out, ``Infinity`` is invalid JSON (GS101), and RFC 8259 warns that
    numbers beyond the range of a double are not read alike by different programs. ``1e999`` is that
    same infinity in disguise; a custom number field (the Timeline document's ``Ant__CustomNumber__c``)
    cannot store it, and a reader that takes it as a double sees infinity, not the number written.

    ## Example
    ```json
    {"records": [{"ExternalId": "a1", "Ant__CustomNumber__c": 1e999}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1", "Ant__CustomNumber__c": 1e9}]}
    ```
    """,
)

_source_rule(
    "GS110",
    "control-character-in-text",
    """A string holds a control character, such as NUL (``\\u0000``), backspace or escape.

    ## Why is this bad?
    The Timeline document describes Subject, Notes, ExternalId and the other fields as text. JSON text
    can hold a control character only escaped (``\\u0000``, ``\\b``), so one in a payload was put
    there by a program, usually an export that copied binary data. The documents do not say what the
    tenant does with one, which is why this is a warning: a NUL commonly cuts a string short or is
    refused by the database that stores it, and in a timeline, a report or an email a backspace or an
    escape sequence hides or rewrites text. Tab, line feed and carriage return are ordinary in text and
    are not reported.

    ## Example
    ```json
    {"records": [{"ExternalId": "a1\\u0000", "Subject": "Kick-off\\u001b[2J"}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1", "Subject": "Kick-off"}]}
    ```
    """,
    Severity.WARNING,
)

_source_rule(
    "GS111",
    "duplicate-key",
    """An object gives the same key twice, and only its last value is kept.

    ## Why is this bad?
    RFC 8259 says the names in a JSON object should be unique, and what a reader does with a repeated
    one is up to it. The usual readers, the tenant's as gscontract's, keep the last value and drop the
    others without a word, so a record that says ``"Subject": "Renewal"`` and later ``"Subject": ""``
    is saved without a subject, and whoever reads the file sees the first. The finding points at the
    first occurrence, the value that is dropped. Texts of up to 16 million characters are checked in
    every object, larger ones in their top-level object only (checking every object of a larger text
    would slow down the largest files by about a tenth).

    ## Example
    ```json
    {"records": [{"ExternalId": "a1", "Subject": "Renewal", "Subject": ""}]}
    ```

    Use instead:
    ```json
    {"records": [{"ExternalId": "a1", "Subject": "Renewal"}]}
    ```
    """,
    Severity.WARNING,
)


def _expected_shape(kind: Kind) -> str:
    if kind in _ENVELOPE_KINDS:
        return 'an object with a "records" array'
    if kind is Kind.TIMELINE_DELETE:
        return "an array of activity ids"
    return "an object"


@rule("GS105", name="wrong-top-level-type", kinds=ALL_KINDS, scope=Scope.DOCUMENT)
def wrong_top_level_type(document: Any, ctx: Context) -> Iterator[Violation]:
    """The body's top level is not the shape its operation takes.

    ## Why is this bad?
    Saves and updates take an object whose ``records`` member is an array, delete takes a bare
    array of activity ids, and the other operations take an object. Anything else is rejected with
    HTTP 400 before a single record is looked at.

    ## Example
    ```json timeline-insert
    [{"ExternalId": "a1", "Subject": "Demo"}]
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "a1", "Subject": "Demo",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    kind = ctx.kind
    if kind in _ENVELOPE_KINDS:
        if not isinstance(document, dict):
            yield Violation(f"{kind} body must be {_expected_shape(kind)}, not {type_name(document)}")
        elif "records" not in document:
            yield Violation(f'{kind} body has no "records" array')
        elif not isinstance(document["records"], list):
            yield Violation(f'"records" must be an array, not {type_name(document["records"])}', ("records",))
    elif kind is Kind.TIMELINE_DELETE and not isinstance(document, list):
        yield Violation(f"delete body must be {_expected_shape(kind)}, not {type_name(document)}")
    elif kind in _OBJECT_KINDS and not isinstance(document, dict):
        yield Violation(f"{kind} body must be {_expected_shape(kind)}, not {type_name(document)}")


class _NotObjects(Fold):
    """GS106 over a batch: the items that are not objects (a line that did not parse is GS101's)."""

    def __init__(self, ctx: Context) -> None:
        pass

    def feed(self, start: int, records: Sequence[Any]) -> Iterator[Located]:
        # One C-level pass finds the batches whose items are all objects: nearly every batch.
        if set(map(type, records)) <= _DICT:
            return
        for index, record in enumerate(records, start):
            if not isinstance(record, dict) and not isinstance(record, Unparsed):
                yield index, Violation(f"record must be an object, not {type_name(record)}")


@rule("GS106", name="record-not-object", kinds=_ENVELOPE_KINDS, scope=Scope.DOCUMENT, fold=_NotObjects)
def record_not_object(document: Any, ctx: Context) -> Iterator[Violation]:
    """An item of ``records`` is not a JSON object.

    ## Why is this bad?
    Each record is an activity or event with named fields; a string, number or array in its place
    cannot be read and makes the tenant reject the request with HTTP 400.

    ## Example
    ```json timeline-insert
    {"records": ["a1"]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "a1", "Subject": "Demo",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    return over_records(_NotObjects(ctx), document, ctx)


class _NoRecords(Fold):
    """GS107 once the records are counted."""

    def __init__(self, ctx: Context) -> None:
        pass

    def end(self, count: int) -> Iterator[Violation]:
        if count == 0:
            yield Violation("records is empty", ("records",))


@rule(
    "GS107", name="no-records", kinds=_ENVELOPE_KINDS, scope=Scope.DOCUMENT, severity=Severity.WARNING, fold=_NoRecords
)
def no_records(document: Any, ctx: Context) -> Iterator[Violation]:
    """The ``records`` array is empty: the upload would do nothing.

    ## Why is this bad?
    A bulk call with no records still spends one of the few bulk calls an hour the tenant allows.
    An empty export usually means the step that produced the file failed.

    ## Example
    ```json timeline-insert
    {"records": []}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "a1", "Subject": "Demo",
                  "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O"}]}
    ```
    """
    return over_records(_NoRecords(ctx), document, ctx)


def nests_deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` levels deep (a scalar is 0, ``[]`` is 1).

    It walks one level at a time, never recursing, so no depth of input can exhaust Python's stack; and it
    stops at ``limit + 1`` levels, so a deep value costs no more than a shallow one of the same size.
    """
    level = [value]
    for depth in range(limit + 1):
        children: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list):
                children.extend(item)
            else:
                continue
            if depth == limit:
                return True
        if not children:
            return False
        # Only containers can go deeper; dropping the scalars here keeps each level's list short.
        level = [child for child in children if child.__class__ not in _SCALARS]
    return False


def _flat(records: Sequence[Any]) -> bool:
    """Whether every record is an object of scalars and lists of scalars (nearly every batch), in C-level passes."""
    try:
        values = list(chain.from_iterable(map(dict.values, records)))
    except TypeError:  # an item that is not an object
        return False
    types = set(map(type, values))
    if types <= _SCALARS:
        return True
    inner = chain.from_iterable(filter(_IS_LIST, values))
    return types <= _FLAT_FIELDS and set(map(type, inner)) <= _SCALARS


class _TooDeep(Fold):
    """GS112 over a batch: the fields nested deeper than the limit."""

    def __init__(self, ctx: Context) -> None:
        pass

    def feed(self, start: int, records: Sequence[Any]) -> Iterator[Located]:
        if _flat(records):
            return
        # Only containers can nest: one comprehension over the batch's fields lists them, in order.
        containers = [
            (index, name, value)
            for index, record in enumerate(records, start)
            if record.__class__ is dict
            for name, value in record.items()
            if value.__class__ not in _SCALARS
        ]
        for index, name, value in containers:
            if value.__class__ is list and set(map(type, value)) <= _SCALARS:
                continue  # a flat list, as attendee lists are
            if nests_deeper_than(value, MAX_VALUE_DEPTH):
                message = f"{name} nests arrays and objects more than {MAX_VALUE_DEPTH} levels deep, the limit"
                yield index, Violation(message, (name,))


@rule(
    "GS112",
    name="value-nested-too-deep",
    kinds=_RECORD_KINDS,
    code="GSOBJ_1002",
    scope=Scope.DOCUMENT,
    fold=_TooDeep,
)
def value_nested_too_deep(document: Any, ctx: Context) -> Iterator[Violation]:
    """A field of a record nests arrays and objects more than 32 levels deep.

    ## Why is this bad?
    Activity fields hold text, numbers, booleans or lists of text, and an event's ``payload`` is an
    object of named values: nothing a record carries needs deep nesting. A value nested hundreds of
    levels deep comes from a broken generator or a hostile client, and it cannot be read back: JSON
    libraries stop parsing and writing at a fixed depth (orjson at 255 levels, Python's own parser
    where its stack runs out), so a tenant that stored it could not answer a read that selects it. A
    value a tenant cannot take is the data APIs' ``GSOBJ_1002``; the mock tenant fails the record
    with that code, so nothing it saves can break a later read. The limit, 32 levels, leaves room for
    any event payload a real system sends.

    ## Example
    A custom field nested 40 levels deep (shortened here; the test builds the real value):
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O", "Ant__Raw__c": {{40 levels}}}]}
    ```

    Use instead:
    ```json timeline-insert
    {"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "crm-0001",
                  "Subject": "Kick-off", "Notes": "Agenda", "Author": "testuser@gainsight.com",
                  "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O", "Ant__Raw__c": "[[1]]"}]}
    ```
    """
    return over_records(_TooDeep(ctx), document, ctx)
