"""What the checker reads a payload from: a JSON text, a JSON Lines text, or a value parsed already.

Each source hands out its records in batches (:class:`~gscontract.payload.stream.Batch`) and says where
a finding's pointer points in its text, given the batch being judged (a record's offset is known only
while its batch is). A document whose records are not streamed (a single event, a delete body, a query)
is its ``head`` whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from ..payload.bytestream import BytesText
from ..payload.reader import Decoding, ParseProblem
from ..payload.stream import Batch, JsonLines, JsonLinesFile, JsonText, Notes, descend, lookups_after, skip_ws

__all__ = ["BytesSource", "LinesFileSource", "LinesSource", "Source", "TextSource", "ValueSource"]


class Source:
    """A payload being read: its top level, its records in batches, and where a pointer points."""

    text = ""
    streamed = False
    """Whether the records come in batches (else the head holds them, if it has any)."""

    def __init__(self) -> None:
        self.notes = Notes()
        self.problems: list[ParseProblem] = []
        self.head: Any = None
        self.record_offsets: list[int] = []
        """Where each record of a head that holds its records starts (when known)."""

    @property
    def body(self) -> str | bytes:
        """What offsets count in, for lines and columns (empty: there is no text)."""
        return self.text

    def batches(self) -> Iterator[Batch | None]:
        """The records in batches, read once: each call continues where the last stopped.

        A ``None`` batch means: forget the records so far, the document gives them again.
        """
        return iter(())

    def lookups(self) -> Any:
        """The body's ``lookups`` member as the rules must see it before the first record."""
        return self.head.get("lookups") if isinstance(self.head, dict) else None

    def offset(self, tokens: list[str], batch: Batch | None) -> int | None:
        """Where the value at ``tokens`` starts in the text (``None``: there is no text)."""
        if not self.text:
            return None
        if len(tokens) > 1 and tokens[0] == "records" and tokens[1].isdigit():
            index = int(tokens[1])
            if batch is not None and 0 <= index - batch.start < len(batch.offsets):
                return descend(self.text, batch.offsets[index - batch.start], tokens[2:])
            if 0 <= index < len(self.record_offsets):
                return descend(self.text, self.record_offsets[index], tokens[2:])
        return self._member(tokens)

    def _member(self, tokens: list[str]) -> int:
        return descend(self.text, skip_ws(self.text, 0), tokens)

    def position(self, tokens: list[str], batch: Batch | None) -> tuple[int, int] | None:
        """The line and column of ``tokens`` when the source knows them now (``None``: use :meth:`offset`)."""
        return None


class TextSource(Source):
    """A JSON text: its top-level members whole, its ``records`` array streamed."""

    def __init__(self, text: str, decoding: Decoding) -> None:
        super().__init__()
        self.text = text
        self._reader = JsonText(text, decoding)
        self.notes = decoding.notes
        self.head = self._reader.head
        self.streamed = self._reader.records_at >= 0
        self._batches = self._reader.batches()

    def batches(self) -> Iterator[Batch | None]:
        """The records in batches (see :meth:`Source.batches`)."""
        return self._batches

    def lookups(self) -> Any:
        """The last ``lookups`` member, even one after the records (found from the end of the text).

        Raises:
            LookupError: it cannot be found without reading the records (see :func:`lookups_after`).
        """
        if self.streamed:
            found = lookups_after(self.text, self._reader.records_at)
            if found is not None:
                return found[0]
        return super().lookups()

    def _member(self, tokens: list[str]) -> int:
        members = self._reader.members
        if tokens and tokens[0] in members:
            key_at, value_at = members[tokens[0]]
            return key_at if len(tokens) == 1 else descend(self.text, value_at, tokens[1:])
        return super()._member(tokens)


class LinesSource(Source):
    """A JSON Lines text: one record a line; lines that do not parse are problems of their own."""

    streamed = True

    def __init__(self, text: str, decoding: Decoding) -> None:
        super().__init__()
        self.text = text
        self._reader = JsonLines(text, decoding)
        self.notes = decoding.notes
        self.head = {"records": []}
        self.problems = self._reader.problems
        self._batches: Iterator[Batch | None] = self._reader.batches()

    def batches(self) -> Iterator[Batch | None]:
        """The records in batches (see :meth:`Source.batches`)."""
        return self._batches


class LinesFileSource(Source):
    """A JSON Lines file read from disk a batch of lines at a time: findings are placed while their line is known."""

    streamed = True

    def __init__(self, handle: BinaryIO, size: int) -> None:
        super().__init__()
        self._reader = JsonLinesFile(handle, size)
        self.notes = self._reader.decoding.notes
        self.head = {"records": []}
        self.problems = self._reader.problems
        self._batches: Iterator[Batch | None] = self._reader.batches()

    @property
    def empty(self) -> bool:
        """Whether the file, read to its end, held only white space."""
        return self._reader.empty

    def batches(self) -> Iterator[Batch | None]:
        """The records in batches (see :meth:`Source.batches`)."""
        return self._batches

    def position(self, tokens: list[str], batch: Batch | None) -> tuple[int, int] | None:
        """The line and column of a record's pointer, from the record's line."""
        if batch is None or len(tokens) < 2 or tokens[0] != "records" or not tokens[1].isdigit():
            return None
        k = int(tokens[1]) - batch.start
        if not 0 <= k < len(batch.lines):
            return None
        number, line = batch.lines[k]
        return number, descend(line, batch.offsets[k], tokens[2:]) + 1


class BytesSource(Source):
    """A large ASCII bulk file read from its bytes (see :mod:`gscontract.payload.bytestream`).

    Raises:
        Unsuitable: at any point, while it is read: the caller reads the file as text instead.
    """

    streamed = True

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._reader = BytesText(data)
        self.notes = self._reader.notes
        self.head = self._reader.head
        self._batches: Iterator[Batch | None] = self._reader.batches()

    @property
    def body(self) -> str | bytes:
        """The file's bytes: offsets are byte offsets (ASCII, so characters too)."""
        return self._reader.data

    def batches(self) -> Iterator[Batch | None]:
        """The records in batches (see :meth:`Source.batches`)."""
        return self._batches

    def lookups(self) -> Any:
        """The last ``lookups`` member, even one after the records."""
        return self._reader.lookups()

    def offset(self, tokens: list[str], batch: Batch | None) -> int | None:
        """Where ``tokens`` point in the bytes."""
        return self._reader.offset(tokens, batch)


class ValueSource(Source):
    """A body parsed already: no text, so findings keep their pointers only."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.head = value
