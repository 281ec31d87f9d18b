"""The package keeps the shape docs/architecture.md draws: its never-arrows hold, names say one thing.

The never-arrows are read from the document's table, so the page and the test cannot disagree. Imports
are read from the source (every ``import`` and ``from ... import``, inside functions too), except those
under ``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gscontract"
DOC = ROOT / "docs" / "architecture.md"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, without the leading "gscontract." ("contract.engine.runner"; "" for the package)
    path: Path
    imports: frozenset[str]  # dotted targets: "gscontract.rules.fields", "schemathesis.checks", ...


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _imports(path: Path, name: str) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = ("gscontract." + name if name else "gscontract").split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # "from . import client" imports a module, not a name
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return frozenset(found)


MODULES = [
    Module(_module_name(p), p, _imports(p, _module_name(p)))
    for p in sorted(PACKAGE.rglob("*.py"))
    if "_specs" not in p.parts
]


def _never_arrows() -> list[tuple[str, list[str], str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Arrows that must never exist", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in {"From", ""} or set(cells[0]) <= {"-"}:
            continue
        rows.append((cells[0], [n.strip() for n in cells[1].split(",")], cells[2]))
    return rows


NEVER = _never_arrows()


def _owned_by(module: str, owner: str) -> bool:
    return module == owner or module.startswith(owner + ".")


def _hits(target: str, forbidden: str) -> bool:
    """Whether an import target is the forbidden package or module (ours are named without the prefix)."""
    if target.startswith("gscontract."):
        return _owned_by(target.removeprefix("gscontract."), forbidden)
    if target == "gscontract":
        return False
    return _owned_by(target, forbidden)


def test_the_document_has_never_arrows() -> None:
    owners = {row[0] for row in NEVER}
    assert {"rules", "mock", "reporting", "gainsight"} <= owners


@pytest.mark.parametrize(("owner", "forbidden", "why"), NEVER, ids=[row[0] for row in NEVER])
def test_never_arrows_hold(owner: str, forbidden: list[str], why: str) -> None:
    owned = [m for m in MODULES if _owned_by(m.name, owner)]
    assert owned, f"docs/architecture.md names {owner!r}, which is no module of the package"
    broken = sorted(
        f"gscontract.{m.name} imports {target}"
        for m in owned
        for target in m.imports
        for name in forbidden
        if _hits(target, name) and not _owned_by(target.removeprefix("gscontract."), owner)
    )
    assert not broken, f"{why}:\n" + "\n".join(broken)


def test_only_the_contract_engine_imports_schemathesis() -> None:
    importers = sorted(m.name for m in MODULES if any(_hits(t, "schemathesis") for t in m.imports))
    assert importers, "nothing imports schemathesis: the scan is broken"
    assert all(_owned_by(name, "contract.engine") for name in importers), importers


def test_no_module_imports_a_private_module_of_another_package() -> None:
    leaks = []
    for m in MODULES:
        own_package = m.name if m.path.name == "__init__.py" else m.name.rpartition(".")[0]
        for target in m.imports:
            if not target.startswith("gscontract."):
                continue
            parts = target.removeprefix("gscontract.").split(".")
            for depth, part in enumerate(parts):
                if re.fullmatch(r"_[a-z]\w*", part):
                    # A private module or name belongs to the package that holds its module.
                    holder = parts[:depth]
                    if holder and not (PACKAGE.joinpath(*holder) / "__init__.py").exists():
                        holder = holder[:-1]
                    if not _owned_by(own_package, ".".join(holder)):
                        leaks.append(f"gscontract.{m.name} imports {target}")
                    break
    assert not leaks, "\n".join(sorted(leaks))


def test_no_two_modules_share_a_file_name() -> None:
    names = Counter(p.name for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "_specs" not in p.parts)
    assert [name for name, count in names.items() if count > 1] == []


def test_contract_top_level_is_only_its_init() -> None:
    top = sorted(p.name for p in (PACKAGE / "contract").glob("*.py"))
    assert top == ["__init__.py"]


def test_every_package_says_what_it_holds() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(ROOT)} has no docstring"
        assert doc.splitlines()[0].strip(), f"{init.relative_to(ROOT)} does not say on its first line what it holds"
