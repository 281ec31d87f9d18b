"""Each rule's edge cases, from ``tests/fixtures/rules/<ID>.yml`` (sqlfluff's YAML test cases).

A fixture file holds ``rule: <ID>`` and ``cases``; each case is one of

* ``fail: <document>`` with ``pointers: [...]``: the rule reports exactly these pointers;
* ``pass: <document>``: the rule reports nothing;
* ``fail_text`` / ``fail_bytes`` (``!!binary``) with ``position: [line, column]``, and ``pass_text``:
  a file the loader reads (the GS1xx rules).

Optional keys: ``kind`` (``kind[:identifier]``; default: told from the content, or from ``path`` for
text), ``profile``, ``custom_field_types``, ``name``. Rules that need a tenant run against the demo
tenant. Documents may use YAML anchors and merge keys; a value ``$drop`` removes its key, so a case
can start from a shared record and take a field away. ``{{N characters}}`` stands for N characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rulekit import DemoTenant, expand, run_rules

from gscontract import validate_file, validate_text
from gscontract.rules import RULES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
DROP = "$drop"


def _clean(value: Any) -> Any:
    """Apply ``$drop`` and expand placeholders, through a JSON round trip that also unshares anchors."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v != DROP and not str(k).startswith("_")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return expand(value)
    return value


def _cases() -> list[Any]:
    params = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == path.stem, f"{path.name} names rule {data['rule']}"
        for number, case in enumerate(data["cases"]):
            label = case.get("name", str(number)).replace(" ", "-")
            params.append(pytest.param(path.stem, case, id=f"{path.stem}-{number}-{label}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    rule = RULES[rule_id]
    if "fail_text" in case or "fail_bytes" in case or "pass_text" in case:
        _text_case(rule_id, case, tmp_path)
        return
    outcome = "fail" if "fail" in case else "pass"
    document = json.loads(json.dumps(_clean(case[outcome])))
    findings = run_rules(
        document,
        case.get("kind"),
        tenant=DemoTenant() if rule.needs_tenant else None,
        profile=case.get("profile", "current"),
        custom_field_types=case.get("custom_field_types"),
    )
    pointers = sorted(f.pointer for f in findings if f.rule == rule_id)
    expected = sorted(case.get("pointers", [])) if outcome == "fail" else []
    assert expected or outcome == "pass", "a fail case lists the pointers it expects"
    assert pointers == expected, [f for f in findings if f.rule == rule_id]


def _text_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    kind = case.get("kind", "auto")
    path = case.get("path", "<document>")
    fmt = "jsonl" if path.endswith((".jsonl", ".ndjson")) else "json"
    if "pass_text" in case:
        report = validate_text(expand(case["pass_text"]), kind=kind, path=path, fmt=fmt)
        assert rule_id not in {f.rule for f in report.findings()}
        return
    if "fail_bytes" in case:
        file = tmp_path / case.get("path", "payload.json")
        file.write_bytes(case["fail_bytes"])
        report = validate_file(file, kind=kind)
    else:
        report = validate_text(expand(case["fail_text"]), kind=kind, path=path, fmt=fmt)
    found = [f for f in report.findings() if f.rule == rule_id]
    assert found, list(report.findings())
    assert [found[0].line, found[0].column] == case["position"]
