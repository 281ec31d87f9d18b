"""Parsing specs with positions, and the walks the checks share."""

from __future__ import annotations

import pytest

from gscontract.speclint import SpecSyntaxError, parse_spec
from gscontract.speclint.walk import iter_refs, operations, resolve_ref

TEXT = """\
openapi: 3.1.0
paths:
  /v1/a/{id}:
    get:
      responses:
        200:
          description: ok
          links:
            Next:
              operationId: other
              requestBody: {$ref: "#/not/a/ref"}
      x-notes: {$ref: "#/also/not"}
    parameters: []
components:
  schemas:
    default:
      properties:
        enum: {$ref: "#/components/schemas/default"}
      default: {$ref: "#/ignored"}
      example: {$ref: "#/ignored"}
  examples:
    One:
      value: {$ref: "#/ignored"}
list:
  - first
  - {when: 2022-07-01, flag: on, yes_: yes}
"""


def test_positions_are_those_of_keys_and_items() -> None:
    doc = parse_spec(TEXT, "t.yaml")
    assert doc.locate("") == (1, 1)
    assert doc.locate("/paths/~1v1~1a~1{id}/get") == (4, 5)
    assert doc.locate("/list/1") == (26, 5)
    # A pointer to something absent falls back to its nearest ancestor that exists.
    assert doc.locate("/paths/~1v1~1a~1{id}/get/summary") == (4, 5)
    assert doc.locate("/nothing/here") == (1, 1)


def test_values_are_read_as_json_would_hold_them() -> None:
    doc = parse_spec(TEXT, "t.yaml")
    assert "200" in doc.data["paths"]["/v1/a/{id}"]["get"]["responses"]
    assert doc.resolve("/list/1") == {"when": "2022-07-01", "flag": "on", "yes_": "yes"}


def test_operations_are_found_with_their_pointers() -> None:
    [operation] = operations(parse_spec(TEXT, "t.yaml"))
    assert operation.label == "GET /v1/a/{id}"
    assert operation.pointer == "/paths/~1v1~1a~1{id}/get"


def test_refs_skip_literal_values_but_not_names() -> None:
    refs = list(iter_refs(parse_spec(TEXT, "t.yaml").data))
    assert refs == [("/components/schemas/default/properties/enum", "#/components/schemas/default")]


def test_resolve_ref_handles_anchors_and_escapes() -> None:
    text = "components:\n  schemas:\n    A:\n      properties:\n        b/c: {$anchor: here, type: string}\n"
    doc = parse_spec(text, "t.yaml")
    assert resolve_ref(doc, "#/components/schemas/A/properties/b~1c") == {"$anchor": "here", "type": "string"}
    assert resolve_ref(doc, "#here") == {"$anchor": "here", "type": "string"}
    assert resolve_ref(doc, "#/components/schemas/A/properties/b%7E1c")["type"] == "string"
    for dangling in ("#/components/schemas/B", "#elsewhere", "other.yaml#/A"):
        with pytest.raises(KeyError):
            resolve_ref(doc, dangling)


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: [1, 2\n", (2, 1)), ("a: 1\n  b: 2\n", (2, 4)), ("'just a string'\n", (1, 1))],
)
def test_syntax_errors_carry_their_position(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(SpecSyntaxError) as caught:
        parse_spec(text, "t.yaml")
    assert (caught.value.line, caught.value.column) == where
