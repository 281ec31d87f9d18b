"""The rule engine: run the selected rules over one parsed body and build findings.

This is the only place that turns a rule's :class:`~gscontract.rules.Violation` into a
:class:`~gscontract.findings.Finding`: it adds the rule's id, vendor code and severity and encodes the
pointer. The validator and the mock tenant both call :func:`check`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from .findings import Finding, Severity
from .payload.kinds import Kind
from .pointer import PathPart, to_pointer
from .rules import Context, Rule, Scope
from .rules.guards import PLAN_AFTER, compose_guard

__all__ = ["check", "record_items"]

_ENVELOPES = frozenset({Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENTS_BULK, Kind.FRAMEWORK_EVENTS})


def record_items(document: Any, kind: Kind) -> tuple[tuple[PathPart, ...], Sequence[Any]]:
    """The records a body holds for ``kind`` and the path they sit under.

    An envelope's records are under ``("records",)``; a single event is its own record, at ``()``
    with no index. Other kinds have no records.
    """
    if kind in _ENVELOPES and isinstance(document, dict) and isinstance(document.get("records"), list):
        return ("records",), document["records"]
    if kind is Kind.EVENT and isinstance(document, dict):
        return (), (document,)
    return (), ()


def check(
    document: Any,
    rules: Sequence[Rule],
    ctx: Context,
    *,
    severities: Mapping[str, Severity] | None = None,
    admit: Callable[[str, str], bool] | None = None,
) -> Iterator[Finding]:
    """Run ``rules`` over ``document`` and yield one finding per violation, unlocated and unsorted.

    ``severities`` overrides rule severities by id (the configuration's ``severity`` table). A rule
    that asks the tenant a question runs only when ``ctx.tenant`` answers it (``Tenant.answers``).
    ``admit(rule_id, message)``, when given, is asked before each finding is built; a violation it
    refuses yields nothing (the validator's :class:`~gscontract.folding.Folder` counts it instead).
    """
    overrides = severities or {}
    answers = ctx.tenant.answers if ctx.tenant is not None else frozenset()
    active = [r for r in rules if r.func is not None and (r.tenant_question is None or r.tenant_question in answers)]
    record_rules = [r for r in active if r.scope is Scope.RECORD]
    document_rules = [r for r in active if r.scope is Scope.DOCUMENT]

    for r in document_rules:
        for violation in r.check(document, ctx):
            if admit is None or admit(r.id, violation.message):
                yield _finding(r, violation.path, violation.message, overrides)

    if not record_rules:
        return
    base, records = record_items(document, ctx.kind)
    # The guard answers for the rules it covers (those that declare a shape) in one quick call per
    # record; they run only when it fails (see rules/guards.py). A body too small for any key set to
    # get a plan is not worth composing one. Functions are called directly: this loop runs per record.
    guard = compose_guard(record_rules, ctx) if len(records) >= PLAN_AFTER else None
    covered = guard.covers if guard is not None else frozenset()
    always = [(r, r.func) for r in record_rules if r.id not in covered]
    everything = [(r, r.func) for r in record_rules]
    test = guard.clean if guard is not None else None
    single = ctx.kind is Kind.EVENT
    if test is not None and not always:
        # Nothing runs on a clean record: find the others in one comprehension (the guard passes
        # anything that is not a record, which no record rule checks).
        suspects: Iterable[tuple[int, Any]] = [(i, rec) for i, rec in enumerate(records) if not test(rec)]
    else:
        suspects = enumerate(records)
    for index, record in suspects:
        if record.__class__ is not dict and not isinstance(record, dict):
            continue
        for r, func in always if test is not None and test(record) else everything:
            for violation in func(record, ctx):  # type: ignore[misc]  # record rules always have a function
                if admit is None or admit(r.id, violation.message):
                    prefix = base if single else (*base, index)
                    yield _finding(r, (*prefix, *violation.path), violation.message, overrides)


def _finding(r: Rule, path: Sequence[PathPart], message: str, overrides: Mapping[str, Severity]) -> Finding:
    severity = overrides.get(r.id, r.severity)
    return Finding(
        rule=r.id,
        severity=severity,
        message=message,
        # Warnings carry no vendor code: the tenant accepts the record (docs/decisions.md#one-rule-table).
        code=r.code if severity is Severity.ERROR else None,
        pointer=to_pointer(path),
    )
