"""Validate payload files before upload: the library behind ``gscontract validate``.

``validate_paths`` checks many files and folders in one run, so an ExternalId used by two insert files
is caught (``GS_TL_10_0107``: the second upload would meet the first's saved record). ``validate_file``
and ``validate_document`` are the one-file forms. All return a :class:`~gscontract.findings.Report`
whose ``payloads`` section has one subject per file.

This module is on the CLI's hot path: it imports no HTTP, schema or test library.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path, PurePath
from typing import Any

from . import lint
from .errors import UsageError
from .findings import SKIPPED, Finding, Report, Section, SectionName, Severity, Subject
from .folding import DEFAULT_MAX_FINDINGS, Folder, fold
from .payload.kinds import IDENTIFIERS, Kind, KindChoice, detect_kind
from .payload.lookups_file import LookupsSource
from .payload.reader import JSONL_SUFFIXES, ParseProblem, SourceDocument, load_bytes, load_path, load_text
from .payload.selection import PAYLOAD_SUFFIXES, PayloadFile, expand_paths, select_payloads
from .rules import Context, Rule, select_rules
from .rules.jsonl import needs_company_lookup
from .tenants.questions import RunTenant
from .tenants.registrations import EventRegistry

__all__ = [
    "PAYLOAD_SUFFIXES",
    "PayloadFile",
    "ValidateOptions",
    "expand_paths",
    "select_payloads",
    "validate_document",
    "validate_file",
    "validate_paths",
    "validate_text",
]


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    """How to validate: forced kind and identifier, rule selection and the tenant's field types.

    ``kind=None`` chooses each file's kind from its name, ``kinds`` (the configuration's glob table)
    and its content. ``identifier`` applies to update files; their default is ``activityid``, as the
    API's.
    """

    kind: Kind | None = None
    identifier: str | None = None
    profile: str = "current"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    custom_field_types: Mapping[str, str] = field(default_factory=dict)
    registrations: EventRegistry | None = None
    """The tenant data's Events Framework registrations; Events Framework files are checked against them."""
    max_findings: int = DEFAULT_MAX_FINDINGS
    """Findings of one rule listed per file before the rest are folded into counts (0: list all)."""
    lookups: Mapping[str, str] = field(default_factory=dict)
    """Lookups files for JSON Lines files: glob (relative to ``root``) to path, as the config's ``lookups``."""
    root: Path | None = None
    """The folder the ``kinds`` and ``lookups`` globs are relative to (the config's); ``None``: the working folder."""

    def __post_init__(self) -> None:
        if self.identifier is not None and self.identifier not in IDENTIFIERS:
            raise UsageError(f"identifier must be one of {', '.join(IDENTIFIERS)}, not {self.identifier!r}")
        if self.max_findings < 0:
            raise UsageError(f"max_findings must be 0 (no limit) or more, not {self.max_findings}")


def _options(options: ValidateOptions | None, kind: str | Kind | None, identifier: str | None) -> ValidateOptions:
    base = options or ValidateOptions()
    if kind not in (None, "auto"):
        try:
            base = replace(base, kind=Kind(kind))
        except ValueError:
            choices = ", ".join(["auto", *(k.value for k in Kind)])
            raise UsageError(f"unknown kind {kind!r} (expected one of {choices})") from None
    if identifier is not None:
        base = replace(base, identifier=identifier.lower())
    return base


def _problem_finding(path: str, problem: ParseProblem, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        rule=problem.rule,
        severity=severity,
        message=problem.message,
        path=path,
        pointer=problem.pointer,
        line=problem.line,
        column=problem.column,
    )


def _choose_kind(doc: SourceDocument, options: ValidateOptions) -> KindChoice | None:
    if options.kind is not None:
        return KindChoice(options.kind, options.identifier, "--kind")
    try:
        return detect_kind(doc.path, doc.value, table=options.kinds, root=options.root)
    except ValueError as exc:
        raise UsageError(f"{doc.path}: {exc}") from None


