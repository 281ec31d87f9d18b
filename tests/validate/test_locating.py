"""Each record comes with the offset where it starts (gscontract.payload.stream); in any layout it is exact."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gscontract import validate_text
from gscontract.payload.reader import Decoding
from gscontract.payload.stream import JsonText

_DECODER = json.JSONDecoder()


def reference_offsets(text: str, at: int) -> list[int]:
    """Item offsets by walking the array with the decoder, one item after another."""
    offsets, i = [], at + 1
    while True:
        while text[i] in " \t\n\r":
            i += 1
        if text[i] == "]":
            return offsets
        offsets.append(i)
        _, i = _DECODER.raw_decode(text, i)
        while text[i] in " \t\n\r,":
            i += 1
            if text[i - 1] == ",":
                break


def check_all(text: str) -> None:
    reader = JsonText(text, Decoding(text))
    offsets = [o for batch in reader.batches(size=3) if batch is not None for o in batch.offsets]
    # The records array: the last '"records": [' (the envelope's own key comes last in these texts).
    starts = [m.end() - 1 for m in re.finditer(r'"records"\s*:\s*\[', text)]
    at = starts[-1] if text.lstrip().startswith("{") else text.index("[")
    assert offsets == reference_offsets(text, at)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    items=st.lists(JSON_VALUES, max_size=8), indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]), envelope=st.booleans()
)
def test_offsets_are_exact_for_any_items_and_layout(items: list[Any], indent: int | str | None, envelope: bool) -> None:
    body: Any = {"lookups": {}, "records": items} if envelope else {"records": items}
    check_all(json.dumps(body, indent=indent))


@pytest.mark.parametrize(
    "text",
    [
        # A nested array of objects laid out like the records themselves: its separators look the same.
        '{"records": [\n  {"a": [\n  {"x": 1},\n  {"y": 2}\n  ]},\n  {"b": 1},\n  {"c": [\n  {"z": 3}\n  ]}\n]}',
        # Mixed layout: some records on one line, some spread out.
        '{"records": [{"a": 1}, {"b": 2},\n  {"c": 3},\n  {"d": 4}, {"e": 5}\n]}',
        # Strings that hold what separators look like, escaped newlines included.
        '{"records": [\n  {"s": "},\\n  {"},\n  {"s": "}, {"},\n  {"s": "},\\n  {"}\n]}',
        # A compact file whose strings hold its separator: the guesses after it are off, and walked.
        '{"records":[{"s":"},{"},{"s":"},{},{"},{"a":1},{"s":"x"},{"b":[{},{}]},{"c":2}]}',
        # Equal records, so an offset one off would still decode to an equal value.
        '{"records": [\n  {"a": 1},\n  {"a": 1},\n  {"a": 1}\n]}',
        # Records that are not objects, and an empty array.
        '{"records": [\n  "x",\n  2,\n  [3],\n  null\n]}',
        '{"records": []}',
        '{"lookups": {"records": [1]}, "records": [\n    {"a": 1}\n]}',
    ],
)
def test_offsets_are_exact_for_awkward_layouts(text: str) -> None:
    check_all(text)


def test_findings_point_at_their_record_lines_in_a_pretty_bulk_file() -> None:
    records = [{"ContextName": "Company", "ExternalId": f"e{i}", "Subject": "s", "Notes": "n"} for i in range(50)]
    records[37]["Subject"] = "x" * 300
    text = json.dumps({"records": records}, indent=4)
    report = validate_text(text, kind="timeline-insert", path="p.json")
    (finding,) = [f for f in report.findings() if f.rule == "TL303"]
    assert finding.line == text[: text.index('"x' + "x" * 299)].count("\n") + 1
    assert finding.column == 13


def test_findings_in_a_one_line_file_get_their_columns() -> None:
    records = [{"ContextName": "Company", "ExternalId": f"e{i}", "Subject": "s", "Notes": "n"} for i in range(30)]
    for index in (3, 17, 29):
        records[index]["Subject"] = "x" * 300
    text = json.dumps({"records": records})
    report = validate_text(text, kind="timeline-insert", path="p.json")
    found = [(f.line, f.column) for f in report.findings() if f.rule == "TL303"]
    starts = [i for i in range(len(text)) if text.startswith('"Subject": "xxx', i)]
    assert found == [(1, start + 1) for start in starts]
