"""The Timeline document's request samples validate as the document intends (issue 4, done when).

``tests/fixtures/seed`` holds the bulk and update samples exactly as printed (trailing commas and all);
``gscontract/samples`` holds every request sample with its JSON fixed.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from gscontract import validate_file, validate_text
from gscontract.samples import sample_paths

SEED = Path(__file__).parent.parent / "fixtures" / "seed"
SAMPLES = {p.name: p for p in sample_paths()}
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@pytest.mark.parametrize(
    ("name", "line", "column"),
    [
        # After "companyName": "Tech systems ABC Ltd" in the third record.
        ("timeline-insert.bulk.json", 45, 46),
        # After "GsRelationshipId":"1P05H693E70AQ4W1X360SOIR73VW953CLPYD" in the second record.
        ("timeline-update.externalid.bulk.json", 23, 70),
    ],
)
def test_as_printed_the_sample_is_a_parse_error_at_the_trailing_comma(name: str, line: int, column: int) -> None:
    report = validate_file(SEED / name)
    (finding,) = report.findings()
    assert (finding.rule, finding.line, finding.column) == ("GS101", line, column)
    assert "trailing comma" in finding.message
    assert report.exit_code() == 1


@pytest.mark.parametrize("name", ["timeline-insert.bulk.json", "timeline-update.externalid.bulk.json"])
def test_without_the_trailing_commas_the_sample_is_clean(name: str) -> None:
    printed = (SEED / name).read_text(encoding="utf-8")
    repaired = _TRAILING_COMMA.sub(r"\1", printed)
    report = validate_text(repaired, path=name)
    assert list(report.findings()) == []
    # The bundled sample is exactly that repair: one comma fewer, nothing else changed.
    bundled = SAMPLES[name].read_text(encoding="utf-8")
    assert bundled == repaired
    removed = [d for d in difflib.ndiff([printed], [bundled]) if d.startswith("- ")]
    assert len(printed) - len(bundled) == 1
    assert removed


def test_the_single_save_sample_is_clean_as_printed() -> None:
    report = validate_file(SAMPLES["timeline-insert.single.json"])
    assert list(report.findings()) == []
    assert report.summary().records == 1
