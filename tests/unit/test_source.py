from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gscontract.payload.reader import Unparsed, load_bytes, load_path, load_text

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


def test_records_are_parsed_with_their_start_offsets() -> None:
    doc = load_text(BULK)
    assert doc.ok
    assert not doc.problems
    assert doc.value == json.loads(BULK)
    assert doc.item_base == ("records",)
    assert [BULK[o] for o in doc.item_offsets] == ["{", "{"]
    assert doc.records()[1]["ExternalId"] == "a2"


def test_locate_points_at_member_keys_and_items() -> None:
    doc = load_text(BULK)
    where = doc.locate(["/records/1/Subject", "/records/1", "/records/0/Subject", "/lookups/AuthorId", ""])
    assert where["/records/1/Subject"] == (6, 7)
    assert where["/records/1"] == (4, 5)
    assert where["/records/0/Subject"] == (3, 26)
    assert where["/lookups/AuthorId"] == (9, 15)
    assert where[""] == (1, 1)


def test_locate_falls_back_to_the_deepest_existing_part() -> None:
    doc = load_text(BULK)
    # A missing field is reported on its record; the record is where the reader looks.
    assert doc.locate(["/records/1/Notes"])["/records/1/Notes"] == (4, 5)


def test_top_level_array_items_are_located() -> None:
    doc = load_text('[\n  "1I004",\n  "1I005"\n]')
    assert doc.item_base == ()
    assert doc.locate(["/1"])["/1"] == (3, 3)


def test_trailing_comma_is_reported_at_the_comma() -> None:
    doc = load_text('{"records": [\n  {"a": 1,\n  }\n]}')
    assert not doc.ok
    (problem,) = doc.problems
    assert problem.rule == "GS101"
    assert (problem.line, problem.column) == (2, 10)
    assert "trailing comma before '}'" in problem.message


def test_trailing_comma_in_an_array_is_reported() -> None:
    (problem,) = load_text('{"records": [{"a": 1},\n]}').problems
    assert (problem.line, problem.column, "trailing comma" in problem.message) == (1, 22, True)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{"records": [{"a": 1} {"b": 2}]}', (1, 23), "Expecting ','"),
        ('{"a": 1', (1, 8), "end of file"),
        ('{"a": 1} x', (1, 10), "Extra data"),
        ('{"a": NaN}', (1, 7), "NaN is not allowed"),
        ("{'a': 1}", (1, 2), "property name"),
        ('{"records": [1, 2', (1, 18), "end of file"),
    ],
)
def test_syntax_errors_name_line_column_and_cause(text: str, where: tuple[int, int], words: str) -> None:
    (problem,) = load_text(text).problems
    assert (problem.line, problem.column) == where
    assert words in problem.message


def test_empty_and_blank_files_are_a_problem_not_a_crash() -> None:
    for text in ("", "  \n\t\n"):
        (problem,) = load_text(text).problems
        assert problem.rule == "GS102"


def test_binary_and_non_utf8_data_are_problems() -> None:
    (nul,) = load_bytes(b'{"a":\n1}\x00\x01').problems
    assert (nul.rule, nul.line) == ("GS103", 2)
    (latin,) = load_bytes('{"Subject": "caf\xe9"}'.encode("latin-1")).problems
    assert latin.rule == "GS103"
    assert "0xe9" in latin.message
    assert latin.column == 17


def test_utf8_bom_is_accepted() -> None:
    assert load_bytes(b'\xef\xbb\xbf{"records": []}').value == {"records": []}


def test_json_lines_keep_good_lines_and_report_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"ExternalId": "a"}\n\n{"ExternalId": "b",}\n  {"ExternalId": "c"}\n', encoding="utf-8")
    doc = load_path(path)
    assert doc.format == "jsonl"
    records = doc.value["records"]
    assert records[0] == {"ExternalId": "a"}
    assert isinstance(records[1], Unparsed)
    assert records[2]["ExternalId"] == "c"
    (problem,) = doc.problems
    assert (problem.line, problem.pointer, problem.rule) == (3, "/records/1", "GS101")
    assert doc.locate(["/records/2/ExternalId"])["/records/2/ExternalId"] == (4, 4)


def test_missing_file_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_path(tmp_path / "absent.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 2]))
def test_loader_agrees_with_the_stdlib_on_valid_json(value: object, indent: int | None) -> None:
    text = json.dumps({"records": [value, value], "x": value}, indent=indent)
    doc = load_text(text)
    assert doc.value == json.loads(text)
    assert not doc.problems


@given(st.text(max_size=60))
def test_loader_never_raises_on_arbitrary_text(text: str) -> None:
    doc = load_text(text)
    assert doc.ok or doc.problems
