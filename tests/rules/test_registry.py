"""The rule registry as a whole: ids, names, codes and a fixture for every rule."""

from __future__ import annotations

import re
from pathlib import Path

from gscontract.findings import Severity
from gscontract.rules import RULES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
FAMILIES = {"GS1", "TL1", "TL2", "TL3", "TL4", "TL5", "TL6", "EV1", "EF1"}


def test_ids_are_family_prefixes_and_unique() -> None:
    assert all(rule_id == r.id for rule_id, r in RULES.items())
    assert {r.id[:3] for r in RULES.values()} <= FAMILIES
    assert len({r.name for r in RULES.values()}) == len(RULES)


def test_names_are_kebab_case_and_name_a_problem() -> None:
    for r in RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", r.name), r.name


def test_codes_are_vendor_codes_and_warnings_have_none() -> None:
    for r in RULES.values():
        if r.code is not None:
            assert re.fullmatch(r"GS_TL_10_\d{4}|GSOBJ_\d{4}", r.code), (r.id, r.code)
        if r.severity is Severity.WARNING:
            assert r.code is None, f"{r.id}: a warning carries no code (docs/decisions.md#one-rule-table)"


def test_every_rule_has_a_fixture_with_a_failing_and_a_passing_case() -> None:
    import yaml

    for r in RULES.values():
        path = FIXTURES / f"{r.id}.yml"
        assert path.is_file(), f"{r.id} has no {path.name}"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any(k.startswith("fail") for c in cases for k in c), f"{r.id}: no failing case"
        assert any(k.startswith("pass") for c in cases for k in c), f"{r.id}: no passing case"


def test_decisions_table_codes() -> None:
    """The vendor code per situation is fixed by docs/decisions.md#one-rule-table."""
    expected = {
        "TL101": "GS_TL_10_0202",
        "TL102": "GS_TL_10_0110",
        "TL103": "GS_TL_10_0108",
        "TL104": "GS_TL_10_0107",
        "TL105": "GSOBJ_1011",
        "TL201": "GS_TL_10_0211",
        "TL202": "GSOBJ_1002",
        "TL204": "GS_TL_10_0214",
        "TL205": "GS_TL_10_0215",
        "TL206": "GSOBJ_1007",
        "TL301": "GS_TL_10_0203",
        "TL302": "GSOBJ_1007",
        "TL303": "GSOBJ_1001",
        "TL304": "GSOBJ_1001",
        "TL305": "GSOBJ_1002",
        "TL401": "GS_TL_10_0222",
        "TL402": "GS_TL_10_0222",
        "TL403": "GS_TL_10_0223",
        "TL502": "GSOBJ_1002",
        "TL503": "GSOBJ_1002",
        "TL505": "GSOBJ_1011",
        "TL601": "GSOBJ_1002",
        "EV101": "GSOBJ_1007",
        "EV102": "GSOBJ_1002",
    }
    assert {rule_id: RULES[rule_id].code for rule_id in expected} == expected
    assert {r.id for r in RULES.values() if r.needs_tenant} == {"TL104", "TL105", "TL505"}
