"""Records generated from the Timeline spec's insert record schema pass every rule.

The spec (``specs/timeline.openapi.yaml``) and the rules are written from the same documents; this
property keeps them from drifting. Records are generated through schemathesis' public API, from a
one-operation document whose request body is ``ActivityInsertRecord`` with the spec's components.

A record is checked inside a body with the document's lookups (a record may name its company by
``companyName``, which only a ``GsCompanyId`` lookup resolves: a cross-field fact a schema cannot state),
and with every custom field's type declared, as a tenant declares them: untyped custom fields are judged
by their look (docs/decisions.md#one-rule-table), which a schema's "any string" cannot mirror.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings

from gscontract.findings import Severity
from gscontract.lint import check
from gscontract.payload.kinds import Kind
from gscontract.rules import Context, select_rules
from gscontract.specfiles import load_spec
from gscontract.strategies import DOCUMENT_LOOKUPS
from gscontract.tenants.reference import demo_tenant

pytestmark = pytest.mark.slow


def _record_operation(schema_name: str) -> Any:
    spec = load_spec("timeline")
    document = {
        "openapi": "3.1.0",
        "info": {"title": f"{schema_name} only", "version": "1"},
        "paths": {
            "/record": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": spec["components"]["schemas"]},
    }
    return schemathesis.openapi.from_dict(document)["/record"]["POST"]


def _declared_types(record: dict[str, Any]) -> dict[str, str]:
    types = dict(demo_tenant().custom_fields)
    for name, value in record.items():
        if name.startswith("Ant__") and name not in types:
            types[name] = (
                "boolean" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "string"
            )
    return types


def _on_calendar_days(record: dict[str, Any]) -> bool:
    """Whether every date-time-shaped custom value falls on a real calendar day.

    The spec's ``CustomDateTime`` is a pattern, since its colon-less offset (``-0700``) is not RFC 3339's
    ``date-time``, and a pattern cannot tell ``02-30`` from ``02-28``: TL402 can, so such values are left out.
    """
    for name, value in record.items():
        if name.startswith("Ant__") and isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\dT", value):
            try:
                date.fromisoformat(value[:10])
            except ValueError:
                return False
    return True


def _errors(document: dict[str, Any], kind: Kind, identifier: str | None, types: dict[str, str]) -> list[Any]:
    ctx = Context(kind=kind, identifier=identifier, lookups=document.get("lookups") or {}, custom_field_types=types)
    return [f for f in check(document, select_rules(kind), ctx) if f.severity is Severity.ERROR]


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(case=_record_operation("ActivityInsertRecord").as_strategy())
def test_insert_records_of_the_spec_have_no_errors(case: Any) -> None:
    record = case.body
    assume(_on_calendar_days(record))
    document = {"records": [record], "lookups": dict(DOCUMENT_LOOKUPS)}
    assert _errors(document, Kind.TIMELINE_INSERT, None, _declared_types(record)) == []


@settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
@given(case=_record_operation("ActivityUpdateRecord").as_strategy())
def test_update_records_of_the_spec_have_no_errors_for_the_identifier_they_carry(case: Any) -> None:
    record = case.body
    assume(_on_calendar_days(record))
    identifier = "activityid" if "Gsid" in record else "externalid"
    document = {"records": [record], "lookups": dict(DOCUMENT_LOOKUPS)}
    assert _errors(document, Kind.TIMELINE_UPDATE, identifier, _declared_types(record)) == []
