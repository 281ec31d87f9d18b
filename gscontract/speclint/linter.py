"""Run every spec check over spec files and collect the findings into a report's ``specs`` section."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import UsageError
from ..findings import Finding, Report, Section, SectionName, Subject
from .catalog import CHECKS, SpecCheck
from .document import SpecDocument, SpecSyntaxError, parse_spec, read_spec
from .validity import UNREADABLE
from .walk import operations

__all__ = ["SPEC_KIND", "SPEC_SUFFIXES", "expand_spec_paths", "lint_document", "lint_spec_paths", "lint_spec_text"]

SPEC_KIND = "openapi-3.1"
SPEC_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


def expand_spec_paths(paths: Iterable[Path]) -> list[Path]:
    """The spec files named, with folders replaced by the ``.yaml``/``.yml``/``.json`` files in them.

    Raises:
        UsageError: a path does not exist, or a folder holds no spec file.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES)
            if not found:
                raise UsageError(f"{path}: no .yaml, .yml or .json files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def lint_spec_paths(paths: Iterable[Path]) -> Report:
    """Lint spec files and folders; one subject per file, in the order given.

    Raises:
        UsageError: a path does not exist or cannot be read, or a folder holds no spec file.
    """
    subjects = []
    for path in expand_spec_paths(paths):
        try:
            document = read_spec(path)
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except SpecSyntaxError as exc:
            subjects.append(_unreadable(str(path), exc))
            continue
        subjects.append(lint_document(document))
    return Report(sections=(Section(SectionName.SPECS, tuple(subjects)),))


def lint_spec_text(text: str, name: str) -> Subject:
    """Lint a spec given as text; ``name`` is what findings give as its path."""
    try:
        document = parse_spec(text, name)
    except SpecSyntaxError as exc:
        return _unreadable(name, exc)
    return lint_document(document)


def lint_document(document: SpecDocument, checks: Iterable[SpecCheck] | None = None) -> Subject:
    """Run the checks (all registered ones by default) over a parsed spec."""
    chosen = [c for c in (CHECKS.values() if checks is None else checks) if c.func is not None]
    started = time.perf_counter()
    findings = list(_findings(document, chosen))
    return Subject(
        name=document.name,
        kind=SPEC_KIND,
        count=sum(1 for _ in operations(document)),
        rules=(UNREADABLE.id, *(c.id for c in chosen)),
        findings=tuple(findings),
        seconds=time.perf_counter() - started,
    )


def _findings(document: SpecDocument, checks: Iterable[SpecCheck]) -> Iterator[Finding]:
    for check in checks:
        for violation in check.run(document):
            line, column = document.locate(violation.pointer)
            yield Finding(
                rule=check.id,
                severity=check.severity,
                message=violation.message,
                path=document.name,
                pointer=violation.pointer,
                line=line,
                column=column,
                operation=violation.operation,
            )


def _unreadable(name: str, error: SpecSyntaxError) -> Subject:
    finding = Finding(
        rule=UNREADABLE.id,
        severity=UNREADABLE.severity,
        message=error.message,
        path=name,
        line=error.line,
        column=error.column,
    )
    return Subject(name=name, kind=SPEC_KIND, count=0, rules=(UNREADABLE.id,), findings=(finding,))
