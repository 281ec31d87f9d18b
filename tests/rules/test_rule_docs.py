"""Every rule's documentation has its sections, and its bad and good examples do what they say."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from rulekit import DemoTenant, expand, run_rules

from gscontract import validate_text
from gscontract.findings import Severity
from gscontract.rules import RULES, Rule, Scope

_FENCE = re.compile(r"```(\w+)([^\n]*)\n(.*?)```", re.DOTALL)
ALL = sorted(RULES.values(), key=lambda r: r.id)


def examples(r: Rule) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    doc = inspect.cleandoc(r.doc)
    bad_part, _, good_part = doc.partition("Use instead:")
    bad, good = _FENCE.search(bad_part.partition("## Example")[2]), _FENCE.search(good_part)
    assert bad is not None, f"{r.id}: no example block after '## Example'"
    assert good is not None, f"{r.id}: no example block after 'Use instead:'"
    return (bad[1], bad[2].strip(), expand(bad[3])), (good[1], good[2].strip(), expand(good[3]))


@pytest.mark.parametrize("r", ALL, ids=lambda r: r.id)
def test_doc_has_the_sections_in_order(r: Rule) -> None:
    doc = inspect.cleandoc(r.doc)
    summary = doc.splitlines()[0]
    assert summary.endswith("."), f"{r.id}: the summary line is a sentence"
    positions = [doc.find(part) for part in ("## Why is this bad?", "## Example", "Use instead:")]
    assert -1 not in positions, f"{r.id}: missing a section"
    assert positions == sorted(positions), f"{r.id}: sections out of order"
    assert r.summary == summary


@pytest.mark.parametrize("r", [r for r in ALL if not r.id.startswith("GS")], ids=lambda r: r.id)
def test_doc_cites_a_seed_document(r: Rule) -> None:
    """Each payload rule traces to the Timeline document, the Events spec or Gainsight's Events API page."""
    why = inspect.cleandoc(r.doc).partition("## Why is this bad?")[2].partition("## Example")[0]
    sources = ("Timeline document", "Events spec", "Events API page")
    assert any(s in why for s in sources), f"{r.id}: cite the document the rule comes from"


@pytest.mark.parametrize("r", [r for r in ALL if r.scope is not Scope.SOURCE], ids=lambda r: r.id)
def test_bad_example_produces_the_rule_and_good_one_is_clean(r: Rule) -> None:
    (bad_lang, bad_kind, bad_text), (good_lang, good_kind, good_text) = examples(r)
    assert bad_lang == good_lang == "json"
    tenant = DemoTenant() if r.needs_tenant else None
    bad = run_rules(json.loads(bad_text), bad_kind or None, tenant=tenant)
    assert r.id in {f.rule for f in bad}, f"{r.id}: the bad example does not produce it: {bad}"
    good = run_rules(json.loads(good_text), good_kind or None, tenant=tenant)
    errors = [f for f in good if f.severity is Severity.ERROR or f.rule == r.id]
    assert errors == [], f"{r.id}: the good example is not clean"


@pytest.mark.parametrize("r", [r for r in ALL if r.scope is Scope.SOURCE], ids=lambda r: r.id)
def test_source_rule_examples_go_through_the_loader(r: Rule) -> None:
    (bad_lang, bad_kind, bad_text), (_, good_kind, good_text) = examples(r)
    if bad_lang != "json":
        pytest.skip(f"{r.id}'s example is not text (it is tested in tests/validate)")
    bad = validate_text(bad_text, kind=bad_kind or "auto")
    assert r.id in {f.rule for f in bad.findings()}
    good = validate_text(good_text, kind=good_kind or "auto")
    assert r.id not in {f.rule for f in good.findings()}
