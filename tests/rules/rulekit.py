"""Helpers for the rule tests: run rules over a document as the validator or the mock would.

A plain module (not a conftest) so test modules import it by a name no other folder uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from gscontract.findings import Finding
from gscontract.lint import check
from gscontract.payload.kinds import Kind, kind_from_content, parse_kind_spec
from gscontract.rules import Context, select_rules
from gscontract.tenants.questions import QUESTIONS
from gscontract.tenants.reference import demo_tenant

# The document's single-save success sample: this activity is saved in the demo tenant's history.
SAVED_EXTERNAL_ID = "16f0383a1e404d7ba52361bb7370d7de"
SAVED_GSID = "1I004SG7RDV06L1HFJODBJK5F3TG0R4KAWHY"


class DemoTenant:
    """The demo tenant's reference data, with the document's one saved activity."""

    answers = QUESTIONS

    def external_id_exists(self, external_id: str) -> bool | None:
        return external_id == SAVED_EXTERNAL_ID

    def activity_exists(self, *, identifier: str, value: str) -> bool | None:
        return value == (SAVED_EXTERNAL_ID if identifier == "externalid" else SAVED_GSID)

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        return demo_tenant().lookup(object_name, criteria)


def resolve_kind(document: Any, spec: str | None) -> tuple[Kind, str | None]:
    """``kind[:identifier]``, or the kind the content suggests (updates default to activityid)."""
    if spec:
        kind, identifier = parse_kind_spec(spec)
    else:
        choice = kind_from_content(document)
        assert choice is not None, f"cannot tell the kind of {document!r}"
        kind, identifier = choice.kind, choice.identifier
    if kind is Kind.TIMELINE_UPDATE and identifier is None:
        identifier = "activityid"
    return kind, identifier


def run_rules(
    document: Any,
    kind: str | None = None,
    *,
    tenant: Any = None,
    profile: str = "current",
    custom_field_types: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding of every rule of the document's kind (tenant rules only with a tenant)."""
    ctx = make_context(document, kind, tenant=tenant, profile=profile, custom_field_types=custom_field_types)
    return list(check(document, select_rules(ctx.kind), ctx))


def make_context(
    document: Any,
    kind: str | None = None,
    *,
    tenant: Any = None,
    profile: str = "current",
    custom_field_types: Mapping[str, str] | None = None,
) -> Context:
    """The context the validator (no tenant) or the mock (a tenant) would check ``document`` in.

    Events Framework events are checked against the demo tenant's registrations, as the mock checks them.
    """
    resolved, identifier = resolve_kind(document, kind)
    return Context.for_body(
        document,
        resolved,
        identifier=identifier,
        profile=profile,
        custom_field_types=custom_field_types,
        tenant=tenant,
        registrations=demo_tenant().framework,
    )


_PLACEHOLDER = re.compile(r"\{\{(\d+) (characters|tags|digits|levels)\}\}")
_FILLERS = {"characters": "x", "tags": "<br/>", "digits": "9"}


def _expansion(match: re.Match[str]) -> str:
    count = int(match[1])
    if match[2] == "levels":
        return "[" * count + "0" + "]" * count  # a JSON value nested that many arrays deep
    return _FILLERS[match[2]] * count


def expand(text: str) -> str:
    """Expand ``{{N characters}}``, ``{{N tags}}``, ``{{N digits}}`` and ``{{N levels}}``, which stand for long
    values in docs and fixtures (``{{N levels}}`` is a JSON value, not text)."""
    return _PLACEHOLDER.sub(_expansion, text)
