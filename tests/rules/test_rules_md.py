"""docs/rules.md's rule table is generated from the registry (``gscontract rules --write-docs docs/rules.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gscontract.cli import cli
from gscontract.cli.rules import DOC_END, DOC_START, rules_doc
from gscontract.errors import UsageError
from gscontract.rules import RULES

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"


def test_docs_rules_md_lists_every_rule_as_registered() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == rules_doc(text), "docs/rules.md is stale: run gscontract rules --write-docs docs/rules.md"


def test_write_docs_rewrites_only_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "rules.md"
    doc.write_text(f"# Rules\n\nbefore\n{DOC_START}\n| old |\n{DOC_END}\nafter\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "--write-docs", str(doc)])
    assert result.exit_code == 0, result.output
    written = doc.read_text(encoding="utf-8")
    assert written.startswith("# Rules\n\nbefore\n")
    assert written.endswith(f"{DOC_END}\nafter\n")
    assert "| old |" not in written
    assert all(f"| {rule_id} |" in written for rule_id in RULES)


def test_a_document_without_markers_is_refused() -> None:
    with pytest.raises(UsageError, match="markers"):
        rules_doc("# no table here\n")
