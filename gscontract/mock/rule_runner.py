"""Running the validator's rules inside the mock: contexts, error filtering, and 400s for bad bodies."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from .. import lint
from ..findings import Finding, Severity
from ..payload.kinds import Kind
from ..rules import Context, Rule, Scope, select_rules
from ..tenants.reference import TenantData
from .http import BodyError
from .schemas import schema_problem

__all__ = ["context", "describe", "errors", "reject_envelope", "reject_errors", "rules_for"]


@functools.cache
def rules_for(kind: Kind) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The rules of ``kind``, split into those that need no tenant state and those that do.

    The registry is filled at import and never changes afterwards, so the split is made once per kind.
    """
    rules = select_rules(kind)
    return tuple(r for r in rules if not r.needs_tenant), tuple(r for r in rules if r.needs_tenant)


def context(kind: Kind, identifier: str | None, document: Any, tenant: TenantData, profile: str) -> Context:
    """The rule context for one body, without tenant state (tenant rules get theirs in a transaction)."""
    return Context.for_body(
        document, kind, identifier=identifier, profile=profile, custom_field_types=tenant.custom_fields
    )


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that count: errors (warnings never fail anything)."""
    return [f for f in findings if f.severity is Severity.ERROR]


def describe(findings: Iterable[Finding]) -> str:
    """One line naming the problems and where they are, for an ``errorDesc``."""
    parts = [f"{f.message} (at {f.pointer})" if f.pointer else f.message for f in findings]
    return "; ".join(parts[:5]) + (f"; and {len(parts) - 5} more" if len(parts) > 5 else "")


def reject_envelope(document: Any, kind: Kind, *, identifier: str | None, tenant: TenantData, profile: str) -> None:
    """Reject a body whose envelope is invalid, running only the whole-document rules (fast on big bodies).

    Raises:
        BodyError: 400 naming the problems.
    """
    ctx = context(kind, identifier, document, tenant, profile)
    # Only rules without a vendor code judge an envelope; the others (GS112's walk over every record) would
    # cost a big body time here for findings this check drops.
    rules = [r for r in rules_for(kind)[0] if r.scope is Scope.DOCUMENT and r.code is None]
    problems = [f for f in errors(lint.check(document, rules, ctx)) if f.code is None]
    if problems:
        raise BodyError(400, describe(problems))


def reject_errors(document: Any, kind: Kind, *, schema: tuple[str, str], tenant: TenantData, profile: str) -> None:
    """Reject a whole-body request (delete, fetch-deleted, query) that a rule or its spec schema calls invalid.

    ``schema`` names the spec and its request schema, e.g. ``("timeline", "QueryRequest")``.

    Raises:
        BodyError: 400 naming the problems.
    """
    ctx = context(kind, None, document, tenant, profile)
    problems = errors(lint.check(document, rules_for(kind)[0], ctx))
    if problems:
        raise BodyError(400, describe(problems))
    mismatch = schema_problem(*schema, document)
    if mismatch is not None:
        raise BodyError(400, mismatch)
