"""The check across the files of one run: an insert file that reuses an ExternalId of an earlier insert file.

Each file is checked alone (perhaps in another process, or on another machine as one shard of a CI
matrix) and hands back its insert ExternalIds. This step walks the files in the run's order, as the
upload would, and reports TL104 for each record whose ExternalId an earlier file creates; the message
names that file. Only files with such a finding are read again, to place it from where its record starts
(:mod:`.relocate`), without parsing them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..findings import Subject
from ..folding import Folder
from ..lint import finding
from ..payload.kinds import Kind
from ..rules import Rule, select_rules
from ..rules.folds import Located
from ..rules.identity import existing_ids
from ..tenants.questions import RunTenant
from .one_file import FileResult
from .relocate import locate
from .validate_options import ValidateOptions

__all__ = ["Checked", "across_files"]

_RULE = "TL104"


@dataclass(frozen=True, slots=True)
class Checked:
    """A file's result, and where to read the file again (``None``: it cannot be, as for stdin)."""

    result: FileResult
    file: Path | None


def across_files(checked: Sequence[Checked], options: ValidateOptions) -> list[Subject]:
    """The files' subjects in run order, with the cross-file findings added."""
    chosen = [
        r for r in select_rules(Kind.TIMELINE_INSERT, select=options.select, ignore=options.ignore) if r.id == _RULE
    ]
    tenant = RunTenant()
    subjects = []
    for number, item in enumerate(checked, start=1):
        subject, ids, places = item.result.subject, item.result.insert_ids, item.result.id_places
        if chosen and ids:  # only insert files have ids to give
            hits = list(existing_ids(ids, tenant)) if number > 1 else []
            if hits:
                where = dict(zip((index for index, _ in ids), places, strict=False))
                subject = _with_hits(subject, hits, item.file, where, chosen[0], options)
            if number < len(checked):  # the last file's ids meet no later file
                tenant.remember([external_id for _, external_id in ids], subject.name)
        subjects.append(subject)
    return subjects


def _with_hits(
    subject: Subject,
    hits: list[Located],
    file: Path | None,
    where: dict[int, int],
    rule: Rule,
    options: ValidateOptions,
) -> Subject:
    folder = Folder(options.max_findings)
    admitted = []
    places: dict[str, int] = {}  # pointer -> where its record starts, as the file's check saw it
    for index, violation in hits:
        if folder.admit(rule.id, violation.message):
            built = finding(rule, ("records", index, *violation.path), violation.message, options.severities)
            admitted.append(built)
            if where.get(index, -1) >= 0 and built.pointer is not None:
                places[built.pointer] = where[index]
    kept = folder.finish(admitted)
    positions = locate(file, places) if file is not None and places else {}
    located = []
    for f in kept:
        f = replace(f, path=subject.name)
        if f.pointer in positions:
            line, column = positions[f.pointer]
            f = f.located(line=line, column=column)
        located.append(f)
    return replace(subject, findings=(*subject.findings, *located))
