"""Check one payload file as it is read: each batch of records is judged and let go before the next is read.

Per-record rules and the cross-record folds (:mod:`gscontract.rules.folds`) see each record once, as it
arrives; the rules about the body as a whole run once its top-level members are all read. What is kept of
the file is the findings (each with the offset it points at, turned into a line and column at the end,
all lines counted in one pass) and, for an insert file, its ExternalIds, which the cross-file check
needs (:mod:`.crossfile`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..findings import SKIPPED, Finding, Severity, Subject
from ..folding import Folder
from ..lint import Checker
from ..payload.bytestream import Unsuitable, suitable
from ..payload.kinds import Kind, KindChoice, detect_kind, kind_from_content
from ..payload.lookups_file import LookupsSource
from ..payload.reader import JSONL_SUFFIXES, Decoding, ParseProblem, decode_text, describe, nul_problem
from ..payload.stream import Batch, NotText, SyntaxBreak, lines_and_columns, skip_ws, walk_literals
from ..pointer import PathPart, parse_pointer, to_pointer
from ..readfile import open_regular, read_regular
from ..rules import Context, Rule, select_rules
from ..rules.folds import ENVELOPE_KINDS, records_of
from ..rules.jsonl import needs_company_lookup
from .sources import BytesSource, LinesFileSource, LinesSource, Source, TextSource, ValueSource
from .validate_options import ValidateOptions

__all__ = ["FileResult", "How", "check_bytes", "check_path", "check_text", "check_value"]

_UNKNOWN_KIND = (
    "cannot tell the payload's kind from its name or shape; pass --kind or name the file after its kind "
    "(timeline-insert.*.json)"
)


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file's subject, and the (record index, ExternalId) pairs of an insert file for the cross-file check."""

    subject: Subject
    insert_ids: tuple[tuple[int, str], ...] = ()
    id_places: tuple[int, ...] = ()
    """Where the record of each of ``insert_ids`` starts: its offset in the file's text (bytes are characters
    in a file read from its bytes), or its line number in a JSON Lines file. The cross-file check places its
    findings from there (:mod:`.relocate`), without parsing the file again."""


@dataclass(frozen=True, slots=True)
class How:
    """How a file of a run is checked besides the options: what it was named as, and the run's lookups files.

    ``explicit``: the file was named by itself, so a kind that cannot be told is an error (GS104); found in
    a folder or by a glob, it is skipped instead. ``lookups``: the run's lookups files for JSON Lines files,
    read once each (``None``: read from the options for this file alone). ``ids``: keep an insert file's
    ExternalIds for the cross-file check (a run of one file needs none).
    """

    explicit: bool = True
    lookups: LookupsSource | None = None
    ids: bool = False


def check_path(
    file: Path, display: str, options: ValidateOptions, *, ids: bool = True, how: How | None = None
) -> FileResult:
    """Read and check one payload file; ``.jsonl``/``.ndjson`` files are JSON Lines.

    ``ids``: keep an insert file's ExternalIds for the cross-file check (a run of one file needs none);
    ``how``, when given, says it instead, with the rest of :class:`How`.

    Raises:
        OSError: the file cannot be read (missing, no permission, not a regular file, over 1 GiB).
        UsageError: the lookups file that applies is broken, or the config's kinds table is.
    """
    how = how or How(ids=ids)
    if file.suffix.lower() in JSONL_SUFFIXES:
        return _check_lines_file(file, display, options, how)
    return check_bytes(read_regular(file), display, "json", options, how=how)


def check_bytes(data: bytes, path: str, fmt: str, options: ValidateOptions, *, how: How | None = None) -> FileResult:
    """Check a payload given as bytes (standard input) as the file ``path``, JSON or JSON Lines (``fmt``)."""
    how = how or How()
    if fmt == "json" and suitable(data):
        try:
            source = BytesSource(data)
            return _check(source, path, options, how, source.lookups())
        except Unsuitable:
            pass  # read as text, below: what the bytes reader cannot vouch for, the text reader decides
    text, problem = decode_text(data)
    del data  # before parsing: holding the bytes too would add a file's size to the peak
    if text is None:
        return _broken(path, problem)
    return check_text(text, path, fmt, options, how=how)


