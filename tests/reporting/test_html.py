"""The HTML output: escaped payload text, no network references, a CSP that admits only its own script."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

from gscontract.findings import Report, Section, SectionName, Subject
from gscontract.reporting.html_ import write_html


def page(report: Report) -> str:
    out = io.StringIO()
    write_html(report, out)
    return out.getvalue()


class _Collector(HTMLParser):
    """Collects tags with their attributes and the text of script and style elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._inside = tag

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.raw[self._inside].append(data)


def parse(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    return collector


def test_payload_text_is_escaped(sample_report: Report) -> None:
    text = page(sample_report)
    assert "<script>window" not in text
    assert "<img" not in text
    assert "&lt;script&gt;window.__pwned = &#39;script&#39;; alert(1)&lt;/script&gt;" in text
    tags = parse(text).tags
    assert [t for t, _ in tags].count("script") == 1
    assert not [t for t, attrs in tags if any(name.startswith("on") for name in attrs)]


def test_page_makes_no_network_requests(sample_report: Report) -> None:
    text = page(sample_report)
    for tag, attrs in parse(text).tags:
        assert tag not in {"link", "img", "iframe", "object", "embed"}
        for name in ("src", "href", "action"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "url(" not in text
    assert "@import" not in text


def test_csp_admits_exactly_the_inline_script_and_style(sample_report: Report) -> None:
    collected = parse(page(sample_report))
    csp = next(
        a["content"] for t, a in collected.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    assert "default-src 'none'" in csp
    for kind, directive in (("script", "script-src"), ("style", "style-src")):
        (body,) = collected.raw[kind]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}';" in csp


def test_summary_findings_and_matrix_are_all_there(sample_report: Report) -> None:
    text = page(sample_report)
    assert '<span class="verdict failed" id="verdict">' in text
    rows = re.findall(r'<tr data-severity="(\w+)" data-section="(\w+)" data-rule="(\w+)">', text)
    assert len(rows) == len(list(sample_report.findings()))
    assert ("error", "payloads", "TL201") in rows
    assert ("warning", "contract", "CT102") in rows
    assert len(re.findall(r'<tr data-status="', text)) == len(sample_report.matrix)
    assert "Relationship activity has no <code>GsRelationshipTypeId</code>" in text


def test_charts_have_a_bar_per_operation_and_per_rule(sample_report: Report) -> None:
    text = page(sample_report)
    operations = re.search(r'<svg id="chart-operations".*?</svg>', text, re.S)
    rules = re.search(r'<svg id="chart-rules".*?</svg>', text, re.S)
    assert operations is not None
    assert rules is not None
    contract = sample_report.section(SectionName.CONTRACT)
    assert contract is not None
    labels = re.findall(r'<g class="bar" data-label="([^"]+)">', operations.group())
    assert labels == [s.name for s in contract.subjects]
    rule_labels = re.findall(r'<g class="bar" data-label="([^"]+)">', rules.group())
    reporting = {f.rule for f in sample_report.findings()}
    assert set(rule_labels) == reporting  # rules with findings only, in matrix order
    assert rule_labels[:2] == ["SP103", "EV102"]
    quiet = re.search(r'<details class="quiet" id="quiet-rules">.*?</details>', text, re.S)
    assert quiet is not None  # the rules that ran without a finding are folded, not charted
    assert "SP101" in quiet.group()
    assert "TL601" not in quiet.group()
    # The rule chart counts findings: TL201 has one error, drawn as the whole (one-finding) scale.
    tl201 = re.search(r'data-label="TL201">.*?</g>', rules.group(), re.S)
    assert tl201 is not None
    assert ">1 error</text>" in tl201.group()
    # POST /v1/ant/es/activity ran 3 checks, 1 failed: the widest bar, a third of it red.
    bar = re.search(r'data-label="POST /v1/ant/es/activity">.*?</g>', operations.group(), re.S)
    assert bar is not None
    widths = dict(re.findall(r'<rect class="(\w+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', bar.group()))
    assert widths == {"passed": "253.3", "warned": "0.0", "failed": "126.7"}


def test_the_verdict_then_the_failing_findings_then_the_charts(sample_report: Report) -> None:
    text = page(sample_report)
    at = [text.index(marker) for marker in ('id="verdict"', 'id="findings"', 'id="charts"', 'id="matrix"', 'id="run"')]
    assert at == sorted(at)
    severities = re.findall(r'<tr data-severity="(\w+)"', text)
    assert severities == sorted(severities, key=lambda s: s != "error")  # errors first


def test_long_labels_and_spec_hashes_wrap_instead_of_being_cut(sample_report: Report) -> None:
    name = "POST /v1/ant/es/activity/" + "/".join(f"segment{i}" for i in range(12))
    contract = next(s for s in sample_report.sections if s.name is SectionName.CONTRACT)
    renamed = replace(contract, subjects=(replace(contract.subjects[0], name=name), *contract.subjects[1:]))
    report = replace(sample_report, sections=tuple(renamed if s is contract else s for s in sample_report.sections))
    text = page(report)
    bar = re.search(rf'data-label="{re.escape(name)}">.*?</g>', text, re.S)
    assert bar is not None
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", bar.group())
    assert len(lines) > 1
    assert "".join(lines) == name
    assert "…" not in bar.group()
    assert report.meta is not None
    for _, digest in report.meta.spec_hashes:
        assert f'<span class="muted mono digest">{digest}</span>' in text


def test_run_meta_is_shown(sample_report: Report) -> None:
    text = page(sample_report)
    assert '<dt>Seed</dt><dd class="mono">12345</dd>' in text
    assert "<dt>Target</dt><dd>http://127.0.0.1:8000</dd>" in text


def test_empty_and_clean_reports_render() -> None:
    assert "Nothing was checked." in page(Report())
    clean = page(Report((Section(SectionName.PAYLOADS, (Subject("a.json", "event", 1, ("EV101",)),)),)))
    assert "No findings: every check passed." in clean
    assert '<span class="verdict passed" id="verdict">' in clean
    files = re.search(r'<svg id="chart-files".*?</svg>', clean, re.S)  # no contract checks: a bar per file
    assert files is not None
    assert re.findall(r'<g class="bar" data-label="([^"]+)">', files.group()) == ["a.json"]
    assert "No checks in this run." in page(Report())
