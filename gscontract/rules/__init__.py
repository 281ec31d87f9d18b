"""The rule registry: every check a payload goes through, shared by the validator and the mock tenant.

A rule is a small function registered with :func:`rule`. A *record* rule receives one record and yields
:class:`Violation` values with paths relative to that record; a *document* rule receives the whole body
and yields absolute paths. The engine (:mod:`gscontract.lint`) turns violations into findings, adding
the rule's id, vendor code, severity and the RFC 6901 pointer. Rules never do I/O.

Rule id families (an id is never reused; a renamed rule keeps its old id in ``aliases``):

======  ===========================================================
GS1xx   the file itself: parse errors, envelope, kind, nesting
TL1xx   Timeline identity: ExternalId, Gsid, duplicates
TL2xx   Timeline context: ContextName, company, relationship
TL3xx   Timeline fields: required fields, lengths, value types
TL4xx   Timeline dates: ActivityDate, custom date and date-time fields
TL5xx   Timeline lookups
TL6xx   Timeline update, delete, fetch-deleted and query bodies
EV1xx   Events API inputs
EF1xx   Events Framework events (Gainsight's public publish-an-event API)
======  ===========================================================
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import RegistryError
from ..findings import Severity
from ..payload.kinds import Kind
from ..pointer import PathPart
from ..registry import Registry, summary_of
from ..tenants.questions import QUESTIONS
from .folds import FoldOf
from .shapes import Shape, ShapeOf, Unguarded

if TYPE_CHECKING:
    from ..tenants.questions import Tenant
    from ..tenants.registrations import EventRegistry

__all__ = [
    "RULES",
    "Context",
    "Rule",
    "Scope",
    "Violation",
    "add",
    "get",
    "rule",
    "select_rules",
]


class Scope(enum.StrEnum):
    """What a rule's function receives."""

    RECORD = "record"
    DOCUMENT = "document"
    SOURCE = "source"
    """Reported by the file loader itself (parse errors); the rule has no function."""


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule function yields: a message and the path of the offending value."""

    message: str
    path: tuple[PathPart, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule may know besides the record: the kind, options and tenant state.

    ``lookups`` is the body's ``lookups`` object (empty when absent or not an object), or for a JSON
    Lines file the lookups supplied with it. ``lookups_missing`` is true for a JSON Lines file given
    none: a record that needs a lookup is then left to one finding for the file (GS113).
    ``custom_field_types`` maps ``Ant__X__c`` names to ``date``, ``datetime``, ``number``, ``boolean``
    or ``string``, from tenant data. ``tenant`` is ``None`` when no tenant state is available.
    ``registrations`` is the tenant data's Events Framework registrations; ``None`` when none were given.
    """

    kind: Kind
    identifier: str | None = None
    profile: str = "current"
    lookups: Mapping[str, Any] = field(default_factory=dict)
    custom_field_types: Mapping[str, str] = field(default_factory=dict)
    tenant: Tenant | None = None
    lookups_missing: bool = False
    registrations: EventRegistry | None = None

    @classmethod
    def for_body(
        cls,
        body: Any,
        kind: Kind,
        *,
        identifier: str | None = None,
        profile: str = "current",
        custom_field_types: Mapping[str, str] | None = None,
        tenant: Tenant | None = None,
        registrations: EventRegistry | None = None,
    ) -> Context:
        """The context a request body is checked in: its own ``lookups`` object, when it has one."""
        found = body.get("lookups") if isinstance(body, dict) else None
        return cls(
            kind=kind,
            identifier=identifier,
            profile=profile,
            lookups=found if isinstance(found, dict) else {},
            custom_field_types=custom_field_types or {},
            tenant=tenant,
            registrations=registrations,
        )


RuleFunc = Callable[[Any, Context], Iterable[Violation]]
F = TypeVar("F", bound=RuleFunc)


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: identity, documentation and the function that checks."""

    id: str
    name: str
    kinds: frozenset[Kind]
    severity: Severity
    scope: Scope
    code: str | None
    doc: str
    func: RuleFunc | None = field(default=None, repr=False, compare=False)
    tenant_question: str | None = None
    """The tenant question the rule asks (one of ``tenants.questions.QUESTIONS``); ``None`` if it asks none."""
    aliases: tuple[str, ...] = ()
    guard: Shape | ShapeOf | Unguarded | None = field(default=None, repr=False, compare=False)
    """What the engine's fast path may skip: the shape of a record the rule has nothing to say about
    (:mod:`gscontract.rules.shapes`), or :class:`Unguarded`. Every registered record rule declares one."""

    @property
    def guarded(self) -> bool:
        """Whether the fast path may skip this rule on a record that fits its shape."""
        return self.guard is not None and not isinstance(self.guard, Unguarded)

    fold: FoldOf | None = field(default=None, repr=False, compare=False)
    """For a document rule that judges records against each other: its :class:`~gscontract.rules.folds.Fold`
    factory, which the streaming validator feeds records as they are read (the function gives the same
    violations for a whole body)."""
    documented_limit: bool = False
    """Breaking the rule breaks a limit Gainsight's documents state plainly (a field's length, a mandatory
    key, the query's row limit), not only gscontract's reading of them. A live tenant that accepts a request
    breaking such a rule fails the contract; one that accepts any other schema-invalid request is a warning."""

    @property
    def needs_tenant(self) -> bool:
        """Whether the rule needs tenant state (the mock checks it; the validator only where it can)."""
        return self.tenant_question is not None

    @property
    def summary(self) -> str:
        """The first line of the rule's doc: what it reports."""
        return summary_of(self.doc)

    def check(self, target: Any, ctx: Context) -> Iterator[Violation]:
        """Run the rule's function (source rules have none and yield nothing here)."""
        if self.func is not None:
            yield from self.func(target, ctx)


