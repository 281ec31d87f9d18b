"""Read JSON and JSON Lines payload files into values that remember where each record starts.

The loader decodes the file once with the standard library's C scanner, one record at a time, and keeps
only each record's start offset. Line and column are computed later, and only for findings, by
:meth:`SourceDocument.locate`. That avoids a second full pass in Python and keeps peak memory near twice
the file size. (A full ``orjson.loads`` peaks near 4.7x on an 80 MB bulk file; see the README's benchmark.)

Problems with the file itself (not UTF-8, empty, invalid JSON) are returned as :class:`ParseProblem`
values, never raised: the caller turns them into findings of the ``GS1xx`` rules. So are what the text
says that its value hides (an integer too long to convert, ``1e999``, a control character, a key given
twice; see :mod:`._literals`), from :meth:`SourceDocument.literal_problems`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, absent from typeshed
from pathlib import Path
from typing import Any, AnyStr, Final

from ..pointer import PathPart, parse_pointer, to_pointer
from ..readfile import read_regular
from ._itemindex import ItemIndex
from ._literals import DUPLICATE_CHECK_CHARS, Notes, bounded_int, control_escape_in, walk_literals
from ._locate import descend, lines_and_columns, skip_ws

__all__ = [
    "JSONL_SUFFIXES",
    "ParseProblem",
    "SourceDocument",
    "Unparsed",
    "load_bytes",
    "load_path",
    "load_text",
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


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)
_SCAN: Final = _DECODER.scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__
# For texts with an integer too long to convert: the same decoding, with a bounded conversion.
_BOUNDED: Final = json.JSONDecoder(parse_constant=_reject_constant, parse_int=bounded_int)
_BOUNDED_SCAN: Final = _BOUNDED.scan_once  # type: ignore[attr-defined]


class _Decoding:
    """The decoders of one text, and the :class:`Notes` their hooks write."""

    __slots__ = ("bounded", "notes", "scan")

    def __init__(self, text: str) -> None:
        self.notes = Notes(controls=control_escape_in(text))
        pairs = self.notes.pairs if len(text) <= DUPLICATE_CHECK_CHARS else None
        self.scan = self._decoder(pairs, int).scan_once
        self.bounded = self._decoder(pairs, bounded_int).scan_once

    def _decoder(self, pairs: Any, parse_int: Any) -> Any:
        return json.JSONDecoder(
            parse_constant=_reject_constant, parse_float=self.notes.float, parse_int=parse_int, object_pairs_hook=pairs
        )

    @property
    def index_scan(self) -> Any:
        """What the item index decodes with: the plain C decoder, unless an integer needs bounding."""
        return _BOUNDED_SCAN if self.notes.huge else _SCAN


class _SyntaxError(Exception):
    """A JSON syntax error at an offset of the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A parsed payload file: its value, its text, and where each record starts.

    ``index`` knows where item ``i`` of the array at ``item_base`` begins in ``text`` (``("records",)``
    for an envelope or JSON Lines file, ``()`` for a top-level array); it finds offsets only when a
    finding asks. ``problems`` are the file's parse problems; a file with a fatal one has ``value``
    ``None``.
    """

    path: str
    format: str
    value: Any
    text: str = field(repr=False)
    item_base: tuple[PathPart, ...] = ()
    problems: tuple[ParseProblem, ...] = ()
    index: ItemIndex | None = field(default=None, repr=False, compare=False)
    notes: Notes | None = field(default=None, repr=False, compare=False)

    @property
    def item_offsets(self) -> tuple[int, ...]:
        """Where every item of the array at ``item_base`` starts (found on demand; see :mod:`._itemindex`)."""
        return self.index.all() if self.index is not None else ()

    @property
    def ok(self) -> bool:
        """Whether the file parsed (JSON Lines files may still have problems on some lines)."""
        return not (self.value is None and self.problems)

    def literal_problems(self) -> Iterator[ParseProblem]:
        """What the text says that the value hides (rules GS108 to GS111), with pointers but no positions.

        Lazy: a file with a problem in each of a million strings yields them one by one, for the caller
        to fold and locate.
        """
        if self.notes is None or not self.notes.any():
            return
        for problem in walk_literals(self.value, self.notes):
            yield ParseProblem(problem.rule, problem.message, pointer=to_pointer(problem.path))

    def records(self) -> Sequence[Any]:
        """The record items of the document (the ``records`` array, or a top-level array)."""
        node = self.value
        for part in self.item_base:
            if not isinstance(node, dict):
                return ()
            node = node.get(str(part))
        return node if isinstance(node, list) else ()

    def locate(self, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Map each pointer to the 1-based (line, column) of its member key or item in the text.

        A pointer that does not resolve in the text is located at the deepest part that does. Lines are
        counted once for all pointers, in text order, with ``str.count`` (C speed).
        """
        offsets: dict[str, int] = {}
        for pointer in set(pointers):
            try:
                offsets[pointer] = self._offset_of(parse_pointer(pointer))
            except ValueError:
                offsets[pointer] = 0
        return lines_and_columns(self.text, offsets)

    def _offset_of(self, tokens: list[str]) -> int:
        base = [str(p) for p in self.item_base]
        start = skip_ws(self.text, 0)
        if self.index is not None and tokens[: len(base)] == base and len(tokens) > len(base):
            index = tokens[len(base)]
            at = self.index.offset(int(index)) if index.isdigit() else None
            if at is not None:
                return descend(self.text, at, tokens[len(base) + 1 :])
        return descend(self.text, start, tokens)


