"""Pushing one field past its documented limit produces exactly that field's rule, wherever it sits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gscontract import strategies, validate_document
from gscontract.findings import Severity
from gscontract.gainsight.limits import NOTES_LIMIT, SUBJECT_LIMIT

pytestmark = pytest.mark.slow
SETTINGS = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _errors(document: Any, kind: str) -> list[tuple[str, str | None]]:
    report = validate_document(document, kind=kind)
    return sorted((f.rule, f.pointer) for f in report.findings() if f.severity is Severity.ERROR)


@SETTINGS
@given(
    payload=strategies.insert_payloads(max_records=4),
    index=st.integers(0, 3),
    extra=st.integers(1, 500),
    markup=st.booleans(),
)
def test_subject_and_notes_past_their_limits(payload: dict[str, Any], index: int, extra: int, markup: bool) -> None:
    index %= len(payload["records"])
    base = {"records": [dict(r) for r in payload["records"]], "lookups": payload["lookups"]}
    over_subject = {**base, "records": list(base["records"])}
    over_subject["records"][index] = {**base["records"][index], "Subject": "s" * (SUBJECT_LIMIT + extra)}
    assert _errors(over_subject, "timeline-insert") == [("TL303", f"/records/{index}/Subject")]
    at_limit = {**base, "records": list(base["records"])}
    at_limit["records"][index] = {**base["records"][index], "Subject": "s" * SUBJECT_LIMIT}
    assert _errors(at_limit, "timeline-insert") == []

    text = "n" * (NOTES_LIMIT + extra)
    notes = f"<div><b>{text}</b></div>" if markup else text
    over_notes = {**base, "records": list(base["records"])}
    over_notes["records"][index] = {**base["records"][index], "Notes": notes}
    assert _errors(over_notes, "timeline-insert") == [("TL304", f"/records/{index}/Notes")]
    # Markup past the raw limit does not count: the same text within the limit passes.
    within = {**base, "records": list(base["records"])}
    within["records"][index] = {**base["records"][index], "Notes": "<i></i>" * extra + "n" * NOTES_LIMIT}
    assert _errors(within, "timeline-insert") == []


@SETTINGS
@given(limit=st.integers(5001, 10**9) | st.integers(-(10**9), 0), offset=st.integers(-(10**9), -1))
def test_query_limit_and_offset_past_their_bounds(limit: int, offset: int) -> None:
    query = {"select": ["ExternalId"], "limit": limit, "offset": 0}
    assert _errors(query, "timeline-query") == [("TL634", "/limit")]
    assert _errors({**query, "limit": 5000, "offset": offset}, "timeline-query") == [("TL635", "/offset")]
