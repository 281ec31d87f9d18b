"""Reading payload text: records with their offsets, members where they start, problems with positions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gscontract.payload._locate import lines_and_columns
from gscontract.payload.reader import Decoding, Unparsed, decode_text, describe
from gscontract.payload.stream import JsonLines, JsonText, SyntaxBreak
from gscontract.pointer import parse_pointer
from gscontract.validating.sources import LinesSource, Source, TextSource
from gscontract.validator import validate_paths

BULK = """{
  "records": [
    {"ExternalId": "a1", "Subject": "one"},
    {
      "ExternalId": "a2",
      "Subject": "two"
    }
  ],
  "lookups": {"AuthorId": {"fields": {"Author": "Email"}}}
}
"""


def read(text: str) -> tuple[JsonText, list[Any], list[int]]:
    """The reader after the whole text, the records and their offsets."""
    reader = JsonText(text, Decoding(text))
    records: list[Any] = []
    offsets: list[int] = []
    for batch in reader.batches(size=1):
        if batch is None:  # "records" again: the last one counts
            records, offsets = [], []
            continue
        records.extend(batch.values)
        offsets.extend(batch.offsets)
    return reader, records, offsets


def where(source: Source, pointers: list[str]) -> dict[str, tuple[int, int]]:
    """Line and column of each pointer, the records read in one batch."""
    batches = list(source.batches())
    batch = batches[-1] if batches else None
    offsets = {p: source.offset(parse_pointer(p), batch) for p in pointers}
    return lines_and_columns(source.text, {p: o for p, o in offsets.items() if o is not None})


def test_records_come_with_their_start_offsets_and_the_members_whole() -> None:
    reader, records, offsets = read(BULK)
    assert records == json.loads(BULK)["records"]
    assert [BULK[o] for o in offsets] == ["{", "{"]
    assert reader.head == {"records": [], "lookups": json.loads(BULK)["lookups"]}


def test_offsets_point_at_member_keys_and_items() -> None:
    found = where(
        TextSource(BULK, Decoding(BULK)), ["/records/1/Subject", "/records/0/Subject", "/lookups/AuthorId", ""]
    )
    assert found["/records/0/Subject"] == (3, 26)
    assert found["/lookups/AuthorId"] == (9, 15)
    assert found[""] == (1, 1)


def test_a_missing_field_is_placed_at_the_deepest_existing_part() -> None:
    text = '[\n  "1I004",\n  "1I005"\n]'
    assert where(TextSource(text, Decoding(text)), ["/1", "/5"]) == {"/1": (3, 3), "/5": (1, 1)}


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ('{"records": [\n  {"a": 1,\n  }\n]}', (2, 10), "trailing comma before '}'"),
        ('{"records": [{"a": 1},\n]}', (1, 22), "trailing comma"),
        ('{"records": [{"a": 1} {"b": 2}]}', (1, 23), "Expecting ','"),
        ('{"a": 1', (1, 8), "end of file"),
        ('{"a": 1} x', (1, 10), "Extra data"),
        ('{"a": NaN}', (1, 7), "NaN is not allowed"),
        ("{'a': 1}", (1, 2), "property name"),
        ('{"records": [1, 2', (1, 18), "end of file"),
    ],
)
def test_a_broken_text_stops_the_stream_and_is_described_at_its_position(
    text: str, position: tuple[int, int], words: str
) -> None:
    with pytest.raises(SyntaxBreak):
        read(text)
    problem = describe(text)
    assert problem is not None
    assert (problem.rule, problem.line, problem.column) == ("GS101", *position)
    assert words in problem.message


def test_binary_and_non_utf8_data_are_problems() -> None:
    _, nul = decode_text(b'{"a":\n1}\x00\x01')
    assert nul is not None
    assert (nul.rule, nul.line) == ("GS103", 2)
    _, latin = decode_text('{"Subject": "caf\xe9"}'.encode("latin-1"))
    assert latin is not None
    assert (latin.rule, latin.column, "0xe9" in latin.message) == ("GS103", 17, True)


@pytest.mark.parametrize("name", ["x.json", "x.jsonl"])
def test_a_bad_byte_after_a_bom_is_named_where_it_is(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xe9"}\n')
    (finding,) = validate_paths([path]).findings()
    assert (finding.rule, finding.line, finding.column) == ("GS103", 1, 11)
    assert "0xe9" in finding.message


def test_utf8_bom_is_accepted() -> None:
    assert decode_text(b'\xef\xbb\xbf{"records": []}') == ('{"records": []}', None)


def test_json_lines_keep_good_lines_and_report_bad_ones(tmp_path: Path) -> None:
    text = '{"ExternalId": "a"}\n\n{"ExternalId": "b",}\n  {"ExternalId": "c"}\n'
    lines = JsonLines(text, Decoding(text))
    records = [r for batch in lines.batches() for r in batch.values]
    assert records[0] == {"ExternalId": "a"}
    assert isinstance(records[1], Unparsed)
    assert records[2]["ExternalId"] == "c"
    (problem,) = lines.problems
    assert (problem.line, problem.pointer, problem.rule) == (3, "/records/1", "GS101")
    assert where(LinesSource(text, Decoding(text)), ["/records/2/ExternalId"]) == {"/records/2/ExternalId": (4, 4)}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 2]))
def test_the_stream_agrees_with_the_stdlib_on_valid_json(value: object, indent: int | None) -> None:
    text = json.dumps({"records": [value, value], "x": value}, indent=indent)
    reader, records, _ = read(text)
    assert {**reader.head, "records": records} == json.loads(text)


@given(st.text(max_size=60))
def test_the_stream_never_raises_anything_but_a_syntax_break(text: str) -> None:
    if not text.strip():
        return
    try:
        read(text)
    except SyntaxBreak:
        assert describe(text) is not None