def _position(text: AnyStr, offset: int, newline: AnyStr) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in text or bytes (a column counts bytes in bytes)."""
    line = text.count(newline, 0, offset) + 1
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1


def _syntax_problem(text: str, offset: int, message: str) -> ParseProblem:
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


def _decode_value(text: str, i: int, decoding: _Decoding) -> tuple[Any, int]:
    """Decode one value at ``i`` with the C scanner, turning its errors into :class:`_SyntaxError`."""
    try:
        # scan_once is what raw_decode calls; calling it directly saves a Python frame per record.
        return decoding.scan(text, i)  # type: ignore[no-any-return]
    except StopIteration as exc:
        raise _SyntaxError(_at_end(text, exc.value, "Expecting value"), exc.value) from None
    except json.JSONDecodeError as exc:
        raise _SyntaxError(_at_end(text, exc.pos, exc.msg), exc.pos) from None
    except _ConstantError as exc:
        match = _CONSTANTS.search(text, i)
        raise _SyntaxError(f"{exc} is not allowed in JSON", match.start() if match else i) from None
    except RecursionError:
        raise _SyntaxError("nesting is too deep", i) from None
    except ValueError:
        # An integer too long to convert (the only other ValueError the decoder raises): decode again,
        # bounding the conversion. Rare, so the common path keeps the C decoder's own conversion.
        decoding.notes.huge = True
        decoding.scan = decoding.bounded
        return _decode_value(text, i, decoding)


_MAX_SHAPES: Final = 1024


def _share_keys(value: Any, shapes: dict[tuple[str, ...], tuple[str, ...]]) -> Any:
    """Give an object the very key strings of the first earlier item with the same keys.

    Decoding one item at a time loses the decoder's key memo between items, so every record would hold
    its own copy of each key: a quarter of the parsed size of a typical bulk file. Rebuilding the dict
    over shared keys (C-level ``zip``) frees the copies as it goes.
    """
    if value.__class__ is not dict:
        return value
    keys = tuple(value)
    shared = shapes.get(keys)
    if shared is None:
        if len(shapes) < _MAX_SHAPES:
            shapes[keys] = keys
        return value
    return dict(zip(shared, value.values(), strict=True))


def _parse_json(text: str, decoding: _Decoding) -> tuple[Any, tuple[PathPart, ...], int]:
    """Parse a whole JSON document; return it, the path of its records array and where that array starts.

    The ``records`` array (or a top-level array) is decoded in one call of the C decoder, which shares
    key strings among records; where each record starts is found later, only for records with findings.
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
                    raise _SyntaxError("Expecting property name enclosed in double quotes", i)
                try:
                    key, i = scanstring(text, i + 1)
                except json.JSONDecodeError as exc:
                    raise _SyntaxError(exc.msg, exc.pos) from None
                i = skip_ws(text, i)
                if i >= n or text[i] != ":":
                    raise _SyntaxError("Expecting ':' delimiter", i)
                i = skip_ws(text, i + 1)
                if key == "records" and i < n and text[i] == "[":
                    items_at, base = i, ("records",)
                keys.append(key)
                value[key], i = _decode_value(text, i, decoding)
                i = skip_ws(text, i)
                char = text[i] if i < n else ""
                if char == ",":
                    i = skip_ws(text, i + 1)
                elif char == "}":
                    i += 1
                    break
                else:
                    raise _SyntaxError("Expecting ',' delimiter" if char else "unexpected end of file", i)
        if len(keys) != len(value):
            decoding.notes.duplicated(value, keys)
    else:
        items_at = i if text[i] == "[" else -1
        value, i = _decode_value(text, i, decoding)
    i = skip_ws(text, i)
    if i != n:
        raise _SyntaxError("Extra data after the document", i)
    return value, base, items_at


