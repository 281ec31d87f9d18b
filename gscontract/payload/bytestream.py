"""Read a large ASCII bulk file from its bytes: each record is a slice that orjson decodes, nothing else is copied.

The text reader (:mod:`.stream`) decodes the whole file to a string first, so for a moment memory holds the
file twice, and the standard library's decoder is about half as fast as orjson. For the files where that
matters (larger than :data:`~._literals.DUPLICATE_CHECK_CHARS`, pure ASCII, without control-character
escapes) this reader keeps only the bytes:

* the top-level members before the records are read by :class:`~.stream.JsonText` from a decoded prefix
  of the file, those after them from the decoded tail, exactly as the text reader reads them;
* a record ends at a ``}`` followed by a comma or the array's ``]``: the first such ``}`` from the
  record's start whose slice orjson decodes whole. A ``}`` inside a string or a nested object leaves a
  slice that does not decode (an open string or object), so the next one is tried;
* offsets are byte offsets, which in ASCII are character offsets, so findings are placed as the text
  reader places them.

Whatever this reader cannot vouch for raises :class:`Unsuitable` and the caller reads the file as text
instead: a record that is not an object, orjson refusing a slice the standard library might accept (a
lone surrogate, ``NaN``), a float from an integer too large for 64 bits (the text reader keeps the
integer), a top-level key given twice, ``records`` given again. So the findings are the text reader's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any, Final

import orjson

from ._literals import DUPLICATE_CHECK_CHARS
from .reader import Decoding
from .stream import BATCH, Batch, JsonText, SyntaxBreak, descend, member_at

__all__ = ["BytesText", "Unsuitable", "suitable"]

_RECORD_END: Final = re.compile(rb"\}[ \t\r\n]*(?:(,)[ \t\r\n]*|\])")
_CONTROL_ESCAPE: Final = re.compile(rb"\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|[bf])")
_WS: Final = b" \t\r\n"
_MAX_TRIES: Final = 256
_PREFIX: Final = 1 << 16
_INT_RANGE: Final = (-(2**63), 2**64)  # orjson keeps integers in this range; beyond, it makes floats
_FLAT: Final = frozenset({str, int, bool, type(None)})
_IS_LIST: Final = list.__instancecheck__
_DIGITS_AS_ZERO: Final = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_NUMBER: Final = b"0" * 19


class Unsuitable(Exception):
    """The file needs the text reader (see the module's description)."""


def suitable(data: bytes) -> bool:
    """Whether ``data`` is a file for this reader: large, ASCII, without control-character escapes."""
    if len(data) <= DUPLICATE_CHECK_CHARS or not data.isascii():
        return False
    first = data.find(b"\\")
    return first < 0 or _CONTROL_ESCAPE.search(data, first) is None


class BytesText:
    """A bulk document read from its bytes; the interface of :class:`~.stream.JsonText` that the checker uses."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.view = memoryview(data)
        size = _PREFIX
        while True:
            prefix = data[:size].decode("ascii")
            try:
                head = JsonText(prefix, Decoding(prefix, size=len(data)))
            except SyntaxBreak:
                head = None
            if head is not None and head.records_at >= 0:
                break
            if size >= len(data):
                raise Unsuitable("no records array")
            size *= 4
        if head.notes.any():
            raise Unsuitable("the members before the records hide something")
        self.head: dict[str, Any] = head.head
        self.keys = list(head.keys)
        self.members = dict(head.members)
        self.records_at = head.records_at
        self.notes = head.notes
        # The decoded texts of the members, (where each starts in the bytes, text): for placing findings.
        self._texts: list[tuple[int, str]] = [(0, prefix)]

    def batches(self, size: int = BATCH) -> Iterator[Batch]:
        """The records in batches (offsets and ends of each slice), then the members after them."""
        data, view, loads, find = self.data, self.view, orjson.loads, _RECORD_END.search
        i = self.records_at + 1
        while data[i] in _WS:
            i += 1
        start = 0
        values: list[Any] = []
        offsets: list[int] = []
        ends: list[int] = []
        at_end = data[i] == 0x5D  # "]"
        separator = b""  # what lies between one record and the next, "},\n    {" in a pretty file
        while not at_end:
            if data[i] != 0x7B:  # "{": a record that is not an object
                raise Unsuitable("a record is not an object")
            # The separator seen last is where the record most likely ends: bytes.find is faster than the
            # pattern, and a wrong guess does not decode.
            guess = data.find(separator, i) if separator else -1
            if guess >= 0:
                try:
                    value = loads(view[i : guess + 1])
                except orjson.JSONDecodeError:
                    guess = -1
                else:
                    values.append(value)
                    offsets.append(i)
                    ends.append(guess + 1)
                    i = guess + len(separator) - 1
                    if len(values) == size:
                        self._check(values, offsets, ends)
                        yield Batch(start, values, offsets, ends=ends)
                        start, values, offsets, ends = start + len(values), [], [], []
                    continue
            match = find(data, i)
            for _ in range(_MAX_TRIES):
                if match is None:
                    raise Unsuitable("no end of record")
                try:
                    value = loads(view[i : match.start() + 1])
                    break
                except orjson.JSONDecodeError:
                    match = find(data, match.start() + 1)
            else:
                raise Unsuitable("no end of record")
            at_end = match.group(1) is None
            if not at_end:
                separator = data[match.start() : match.end() + 1]
            values.append(value)
            offsets.append(i)
            ends.append(match.start() + 1)
            i = match.end() - 1 if at_end else match.end()
            if len(values) == size or at_end:
                self._check(values, offsets, ends)
                yield Batch(start, values, offsets, ends=ends)
                start, values, offsets, ends = start + len(values), [], [], []
        self._tail(i + 1)
        if len(set(self.keys)) != len(self.keys):
            raise Unsuitable("a top-level key given twice")

    def _check(self, values: list[Any], offsets: list[int], ends: list[int]) -> None:
        # Only a run of 19 digits can be an integer orjson would make a float: look for one in C.
        if _LONG_NUMBER in self.data[offsets[0] : ends[-1]].translate(_DIGITS_AS_ZERO):
            _check_numbers(values)

    def _tail(self, at: int) -> None:
        """Read the members after the records array (``at`` is just past its ``]``)."""
        tail = self.data[at:].decode("ascii")
        i = len(tail) - len(tail.lstrip())
        if tail[i : i + 1] == ",":
            text = "{" + tail[i + 1 :]
            shift = at + i  # text[k] is data[shift + k] for k >= 1
        elif tail[i : i + 1] == "}" and not tail[i + 1 :].strip(" \t\r\n"):
            return
        else:
            raise Unsuitable("the document does not end after its records")
        try:
            rest = JsonText(text, Decoding(text, size=len(self.data)))
        except SyntaxBreak:
            raise Unsuitable("the members after the records do not read") from None
        if rest.records_at >= 0 or rest.notes.any() or set(rest.keys) & set(self.keys):
            raise Unsuitable("records again, a key given twice, or a hidden literal after the records")
        self.keys.extend(rest.keys)
        self.head.update(rest.head)
        self._texts.append((shift, text))
        for key, (key_at, value_at) in rest.members.items():
            self.members.setdefault(key, (key_at + shift, value_at + shift))

    def lookups(self) -> Any:
        """The last ``lookups`` member after the records, found from the end, else the one before them."""
        data = self.data
        end = len(data)
        for _ in range(16):
            at = data.rfind(b'"lookups"', self.records_at, end)
            if at < 0:
                return self.head.get("lookups")
            end = at
            before = at - 1
            while data[before] in _WS:
                before -= 1
            if data[before] == 0x2C:  # ","
                found = member_at(data[at:].decode("ascii"), 0)
                if found is not None:
                    return found[0]
        raise Unsuitable("too many 'lookups' keys inside records")

    def offset(self, tokens: list[str], batch: Batch | None) -> int:
        """Where ``tokens`` point in the bytes: in a record of ``batch``, in a member, or the document's start."""
        if batch is not None and len(tokens) > 1 and tokens[0] == "records" and tokens[1].isdigit():
            k = int(tokens[1]) - batch.start
            if 0 <= k < len(batch.offsets):
                a = batch.offsets[k]
                return a + descend(self.data[a : batch.ends[k]].decode("ascii"), 0, tokens[2:])
        if tokens and tokens[0] in self.members:
            key_at, value_at = self.members[tokens[0]]
            if len(tokens) == 1:
                return key_at
            shift, text = next((s, t) for s, t in reversed(self._texts) if s <= value_at)
            return shift + descend(text, value_at - shift, tokens[1:])
        return len(self.data) - len(self.data.lstrip(_WS))


def _check_numbers(records: list[Any]) -> None:
    """Refuse a batch where orjson may have made a float of an integer the text reader would keep.

    Called for a batch whose text has a run of 19 digits (in a string, most likely). A batch with no float
    and only flat lists passes at C speed; otherwise every float is looked at, and one that is a whole
    number outside orjson's integer range may have been such an integer.
    """
    try:
        fields = list(chain.from_iterable(map(dict.values, records)))
    except TypeError:
        fields = list(records)
    types = set(map(type, fields))
    if types <= _FLAT:
        return
    if types <= _FLAT | {list} and set(map(type, chain.from_iterable(filter(_IS_LIST, fields)))) <= _FLAT:
        return
    stack = fields
    while stack:
        node = stack.pop()
        if node.__class__ is float and node.is_integer() and not _INT_RANGE[0] <= node < _INT_RANGE[1]:
            raise Unsuitable("a float that may have been a large integer")
        if node.__class__ is float and node in (float("inf"), float("-inf")):
            raise Unsuitable("an infinite number")
        if node.__class__ is dict:
            stack.extend(node.values())
        elif node.__class__ is list:
            stack.extend(node)
