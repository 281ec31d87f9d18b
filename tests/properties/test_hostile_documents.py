"""Whatever a document holds, validating it returns a report: no exception, in bounded time."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gscontract import Kind, Report, validate_document, validate_text

pytestmark = pytest.mark.slow
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = ["auto", *(k.value for k in Kind)]
SECONDS = 5.0  # per document; an idle machine takes milliseconds

FIELDS = ["records", "lookups", "ExternalId", "Subject", "Notes", "ContextName", "TypeName", "ActivityDate"]
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=40,
)
# Pieces of JSON text, valid or not, with what the loader must survive: numbers too long or too large,
# escapes of control characters, keys given twice, unbalanced brackets, stray constants.
PIECES = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    '"records"',
    '"Subject"',
    '"a\\u0000b"',
    '"\\b\\f"',
    "1e999",
    "-1E+400",
    "9" * 4301,
    "-" + "1" * 5000,
    "NaN",
    "Infinity",
    "null",
    "0.5",
    '"x"',
    "\n",
    " ",
    "\\",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda data: data.decode("utf-8", "surrogateescape")),
    values.map(json.dumps),
)


def _timed(call: Any) -> Report:
    start = time.perf_counter()
    report = call()
    assert time.perf_counter() - start < SECONDS
    assert report.exit_code() in (0, 1)
    return report


@SETTINGS
@given(document=values, kind=st.sampled_from(KINDS))
def test_any_json_value_gives_a_report(document: Any, kind: str) -> None:
    _timed(lambda: validate_document(document, kind=kind))


@SETTINGS
@given(text=texts, kind=st.sampled_from(KINDS), fmt=st.sampled_from(["json", "jsonl"]))
def test_any_text_gives_a_report_with_located_findings(text: str, kind: str, fmt: str) -> None:
    report = _timed(lambda: validate_text(text, kind=kind, fmt=fmt))
    for finding in report.findings():
        # A finding of a file with text is located, unless it is about the whole body.
        assert finding.line is not None or finding.pointer in (None, ""), finding
