"""Keep a flood of alike findings bounded: past a limit per rule, findings fold into one that counts them.

A 1 MB file of empty records breaks seven rules in each of 300,000 records: two million findings, a
gigabyte of output that nobody reads past the first screen. Per file, the first ``limit`` findings of
each rule are kept as they are. Every later one is folded by its *shape* (its rule and its message with
numbers and quoted values blanked out): the first of a shape stays, with its message saying how many
more there were, and :attr:`~gscontract.findings.Finding.folded` holding that number, so summaries still
count every finding. Findings are consumed one at a time, so memory depends on what is kept, not on how
many there were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Final

from .findings import Finding

__all__ = ["DEFAULT_MAX_FINDINGS", "fold", "shape"]

DEFAULT_MAX_FINDINGS: Final = 1000
"""Findings of one rule listed per file before the rest are folded."""

# Quoted values (as repr and backticks quote them) and numbers: what differs between alike messages.
_VARIABLE: Final = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|\d+")
_MAX_CACHED: Final = 4096


def shape(message: str) -> str:
    """The message with its quoted values and numbers blanked out: alike findings share it."""
    return _VARIABLE.sub("…", message)


def fold(findings: Iterable[Finding], limit: int = DEFAULT_MAX_FINDINGS) -> list[Finding]:
    """Keep the first ``limit`` findings of each rule; fold the rest into one finding per rule and shape.

    ``limit`` 0 keeps everything. Findings of one file are expected, in any order; the folded finding
    is the first of its shape past the limit, so it keeps that finding's location.
    """
    if limit <= 0:
        return list(findings)
    kept: list[Finding] = []
    per_rule: dict[str, int] = {}
    # (rule, shape) -> the first finding past the limit, and how many more came after it
    first: dict[tuple[str, str], Finding] = {}
    more: dict[tuple[str, str], int] = {}
    shapes: dict[str, str] = {}  # most messages repeat exactly: shape each text once
    for finding in findings:
        rule = finding.rule
        seen = per_rule.get(rule, 0)
        if seen < limit:
            per_rule[rule] = seen + 1
            kept.append(finding)
            continue
        message = finding.message
        blanked = shapes.get(message)
        if blanked is None:
            blanked = shape(message)
            if len(shapes) < _MAX_CACHED:
                shapes[message] = blanked
        key = (rule, blanked)
        if key in first:
            more[key] += 1 + finding.folded
        else:
            first[key] = finding
            more[key] = finding.folded
    kept.extend(_folded(found, more[key], limit) if more[key] else found for key, found in first.items())
    return kept


def _folded(found: Finding, more: int, limit: int) -> Finding:
    note = f" [and {more:,} more {found.rule} findings like this in the file, not listed: the limit is {limit:,}]"
    return replace(found, message=found.message + note, folded=more)
