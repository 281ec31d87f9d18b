"""The JSON decoding every payload read shares: strict decoders, their errors as positioned problems.

Files are read record by record by :mod:`.stream`, which decodes each value with :func:`decode_value`
(the standard library's C scanner, strict about ``NaN`` and ``Infinity``, bounded for integers too long to
convert). Problems with the file itself (not UTF-8, empty, invalid JSON) are :class:`ParseProblem` values,
never raised: the caller turns them into findings of the ``GS1xx`` rules. :func:`describe` says what is
wrong with a text the stream found broken, reading it whole once, so its message and position are the
standard library decoder's own. What the text says that its value hides (an integer too long to convert,
``1e999``, a control character, a key given twice) is noted while decoding (see :mod:`._literals`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, absent from typeshed
from typing import Any, AnyStr, Final

from ..pointer import PathPart
from ._literals import DUPLICATE_CHECK_CHARS, Notes, bounded_int, control_escape_in
from ._locate import skip_ws

__all__ = [
    "JSONL_SUFFIXES",
    "UNPARSED",
    "Decoding",
    "JsonSyntaxError",
    "ParseProblem",
    "Unparsed",
    "decode_text",
    "decode_value",
    "describe",
    "nul_problem",
    "syntax_problem",
    "utf8_problem",
]

JSONL_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})

_CONSTANTS = re.compile(r"-?Infinity|NaN")


class Unparsed:
    """Placeholder for a JSON Lines record whose line could not be parsed; rules skip it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unparsed line>"


UNPARSED: Final = Unparsed()


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file (or one line of it) could not be read as JSON, and where."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    pointer: str = ""


class _ConstantError(ValueError):
    """NaN and Infinity are not JSON (RFC 8259), though Python's decoder accepts them."""


def _reject_constant(name: str) -> Any:
    raise _ConstantError(name)


class Decoding:
    """The decoders of one text, and the :class:`Notes` their hooks write."""

    __slots__ = ("bounded", "notes", "scan")

    def __init__(self, text: str, *, size: int | None = None) -> None:
        """Decoders for ``text``; or, with ``size``, for a text of that many characters read in pieces later.

        A text read in pieces is not searched for control escapes here: the reader notes them piece by piece.
        """
        self.notes = Notes(controls=size is None and control_escape_in(text))
        pairs = self.notes.pairs if (len(text) if size is None else size) <= DUPLICATE_CHECK_CHARS else None
        self.scan = self._decoder(pairs, int).scan_once
        self.bounded = self._decoder(pairs, bounded_int).scan_once

    def _decoder(self, pairs: Any, parse_int: Any) -> Any:
        return json.JSONDecoder(
            parse_constant=_reject_constant, parse_float=self.notes.float, parse_int=parse_int, object_pairs_hook=pairs
        )


class JsonSyntaxError(Exception):
    """A JSON syntax error at an offset of the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def _position(text: AnyStr, offset: int, newline: AnyStr) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in text or bytes (a column counts bytes in bytes)."""
    line = text.count(newline, 0, offset) + 1
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1


def syntax_problem(text: str, offset: int, message: str) -> ParseProblem:
    """Describe a syntax error, pointing at a trailing comma when that is what broke the parse."""
    offset = min(offset, len(text))
    if offset < len(text) and text[offset] in "]}":
        comma = offset - 1
        while comma >= 0 and text[comma] in " \t\r\n":
            comma -= 1
        if comma >= 0 and text[comma] == ",":
            line, column = _position(text, comma, "\n")
            return ParseProblem("GS101", f"invalid JSON: trailing comma before '{text[offset]}'", line, column)
    line, column = _position(text, offset, "\n")
    return ParseProblem("GS101", f"invalid JSON: {message}", line, column)


def _at_end(text: str, offset: int, message: str) -> str:
    """Say "unexpected end of file" when the decoder ran out of text, which is what happened."""
    return f"unexpected end of file ({message})" if offset >= len(text) else message