def _literal_findings(doc: SourceDocument, options: ValidateOptions) -> Iterator[Finding]:
    """The findings of what the text hides (GS108 to GS111) that the selection keeps, unlocated."""
    # Source rules apply to every kind, so any kind selects them alike (even when the kind is unknown).
    selected = {r.id: r for r in select_rules(Kind.EVENT, select=options.select, ignore=options.ignore)}
    for problem in doc.literal_problems():
        chosen = selected.get(problem.rule)
        if chosen is not None:
            yield _problem_finding(doc.path, problem, options.severities.get(chosen.id, chosen.severity))


def _located(doc: SourceDocument, findings: list[Finding]) -> list[Finding]:
    """Fill in line and column from the text for the findings that have only a pointer."""
    if not doc.text:
        return findings
    positions = doc.locate(f.pointer for f in findings if f.line is None and f.pointer is not None)
    return [
        f.located(line=positions[f.pointer][0], column=positions[f.pointer][1]) if f.pointer in positions else f
        for f in findings
    ]


def _check_source(
    doc: SourceDocument,
    options: ValidateOptions,
    tenant: RunTenant,
    *,
    last: bool = True,
    explicit: bool = True,
    lookups: LookupsSource | None = None,
) -> Subject:
    problems = [_problem_finding(doc.path, p) for p in doc.problems]
    if not doc.ok:
        return Subject(name=doc.path, kind="unknown", findings=tuple(problems))
    choice = _choose_kind(doc, options)
    if choice is None and not explicit:
        return Subject(name=doc.path, kind=SKIPPED)  # found in a folder: not a payload (package.json)
    if choice is None:
        unknown = Finding(
            rule="GS104",
            severity=Severity.ERROR,
            message="cannot tell the payload's kind from its name or shape; pass --kind or name the file "
            "after its kind (timeline-insert.*.json)",
            path=doc.path,
            pointer="",
            line=1,
            column=1,
        )
        found = fold(chain(problems, _literal_findings(doc, options), [unknown]), options.max_findings)
        return Subject(name=doc.path, kind="unknown", findings=tuple(_located(doc, found)))
    kind = choice.kind
    identifier = options.identifier or choice.identifier
    if kind is Kind.TIMELINE_UPDATE and identifier is None:
        identifier = "activityid"
    rules = select_rules(kind, select=options.select, ignore=options.ignore)
    value = doc.value
    ctx = Context.for_body(
        value,
        kind,
        identifier=identifier,
        profile=options.profile,
        custom_field_types=options.custom_field_types,
        tenant=tenant,
        registrations=options.registrations,
    )
    if doc.format == "jsonl":
        # A JSON Lines file has no envelope to carry lookups: they come from --lookups or the config.
        supplied = (lookups or LookupsSource(options.lookups, options.root)).for_file(doc.path)
        ctx = replace(ctx, lookups=supplied or {}, lookups_missing=supplied is None)
    missing = _lookups_missing(doc, rules) if ctx.lookups_missing else []
    # The folder answers before the engine builds a finding: a flood of findings is counted, never built.
    folder = Folder(options.max_findings)
    checked = lint.check(value, rules, ctx, severities=options.severities, admit=folder.admit)
    kept = folder.finish(chain(folder.admitted(chain(problems, _literal_findings(doc, options), missing)), checked))
    findings = _located(doc, [f if f.path is not None else replace(f, path=doc.path) for f in kept])
    records = lint.record_items(value, kind)[1]
    if kind is Kind.TIMELINE_DELETE and isinstance(value, list):
        records = value  # a delete body's "records" are its activity ids
    if kind is Kind.TIMELINE_INSERT and not last:
        tenant.remember(_external_ids(records), doc.path)  # for the files after this one
    return Subject(
        name=doc.path,
        kind=kind.value if identifier is None else f"{kind.value}:{identifier}",
        count=len(records),
        rules=tuple(r.id for r in rules),
        findings=tuple(findings),
    )


