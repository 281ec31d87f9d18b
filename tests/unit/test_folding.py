"""Folding: past the limit per rule, alike findings become one finding that counts them."""

from __future__ import annotations

from gscontract import ValidateOptions, validate_text
from gscontract.findings import Finding, Severity
from gscontract.folding import fold, shape


def _finding(rule: str, message: str, pointer: str) -> Finding:
    return Finding(rule, Severity.ERROR, message, pointer=pointer)


def test_findings_past_the_limit_fold_by_shape_into_the_first_of_each() -> None:
    findings = [_finding("TL101", f"record {i} has no 'x{i}'", f"/records/{i}") for i in range(5)]
    findings += [_finding("TL101", "something else entirely", "/records/9")]
    findings += [_finding("TL201", "other rule", f"/records/{i}") for i in range(2)]
    kept = fold(findings, limit=2)
    assert [(f.rule, f.pointer, f.folded) for f in kept] == [
        ("TL101", "/records/0", 0),
        ("TL101", "/records/1", 0),
        ("TL101", "/records/2", 2),  # stands for /records/3 and /records/4 too
        ("TL101", "/records/9", 0),  # another shape, alone past the limit: not folded
        ("TL201", "/records/0", 0),
        ("TL201", "/records/1", 0),
    ]
    assert kept[2].message.endswith("[and 2 more TL101 findings like this in the file, not listed: the limit is 2]")


def test_limit_zero_keeps_everything_and_shapes_blank_out_values() -> None:
    findings = [_finding("TL101", "m", f"/records/{i}") for i in range(3)]
    assert fold(findings, limit=0) == findings
    assert shape("Subject has 300 characters; `Subject` 'a' \"b\"") == "Subject has … characters; … … …"


def test_the_summary_counts_every_folded_finding() -> None:
    text = '{"records": [' + ",".join(["{}"] * 50) + "]}"
    folded = validate_text(text, kind="timeline-insert", options=ValidateOptions(max_findings=3))
    listed = validate_text(text, kind="timeline-insert", options=ValidateOptions(max_findings=0))
    assert folded.summary() == listed.summary()
    assert listed.summary().errors == len(list(listed.findings())) == 350
    assert len(list(folded.findings())) < 40
    assert sum(1 + f.folded for f in folded.findings()) == 350
