"""The spec-check registry: ids, names, documentation, lookups."""

from __future__ import annotations

import re

import pytest

from gscontract.errors import RegistryError
from gscontract.findings import Severity
from gscontract.speclint import CHECKS, SpecCheck, get_check
from gscontract.speclint.catalog import add_check


def test_ids_run_from_sp101_to_sp110() -> None:
    assert sorted(CHECKS) == [f"SP{n}" for n in range(101, 111)]


@pytest.mark.parametrize("check", list(CHECKS.values()), ids=list(CHECKS))
def test_every_check_is_documented_like_a_rule(check: SpecCheck) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", check.name)
    assert check.summary
    assert not check.summary.startswith("#")
    doc = check.doc
    assert "## Why is this bad?" in doc
    assert "## Example" in doc
    assert "Use instead" in doc
    assert doc.index("## Why is this bad?") < doc.index("## Example") < doc.index("Use instead")


def test_only_the_unreadable_check_has_no_function() -> None:
    assert [c.id for c in CHECKS.values() if c.func is None] == ["SP101"]


def test_lookup_by_id_or_name() -> None:
    assert get_check("sp109") is CHECKS["SP109"]
    assert get_check("Invalid-Example") is CHECKS["SP109"]
    with pytest.raises(RegistryError, match="unknown spec check 'SP999'"):
        get_check("SP999")


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (SpecCheck("SP101", "another-name", Severity.ERROR, "Doc."), "registered twice"),
        (SpecCheck("SP199", "invalid-example", Severity.ERROR, "Doc."), "is taken"),
        (SpecCheck("XX101", "some-name", Severity.ERROR, "Doc."), "must look like SP101"),
        (SpecCheck("SP198", "Not_Kebab", Severity.ERROR, "Doc."), "kebab-case"),
        (SpecCheck("SP197", "no-doc", Severity.ERROR, ""), "no documentation"),
    ],
)
def test_bad_registrations_fail_loudly(check: SpecCheck, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        add_check(check)
    assert check.id not in CHECKS or CHECKS[check.id].name != check.name