def check_text(
    text: str, path: str, fmt: str, options: ValidateOptions, *, ids: bool = False, how: How | None = None
) -> FileResult:
    """Check JSON (``fmt="json"``) or JSON Lines (``fmt="jsonl"``) text as the file ``path``.

    ``ids`` and ``how``: as for :func:`check_path`.
    """
    how = how or How(ids=ids)
    if skip_ws(text, 0) == len(text):
        return _broken(path, ParseProblem("GS102", "file is empty", 1, 1))
    try:
        if fmt == "jsonl":
            return _check(LinesSource(text, Decoding(text)), path, options, how)
        try:
            source = TextSource(text, Decoding(text))
            lookups = source.lookups()
        except LookupError:
            # Too many "lookups" keys inside records to find the body's own from the end: read it twice.
            for _ in source.batches():
                pass
            lookups = source.head.get("lookups")
            source = TextSource(text, Decoding(text))
        return _check(source, path, options, how, lookups)
    except SyntaxBreak:
        return _broken(path, describe(text))


def _check_lines_file(file: Path, display: str, options: ValidateOptions, how: How) -> FileResult:
    """A JSON Lines file read line by line from disk: memory holds a batch of lines, never the file."""
    handle, size = open_regular(file)
    with handle:
        problem = nul_problem(handle.read(8192))
        if problem is not None:
            return _broken(display, problem)
        handle.seek(0)
        source = LinesFileSource(handle, size)
        try:
            result = _check(source, display, options, how)
        except NotText as exc:
            return _broken(display, exc.problem)
    if source.empty:
        return _broken(display, ParseProblem("GS102", "file is empty", 1, 1))
    return result


def check_value(document: Any, path: str, options: ValidateOptions) -> FileResult:
    """Check a body parsed already (its findings have pointers but no lines)."""
    return _check(ValueSource(document), path, options, How())


def _broken(path: str, problem: ParseProblem | None) -> FileResult:
    """A file that cannot be read as JSON: its one problem, and nothing else."""
    problem = problem or ParseProblem("GS101", "invalid JSON", 1, 1)
    return FileResult(Subject(name=path, kind="unknown", findings=(_problem_finding(path, problem),)))


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


class _Run:
    """The findings of one file as they are admitted, with the offsets they point at."""

    def __init__(self, source: Source, path: str, options: ValidateOptions) -> None:
        self.source = source
        self.path = path
        self.options = options
        self.folder = Folder(options.max_findings)
        self.found: list[Finding] = []
        self.offsets: dict[str, int] = {}
        self.positions: dict[str, tuple[int, int]] = {}
        # Source rules apply to every kind, so any kind selects them alike (even when the kind is unknown).
        self.literal_rules = {r.id: r for r in select_rules(Kind.EVENT, select=options.select, ignore=options.ignore)}

    def add(self, findings: Iterable[Finding], batch: Batch | None) -> None:
        """Keep findings the folder admitted already, noting the offset of each new pointer."""
        for finding in findings:
            if finding.line is None and finding.pointer is not None:
                self.place(finding.pointer, batch)
            self.found.append(finding)

    def place(self, pointer: str, batch: Batch | None) -> None:
        """Note where ``pointer`` points while ``batch`` is known (for a finding made later)."""
        if pointer in self.offsets or pointer in self.positions:
            return
        try:
            tokens = parse_pointer(pointer)
        except ValueError:
            tokens = []
        where = self.source.position(tokens, batch)
        at = self.source.offset(tokens, batch) if where is None else None
        if where is not None:
            self.positions.setdefault(pointer, where)
        elif at is not None:
            self.offsets[pointer] = at

    def literals(self, value: Any, prefix: tuple[PathPart, ...]) -> Iterator[Finding]:
        """The findings of what the text hides in ``value`` (GS108 to GS111) that the selection keeps."""
        for problem in walk_literals(value, self.source.notes):
            chosen = self.literal_rules.get(problem.rule)
            if chosen is not None and self.folder.admit(problem.rule, problem.message):
                severity = self.options.severities.get(chosen.id, chosen.severity)
                yield Finding(
                    rule=problem.rule,
                    severity=severity,
                    message=problem.message,
                    pointer=to_pointer((*prefix, *problem.path)),
                )

    def batch(self, checker: Checker | None, batch: Batch) -> None:
        """Judge one batch: the rules, then what its text hides."""
        if checker is not None:
            self.add(checker.records(batch.start, batch.values), batch)
        if self.source.notes.any():
            for index, record in enumerate(batch.values, batch.start):
                self.add(self.literals(record, ("records", index)), batch)

    def finish(self, subject_kind: str, count: int, rules: Iterable[Rule]) -> Subject:
        """The subject: the admitted findings folded, each located in the text."""
        problems = [_problem_finding(self.path, p) for p in self.source.problems]
        kept = self.folder.finish(chain(self.folder.admitted(problems), self.found))
        positions = lines_and_columns(self.source.body, self.offsets) if self.source.body else {}
        positions.update(self.positions)
        located = []
        for f in kept:
            if f.line is None and f.pointer in positions:
                line, column = positions[f.pointer]
                f = f.located(line=line, column=column)
            located.append(f if f.path is not None else _with_path(f, self.path))
        return Subject(
            name=self.path,
            kind=subject_kind,
            count=count,
            rules=tuple(r.id for r in rules),
            findings=tuple(located),
        )


