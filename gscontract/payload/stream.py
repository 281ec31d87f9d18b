"""Read a payload text record by record: the top-level members whole, the ``records`` array one item at a time.

A bulk file is an object whose ``records`` array holds nearly all of it, or JSON Lines. :class:`JsonText`
decodes the other top-level members whole (they are small) and hands out the records in batches, each
record with the offset where it starts, decoded by the standard library's C scanner one at a time; the
caller judges a batch and lets it go, so a file's records are never all held at once. Offsets become
lines and columns only for records with findings (:mod:`._locate`).

Rules need the body's ``lookups`` before the first record, but a file may define them after its
records. :func:`lookups_after` finds them from the end of the text without reading the records: the last
``"lookups"`` key whose value and the members after it run to the end of the top-level object.

Syntax is checked as the text is read; a text that breaks raises :class:`SyntaxBreak`, and the caller
describes the problem with :func:`gscontract.payload.reader.describe`, which reads the text as a whole,
once, so the message and position are exactly those of the standard library's decoder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, absent from typeshed
from typing import Any, BinaryIO, Final

from ._literals import Notes, control_escape_in, walk_literals
from ._locate import descend, lines_and_columns, skip_ws
from .reader import UNPARSED, Decoding, JsonSyntaxError, ParseProblem, decode_value, syntax_problem, utf8_problem

# What reading a payload needs besides the stream: the literal notes and walk, and locating offsets.
__all__ = [
    "BATCH",
    "Batch",
    "JsonLines",
    "JsonLinesFile",
    "JsonText",
    "NotText",
    "Notes",
    "SyntaxBreak",
    "descend",
    "lines_and_columns",
    "lookups_after",
    "member_at",
    "skip_ws",
    "walk_literals",
]

BATCH: Final = 512
"""Records handed out at a time: enough for the engine's C-level passes, few enough to hold no file."""
_LOOKUPS: Final = '"lookups"'
_BOM: Final = b"\xef\xbb\xbf"
_JSON_WS: Final = " \t\r\n"
_WS: Final = re.compile(r"[ \t\n\r]*")
_MAX_TRIES: Final = 16


class SyntaxBreak(Exception):
    """The text is not valid JSON; the caller describes the problem from the whole text."""


@dataclass(slots=True)
class Batch:
    """Consecutive records, the first at index ``start``, with the offset where each begins in the text."""

    start: int
    values: Sequence[Any] = field(default_factory=list)
    offsets: Sequence[int] = field(default_factory=list)
    lines: Sequence[tuple[int, str]] = ()
    """For JSON Lines: each record's line number and text (its offset is then within the line's text)."""
    ends: Sequence[int] = ()
    """For a file read from its bytes: where each record's slice ends."""