def decode_value(text: str, i: int, decoding: Decoding) -> tuple[Any, int]:
    """Decode one value at ``i`` with the C scanner, turning its errors into :class:`JsonSyntaxError`."""
    try:
        # scan_once is what raw_decode calls; calling it directly saves a Python frame per record.
        return decoding.scan(text, i)  # type: ignore[no-any-return]
    except StopIteration as exc:
        raise JsonSyntaxError(_at_end(text, exc.value, "Expecting value"), exc.value) from None
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(_at_end(text, exc.pos, exc.msg), exc.pos) from None
    except _ConstantError as exc:
        match = _CONSTANTS.search(text, i)
        raise JsonSyntaxError(f"{exc} is not allowed in JSON", match.start() if match else i) from None
    except RecursionError:
        raise JsonSyntaxError("nesting is too deep", i) from None
    except ValueError:
        # An integer too long to convert (the only other ValueError the decoder raises): decode again,
        # bounding the conversion. Rare, so the common path keeps the C decoder's own conversion.
        decoding.notes.huge = True
        decoding.scan = decoding.bounded
        return decode_value(text, i, decoding)


def _parse_json(text: str, decoding: Decoding) -> tuple[Any, tuple[PathPart, ...], int]:
    """Parse a whole JSON document; return it, the path of its records array and where that array starts.

    Only :func:`describe` calls it, on a text the stream found broken: its errors are the ones to report.
    """
    n = len(text)
    i = skip_ws(text, 0)
    base: tuple[PathPart, ...] = ()
    items_at = -1
    value: Any
    if text[i] == "{":
        value = {}
        keys: list[str] = []  # the top-level object is built here, not by the decoder: count its keys too
        i = skip_ws(text, i + 1)
        if i < n and text[i] == "}":
            i += 1
        else:
            while True:
                if i >= n or text[i] != '"':
                    raise JsonSyntaxError("Expecting property name enclosed in double quotes", i)
                try:
                    key, i = scanstring(text, i + 1)
                except json.JSONDecodeError as exc:
                    raise JsonSyntaxError(exc.msg, exc.pos) from None
                i = skip_ws(text, i)
                if i >= n or text[i] != ":":
                    raise JsonSyntaxError("Expecting ':' delimiter", i)
                i = skip_ws(text, i + 1)
                if key == "records" and i < n and text[i] == "[":
                    items_at, base = i, ("records",)
                keys.append(key)
                value[key], i = decode_value(text, i, decoding)
                i = skip_ws(text, i)
                char = text[i] if i < n else ""
                if char == ",":
                    i = skip_ws(text, i + 1)
                elif char == "}":
                    i += 1
                    break
                else:
                    raise JsonSyntaxError("Expecting ',' delimiter" if char else "unexpected end of file", i)
        if len(keys) != len(value):
            decoding.notes.duplicated(value, keys)
    else:
        items_at = i if text[i] == "[" else -1
        value, i = decode_value(text, i, decoding)
    i = skip_ws(text, i)
    if i != n:
        raise JsonSyntaxError("Extra data after the document", i)
    return value, base, items_at


def describe(text: str) -> ParseProblem | None:
    """What is wrong with a JSON text, decoded whole (``None``: nothing; the stream never asks then)."""
    try:
        _parse_json(text, Decoding(text))
    except JsonSyntaxError as exc:
        return syntax_problem(text, exc.offset, exc.message)
    return None


def nul_problem(data: bytes) -> ParseProblem | None:
    """A NUL byte in the first 8 KiB: the file is binary."""
    if b"\x00" in data[:8192]:
        line, column = _position(data, data.index(b"\x00"), b"\n")
        return ParseProblem("GS103", "file is binary, not UTF-8 JSON text (NUL byte)", line, column)
    return None


def utf8_problem(data: bytes, at: int, line: int | None = None) -> ParseProblem:
    """Bytes that are not UTF-8 at offset ``at`` (of the file, or of its line ``line``)."""
    number, column = _position(data, at, b"\n")
    return ParseProblem("GS103", f"file is not UTF-8 text (byte 0x{data[at]:02x})", line or number, column)


def decode_text(data: bytes) -> tuple[str | None, ParseProblem | None]:
    """Decode UTF-8 (a BOM is allowed); binary data and bad bytes are a problem, not a crash."""
    problem = nul_problem(data)
    if problem is not None:
        return None, problem
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        # The codec counts after the BOM it strips; the problem names the byte in the file.
        return None, utf8_problem(data, exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0))