def _with_path(finding: Finding, path: str) -> Finding:
    return replace(finding, path=path)


def _choose_kind(source: Source, path: str, options: ValidateOptions) -> tuple[KindChoice | None, list[Batch | None]]:
    """The file's kind, and the batches read to tell it from the content (to be judged first)."""
    if options.kind is not None:
        return KindChoice(options.kind, options.identifier, "--kind"), []
    try:
        by_name = detect_kind(path, None, table=options.kinds, root=options.root)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None
    if by_name is not None or not source.streamed:
        return by_name or kind_from_content(source.head), []
    # An envelope: its first record that is an object tells an events body from an activity one.
    read: list[Batch | None] = []
    first: dict[str, Any] | None = None
    for batch in source.batches():
        read.append(batch)
        if batch is not None:
            first = next((v for v in batch.values if isinstance(v, dict)), None)
            if first is not None:
                break
    probe = dict(source.head) if isinstance(source.head, dict) else {}
    probe["records"] = [first] if first is not None else []
    return kind_from_content(probe), read


def _check(source: Source, path: str, options: ValidateOptions, how: How, lookups: Any = None) -> FileResult:
    choice, read = _choose_kind(source, path, options)
    if choice is None and not how.explicit:
        return FileResult(Subject(name=path, kind=SKIPPED))  # found in a folder: not a payload (package.json)
    batches = chain(read, source.batches()) if source.streamed else iter(read)
    run = _Run(source, path, options)
    if choice is None:
        unknown = Finding(
            rule="GS104", severity=Severity.ERROR, message=_UNKNOWN_KIND, path=path, pointer="", line=1, column=1
        )
        for batch in batches:
            if batch is not None:
                run.batch(None, batch)
        if source.notes.any():
            run.add(run.literals(source.head, ()), None)
        run.add(run.folder.admitted([unknown]), None)
        return FileResult(run.finish("unknown", 0, ()))
    kind = choice.kind
    identifier = options.identifier or choice.identifier
    if kind is Kind.TIMELINE_UPDATE and identifier is None:
        identifier = "activityid"
    rules = select_rules(kind, select=options.select, ignore=options.ignore)
    if source.streamed and kind not in ENVELOPE_KINDS:
        _materialise(source, batches)  # a single event that holds a records array: its records are fields
        batches = iter(())
    found = lookups if source.streamed else source.lookups()
    ctx = Context(
        kind=kind,
        identifier=identifier,
        profile=options.profile,
        lookups=found if isinstance(found, dict) else {},
        custom_field_types=options.custom_field_types,
        registrations=options.registrations,
    )
    if isinstance(source, (LinesSource, LinesFileSource)):
        # A JSON Lines file has no envelope to carry lookups: they come from --lookups or the config.
        supplied = (how.lookups or LookupsSource(options.lookups, options.root)).for_file(path)
        ctx = replace(ctx, lookups=supplied or {}, lookups_missing=supplied is None)
    missing = _Missing() if ctx.lookups_missing and any(r.id == "GS113" for r in rules) else None

    def fresh() -> Checker:
        # The folder answers before the engine builds a finding: a flood of findings is counted, never built.
        return Checker(rules, ctx, severities=options.severities, admit=run.folder.admit)

    checker = fresh()
    count = 0
    found_ids: list[tuple[int, str, int]] = []
    insert = how.ids and kind is Kind.TIMELINE_INSERT
    for batch in batches:
        if batch is None:  # "records" given again: only the last array counts
            run, count, found_ids = _Run(source, path, options), 0, []
            checker = fresh()
            continue
        run.batch(checker, batch)
        if missing is not None:
            missing.feed(run, batch)
        count += len(batch.values)
        if insert:
            found_ids.extend(_external_ids(batch))
    if source.streamed:
        if isinstance(source.head.get("records"), list):  # not when a later "records" replaced the array
            run.add(checker.end(count), None)
    else:
        _, records = records_of(source.head, kind)
        if records is not None:
            run.add(checker.records(0, records), Batch(0, records, source.record_offsets))
            run.add(checker.end(len(records)), None)
            count = len(records)
            if insert:
                found_ids = list(_external_ids(Batch(0, records)))
        if kind is Kind.TIMELINE_DELETE and isinstance(source.head, list):
            count = len(source.head)  # a delete body's "records" are its activity ids
    if source.notes.any():
        run.add(run.literals(source.head, ()), None)
    if missing is not None:
        run.add(run.folder.admitted(missing.findings()), None)
    run.add(checker.top(source.head), None)
    subject_kind = kind.value if identifier is None else f"{kind.value}:{identifier}"
    pairs = tuple((index, external_id) for index, external_id, _ in found_ids)
    return FileResult(run.finish(subject_kind, count, rules), pairs, tuple(place for *_, place in found_ids))