def _parse_jsonl(text: str, decoding: _Decoding) -> tuple[list[Any], list[int], list[ParseProblem]]:
    records: list[Any] = []
    offsets: list[int] = []
    problems: list[ParseProblem] = []
    shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        line_start, start = start, start + len(line) + 1
        if not line.strip():
            continue
        offsets.append(line_start + len(line) - len(line.lstrip()))
        try:
            duplicates = len(decoding.notes.duplicates)
            value, end = _decode_value(line, skip_ws(line, 0), decoding)
            if skip_ws(line, end) != len(line):
                raise _SyntaxError("Extra data after the record (one JSON value per line)", end)
            if len(decoding.notes.duplicates) == duplicates:  # a new object would lose its noted duplicates
                value = _share_keys(value, shapes)
        except _SyntaxError as exc:
            problem = _syntax_problem(line, exc.offset, exc.message)
            pointer = f"/records/{len(records)}"
            problems.append(ParseProblem(problem.rule, problem.message, number, problem.column, pointer))
            value = UNPARSED
        records.append(value)
    return records, offsets, problems


def load_text(text: str, *, path: str = "<document>", fmt: str = "json") -> SourceDocument:
    """Parse ``text`` as a JSON document (``fmt="json"``) or as JSON Lines (``fmt="jsonl"``)."""
    if skip_ws(text, 0) == len(text):
        return SourceDocument(path, fmt, None, text, problems=(ParseProblem("GS102", "file is empty", 1, 1),))
    decoding = _Decoding(text)
    if fmt == "jsonl":
        records, offsets, problems = _parse_jsonl(text, decoding)
        index = ItemIndex(text, records, decoding.index_scan, offsets=offsets)
        value = {"records": records}
        return SourceDocument(path, fmt, value, text, ("records",), tuple(problems), index, decoding.notes)
    try:
        value, base, items_at = _parse_json(text, decoding)
    except _SyntaxError as exc:
        return SourceDocument(path, fmt, None, text, problems=(_syntax_problem(text, exc.offset, exc.message),))
    items = value.get("records") if base else value
    found = None
    if items_at >= 0 and isinstance(items, list):
        found = ItemIndex(text, items, decoding.index_scan, at=items_at)
    return SourceDocument(path, fmt, value, text, base, index=found, notes=decoding.notes)


def _decode(data: bytes) -> tuple[str | None, ParseProblem | None]:
    """Decode UTF-8 (a BOM is allowed); binary data and bad bytes are a problem, not a crash."""
    if b"\x00" in data[:8192]:
        line, column = _position(data, data.index(b"\x00"), b"\n")
        return None, ParseProblem("GS103", "file is binary, not UTF-8 JSON text (NUL byte)", line, column)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start, b"\n")
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})"
        return None, ParseProblem("GS103", message, line, column)


def load_bytes(data: bytes, *, path: str = "<document>", fmt: str = "json") -> SourceDocument:
    """Decode ``data`` as UTF-8 and parse it."""
    text, problem = _decode(data)
    if text is None:
        return SourceDocument(path, fmt, None, "", problems=(problem,) if problem else ())
    return load_text(text, path=path, fmt=fmt)


def load_path(path: Path, *, display: str | None = None) -> SourceDocument:
    """Read and parse one payload file; ``.jsonl``/``.ndjson`` files are JSON Lines.

    Raises:
        OSError: the file cannot be read (missing, no permission, not a regular file, over 1 GiB); callers
            report it.
    """
    fmt = "jsonl" if path.suffix.lower() in JSONL_SUFFIXES else "json"
    data = read_regular(path)
    text, problem = _decode(data)
    # Drop the bytes before parsing: holding both would add a whole file's size to peak memory.
    del data
    if text is None:
        return SourceDocument(display or str(path), fmt, None, "", problems=(problem,) if problem else ())
    return load_text(text, path=display or str(path), fmt=fmt)
