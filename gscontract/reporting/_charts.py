"""The geometry of the HTML report's bar charts, so the template only draws what is computed here.

SVG text does not wrap, so a long label (an operation's path, a file name) is cut into lines here, at a
slash or a space where one falls near the end of a line, and its row grows to fit them: nothing is cut
off. Two charts are drawn: checks per subject (passed, passed with warnings, failed) and findings per
rule (errors, warnings), the second over the rules that reported something only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import Finding, Severity
from ._view import Tally

__all__ = ["Bar", "Chart", "Segment", "check_chart", "findings_chart", "label_lines"]

LABEL_CHARS = 34
"""Characters of a label per line (monospace at 11.5 px: about 235 px)."""
BAR_WIDTH = 380
_LINE = 14
_BAR = 17
_GAP = 7


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of a bar: its class (``passed``, ``failed``, ``error``...), x and width in px."""

    name: str
    fill: str
    x: str
    width: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a chart: its label's lines, where it sits, its segments and what it counts."""

    label: str
    lines: tuple[str, ...]
    y: int
    segments: tuple[Segment, ...]
    caption: str
    caption_x: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart ready to draw: its bars, size, the largest count (the scale) and the label column's width."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    top: int
    label_width: int
    bar_width: int = BAR_WIDTH


def label_lines(label: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    """``label`` cut into lines of at most ``width`` characters, after a slash or space near the end of each."""
    lines = []
    rest = label
    while len(rest) > width:
        cut = max(rest.rfind("/", width // 2, width), rest.rfind(" ", width // 2, width))
        cut = cut + 1 if cut > 0 else width
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(rest)
    return tuple(lines)


def _chart(rows: Sequence[tuple[str, Sequence[tuple[str, str, int]], str, str]], label_width: int) -> Chart:
    """Lay rows of ``(label, [(segment, fill, count)], caption, tooltip)`` out one under another."""
    top = max((sum(count for _, _, count in parts) for _, parts, _, _ in rows), default=0) or 1
    bars, y = [], 3
    for label, parts, caption, tooltip in rows:
        lines = label_lines(label)
        x = float(label_width)
        segments = []
        for name, fill, count in parts:
            width = BAR_WIDTH * count / top
            segments.append(Segment(name, fill, f"{x:.1f}", f"{width:.1f}"))
            x += width
        bars.append(Bar(label, lines, y, tuple(segments), caption, f"{x + 6:.1f}", tooltip))
        y += max(_BAR, len(lines) * _LINE) + _GAP
    return Chart(tuple(bars), label_width + BAR_WIDTH + 130, y + 23, top, label_width)


def check_chart(tallies: Sequence[Tally], label_width: int) -> Chart:
    """Checks per label: passed (green), passed with warnings (yellow), failed (red)."""
    rows = []
    for t in tallies:
        parts = [("passed", "#1a7f37", t.passed), ("warned", "#d4a72c", t.warned), ("failed", "#cf222e", t.failed)]
        caption = f"{t.passed + t.warned} ✓" + (f" · {t.failed} ✗" if t.failed else "")
        tooltip = f"{t.label}: {t.passed} passed, {t.warned} passed with warnings, {t.failed} failed"
        rows.append((t.label, parts, caption, tooltip))
    return _chart(rows, label_width)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def findings_chart(findings: Sequence[Finding], order: Sequence[str], label_width: int) -> Chart:
    """Findings per rule, errors (red) then warnings (yellow); folded findings count as what they stand for.

    ``order`` gives the rules' order (the matrix's); a rule it lacks comes last.
    """
    counts: dict[str, list[int]] = {}
    for finding in findings:
        tally = counts.setdefault(finding.rule, [0, 0])
        tally[0 if finding.severity is Severity.ERROR else 1] += 1 + finding.folded
    rank = {rule: i for i, rule in enumerate(order)}
    rows = []
    for rule in sorted(counts, key=lambda r: (rank.get(r, len(rank)), r)):
        errors, warnings = counts[rule]
        named = ((errors, "error"), (warnings, "warning"))
        caption = ", ".join(_plural(count, word) for count, word in named if count)
        parts = [("error", "#cf222e", errors), ("warning", "#d4a72c", warnings)]
        rows.append((rule, parts, caption, f"{rule}: {caption}"))
    return _chart(rows, label_width)
