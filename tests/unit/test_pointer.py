from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gscontract.pointer import escape, parse_pointer, resolve, to_pointer


def test_empty_path_is_the_whole_document() -> None:
    assert to_pointer([]) == ""
    assert parse_pointer("") == []
    assert resolve({"a": 1}, "") == {"a": 1}


def test_special_characters_are_escaped_in_rfc_order() -> None:
    assert escape("a/b~c") == "a~1b~0c"
    assert to_pointer(["records", 3, "Ant__x/y__c"]) == "/records/3/Ant__x~1y__c"
    # "~01" is "~1" unescaped, never "/": ~1 is replaced before ~0 (RFC 6901, section 4).
    assert parse_pointer("/~01") == ["~1"]


def test_resolve_walks_objects_and_arrays() -> None:
    doc = {"records": [{"Subject": "x"}, {"Subject": "y"}]}
    assert resolve(doc, "/records/1/Subject") == "y"
    assert resolve(doc, ["records", 0]) == {"Subject": "x"}


@pytest.mark.parametrize("pointer", ["/records/2", "/records/01", "/records/-", "/nope", "/records/0/Subject/x"])
def test_resolve_rejects_pointers_that_lead_nowhere(pointer: str) -> None:
    with pytest.raises(KeyError):
        resolve({"records": [{"Subject": "x"}, {}]}, pointer)


def test_parse_rejects_a_pointer_without_leading_slash() -> None:
    with pytest.raises(ValueError, match="must be empty or start with '/'"):
        parse_pointer("records/0")


@given(st.lists(st.text(), max_size=5))
def test_pointers_round_trip(path: list[str]) -> None:
    assert parse_pointer(to_pointer(path)) == path