class _Missing:
    """GS113, once for a JSON Lines file given no lookups.

    It counts the records that name their company by ``companyName`` only, and places the first of them
    while its batch is known.
    """

    def __init__(self) -> None:
        self.count = 0
        self.first: int | None = None

    def feed(self, run: _Run, batch: Batch) -> None:
        """Count a batch's records that need the lookup; place the file's first."""
        needing = [i for i, record in enumerate(batch.values, batch.start) if needs_company_lookup(record)]
        if not needing:
            return
        if self.first is None:
            self.first = needing[0]
            run.place(f"/records/{self.first}", batch)
        self.count += len(needing)

    def findings(self) -> list[Finding]:
        """The file's one GS113 finding, when a record needs the lookup."""
        if self.first is None:
            return []
        message = (
            "records that name their company by companyName need a GsCompanyId lookup "
            f"({self.count} in this file), and a JSON Lines file cannot carry lookups: "
            "give them with --lookups FILE or `lookups` in [tool.gscontract]"
        )
        return [Finding(rule="GS113", severity=Severity.ERROR, message=message, pointer=f"/records/{self.first}")]


def _materialise(source: Source, batches: Iterable[Batch | None]) -> None:
    """Put a streamed records array back into the head, for a kind whose rules read the body whole."""
    values: list[Any] = []
    offsets: list[int] = []
    for batch in batches:
        if batch is None:
            values, offsets = [], []
        else:
            values.extend(batch.values)
            offsets.extend(batch.offsets)
    source.head["records"] = values
    source.record_offsets = offsets
    source.streamed = False


def _external_ids(batch: Batch) -> list[tuple[int, str, int]]:
    """(index, ExternalId, where its record starts) of the batch's records with a string ExternalId."""
    places = [number for number, _ in batch.lines] if batch.lines else batch.offsets
    ids = [
        (i, r.get("ExternalId"), k)
        for k, (i, r) in enumerate(enumerate(batch.values, batch.start))
        if r.__class__ is dict
    ]
    return [(i, e, places[k] if k < len(places) else -1) for i, e, k in ids if e.__class__ is str]
