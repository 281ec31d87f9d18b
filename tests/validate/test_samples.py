"""The bundled samples: named by kind, each clean on its own, and together they share an ExternalId."""

from __future__ import annotations

from pathlib import Path

import pytest

from gscontract import validate_file, validate_paths
from gscontract.samples import sample_paths

EXPECTED_KINDS = {
    "event.json": "event",
    "events-bulk.json": "events-bulk",
    "timeline-delete.json": "timeline-delete",
    "timeline-deleted-filter.json": "timeline-deleted-filter",
    "timeline-insert.bulk.json": "timeline-insert",
    "timeline-insert.single.json": "timeline-insert",
    "timeline-query.json": "timeline-query",
    "timeline-update.externalid.bulk.json": "timeline-update:externalid",
}


def test_every_kind_has_a_sample() -> None:
    assert sorted(p.name for p in sample_paths()) == sorted(EXPECTED_KINDS)


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
def test_each_sample_is_clean_on_its_own(path: Path) -> None:
    report = validate_file(path)
    (subject,) = report.sections[0].subjects
    assert subject.kind == EXPECTED_KINDS[path.name]
    assert list(report.findings()) == []
    assert report.exit_code() == 0
    # Bodies of records (and delete's ids) count them; a filter or a query holds none.
    assert (subject.count > 0) == (path.name not in {"timeline-deleted-filter.json", "timeline-query.json"})


def test_together_the_insert_samples_meet_each_others_external_id() -> None:
    report = validate_paths(sample_paths())
    findings = list(report.findings())
    assert [(f.rule, f.code, f.pointer) for f in findings] == [("TL104", "GS_TL_10_0107", "/records/0/ExternalId")]
    assert findings[0].path.endswith("timeline-insert.single.json")
    assert "timeline-insert.bulk.json" in findings[0].message
