"""Split a run's files across CI machines (``--shard K/N``) and merge the shards' results into one report.

Every shard expands the same paths to the same sorted list and takes every N-th file from the K-th on,
so the shares are disjoint, cover the list, and do not depend on which machine runs which. A shard
checks its files alone and writes a shard file: each file's place in the list, its subject and its
insert ExternalIds. The merge reads all N shard files, puts the subjects back in list order and runs the
cross-file check over them, so an ExternalId reused by two files on different shards is found as in one
run. Only files with such a finding are read again, to place it; one the merge cannot read keeps its
pointer without a line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

from ..errors import UsageError
from ..findings import Finding, Severity, Subject
from ..payload.selection import PayloadFile
from .crossfile import Checked
from .one_file import FileResult

__all__ = ["Share", "parse_shard", "read_shards", "share", "write_shard"]

FORMAT: Final = "gscontract-shard/1"
Share = list[tuple[int, PayloadFile]]
"""(place in the run's file list, file) of each file a shard checks."""


def parse_shard(text: str) -> tuple[int, int]:
    """Read ``K/N`` (shard K of N, counted from 1).

    Raises:
        UsageError: not two whole numbers with 1 <= K <= N.
    """
    k_text, slash, n_text = text.partition("/")
    if slash and k_text.strip().isdigit() and n_text.strip().isdigit():
        k, n = int(k_text), int(n_text)
        if 1 <= k <= n:
            return k, n
    raise UsageError(f"--shard must be K/N with 1 <= K <= N (shard 2 of 4 is 2/4), not {text!r}")


def share(files: Sequence[PayloadFile], k: int, n: int) -> Share:
    """The files of shard ``k`` of ``n``: every n-th file of the sorted list, from the k-th on."""
    return [(place, file) for place, file in enumerate(files) if place % n == k - 1]


def write_shard(path: Path, k: int, n: int, total: int, checked: Iterable[tuple[int, Checked]]) -> None:
    """Write a shard file: the shard's files with their places, subjects and insert ExternalIds.

    Raises:
        UsageError: the file cannot be written.
    """
    entries = [
        {
            "place": place,
            "file": os.fspath(item.file) if item.file is not None else None,
            "subject": _subject_json(item.result.subject),
            "insert_ids": [list(pair) for pair in item.result.insert_ids],
            "id_places": list(item.result.id_places),
        }
        for place, item in checked
    ]
    document = {"format": FORMAT, "shard": [k, n], "files": total, "entries": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def read_shards(paths: Sequence[Path]) -> list[Checked]:
    """The files of every shard, in the run's order, ready for the cross-file check.

    Raises:
        UsageError: a shard file cannot be read or is not one, or shards are missing, repeated or disagree.
    """
    seen: dict[int, Path] = {}
    expected: tuple[int, int] | None = None
    placed: dict[int, Checked] = {}
    for path in paths:
        document = _load(path)
        k, n = document["shard"]
        if expected is not None and (n, document["files"]) != expected:
            raise UsageError(
                f"{path}: shard {k}/{n} of {document['files']} files does not belong with {seen[min(seen)]}"
            )
        expected = (n, document["files"])
        if k in seen:
            raise UsageError(f"{path}: shard {k}/{n} is given twice (also {seen[k]})")
        seen[k] = path
        for number, entry in enumerate(document["entries"]):
            placed[entry["place"]] = _checked(path, number, entry)
    if expected is None:
        raise UsageError("--merge needs the shard files of every shard")
    n, total = expected
    missing = sorted(set(range(1, n + 1)) - set(seen))
    if missing:
        raise UsageError(f"--merge: shard {', '.join(f'{k}/{n}' for k in missing)} missing (give every shard's file)")
    if sorted(placed) != list(range(total)):
        raise UsageError(f"--merge: the shard files list {len(placed)} files, not the run's {total}")
    return [placed[place] for place in range(total)]


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        document = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        raise UsageError(f"{path}:{line}: not a gscontract shard file (invalid JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UsageError(f"{path}:1: format: not a gscontract shard file (expected {FORMAT!r})")
    shard = document.get("shard")
    if not (isinstance(shard, list) and len(shard) == 2 and all(isinstance(x, int) for x in shard)):
        raise UsageError(f"{path}:1: shard: expected [K, N], two whole numbers")
    if not 1 <= shard[0] <= shard[1] or not isinstance(document.get("files"), int):
        raise UsageError(f"{path}:1: shard: expected 1 <= K <= N, and files, a count")
    if not isinstance(document.get("entries"), list):
        raise UsageError(f"{path}:1: entries: expected a list of the shard's files")
    return document


def _checked(path: Path, number: int, entry: Any) -> Checked:
    try:
        subject = _subject_from(entry["subject"])
        ids = tuple((int(index), str(external_id)) for index, external_id in entry["insert_ids"])
        places = tuple(int(place) for place in entry["id_places"])
        file = Path(entry["file"]) if entry["file"] is not None else None
        place = entry["place"]
        if not isinstance(place, int):
            raise TypeError("place")
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}:1: entries[{number}]: malformed entry ({exc})") from None
    return Checked(FileResult(subject, ids, places), file if file is not None and file.is_file() else None)


def _subject_json(subject: Subject) -> dict[str, Any]:
    data = asdict(subject)
    data["findings"] = [{**asdict(f), "severity": f.severity.label} for f in subject.findings]
    return data


def _subject_from(data: dict[str, Any]) -> Subject:
    findings = tuple(Finding(**{**f, "severity": Severity.parse(f["severity"])}) for f in data["findings"])
    return Subject(
        name=data["name"],
        kind=data["kind"],
        count=data["count"],
        rules=tuple(data["rules"]),
        findings=findings,
        seconds=None if data.get("seconds") is None else float(data["seconds"]),
    )
