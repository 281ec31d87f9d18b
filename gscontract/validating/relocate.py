"""Place findings made after a file's check (the cross-file check's) from where their records start.

A file's check hands back, with its insert ExternalIds, where each one's record starts: an offset in the
file's text, or a line number in a JSON Lines file. Placing a finding then needs the file's text (or the
wanted lines) and a walk down from the record's start, never a parse of the file.
"""

from __future__ import annotations

from pathlib import Path

from ..payload.reader import JSONL_SUFFIXES, decode_text
from ..payload.stream import descend, lines_and_columns
from ..pointer import parse_pointer
from ..readfile import open_regular, read_regular

__all__ = ["locate"]

_BOM = b"\xef\xbb\xbf"


def locate(file: Path, wanted: dict[str, int]) -> dict[str, tuple[int, int]]:
    """The 1-based line and column of each record pointer, given where its record starts.

    ``wanted`` maps a pointer (``/records/7/ExternalId``) to its record's place. A file that can no longer
    be read gives no positions.
    """
    inside = {pointer: parse_pointer(pointer)[2:] for pointer in wanted}
    try:
        if file.suffix.lower() in JSONL_SUFFIXES:
            return _in_lines(file, wanted, inside)
        text, _ = decode_text(read_regular(file))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if text is None:
        return {}
    return lines_and_columns(text, {p: descend(text, wanted[p], inside[p]) for p in wanted})


def _in_lines(file: Path, wanted: dict[str, int], inside: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    by_line: dict[int, list[str]] = {}
    for pointer, number in wanted.items():
        by_line.setdefault(number, []).append(pointer)
    found: dict[str, tuple[int, int]] = {}
    handle, _ = open_regular(file)
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number not in by_line:
                continue
            body = raw.rstrip(b"\n")
            line = (body[3:] if number == 1 and body.startswith(_BOM) else body).decode("utf-8")
            lead = len(line) - len(line.lstrip())
            for pointer in by_line.pop(number):
                found[pointer] = (number, descend(line, lead, inside[pointer]) + 1)
            if not by_line:
                break
    return found
