"""The guards of rules/fastpath.py never hide a finding: guarded and unguarded runs agree."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rulekit import expand, make_context
from test_rule_cases import _clean

from gscontract.findings import Finding
from gscontract.lint import check, record_items
from gscontract.payload.kinds import Kind
from gscontract.pointer import to_pointer
from gscontract.rules import RULES, Context, Scope, select_rules
from gscontract.rules.fastpath import GUARDS

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"


def _documents() -> list[Any]:
    docs = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            for key in ("fail", "pass"):
                if key in case:
                    docs.append(pytest.param(_clean(case[key]), case.get("kind"), case, id=f"{path.stem}-{key}"))
    for r in RULES.values():
        if r.scope is Scope.SOURCE:
            continue  # examples of unreadable files
        for block in inspect.cleandoc(r.doc).split("```json")[1:]:
            info, _, body = block.partition("\n")
            body = expand(body.partition("```")[0])
            docs.append(pytest.param(json.loads(body), info.strip() or None, {}, id=f"{r.id}-doc"))
    return docs


def _unguarded(document: Any, ctx: Context) -> list[tuple[str, str]]:
    """Every record rule run on every record, as the engine would without guards."""
    found = []
    base, records = record_items(document, ctx.kind)
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        prefix = base if ctx.kind is Kind.EVENT else (*base, index)
        for r in select_rules(ctx.kind):
            if r.scope is Scope.RECORD and not r.needs_tenant and r.func is not None:
                found.extend((r.id, to_pointer((*prefix, *v.path))) for v in r.func(record, ctx))
    return sorted(found)


def _guarded(findings: list[Finding]) -> list[tuple[str, str]]:
    return sorted(
        (f.rule, f.pointer or "")
        for f in findings
        if RULES[f.rule].scope is Scope.RECORD and not RULES[f.rule].needs_tenant
    )


@pytest.mark.parametrize(("document", "kind", "case"), _documents())
@pytest.mark.parametrize("profile", ["current", "legacy"])
def test_guarded_and_unguarded_runs_agree(document: Any, kind: str | None, case: dict[str, Any], profile: str) -> None:
    ctx = make_context(document, kind, profile=profile, custom_field_types=case.get("custom_field_types"))
    assert _guarded(list(check(document, select_rules(ctx.kind), ctx))) == _unguarded(document, ctx)


def test_clean_records_pass_their_guard() -> None:
    record = {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": "crm-0001",
        "Subject": "Kick-off",
        "Notes": "Agenda",
        "Author": "testuser@gainsight.com",
        "companyName": "Tech systems ABC Ltd",
        "ActivityDate": "2022-07-01T06:36:00.000-07:00",
        "Ant__CustomDateField__c": "2022-06-08",
        "internalAttendees": ["hysty@gainsight.com"],
    }
    lookups = {"GsCompanyId": {"fields": {"companyName": "Name"}, "objectName": "Company"}}
    ctx = Context(kind=Kind.TIMELINE_INSERT, lookups=lookups)
    assert GUARDS[Kind.TIMELINE_INSERT].prepare(ctx)(record)
    event = {
        "eventType": "e",
        "objectType": "Company",
        "operation": "INSERT",
        "payload": {},
        "timestamp": "2022-07-01T06:36:00Z",
    }
    assert GUARDS[Kind.EVENT].prepare(Context(kind=Kind.EVENT))(event)


def test_guards_cover_no_tenant_rule() -> None:
    for guard in GUARDS.values():
        assert all(not RULES[rule_id].needs_tenant and RULES[rule_id].scope is Scope.RECORD for rule_id in guard.covers)