def _lookups_missing(doc: SourceDocument, rules: Sequence[Rule]) -> list[Finding]:
    """GS113, once for the file: its records name a company that only a lookup could resolve."""
    if not any(r.id == "GS113" for r in rules):
        return []
    needing = [i for i, record in enumerate(doc.records()) if needs_company_lookup(record)]
    if not needing:
        return []
    message = (
        "records that name their company by companyName need a GsCompanyId lookup "
        f"({len(needing)} in this file), and a JSON Lines file cannot carry lookups: "
        "give them with --lookups FILE or `lookups` in [tool.gscontract]"
    )
    return [Finding(rule="GS113", severity=Severity.ERROR, message=message, pointer=f"/records/{needing[0]}")]


def _external_ids(records: Sequence[Any]) -> list[str]:
    return [r["ExternalId"] for r in records if isinstance(r, dict) and isinstance(r.get("ExternalId"), str)]


def _report(subjects: Iterable[Subject]) -> Report:
    return Report(sections=(Section(SectionName.PAYLOADS, tuple(subjects)),))


def validate_paths(paths: Iterable[str | Path | PayloadFile], *, options: ValidateOptions | None = None) -> Report:
    """Validate files and folders as one run (ExternalIds are tracked across insert files).

    A file found in a folder whose kind cannot be told is skipped (its subject's kind is ``skipped``);
    named by itself, it is an error (GS104).

    Raises:
        UsageError: a path does not exist or cannot be read, or a lookups file is broken.
    """
    opts = options or ValidateOptions()
    tenant = RunTenant()
    lookups = LookupsSource(opts.lookups, opts.root)
    files = list(expand_paths(paths))  # all of them first: a path that cannot be read stops the run up front
    subjects = []
    with _collector_paused():
        for number, file in enumerate(files, start=1):
            started = time.perf_counter()
            try:
                doc = _load(file)
            except OSError as exc:
                raise UsageError(f"{file.display}: cannot read: {exc.strerror or exc}") from None
            last = number == len(files)
            subject = _check_source(doc, opts, tenant, last=last, explicit=file.explicit, lookups=lookups)
            subjects.append(replace(subject, seconds=time.perf_counter() - started))
            del doc  # free the file's text and records before reading the next one
    return _report(subjects)


def _load(file: PayloadFile) -> SourceDocument:
    """Read and parse a file, or the payload it carries (standard input), in the format its name says."""
    if file.data is None:
        return load_path(file.path, display=file.display)
    fmt = "jsonl" if PurePath(file.display).suffix.lower() in JSONL_SUFFIXES else "json"
    return load_bytes(file.data, path=file.display, fmt=fmt)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are parsed and checked.

    Parsing an 80 MB file makes millions of containers and no reference cycles; each collection would
    walk them all again for nothing (a quarter of the run's time). Memory is freed by reference
    counting as usual, and the collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_file(
    path: str | Path,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    options: ValidateOptions | None = None,
) -> Report:
    """Validate one payload file (``.json``, or ``.jsonl``/``.ndjson`` with one record a line).

    Raises:
        UsageError: the file does not exist, or ``kind``/``identifier`` is unknown.
    """
    return validate_paths([path], options=_options(options, kind, identifier))


def validate_text(
    text: str,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    path: str = "<document>",
    fmt: str = "json",
    options: ValidateOptions | None = None,
) -> Report:
    """Validate JSON (or JSON Lines, ``fmt="jsonl"``) text as if it were a file named ``path``."""
    opts = _options(options, kind, identifier)
    return _report([_check_source(load_text(text, path=path, fmt=fmt), opts, RunTenant())])


def validate_document(
    document: Any,
    *,
    kind: str | Kind | None = "auto",
    identifier: str | None = None,
    path: str = "<document>",
    options: ValidateOptions | None = None,
) -> Report:
    """Validate an already-parsed body (findings have pointers but no line numbers)."""
    opts = _options(options, kind, identifier)
    doc = SourceDocument(path=path, format="json", value=document, text="")
    return _report([_check_source(doc, opts, RunTenant())])
