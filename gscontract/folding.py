"""Keep a flood of alike findings bounded: past a limit per rule, findings fold into one that counts them.

A 1 MB file of empty records breaks seven rules in each of 300,000 records: two million findings, a
gigabyte of output that nobody reads past the first screen. Per file, the first ``limit`` findings of
each rule are kept as they are. Every later one is folded by its *shape* (its rule and its message with
numbers and quoted values blanked out): the first of a shape stays, its message saying how many more
there were and :attr:`~gscontract.findings.Finding.folded` holding that number, so summaries still count
every finding.

A :class:`Folder` decides before a finding is built (:meth:`Folder.admit`), so the rule engine builds
only the findings that are kept: memory depends on what is kept, and time on the rules that run, never on
how many findings there were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Final

from .findings import Finding

__all__ = ["DEFAULT_MAX_FINDINGS", "Folder", "fold", "shape"]

DEFAULT_MAX_FINDINGS: Final = 1000
"""Findings of one rule listed per file before the rest are folded."""

# Quoted values (as repr and backticks quote them) and numbers: what differs between alike messages.
_VARIABLE: Final = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|\d+")
_MAX_CACHED: Final = 4096


def shape(message: str) -> str:
    """The message with its quoted values and numbers blanked out: alike findings share it."""
    return _VARIABLE.sub("…", message)


class Folder:
    """Folds the findings of one file; ``limit`` 0 keeps them all.

    Every finding is offered to :meth:`admit` first, in the order the findings come; only the admitted
    ones are built and handed to :meth:`finish`, in the same order.
    """

    __slots__ = ("_first", "_limit", "_more", "_seen", "_shapes")

    def __init__(self, limit: int = DEFAULT_MAX_FINDINGS) -> None:
        self._limit = limit
        self._seen: dict[str, int] = {}  # rule -> findings of it offered so far
        self._first: set[tuple[str, str]] = set()  # (rule, shape) whose first finding past the limit is kept
        self._more: dict[tuple[str, str], int] = {}  # (rule, shape) -> findings folded into that first one
        self._shapes: dict[str, str] = {}  # most messages repeat exactly: shape each text once

    def _shape(self, message: str) -> str:
        blanked = self._shapes.get(message)
        if blanked is None:
            blanked = shape(message)
            if len(self._shapes) < _MAX_CACHED:
                self._shapes[message] = blanked
        return blanked

    def admit(self, rule: str, message: str) -> bool:
        """Whether to build and keep a finding of ``rule`` saying ``message``; if not, it is counted."""
        seen = self._seen.get(rule, 0)
        self._seen[rule] = seen + 1
        if self._limit <= 0 or seen < self._limit:
            return True
        key = (rule, self._shape(message))
        if key in self._first:
            self._more[key] += 1
            return False
        self._first.add(key)
        self._more[key] = 0
        return True

    def admitted(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings (built already) that :meth:`admit` keeps."""
        return (f for f in findings if self.admit(f.rule, f.message))

    def finish(self, admitted: Iterable[Finding]) -> list[Finding]:
        """The admitted findings, in order; the first of each shape past the limit now says how many it folds."""
        # Every finding must have been offered before the counts are read: draw the lazy streams first.
        built = list(admitted)
        kept: list[Finding] = []
        count: dict[str, int] = {}
        for finding in built:
            rule = finding.rule
            number = count.get(rule, 0)
            count[rule] = number + 1
            if self._limit > 0 and number >= self._limit:
                more = self._more.get((rule, self._shape(finding.message)), 0)
                if more:
                    note = f" [and {more:,} more {rule} findings like this in the file, not listed: "
                    note += f"the limit is {self._limit:,}]"
                    finding = replace(finding, message=finding.message + note, folded=more)
            kept.append(finding)
        return kept


def fold(findings: Iterable[Finding], limit: int = DEFAULT_MAX_FINDINGS) -> list[Finding]:
    """Fold a file's findings, built already: the first ``limit`` of each rule, then one per shape."""
    folder = Folder(limit)
    return folder.finish(folder.admitted(findings))
