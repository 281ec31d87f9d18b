r"""Where each item of a parsed JSON array starts in its text, found only for the items that are asked for.

The loader decodes a bulk file's ``records`` array in one call of the C decoder (fast, and records share
their key strings). Line numbers are wanted only for records with findings, so their offsets are found
afterwards, and cheaply:

* A file separates its records with the same text every time: the end of one, a comma, perhaps a newline
  and indentation, and the start of the next (``},\n    {`` or ``},{``). ``str.find`` (C speed) lists
  every place that text appears, which are the boundaries. In a pretty-printed file they cannot be
  anything else (a JSON string cannot hold a raw newline); in a compact one a string may hold ``},{``,
  which shifts the guesses after it.
* So each offset handed out is verified: decoding the text there must give exactly that item, between a
  separator and a separator (or a bracket). Where a guess fails, offsets are found by walking the items
  one by one with the C decoder, up to the one asked for (once: the walk's results are kept).

An offset handed out is therefore one where that very item decodes; only how fast it is found depends on
the file's layout. (A string holding a copy of a neighbouring record could pass for it; no payload does.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

__all__ = ["ItemIndex"]

_WS: Final = re.compile(r"[ \t\n\r]*")
Scan = Callable[[str, int], tuple[Any, int]]


class ItemIndex:
    """Start offsets of the items of one array of a text (the records of a bulk file)."""

    __slots__ = ("_guesses", "_items", "_known", "_scan", "_text")

    def __init__(
        self, text: str, items: Sequence[Any], scan: Scan, *, at: int = -1, offsets: Sequence[int] = ()
    ) -> None:
        """Index ``items``: the decoded array whose ``[`` is at ``at``, or whose offsets are all known.

        ``scan`` decodes one value at an offset, returning it and where it ends (``scan_once``).
        """
        self._text = text
        self._items = items
        self._scan = scan
        self._known: list[int] = list(offsets)  # offsets of items 0..k, found in order (exact)
        self._guesses: list[int] | None = None
        if items and not self._known:
            self._known.append(_WS.match(text, at + 1).end())  # type: ignore[union-attr]  # at worst ""

    def offset(self, index: int) -> int | None:
        """Where item ``index`` starts, or ``None`` when there is no such item."""
        if not 0 <= index < len(self._items):
            return None
        if index < len(self._known):
            return self._known[index]
        if self._guesses is None:
            self._guesses = self._guess()
        if index < len(self._guesses) and self._verified(index, self._guesses[index]):
            return self._guesses[index]
        return self._walk(index)

    def all(self) -> tuple[int, ...]:
        """Every item's offset."""
        return tuple(self.offset(i) or 0 for i in range(len(self._items)))

    def _walk(self, index: int) -> int:
        """Decode items one by one from the last known offset up to ``index``."""
        text, scan = self._text, self._scan
        while len(self._known) <= index:
            _, end = scan(text, self._known[-1])
            end = _WS.match(text, end).end()  # type: ignore[union-attr]
            self._known.append(_WS.match(text, end + 1).end())  # type: ignore[union-attr]  # past the comma
        return self._known[index]

    def _guess(self) -> list[int]:
        """Every item's offset, if the file repeats one separator with a newline in it; else ``[]``."""
        if len(self._items) < 2:
            return []
        text = self._text
        first = self._known[0]
        second = self._walk(1)
        _, end = self._scan(text, first)
        separator = text[end - 1 : second + 1]  # last character of item 0 .. first character of item 1
        found = [first, second]
        add, find, step, at = found.append, text.find, len(separator) - 1, second
        for _ in range(len(self._items) - 2):  # a C-level find per item: this runs 100,000s of times
            at = find(separator, at)
            if at < 0:
                return []
            at += step
            add(at)
        return found

    def _verified(self, index: int, at: int) -> bool:
        """Whether item ``index`` really starts at ``at``: it decodes there, between separators."""
        text = self._text
        before = at - 1
        while before >= 0 and text[before] in " \t\n\r":
            before -= 1
        if before < 0 or text[before] != ("[" if index == 0 else ","):
            return False
        try:
            value, end = self._scan(text, at)
        except (ValueError, StopIteration, RecursionError):
            return False
        end = _WS.match(text, end).end()  # type: ignore[union-attr]
        after = text[end : end + 1]
        last = index == len(self._items) - 1
        return bool(value == self._items[index] and after == ("]" if last else ","))
