"""Read validated payload files into what an upload sends: records with their positions and the validator's findings.

The validator has already judged each file (the same rules and report as ``gscontract validate``); here
each finding is tied to the record it is about, so a record with an error can be held back and a tenant
verdict can be compared with what the validator predicted for that very record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import UsageError
from ..findings import Finding, Severity, Subject
from ..gainsight.operations import BULK_SAVE, BULK_UPDATE, EVENTS_BULK, FRAMEWORK_EVENT, SAVE, UPDATE
from ..payload.reader import JSONL_SUFFIXES, Decoding, decode_text
from ..payload.stream import Batch, SyntaxBreak, lines_and_columns
from ..readfile import read_regular
from ..validating.sources import LinesSource, Source, TextSource
from .plan import UploadRecord

__all__ = ["PreparedFile", "operation_for", "prepare_file", "sendable"]

_RECORD = re.compile(r"^/(?:records/)?(\d+)(?:/|$)")

# Payload kinds an upload can send, with the bulk operation and query string each goes to.
_OPERATIONS = {
    "timeline-insert": (BULK_SAVE, ""),
    "timeline-update:externalid": (BULK_UPDATE, "?identifier=externalid"),
    "timeline-update:activityid": (BULK_UPDATE, "?identifier=activityid"),
    "events-bulk": (EVENTS_BULK, ""),
    "framework-events": (FRAMEWORK_EVENT, ""),
}
# With --single, Timeline records go to the synchronous save and update instead.
_SINGLE = {
    "timeline-insert": (SAVE, ""),
    "timeline-update:externalid": (UPDATE, "?identifier=externalid"),
    "timeline-update:activityid": (UPDATE, "?identifier=activityid"),
}


def sendable(kind: str) -> bool:
    """Whether upload sends files of this validated kind."""
    return kind in _OPERATIONS


def operation_for(kind: str, *, single: bool = False) -> tuple[str, str]:
    """The operation (bulk, or the synchronous save with ``single``) and query string of a file's kind.

    Raises:
        UsageError: the kind is one this version of upload does not send (that way).
    """
    table = _SINGLE if single else _OPERATIONS
    found = table.get(kind)
    if found is None:
        sendable = ", ".join(table)
        how = "with --single " if single else ""
        raise UsageError(f"upload {how}sends {sendable} files; this one is {kind}")
    return found


@dataclass(slots=True)
class PreparedFile:
    """One file ready to upload: its records, lookups, and the validator's findings by record index."""

    path: str
    kind: str
    records: list[UploadRecord]
    lookups: Any
    findings: dict[int, list[Finding]] = field(default_factory=dict)
    file_errors: list[Finding] = field(default_factory=list)

    def has_errors(self, index: int) -> bool:
        """Whether the validator found an error in record ``index``."""
        return any(f.severity is Severity.ERROR for f in self.findings.get(index, ()))


def _source(path: Path) -> Source:
    """The file read by the validator's own streaming readers, so records and positions are the ones it judged.

    Raises:
        UsageError: the file cannot be read again, or no longer parses.
    """
    try:
        data = read_regular(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text, problem = decode_text(data)
    if text is None:
        raise UsageError(f"{path}: {problem.message if problem else 'not UTF-8 text'}")
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            return LinesSource(text, Decoding(text))
        return TextSource(text, Decoding(text))
    except SyntaxBreak:
        raise UsageError(f"{path}: no longer parses; was it changed since it was validated?") from None


def _records(path: str, body: str | bytes, batches: Iterable[Batch | None]) -> list[UploadRecord]:
    """Every record with its line and column (a JSON Lines record: its line), lines counted once for all."""
    items: list[tuple[int, Any, tuple[int, int] | None]] = []
    offsets: dict[str, int] = {}
    for batch in batches:
        if batch is None:  # the document gives "records" again: the last array counts, as validate reads it
            items.clear()
            offsets.clear()
            continue
        for k, item in enumerate(batch.values):
            index = batch.start + k
            if batch.lines:
                items.append((index, item, (batch.lines[k][0], batch.offsets[k] + 1)))
            else:
                items.append((index, item, None))
                offsets[str(index)] = batch.offsets[k]
    found = lines_and_columns(body, offsets) if offsets else {}
    records = []
    for index, item, place in items:
        line, column = place or found[str(index)]
        external_id = item.get("ExternalId") if isinstance(item, dict) else None
        records.append(
            UploadRecord(
                path=path,
                index=index,
                line=line,
                column=column,
                external_id=external_id if isinstance(external_id, str) else None,
                body=orjson.dumps(item),
            )
        )
    return records


def prepare_file(subject: Subject, supplied: Any = None) -> PreparedFile:
    """Load the file of a validated ``subject`` and tie its findings to its records.

    ``supplied`` lookups go with a file that carries none of its own (a JSON Lines file).

    Raises:
        UsageError: the file cannot be read again, or its kind is not one upload sends.
    """
    operation_for(subject.kind)
    source = _source(Path(subject.name))
    lookups = source.lookups()
    if lookups is None:
        lookups = supplied
    records = _records(subject.name, source.body, source.batches())
    by_record: dict[int, list[Finding]] = defaultdict(list)
    file_errors = []
    for finding in subject.findings:
        match = _RECORD.match(finding.pointer or "")
        if match is not None and int(match.group(1)) < len(records):
            by_record[int(match.group(1))].append(finding)
        elif finding.severity is Severity.ERROR:
            file_errors.append(finding)
    return PreparedFile(subject.name, subject.kind, records, lookups, dict(by_record), file_errors)
