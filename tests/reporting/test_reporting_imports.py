"""Reporting renders, and only renders: it imports no registry of rules or checks, statically or at run time."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import gscontract.reporting

REPORTING = Path(gscontract.reporting.__file__).parent
SAMPLE_DIR = Path(__file__).parent

# Parts of gscontract that hold registries (and what they bring: schemathesis, hypothesis).
FORBIDDEN_PARTS = ("gscontract.rules", "gscontract.contract", "gscontract.speclint")
FORBIDDEN_AT_RUN_TIME = (*FORBIDDEN_PARTS, "schemathesis", "hypothesis")


def _imported(source: str, package: str = "gscontract.reporting") -> set[str]:
    """Absolute names of the modules some source imports, relative imports resolved against ``package``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            # ``from .. import rules`` imports a module by its attribute name.
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            names.add("<importlib.import_module>")
    return names


def _forbidden(name: str) -> bool:
    return name == "<importlib.import_module>" or any(
        name == part or name.startswith(f"{part}.") for part in FORBIDDEN_PARTS
    )


def test_the_scanner_sees_relative_and_dynamic_imports() -> None:
    source = "from ..rules import RULES\nfrom .. import contract\nimport importlib\nimportlib.import_module('x')\n"
    found = {name for name in _imported(source) if _forbidden(name)}
    assert found == {"gscontract.rules", "gscontract.rules.RULES", "gscontract.contract", "<importlib.import_module>"}


def test_no_reporting_module_imports_a_registry() -> None:
    paths = sorted(REPORTING.rglob("*.py"))
    # Relative imports are resolved against gscontract.reporting; a subpackage would need its own base.
    assert all(path.parent == REPORTING for path in paths)
    offenders = {
        f"{path.name}: {name}"
        for path in paths
        for name in _imported(path.read_text(encoding="utf-8"))
        if _forbidden(name)
    }
    assert offenders == set()


def test_rendering_every_format_loads_no_registry_and_no_test_library() -> None:
    code = f"""
import io, json, sys
sys.path.insert(0, {str(SAMPLE_DIR)!r})
from gscontract.reporting import REPORTERS
from reporting_sample import sample
report = sample()
sizes = {{}}
for name, fmt in REPORTERS.items():
    out = io.StringIO()
    fmt.render(report, out)
    sizes[name] = len(out.getvalue())
print(json.dumps({{"sizes": sizes, "modules": sorted(sys.modules)}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert set(result["sizes"]) == {"html", "md", "junit", "sarif", "json", "text", "github"}
    assert all(size > 0 for size in result["sizes"].values())
    loaded = [m for m in result["modules"] if any(m == f or m.startswith(f"{f}.") for f in FORBIDDEN_AT_RUN_TIME)]
    assert loaded == []
