"""The ``md`` format: GitHub-flavoured Markdown for a pull-request comment.

A verdict line and a summary table per section, the compliance matrix folded in ``<details>``, then
one section per rule with its findings. Every piece of text that comes from a payload, a response or
a saved report is escaped, so it shows as text (``<script>`` included), stays on its line (a line break or
a control character shows as its JSON escape, so no payload can start a finding of its own) and cannot
mention anyone;
reproductions are fenced code blocks. At most :data:`MAX_FINDINGS_PER_RULE` findings are listed per
rule, with the number left out, to stay under GitHub's comment size limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from ..findings import Finding, MatrixRow, Report, Severity
from ..safetext import one_line
from . import reporter
from ._view import SECTION_TITLES, checks, clip, location, plan_lines, rule_index, section_stats, split_code

__all__ = ["MAX_FINDINGS_PER_RULE", "write_markdown"]

MAX_FINDINGS_PER_RULE = 50

# Markdown punctuation that could start emphasis, links, images, tables or strikethrough inline.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|~!#])")
_STATUS_ICONS = {"passed": "✅ passed", "failed": "❌ failed", "not-run": "⚪ not run"}


def escape(text: str) -> str:
    """Text shown literally in Markdown and HTML alike, on one line (:func:`one_line`); ``@`` cannot mention."""
    import html

    text = _MD_PUNCTUATION.sub(r"\\\1", clip(one_line(text)))
    return html.escape(text, quote=False).replace("@", "&#64;")


def code(text: str) -> str:
    """An inline code span holding ``text`` exactly, whatever backticks it contains."""
    text = clip(one_line(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(text: str) -> str:
    return "".join(code(part) if is_code else escape(part) for is_code, part in split_code(text))


def _cell(text: str) -> str:
    # In a table a pipe ends the cell even inside a code span (escape() handles plain text already).
    return "".join(code(part).replace("|", "\\|") if is_code else escape(part) for is_code, part in split_code(text))


def _fenced(text: str, indent: str) -> list[str]:
    body = clip(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [f"{indent}{fence}text", *(f"{indent}{line}" for line in body.splitlines() or [""]), f"{indent}{fence}"]
    return lines


def _finding_lines(finding: Finding) -> list[str]:
    icon = "❌" if finding.severity is Severity.ERROR else "⚠️"
    where = f" at {code(finding.pointer)}" if finding.pointer else ""
    lines = [f"- {icon} **{finding.severity.label}** {code(location(finding))}{where}: {_inline(finding.message)}"]
    if finding.reproduction:
        lines.append("")
        lines.extend(_fenced(finding.reproduction, "  "))
    return lines


def _table(header: Iterable[str], rows: Iterable[Iterable[str]], *, numeric_from: int = 99) -> list[str]:
    """A GFM table; columns from ``numeric_from`` on are right-aligned."""
    head = list(header)
    aligns = ["--:" if i >= numeric_from else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(aligns) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _matrix(rows: tuple[MatrixRow, ...]) -> list[str]:
    counts = {status: sum(1 for r in rows if r.status == status) for status in _STATUS_ICONS}
    caption = ", ".join(f"{n} {status.replace('-', ' ')}" for status, n in counts.items())
    table = _table(
        ["Rule", "Code", "Section", "Status", "Summary"],
        (
            [
                code(r.rule) if r.rule else "—",
                code(r.code) if r.code else "—",
                SECTION_TITLES[r.section],
                _STATUS_ICONS.get(r.status, escape(r.status)),
                _cell(r.summary),
            ]
            for r in rows
        ),
    )
    return [f"<details><summary>Compliance matrix: {caption}</summary>", "", *table, "", "</details>"]


@reporter("md", filename="report.md", suffixes=(".md",))
def write_markdown(report: Report, out: TextIO) -> None:
    """Write the report as Markdown for a pull-request comment."""
    all_checks = list(checks(report))
    stats = section_stats(report, all_checks)
    errors = sum(s.errors for s in stats)
    warnings = sum(s.warnings for s in stats)
    failed = sum(s.checks.failed for s in stats)
    verdict = "❌ **Failed**" if errors else "✅ **Passed**"
    lines = [
        "## gscontract compliance report",
        "",
        f"{verdict}: {len(all_checks)} checks evaluated, {failed} failed; {errors} errors, {warnings} warnings.",
        "",
    ]
    lines += _table(
        ["Section", "Subjects", "Checks", "Passed", "Passed with warnings", "Failed", "Errors", "Warnings"],
        (
            [s.title, *(str(n) for n in (s.subjects, s.checks.total, s.checks.passed, s.checks.warned))]
            + [str(n) for n in (s.checks.failed, s.errors, s.warnings)]
            for s in stats
        ),
        numeric_from=1,
    )
    plan = plan_lines(report)
    if plan:
        lines += ["", "### Upload plan", "", *(f"- {_inline(line)}" for line in plan)]
    if report.matrix:
        lines += ["", *_matrix(report.matrix)]

    # Rules in report order: by the section of their first finding, then by id.
    by_rule: dict[str, list[Finding]] = {}
    first_section: dict[str, int] = {}
    for position, section in enumerate(report.sections):
        for finding in section.findings():
            by_rule.setdefault(finding.rule, []).append(finding)
            first_section.setdefault(finding.rule, position)
    index = rule_index(report)
    lines += ["", "### Findings by rule", ""]
    if not by_rule:
        lines += ["No findings.", ""]
    for rule in sorted(by_rule, key=lambda r: (first_section[r], r)):
        findings = by_rule[rule]
        row = index.get(rule)
        icon = "❌" if any(f.severity is Severity.ERROR for f in findings) else "⚠️"
        heading = f"#### {icon} {code(rule)}"
        # Without a matrix (``validate`` output) the findings still say which Gainsight code the rule stands for.
        rule_code = row.code if row else next((f.code for f in findings if f.code), None)
        if rule_code:
            heading += f" {code(rule_code)}"
        if row and row.summary:
            heading += f": {_inline(row.summary)}"
        lines += [heading, ""]
        for finding in findings[:MAX_FINDINGS_PER_RULE]:
            lines += _finding_lines(finding)
        if len(findings) > MAX_FINDINGS_PER_RULE:
            left = sum(1 + f.folded for f in findings[MAX_FINDINGS_PER_RULE:])
            lines.append(f"- … and {left} more (the HTML and JSON reports list them all)")
        lines.append("")

    if report.meta is not None:
        meta = report.meta
        facts = [f"gscontract {escape(meta.tool_version)}"]
        facts += [escape(f"{k} {v}") for k, v in (("target", meta.target), ("seed", meta.seed)) if v is not None]
        facts += [escape(f"profile {meta.profile}")] if meta.profile else []
        facts += [escape(f"started {meta.started}")] if meta.started else []
        if meta.duration_seconds is not None:
            facts.append(f"{meta.duration_seconds:.1f} s")
        lines += [f"<sub>{' · '.join(facts)}</sub>", ""]
    out.write("\n".join(lines).rstrip("\n") + "\n")