_REGISTRY: Registry[Rule] = Registry(
    noun="rule",
    families=("GS", "TL", "EV", "EF"),
    example="TL201",
    hint="; `gscontract rules` lists them",
    # tests/rules/test_rule_docs.py holds every shipped rule to its doc; rules made in tests need none.
    require_doc=False,
)
RULES: dict[str, Rule] = _REGISTRY.entries


def rule(
    id: str,
    *,
    name: str,
    kinds: Iterable[Kind],
    code: str | None = None,
    severity: Severity = Severity.ERROR,
    scope: Scope = Scope.RECORD,
    tenant_question: str | None = None,
    aliases: Iterable[str] = (),
    doc: str | None = None,
    guard: Shape | ShapeOf | Unguarded | None = None,
    documented_limit: bool = False,
    fold: FoldOf | None = None,
) -> Callable[[F], F]:
    """Register the decorated function as a rule; its docstring is the rule's documentation.

    A record rule must say what the engine's fast path may skip: ``guard`` is the shape of a record it has
    nothing to say about (a :class:`Shape`, or a :data:`ShapeOf` function of the record's keys and the
    context), or ``Unguarded(reason)``.

    Raises:
        RegistryError: the id, name or an alias is malformed or taken, or ``guard`` is missing or misplaced.
    """

    def register(func: F) -> F:
        add(
            Rule(
                id=id,
                name=name,
                kinds=frozenset(kinds),
                severity=severity,
                scope=scope,
                code=code,
                doc=doc if doc is not None else (func.__doc__ or ""),
                func=func,
                tenant_question=tenant_question,
                aliases=tuple(aliases),
                guard=guard,
                documented_limit=documented_limit,
                fold=fold,
            )
        )
        return func

    return register


def add(new: Rule) -> Rule:
    """Insert a rule into the registry (the decorator's work; source rules call it directly).

    Raises:
        RegistryError: the id, name or an alias is malformed or taken, the tenant question is unknown, or the
            rule's ``guard`` is missing (a record rule), misplaced (another scope) or covers a tenant question.
    """
    if new.tenant_question is not None and new.tenant_question not in QUESTIONS:
        raise RegistryError(f"rule {new.id} asks the tenant {new.tenant_question!r}, not one of {sorted(QUESTIONS)}")
    _check_guard(new)
    return _REGISTRY.add(new, aliases=new.aliases)


def _check_guard(new: Rule) -> None:
    """A record rule declares its guard, so no new rule is skipped (or left slow) unnoticed."""
    if new.scope is Scope.RECORD and new.guard is None:
        raise RegistryError(
            f"record rule {new.id} must declare guard=: the shape of a record it has nothing to say about "
            "(gscontract.rules.shapes.Shape), or Unguarded(reason)"
        )
    if new.fold is not None and new.scope is not Scope.DOCUMENT:
        raise RegistryError(f"rule {new.id} is a {new.scope} rule: only document rules fold over records")
    if new.scope is not Scope.RECORD and new.guard is not None:
        raise RegistryError(f"rule {new.id} is a {new.scope} rule: only record rules have a guard")
    if new.needs_tenant and new.guarded:
        raise RegistryError(f"rule {new.id} asks the tenant about every record: declare it Unguarded")


def get(id_or_name: str) -> Rule:
    """Find a rule by id, old id (alias) or name, case-insensitively.

    Raises:
        RegistryError: no such rule.
    """
    return _REGISTRY.get(id_or_name)


def select_rules(
    kind: Kind,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Rule]:
    """The rules that apply to ``kind``, narrowed by ``select`` and ``ignore``.

    Both take rule ids, names or prefixes (``TL2`` selects the TL2xx family), like ruff's options.

    Raises:
        RegistryError: an entry matches no rule.
    """
    return [r for r in _REGISTRY.select(select=select, ignore=ignore) if kind in r.kinds]


# Rule families register themselves on import (yamllint's explicit list, no entry points).
from . import (  # noqa: E402, F401 - imported for registration
    context,
    dates,
    delete,
    envelope,
    events,
    fields,
    framework,
    identity,
    jsonl,
    lookups,
    query,
    update,
)
