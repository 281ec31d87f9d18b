"""The rule engine: run the selected rules over a body, or over its records as they arrive, and build findings.

This is the only place that turns a rule's :class:`~gscontract.rules.Violation` into a
:class:`~gscontract.findings.Finding`: it adds the rule's id, vendor code and severity and encodes the
pointer. The validator streams a file's records through a :class:`Checker`; the mock tenant calls
:func:`check` on a whole body, which drives the same checker, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from .findings import Finding, Severity
from .payload.kinds import Kind
from .pointer import PathPart, to_pointer
from .rules import Context, Rule, Scope
from .rules.folds import Fold, records_of
from .rules.guards import PLAN_AFTER, ComposedGuard, compose_guard

__all__ = ["Checker", "check", "finding", "record_items"]

Admit = Callable[[str, str], bool]


def record_items(document: Any, kind: Kind) -> tuple[tuple[PathPart, ...], Sequence[Any]]:
    """The records a body holds for ``kind`` and the path they sit under.

    An envelope's records are under ``("records",)``; a single event is its own record, at ``()``
    with no index. Other kinds have no records.
    """
    base, records = records_of(document, kind)
    return base, records if records is not None else ()


class Checker:
    """The selected rules of one body, ready to judge its top level and then its records, batch by batch.

    Call :meth:`top` with the body (an envelope's ``records`` may be left empty: the rules it runs never
    read them), then :meth:`records` for each batch of records in order, then :meth:`end` with their
    count. ``severities`` overrides rule severities by id. A rule that asks the tenant a question runs
    only when ``ctx.tenant`` answers it. ``admit(rule_id, message)``, when given, is asked before each
    finding is built; a violation it refuses yields nothing (the validator's folder counts it instead).
    """

    __slots__ = (
        "_admit",
        "_always",
        "_base",
        "_composed",
        "_ctx",
        "_everything",
        "_folds",
        "_guard",
        "_overrides",
        "_rules",
    )

    def __init__(
        self,
        rules: Sequence[Rule],
        ctx: Context,
        *,
        severities: Mapping[str, Severity] | None = None,
        admit: Admit | None = None,
    ) -> None:
        answers = ctx.tenant.answers if ctx.tenant is not None else frozenset()
        active = [
            r for r in rules if r.func is not None and (r.tenant_question is None or r.tenant_question in answers)
        ]
        self._ctx = ctx
        self._overrides = severities or {}
        self._admit = admit
        self._rules = [r for r in active if r.scope is Scope.DOCUMENT and r.fold is None]
        self._folds: list[tuple[Rule, Fold]] = [(r, r.fold(ctx)) for r in active if r.fold is not None]
        self._everything = [(r, r.func) for r in active if r.scope is Scope.RECORD]
        self._always = self._everything
        self._guard: ComposedGuard | None = None
        self._composed = False
        self._base: tuple[PathPart, ...] = () if ctx.kind is Kind.EVENT else ("records",)

    def _finding(self, r: Rule, path: Sequence[PathPart], message: str) -> Finding | None:
        if self._admit is not None and not self._admit(r.id, message):
            return None
        return finding(r, path, message, self._overrides)

    def _at(self, index: int) -> tuple[PathPart, ...]:
        return self._base if self._ctx.kind is Kind.EVENT else (*self._base, index)

    def top(self, document: Any) -> Iterator[Finding]:
        """The findings of the rules that judge the body as a whole (its envelope, lookups, query)."""
        for r in self._rules:
            for violation in r.func(document, self._ctx):  # type: ignore[misc]  # active rules have a function
                found = self._finding(r, violation.path, violation.message)
                if found is not None:
                    yield found

    def records(self, start: int, records: Sequence[Any]) -> Iterator[Finding]:
        """The findings of a batch of consecutive records, the first at index ``start``."""
        for r, fold in self._folds:
            for index, violation in fold.feed(start, records):
                found = self._finding(r, (*self._at(index), *violation.path), violation.message)
                if found is not None:
                    yield found
        if not self._everything:
            return
        if not self._composed and start + len(records) >= PLAN_AFTER:
            # The guard answers for the rules it covers (those that declare a shape) in one quick call per
            # record; they run only when it fails (see rules/guards.py). A body too small for any key set to
            # get a plan is not worth composing one.
            self._composed = True
            self._guard = compose_guard([r for r, _ in self._everything], self._ctx)
            covered = self._guard.covers if self._guard is not None else frozenset()
            self._always = [(r, f) for r, f in self._everything if r.id not in covered]
        guard = self._guard
        suspects: Iterable[tuple[int, Any]]
        if guard is not None and not self._always:
            # Nothing runs on a clean record: find the others in one comprehension (the guard passes
            # anything that is not a record, which no record rule checks).
            test = guard.clean
            suspects = [(i, rec) for i, rec in enumerate(records, start) if not test(rec)]
        else:
            suspects = enumerate(records, start)
        for index, record in suspects:
            if record.__class__ is not dict and not isinstance(record, dict):
                continue
            chosen = self._always if guard is not None and guard.clean(record) else self._everything
            for r, func in chosen:
                for violation in func(record, self._ctx):  # type: ignore[misc]  # record rules have a function
                    found = self._finding(r, (*self._at(index), *violation.path), violation.message)
                    if found is not None:
                        yield found

    def end(self, count: int) -> Iterator[Finding]:
        """The findings known once all ``count`` records have been judged (an empty envelope)."""
        for r, fold in self._folds:
            for violation in fold.end(count):
                found = self._finding(r, violation.path, violation.message)
                if found is not None:
                    yield found


def finding(r: Rule, path: Sequence[PathPart], message: str, overrides: Mapping[str, Severity]) -> Finding:
    """The finding of one violation of ``r`` at ``path``, unlocated (``overrides``: severities by rule id)."""
    severity = overrides.get(r.id, r.severity)
    return Finding(
        rule=r.id,
        severity=severity,
        message=message,
        # Warnings carry no vendor code: the tenant accepts the record (docs/decisions.md#one-rule-table).
        code=r.code if severity is Severity.ERROR else None,
        pointer=to_pointer(path),
    )


def check(
    document: Any,
    rules: Sequence[Rule],
    ctx: Context,
    *,
    severities: Mapping[str, Severity] | None = None,
    admit: Admit | None = None,
) -> Iterator[Finding]:
    """Run ``rules`` over a whole body and yield one finding per violation, unlocated and unsorted.

    The arguments are :class:`Checker`'s.
    """
    checker = Checker(rules, ctx, severities=severities, admit=admit)
    yield from checker.top(document)
    _, records = records_of(document, ctx.kind)
    if records is not None:
        yield from checker.records(0, records)
        yield from checker.end(len(records))
