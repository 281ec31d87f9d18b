"""The repository's documents stand alone: every link into docs/ resolves, and nothing cites by number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "gscontract").rglob("*.py")),
    *sorted((ROOT / "specs").glob("*.yaml")),
    *sorted((ROOT / ".").glob(".pre-commit*.yaml")),
    ROOT / "pyproject.toml",
]
# docs/x.md#anchor written as a path (code, specs) or a Markdown link target (x.md#anchor, ../docs/x.md#a).
LINK = re.compile(r"(?:(?<=\()|(?<![\w/.-]))((?:\.\./)?(?:docs/)?[\w-]+\.md)#([\w-]+)")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def _links() -> list[tuple[Path, str, str]]:
    found = []
    for source in SOURCES:
        for target, anchor in LINK.findall(source.read_text(encoding="utf-8")):
            found.append((source, target, anchor))
    return found


def _resolve(source: Path, target: str) -> Path:
    """A Markdown link is relative to its page; a ``docs/...`` path (code, SARIF's helpUri) to the repository."""
    if source.suffix == ".md" and not target.startswith("docs/"):
        return (source.parent / target).resolve()
    return (ROOT / target).resolve()


def test_there_are_links_into_docs_to_check() -> None:
    assert len([link for link in _links() if "decisions.md" in link[1]]) >= 30


@pytest.mark.parametrize(("source", "target", "anchor"), _links(), ids=lambda v: str(v)[-40:])
def test_every_link_into_docs_names_a_file_and_a_heading(source: Path, target: str, anchor: str) -> None:
    file = _resolve(source, target)
    assert file.is_file(), f"{source.relative_to(ROOT)} links to {target}, which does not exist"
    assert anchor in _anchors(file), f"{source.relative_to(ROOT)} links to {target}#{anchor}: no such heading"


def test_nothing_cites_a_section_by_number_or_a_document_outside_the_repository() -> None:
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        assert "\u00a7" not in text, f"{source.relative_to(ROOT)} cites by section number; link docs/decisions.md#..."
        assert "/work/shared" not in text, source
        assert "../shared" not in text, source
