"""Where a JSON pointer's target stands in JSON text, and the line and column of an offset.

Findings carry RFC 6901 pointers; a reader wants ``file:line:col``. The payload loader keeps no position
of any value, so a pointer is located afterwards, only for findings, by walking the text from a known
offset (a record's start) down the pointer's tokens. Values passed over are skipped with the C decoder,
and lines are counted with ``str.count``, so locating stays cheap even in an 80 MB one-line file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, absent from typeshed
from typing import Any, Final

from ._literals import bounded_int

__all__ = ["descend", "lines_and_columns", "skip_ws"]

_WS: Final = re.compile(r"[ \t\n\r]*")
# The text being walked has parsed already (strictly, by the loader), so skipping needs no strictness; an
# integer too long to convert must still be skipped, not raise.
_SKIP: Final = json.JSONDecoder(parse_int=bounded_int).raw_decode


def skip_ws(text: str, i: int) -> int:
    """The first offset at or after ``i`` that is not JSON white space."""
    return _WS.match(text, i).end()  # type: ignore[union-attr]  # the pattern matches the empty string


def lines_and_columns(text: str | bytes, offsets: Mapping[str, int]) -> dict[str, tuple[int, int]]:
    """Map each key to the 1-based (line, column) of its offset, counting lines once for all, in text order.

    ``text`` may be ASCII bytes (a column then counts bytes, which are its characters).
    """
    result: dict[str, tuple[int, int]] = {}
    line, last, line_start = 1, 0, 0
    newline: Any = "\n" if isinstance(text, str) else b"\n"
    for pointer, offset in sorted(offsets.items(), key=lambda item: item[1]):
        # Only the text between two offsets is searched, so a one-line 80 MB file costs one pass too.
        newlines = text.count(newline, last, offset)
        if newlines:
            line += newlines
            line_start = text.rfind(newline, last, offset) + 1
        last = offset
        result[pointer] = (line, offset - line_start + 1)
    return result


def descend(text: str, start: int, tokens: list[str]) -> int:
    """Walk ``tokens`` down from the value at ``start``; return the offset of the last one reached.

    A member is located at its key's opening quote (the line a reader looks for); an array item at its
    first character. Values passed over are skipped with the C decoder.
    """
    i = start
    for token in tokens:
        i = skip_ws(text, i)
        if i >= len(text):
            return start
        opener = text[i]
        if opener == "{":
            found = _find_member(text, i, token)
        elif opener == "[" and token.isdigit():
            found = _find_item(text, i, int(token))
        else:
            found = None
        if found is None:
            return i
        start, i = found
    return start


def _find_member(text: str, i: int, name: str) -> tuple[int, int] | None:
    """Return (key offset, value offset) of member ``name`` of the object at ``i``."""
    i = skip_ws(text, i + 1)
    try:
        while i < len(text) and text[i] == '"':
            key_at = i
            key, i = scanstring(text, i + 1)
            i = skip_ws(text, skip_ws(text, i) + 1)  # past ':'
            if key == name:
                return key_at, i
            i = _past_value(text, i)
    except (ValueError, IndexError):
        return None
    return None


def _find_item(text: str, i: int, index: int) -> tuple[int, int] | None:
    """Return (item offset, item offset) of item ``index`` of the array at ``i``."""
    i = skip_ws(text, i + 1)
    try:
        for _ in range(index):
            i = _past_value(text, i)
    except (ValueError, IndexError):
        return None
    return (i, i) if i < len(text) and text[i] not in "]" else None


def _past_value(text: str, i: int) -> int:
    """The start of what follows the value at ``i`` and its comma.

    Raises:
        ValueError: no value starts at ``i``, or no comma follows it (the container ends there).
        IndexError: the text ends first.
    """
    _, i = _SKIP(text, i)
    i = skip_ws(text, i)
    if text[i] != ",":
        raise ValueError("no further member or item")
    return skip_ws(text, i + 1)
