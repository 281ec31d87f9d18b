"""The ``html`` format: one self-contained page a person reads, filters and prints.

Rendered from ``templates/report.html.j2`` by Jinja2 with autoescape on, so every string from a
payload, a response or a saved report is escaped by the template engine, not by hand. The page needs
no network: CSS and the small filter script are inline, the charts are SVG drawn by the template.
A Content-Security-Policy allows only that script and stylesheet (by hash), so even text that slipped
through escaping could not run. Jinja2 is imported only when this format is chosen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from ..findings import Finding, Report, SectionName, Severity
from . import reporter
from ._charts import check_chart, findings_chart
from ._view import (
    SECTION_TITLES,
    Check,
    checks,
    clip,
    location,
    rule_index,
    section_stats,
    split_code,
    tally,
    visible,
)

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

__all__ = ["write_html"]

_COUNT_WORDS = {
    SectionName.SPECS: "Operations",
    SectionName.PAYLOADS: "Records",
    SectionName.CONTRACT: "Cases",
    SectionName.UPLOAD: "Records",
}
_SUBJECT_WORDS = {
    SectionName.SPECS: "Spec",
    SectionName.PAYLOADS: "File",
    SectionName.CONTRACT: "Operation",
    SectionName.UPLOAD: "Step",
}


@dataclass(frozen=True, slots=True)
class _FindingView:
    section: str
    section_title: str
    severity: str
    rule: str
    code: str | None
    summary: str
    location: str
    pointer: str | None
    message: str
    reproduction: str | None


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gscontract.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every value a template prints passes through here first: a control character or lone surrogate
        # (say, in a Gainsight code read from a saved report.json) is shown as an escape, not written raw.
        finalize=_finalize,
    )
    env.filters["inline"] = _inline
    return env


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _inline(text: str) -> Markup:
    """Escaped text in which `backticked` names become ``<code>``."""
    from markupsafe import Markup, escape

    return Markup("").join(
        Markup("<code>{}</code>").format(visible(part)) if is_code else escape(visible(part))
        for is_code, part in split_code(text)
    )


def _asset(env: jinja2.Environment, name: str) -> tuple[Markup, str]:
    """A static template file's text (trusted, inserted raw) and its CSP hash source."""
    import base64
    import hashlib

    from markupsafe import Markup

    assert env.loader is not None  # set above
    text = env.loader.get_source(env, name)[0]
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def _finding_view(section: SectionName, finding: Finding, summaries: dict[str, str]) -> _FindingView:
    return _FindingView(
        section=section.value,
        section_title=SECTION_TITLES[section],
        severity=finding.severity.label,
        rule=finding.rule,
        code=finding.code,
        summary=summaries.get(finding.rule, ""),
        location=clip(location(finding), 500),
        pointer=clip(finding.pointer, 500) if finding.pointer else None,
        message=clip(finding.message),
        reproduction=clip(finding.reproduction) if finding.reproduction else None,
    )


def _context(report: Report) -> dict[str, Any]:
    all_checks = list(checks(report))
    stats = section_stats(report, all_checks)
    index = rule_index(report)
    summaries = {rule: row.summary for rule, row in index.items()}

    per_subject: dict[tuple[str, str], list[Check]] = {}
    for check in all_checks:
        per_subject.setdefault((check.section.value, check.subject.name), []).append(check)
    sections = []
    for section, stat in zip(report.sections, stats, strict=True):
        rows = []
        for subject in section.subjects:
            subject_checks = per_subject.get((section.name.value, subject.name), [])
            counts = tally(("", c) for c in subject_checks)
            errors = sum(1 + f.folded for f in subject.findings if f.severity is Severity.ERROR)
            rows.append(
                {
                    "name": clip(subject.name, 500),
                    "kind": subject.kind,
                    "count": subject.count,
                    "checks": counts[0] if counts else None,
                    "errors": errors,
                    "warnings": sum(1 + f.folded for f in subject.findings) - errors,
                }
            )
        sections.append(
            {
                "id": section.name.value,
                "title": stat.title,
                "stat": stat,
                "subject_word": _SUBJECT_WORDS[section.name],
                "count_word": _COUNT_WORDS[section.name],
                "rows": rows,
            }
        )

    # Passes and failures per API operation; a run without contract checks (``validate``) shows its files.
    contract_checks = [c for c in all_checks if c.section is SectionName.CONTRACT]
    subject_word = "operation" if contract_checks else "file"
    subject_chart = check_chart(tally((clip(c.subject.name, 500), c) for c in contract_checks or all_checks), 270)
    # Findings per rule, in matrix order (section, then id); the rules that found nothing are folded.
    order = [row.rule for row in report.matrix if row.rule]
    every_finding = list(report.findings())
    rule_chart = findings_chart(every_finding, order, 80)
    reporting = {f.rule for f in every_finding}
    rank = {rule: i for i, rule in enumerate(order)}
    quiet_rules = sorted({c.rule for c in all_checks} - reporting, key=lambda r: (rank.get(r, len(rank)), r))
    # Errors first: what a reader came for; each group keeps the report's order.
    findings = sorted(
        (_finding_view(s.name, f, summaries) for s in report.sections for f in s.findings()),
        key=lambda view: view.severity != Severity.ERROR.label,
    )
    matrix_counts = {
        status: sum(1 for r in report.matrix if r.status == status) for status in ("passed", "failed", "not-run")
    }
    totals = {
        "checks": len(all_checks),
        "passed": sum(s.checks.passed for s in stats),
        "warned": sum(s.checks.warned for s in stats),
        "failed": sum(s.checks.failed for s in stats),
        "errors": sum(s.errors for s in stats),
        "warnings": sum(s.warnings for s in stats),
    }
    meta = report.meta
    return {
        "verdict": "failed" if totals["errors"] else "passed",
        "totals": totals,
        "stats": stats,
        "sections": sections,
        "subject_chart": subject_chart,
        "subject_word": subject_word,
        "rule_chart": rule_chart,
        "quiet_rules": quiet_rules,
        "findings": findings,
        "finding_rules": sorted({f.rule for f in findings}),
        "matrix": report.matrix,
        "matrix_counts": matrix_counts,
        "section_titles": SECTION_TITLES,
        "meta": meta,
        "spec_hashes": [(clip(path, 200), digest) for path, digest in meta.spec_hashes] if meta else [],
    }


@reporter("html", filename="index.html", suffixes=(".html", ".htm"))
def write_html(report: Report, out: TextIO) -> None:
    """Write the report as one self-contained HTML page."""
    env = _environment()
    css, css_hash = _asset(env, "report.css")
    script, script_hash = _asset(env, "report.js")
    context = _context(report)
    context.update(css=css, script=script, csp_style=css_hash, csp_script=script_hash)
    out.write(env.get_template("report.html.j2").render(context))
