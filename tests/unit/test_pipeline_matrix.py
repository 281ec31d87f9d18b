"""The pipeline gathers the compliance matrix's documentation from the registries and hands it to reporting."""

from __future__ import annotations

from gscontract.contract import CHECKS as CONTRACT_CHECKS
from gscontract.findings import SectionName
from gscontract.pipeline import RunOptions, documented_codes, documented_rules, run_all
from gscontract.registry import plain_text
from gscontract.reporting.matrix import RuleInfo
from gscontract.rules import RULES
from gscontract.speclint import CHECKS as SPEC_CHECKS


def test_documented_rules_lists_every_registry_in_its_section() -> None:
    found = {info.id: info for info in documented_rules()}
    assert len(found) == len(SPEC_CHECKS) + len(RULES) + len(CONTRACT_CHECKS)
    for check in SPEC_CHECKS.values():
        assert found[check.id] == RuleInfo(check.id, plain_text(check.summary), SectionName.SPECS)
    for rule in RULES.values():
        assert found[rule.id] == RuleInfo(rule.id, plain_text(rule.summary), SectionName.PAYLOADS, rule.code)
    for check in CONTRACT_CHECKS.values():
        assert found[check.id] == RuleInfo(check.id, plain_text(check.summary), SectionName.CONTRACT)


def test_a_run_without_the_contract_still_lists_every_documented_rule_and_code() -> None:
    report = run_all(RunOptions(contract=None)).report
    rows = {row.rule: row for row in report.matrix if row.rule}
    assert set(rows) == {info.id for info in documented_rules()}
    assert {rows[check].status for check in CONTRACT_CHECKS} == {"not-run"}
    code_rows = {row.code for row in report.matrix if not row.rule}
    carried = {rule.code for rule in RULES.values() if rule.code}
    assert code_rows == {info.code for info in documented_codes()} - carried
