"""Gainsight's facts live once, in ``gscontract/gainsight/``, and everything else agrees with them.

The scan reads the package's source with ``ast`` and fails when a fact appears as a literal elsewhere:
the 5,000-row query limit, the 80 MiB body size, a query operator's name, or a documented error code
(codes may also be written in ``gscontract/rules/``, where each rule names its own). Docstrings and
other bare strings are prose, not code, and are skipped. The other tests hold the specs, the mock's
routes and the rule registry to the same facts.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import gscontract
from gscontract.gainsight.codes import CODES, codes_for
from gscontract.gainsight.limits import MAX_BODY_BYTES, QUERY_ROW_LIMIT
from gscontract.gainsight.operations import OPERATIONS, SAVE, by_name, for_request, may_write, rate_group
from gscontract.gainsight.operators import OPERATORS
from gscontract.gainsight.rate_limits import GROUPS, documented_limits
from gscontract.mock.routes import OPERATIONS as MOCK_ROUTES
from gscontract.payload.kinds import Kind
from gscontract.rules import RULES
from gscontract.specfiles import load_spec

PACKAGE = Path(gscontract.__file__).resolve().parent
FACTS = PACKAGE / "gainsight"
RULES_DIR = PACKAGE / "rules"

_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Mult: operator.mul,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.Add: operator.add,
}


def _prose(tree: ast.AST) -> set[int]:
    """Ids of the string constants that are statements on their own: docstrings and attribute docs."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _value(node: ast.AST) -> Any:
    """A number an expression of number literals comes to (``80 * 1024 * 1024``); ``None`` otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _value(node.left), _value(node.right)
        if left is not None and right is not None:
            return _ARITHMETIC[type(node.op)](left, right)
    return None


def literal_facts(source: str) -> Iterator[tuple[int, str]]:
    """``(line, what)`` for every Gainsight fact written as a literal in ``source``, docstrings excepted."""
    tree = ast.parse(source)
    prose = _prose(tree)
    for node in ast.walk(tree):
        number = _value(node)
        if number == QUERY_ROW_LIMIT:
            yield node.lineno, f"the query row limit {number}"  # type: ignore[attr-defined]
        elif number == MAX_BODY_BYTES:
            yield node.lineno, "the 80 MiB body size"  # type: ignore[attr-defined]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            if node.value in OPERATORS:
                yield node.lineno, f"the query operator {node.value!r}"
            for code in CODES:
                if code in node.value:
                    yield node.lineno, f"the error code {code}"


def code_facts(source: str) -> Iterator[tuple[int, str]]:
    """The facts of :func:`literal_facts` that are error codes (rules may write those)."""
    return ((line, what) for line, what in literal_facts(source) if what.startswith("the error code"))


def _offences() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(FACTS):
            continue
        source = path.read_text(encoding="utf-8")
        facts = literal_facts(source)
        if path.is_relative_to(RULES_DIR):
            codes = set(code_facts(source))
            facts = (f for f in facts if f not in codes)
        found.extend(f"{path.relative_to(PACKAGE.parent)}:{line}: {what}" for line, what in facts)
    return found


def test_no_fact_is_written_outside_gainsight() -> None:
    assert _offences() == []


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("LIMIT = 5000\n", "the query row limit 5000"),
        ('body = {"limit": 5_000}\n', "the query row limit 5000"),
        ("SIZE = 80 * 1024 * 1024\n", "the 80 MiB body size"),
        ("SIZE = 80 << 20\n", "the 80 MiB body size"),
        ('ops = {"EQ": 1, "BTW": 2}\n', "the query operator 'EQ'"),
        ('code = "GSOBJ_1011"\n', "the error code GSOBJ_1011"),
        ('message = f"expected GS_APIG_2401, not {code}"\n', "the error code GS_APIG_2401"),
    ],
)
def test_the_scan_finds_a_planted_fact(source: str, what: str) -> None:
    assert what in {found for _, found in literal_facts(source)}


def test_the_scan_skips_docstrings_and_other_numbers() -> None:
    source = (
        '"""Reads at most 5,000 rows; answers GS_TL_10_0202."""\n\n\ndef f():\n    """EQ or IN."""\n    return 500\n'
    )
    assert list(literal_facts(source)) == []


def _spec_operations(api: str) -> set[tuple[str, str, str]]:
    spec = load_spec(api)
    base = urlsplit(spec["servers"][0]["url"].replace("{", "").replace("}", "")).path.rstrip("/")
    return {
        (method.upper(), base + path, operation["operationId"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    }


@pytest.mark.parametrize("api", ["timeline", "events"])
def test_each_spec_declares_exactly_the_documented_operations(api: str) -> None:
    documented = {(op.method, op.path, op.operation_id) for op in OPERATIONS if op.api == api}
    assert _spec_operations(api) == documented


def test_the_mock_serves_every_documented_operation_in_its_group() -> None:
    served = {(route.method, route.path): route.group for route in MOCK_ROUTES if route.auth}
    assert served == {(op.method, op.path): op.group for op in OPERATIONS}


def test_every_group_has_a_documented_limit_in_each_profile() -> None:
    assert {op.group for op in OPERATIONS} <= set(GROUPS)
    assert set(documented_limits("current")) == set(documented_limits("legacy")) == set(GROUPS)
    assert (str(documented_limits("current")["bulk"]), str(documented_limits("legacy")["bulk"])) == (
        "12/hour",
        "4/hour",
    )


@pytest.mark.parametrize(
    ("method", "path", "name", "group", "writes"),
    [
        ("GET", "/v1/ant/es/job/status/abc", "GET /v1/ant/es/job/status/{jobId}", "query", False),
        ("put", "v1/ant/es/job/abort/abc/", "PUT /v1/ant/es/job/abort/{jobId}", "single", True),
        ("POST", "/v1/ant/es/activity/deleted", "POST /v1/ant/es/activity/deleted", "query", False),
        ("HEAD", "/v1/events/types", "GET /v1/events/types", "events", False),
        ("POST", "/v1/unknown", None, None, True),
        ("GET", "/v1/ant/es/job/status/a/b", None, None, False),
    ],
)
def test_requests_map_to_their_documented_operation(
    method: str, path: str, name: str | None, group: str | None, writes: bool
) -> None:
    found = for_request(method, path)
    assert (found.name if found else None, rate_group(path), may_write(method, path)) == (name, group, writes)


def test_every_payload_kind_names_a_kind() -> None:
    kinds = {op.kind for op in OPERATIONS if op.kind is not None}
    assert kinds == {kind.value for kind in Kind}


def test_name_constants_name_the_records() -> None:
    saved = by_name(SAVE)
    assert saved is not None
    assert (saved.method, saved.path, saved.api, saved.group) == ("POST", "/v1/ant/es/activity", "timeline", "single")
    assert by_name("POST /v1/nowhere") is None


def test_the_timeline_spec_tables_every_documented_code() -> None:
    error_code = load_spec("timeline")["components"]["schemas"]["ErrorCode"]
    rows = {
        cells[1].strip(): cells[2].strip()
        for line in error_code["description"].splitlines()
        if len(cells := line.split("|")) == 4 and cells[1].strip() in CODES
    }
    assert rows == dict(CODES)
    assert set(error_code["enum"]) == set(CODES)


def test_every_rule_code_is_documented() -> None:
    assert {r.code for r in RULES.values() if r.code is not None} <= set(CODES)


def test_codes_per_api() -> None:
    assert codes_for() == set(CODES)
    events = codes_for(["events"])
    assert {"GSOBJ_1007", "GSOBJ_1002", "GS_APIG_2401"} <= events
    assert "GS_TL_10_0202" not in events
