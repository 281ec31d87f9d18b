"""The whole-body request schemas of the Timeline spec and the validator's rules for them agree.

gscontract's mock answers delete, fetch-deleted and query calls by running the validator's error rules and
then the spec's request schema (``DeleteRequest``, ``FetchDeletedRequest``, ``QueryRequest``). If a rule
refused a body the schema allows, the mock would refuse a request its own spec calls valid, and a contract
run fails it (CT307, positive data acceptance). These tests keep the two in step from both sides: bodies
generated from the schema have no error finding, every failing fixture of an error rule breaks the schema,
and the operators' value counts (TL632's table) match the schema's ``if``/``then`` for every count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings

from gscontract.findings import Severity
from gscontract.gainsight.operations import OPERATIONS as DOCUMENTED
from gscontract.gainsight.operators import ARITY, OPERATORS
from gscontract.lint import check
from gscontract.payload.kinds import Kind
from gscontract.rules import RULES, Context, select_rules
from gscontract.specfiles import load_spec, spec_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
BODIES = {
    Kind.TIMELINE_DELETE: "DeleteRequest",
    Kind.TIMELINE_DELETED_FILTER: "FetchDeletedRequest",
    Kind.TIMELINE_QUERY: "QueryRequest",
}
OPERATIONS = {Kind(op.kind): (op.path, op.method) for op in DOCUMENTED if op.kind in BODIES}


def _validator(schema_name: str) -> jsonschema_rs.Draft202012Validator:
    # The mock's own way of reading the spec: jsonschema-rs with formats asserted.
    base = "urn:test:timeline"
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"{base}#/components/schemas/{schema_name}"},
        registry=jsonschema_rs.Registry([(base, load_spec("timeline"))]),
        validate_formats=True,
    )


def _errors(document: Any, kind: Kind) -> list[tuple[str, str | None]]:
    findings = check(document, select_rules(kind), Context(kind=kind))
    return [(f.rule, f.pointer) for f in findings if f.severity is Severity.ERROR]


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(BODIES), ids=str)
def test_bodies_the_spec_allows_have_no_error_finding(kind: Kind) -> None:
    path, method = OPERATIONS[kind]
    operation = schemathesis.openapi.from_path(str(spec_path("timeline")))[path][method]
    body = operation.definition.raw["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": f"#/components/schemas/{BODIES[kind]}"}

    @settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None, database=None)
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        assert _errors(case.body, kind) == [], case.body

    run()


def _own_rules(kind: Kind) -> list[Any]:
    """The rules written for this body alone (TL61x-TL63x), not the parse and envelope rules of every kind."""
    return [rule for rule in select_rules(kind) if rule.kinds <= set(BODIES)]


def _failing_cases() -> list[Any]:
    params = []
    for kind in BODIES:
        for rule in _own_rules(kind):
            if rule.severity is not Severity.ERROR:
                continue
            path = FIXTURES / f"{rule.id}.yml"
            cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
            for number, case in enumerate(c for c in cases if "fail" in c):
                params.append(pytest.param(kind, rule.id, case["fail"], id=f"{rule.id}-{number}"))
    return params


@pytest.mark.parametrize(("kind", "rule_id", "document"), _failing_cases())
def test_what_an_error_rule_refuses_breaks_the_spec_schema(kind: Kind, rule_id: str, document: Any) -> None:
    assert rule_id in {rule for rule, _ in _errors(document, kind)}
    assert not _validator(BODIES[kind]).is_valid(document), f"{rule_id} refuses a body {BODIES[kind]} allows"


def test_the_spec_lists_the_rules_operators() -> None:
    condition = load_spec("timeline")["components"]["schemas"]["QueryCondition"]

    assert condition["properties"]["operator"]["enum"] == list(OPERATORS)


@pytest.mark.parametrize("operator", OPERATORS)
def test_each_operators_value_count_agrees_with_tl632(operator: str) -> None:
    validator = _validator("QueryRequest")
    fewest, most = ARITY[operator]
    for count in (None, 0, 1, 2, 3):
        condition: dict[str, Any] = {"name": "Subject", "alias": "A", "operator": operator}
        if count is not None:
            condition["value"] = ["x"] * count
        body = {"select": ["ExternalId"], "where": {"conditions": [condition]}}
        rule_ok = not any(rule == "TL632" for rule, _ in _errors(body, Kind.TIMELINE_QUERY))
        expected = (count or 0) >= fewest and (most is None or (count or 0) <= most)
        assert rule_ok == validator.is_valid(body) == expected, (operator, count)


def test_the_fixtures_cover_every_error_rule_of_these_bodies() -> None:
    # The fixture-based test above is only as good as the fixtures it reads.
    ids = {rule.id for kind in BODIES for rule in _own_rules(kind) if rule.severity is Severity.ERROR}
    covered = {rule_id for _, rule_id, _ in (p.values for p in _failing_cases())}
    assert ids == covered
    assert {"TL611", "TL621", "TL632", "TL634"} <= ids
    assert RULES["TL625"].severity is Severity.WARNING