class JsonText:
    """A JSON document read member by member, its ``records`` array (if any) in batches.

    After construction, ``head`` holds the top-level members before the records array, which stands there
    as an empty list (the whole value when the document is not an object); ``members`` says where each
    member's key and value start. Iterate
    :meth:`batches` to read the records and the members after them; a ``None`` batch means the document
    gives ``records`` again, and what was read of the earlier array no longer counts (the last one wins).
    """

    def __init__(self, text: str, decoding: Decoding) -> None:
        self.text = text
        self.decoding = decoding
        self.is_object = False
        self.head: Any = None
        self.members: dict[str, tuple[int, int]] = {}
        self.keys: list[str] = []
        self.records_at = -1
        """Where the streamed ``records`` array's ``[`` is; -1 when no array is streamed."""
        self.head_duplicates: dict[int, tuple[tuple[str, int], ...]] = {}
        self._replaced = False
        self._arrays = 0
        self._i = skip_ws(text, 0)
        try:
            if text[self._i] != "{":
                self.head, end = decode_value(text, self._i, decoding)
                self._i = end
                self._finish()
                return
            self.is_object = True
            self.head = {}
            self._i = skip_ws(text, self._i + 1)
            if text[self._i] == "}":
                self._i += 1
                self._finish()
            else:
                self._members()
        except (ValueError, IndexError, JsonSyntaxError) as exc:
            raise SyntaxBreak from exc

    @property
    def notes(self) -> Notes:
        """What decoding noticed (see :mod:`._literals`)."""
        return self.decoding.notes

    def batches(self, size: int = BATCH) -> Iterator[Batch | None]:
        """The records in batches, then the members after them (a ``None`` batch: ``records`` again)."""
        try:
            while self.records_at >= 0:
                yield from self._items(size)
                self.records_at = -1
                self._after_value()
                if self._i >= 0:
                    self._members()
                if self._replaced:
                    yield None  # "records" again after the array, an array or not: the last one counts
                    self._replaced = False
        except (ValueError, IndexError, JsonSyntaxError) as exc:
            raise SyntaxBreak from exc

    def _members(self) -> bool:
        """Read members from the current key on; stop at a records array (True) or at the end (False)."""
        text = self.text
        while True:
            if text[self._i] != '"':
                raise ValueError("Expecting property name")
            key_at = self._i
            key, i = scanstring(text, key_at + 1)
            i = skip_ws(text, i)
            if text[i] != ":":
                raise ValueError("Expecting ':' delimiter")
            i = skip_ws(text, i + 1)
            self.keys.append(key)
            self.members.setdefault(key, (key_at, i))
            self._replaced = self._replaced or (key == "records" and self._arrays > 0)
            if key == "records" and text[i] == "[":
                # A placeholder where the array stands: rules about the body see that it has records.
                self.head["records"] = []
                self._arrays += 1
                self.records_at = i
                self._i = skip_ws(text, i + 1)
                self.head_duplicates = dict(self.notes.duplicates)
                return True
            self.head[key], self._i = decode_value(text, i, self.decoding)
            self._after_value()
            if self._i < 0:
                return False

    def _after_value(self) -> None:
        """Step past a member's value: to the next key, or to the end (``_i`` -1 once the object closes)."""
        text = self.text
        i = skip_ws(text, self._i)
        if text[i] == ",":
            self._i = skip_ws(text, i + 1)
        elif text[i] == "}":
            self._i = i + 1
            self._finish()
        else:
            raise ValueError("Expecting ',' delimiter")

    def _finish(self) -> None:
        if skip_ws(self.text, self._i) != len(self.text):
            raise ValueError("Extra data")
        if self.is_object and len(set(self.keys)) != len(self.keys):
            self.notes.duplicated(self.head, self.keys)
        self._i = -1

    def _items(self, size: int) -> Iterator[Batch]:
        text, decoding, notes, match_ws = self.text, self.decoding, self.notes, _WS.match
        i = self._i
        start = 0
        values: list[Any] = []
        offsets: list[int] = []
        if text[i] == "]":
            self._i = i + 1
            return
        scan = decoding.scan
        while True:
            try:
                # The C scanner itself: a Python frame less per record than decode_value.
                value, end = scan(text, i)
            except Exception:  # decode_value turns any failure into the reader's own error
                value, end = decode_value(text, i, decoding)  # or decodes, bounding a too-long integer
                scan = decoding.scan
            values.append(value)
            offsets.append(i)
            if len(values) == size:
                yield Batch(start, values, offsets)
                notes.duplicates = dict(self.head_duplicates)  # the batch's objects are gone; so are their ids
                start, values, offsets = start + size, [], []
            i = match_ws(text, end).end()  # type: ignore[union-attr]  # skip_ws inlined: once per record
            if text[i] == ",":
                i = match_ws(text, i + 1).end()  # type: ignore[union-attr]  # the pattern matches ""
            elif text[i] == "]":
                break
            else:
                raise ValueError("Expecting ',' delimiter")
        if values:
            yield Batch(start, values, offsets)
            notes.duplicates = dict(self.head_duplicates)
        self._i = i + 1


def lookups_after(text: str, records_at: int) -> tuple[Any, tuple[int, int]] | None:
    """The top-level ``lookups`` member defined after the records, found from the end; ``None`` if none.

    A candidate is a ``"lookups"`` key preceded by a comma, whose value and the members after it (with
    nothing but white space after the closing brace) end the document. A key of a record cannot pass:
    its object closes before the document does. Returns the value and where its key and value start.

    Raises:
        LookupError: more candidates failed than are worth trying; the caller reads the records twice.
    """
    end = len(text)
    for _ in range(_MAX_TRIES):
        at = text.rfind(_LOOKUPS, records_at, end)
        if at < 0:
            return None
        end = at
        before = at - 1
        while before >= 0 and text[before] in " \t\r\n":
            before -= 1
        found = member_at(text, at) if before >= 0 and text[before] == "," else None
        if found is not None:
            return found
    raise LookupError("too many 'lookups' keys inside records")


