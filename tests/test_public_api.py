from __future__ import annotations

import json
import subprocess
import sys

import pytest

import gscontract


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in dir(gscontract) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(gscontract, name)).__name__ == "module"}
    assert set(gscontract.__all__) - {"__version__"} == public - modules
    assert len(gscontract.__all__) == len(set(gscontract.__all__))


def test_every_public_name_resolves_to_its_defining_module() -> None:
    from gscontract import findings, validator

    assert gscontract.Report is findings.Report
    assert gscontract.validate_paths is validator.validate_paths
    for name in gscontract.__all__:
        assert getattr(gscontract, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'gscontract' has no attribute 'no_such_name'"):
        gscontract.no_such_name  # noqa: B018 - the access is what is tested


def test_importing_the_package_loads_no_rule_validator_or_test_library() -> None:
    code = (
        "import sys, json\n"
        "import gscontract\n"
        "before = sorted(sys.modules)\n"
        "gscontract.Severity\n"
        "print(json.dumps({'before': before, 'after': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    heavy = ("gscontract.rules", "gscontract.validator", "gscontract.contract", "schemathesis", "hypothesis")
    for moment in ("before", "after"):
        assert [m for m in loaded[moment] if m.startswith(heavy)] == [], moment
    assert "gscontract.findings" not in loaded["before"]
    assert "gscontract.findings" in loaded["after"]