def member_at(text: str, at: int) -> tuple[Any, tuple[int, int]] | None:
    """The value of the ``"lookups"`` key at ``at`` if it and the members after it end the document.

    Returns the value and where its key and value start; ``None`` when ``at`` is no such key.
    """
    probe = Decoding(text[at:])  # the tail only: its own notes, so a failed probe leaves none behind
    try:
        i = skip_ws(text, at + len(_LOOKUPS))
        if text[i] != ":":
            return None
        value_at = skip_ws(text, i + 1)
        value, i = decode_value(text, value_at, probe)
        while True:
            i = skip_ws(text, i)
            if text[i] == "}":
                return (value, (at, value_at)) if skip_ws(text, i + 1) == len(text) else None
            if text[i] != ",":
                return None
            i = skip_ws(text, i + 1)
            if text[i] != '"':
                return None
            _, i = scanstring(text, i + 1)
            i = skip_ws(text, i)
            if text[i] != ":":
                return None
            _, i = decode_value(text, skip_ws(text, i + 1), probe)
    except (ValueError, IndexError, JsonSyntaxError):
        return None


class JsonLines:
    """A JSON Lines text read line by line: one record a line, blank lines skipped.

    A line that does not parse is a problem of its own (``problems``, located already) and its record
    an :data:`~gscontract.payload.reader.UNPARSED` placeholder that the rules pass over.
    """

    def __init__(self, text: str, decoding: Decoding) -> None:
        self.text = text
        self.decoding = decoding
        self.problems: list[ParseProblem] = []

    def _lines(self) -> Iterator[tuple[int, str, int]]:
        text = self.text
        start = number = 0
        while start <= len(text):
            stop = text.find("\n", start)
            if stop < 0:
                stop = len(text)
            number += 1
            yield number, text[start:stop], start
            start = stop + 1

    def batches(self, size: int = BATCH) -> Iterator[Batch]:
        """The records in batches; a batch's offsets are where its records start in the text."""
        decoding, notes = self.decoding, self.decoding.notes
        first = 0
        values: list[Any] = []
        offsets: list[int] = []
        lines: list[tuple[int, str]] = []
        for number, line, line_start in self._lines():
            if not line.strip():
                continue
            lead = len(line) - len(line.lstrip())
            offsets.append(line_start + lead)
            lines.append((number, line))
            values.append(self._record(line, number, first + len(values), decoding))
            if len(values) == size:
                yield Batch(first, values, offsets, lines)
                notes.duplicates.clear()  # the batch's objects are gone; so are their ids
                first, values, offsets, lines = first + size, [], [], []
        if values:
            yield Batch(first, values, offsets, lines)

    def _record(self, line: str, number: int, index: int, decoding: Decoding) -> Any:
        try:
            value, end = decode_value(line, skip_ws(line, 0), decoding)
            if skip_ws(line, end) != len(line):
                raise JsonSyntaxError("Extra data after the record (one JSON value per line)", end)
            return value
        except JsonSyntaxError as exc:
            problem = syntax_problem(line, exc.offset, exc.message)
        self.problems.append(ParseProblem(problem.rule, problem.message, number, problem.column, f"/records/{index}"))
        return UNPARSED


class NotText(Exception):
    """A JSON Lines file read line by line turned out not to be UTF-8 text: its one problem."""

    def __init__(self, problem: ParseProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class JsonLinesFile(JsonLines):
    """A JSON Lines file read line by line from disk: memory holds one batch of lines, never the file.

    A line that is not UTF-8 stops the read with :class:`NotText` (the whole file is then not text, as
    when it is read at once). ``empty`` says, once read, whether the file held only white space.
    """

    def __init__(self, handle: BinaryIO, size: int) -> None:
        super().__init__("", Decoding("", size=size))
        self.handle = handle
        self.empty = True

    def _lines(self) -> Iterator[tuple[int, str, int]]:
        notes = self.decoding.notes
        for number, raw in enumerate(self.handle, start=1):
            body = raw[:-1] if raw.endswith(b"\n") else raw
            skip = 3 if number == 1 and body.startswith(_BOM) else 0
            try:
                line = body[skip:].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise NotText(utf8_problem(body, skip + exc.start, number)) from None
            if self.empty and line.strip(_JSON_WS):
                self.empty = False
            if not notes.controls and control_escape_in(line):
                notes.controls = True  # as the whole text's search would have found
            yield number, line, 0
