"""Each spec check: one passing case (the minimal fixture, and the bundled specs) and failing ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from gscontract.findings import Severity, Subject
from gscontract.specfiles import SPEC_NAMES, spec_path
from gscontract.speclint import CHECKS, SPEC_KIND, lint_spec_text

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.openapi.yaml").read_text()
OPERATION = "/paths/~1v1~1things/post"


def lint(text: str) -> Subject:
    return lint_spec_text(text, "spec.yaml")


def broken(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"fixture must hold {old!r} exactly once"
    return MINIMAL.replace(old, new)


def position(text: str, marker: str) -> tuple[int, int]:
    """1-based line and column where ``marker`` starts (it must occur once)."""
    assert text.count(marker) == 1
    before = text[: text.index(marker)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def only(subject: Subject, rule: str) -> list[tuple[str | None, int | None, int | None, str]]:
    return [(f.pointer, f.line, f.column, f.message) for f in subject.findings if f.rule == rule]


def test_minimal_fixture_passes_every_check() -> None:
    subject = lint(MINIMAL)
    assert subject.findings == ()
    assert subject.kind == SPEC_KIND
    assert subject.count == 1
    assert subject.rules == tuple(sorted(CHECKS))


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_bundled_specs_pass_every_check(name: str) -> None:
    path = spec_path(name)
    subject = lint_spec_text(path.read_text(), str(path))
    assert [f"{f.rule} {f.pointer} {f.message}" for f in subject.findings] == []


# SP101 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("openapi: 3.1.0\ninfo: {title: x, version: '1'\npaths: {}\n", 3, "not valid YAML"),
        ("- openapi\n- 3.1.0\n", 1, "must be a mapping at the top level"),
        ("", None, "the file is empty"),
    ],
)
def test_sp101_unreadable_spec_is_one_finding(text: str, line: int | None, message: str) -> None:
    subject = lint(text)
    [finding] = subject.findings
    assert (finding.rule, finding.line, finding.severity) == ("SP101", line, Severity.ERROR)
    assert message in finding.message
    assert subject.rules == ("SP101",)
    assert subject.count == 0


# SP102 --------------------------------------------------------------------------------------------


def test_sp102_schema_error_points_at_the_bad_value() -> None:
    text = broken("          description: Saved\n", "          description: 5\n")
    [(pointer, line, column, message)] = only(lint(text), "SP102")
    assert pointer == f"{OPERATION}/responses/200/description"
    assert (line, column) == position(text, "description: 5")
    assert "not of type" in message


def test_sp102_error_inside_a_schema_is_located_in_the_document() -> None:
    # openapi-spec-validator checks schemas on their own, so its path is relative to the schema.
    text = broken("      enum: [SUBMITTED, COMPLETED]\n", "      enum: [SUBMITTED, COMPLETED]\n      minLength: -1\n")
    [(pointer, line, _, _)] = only(lint(text), "SP102")
    assert pointer == "/components/schemas/State/minLength"
    assert line == position(text, "minLength: -1")[0]


def test_sp102_duplicate_operation_id_names_the_operation() -> None:
    extra = (
        "  /v1/others:\n    get:\n      operationId: saveThing\n      summary: x\n"
        "      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object}}}}\n"
        "        '401': {$ref: '#/components/responses/Error'}\n        '429': {$ref: '#/components/responses/Error'}\n"
    )
    text = broken("components:\n", extra + "components:\n")
    [(pointer, _, _, message)] = only(lint(text), "SP102")
    assert pointer == "/paths/~1v1~1others/get"
    assert "not unique" in message


def test_sp102_flags_a_version_other_than_3_1() -> None:
    text = broken("openapi: 3.1.0", "openapi: 3.0.3")
    assert ("/openapi", 2, 1) in [(p, ln, c) for p, ln, c, _ in only(lint(text), "SP102")]


def test_sp102_never_fetches_remote_references() -> None:
    # Port 9 (discard) on localhost: a fetch would hang or fail loudly; the lint must not try.
    text = broken('$ref: "#/components/schemas/State"', '$ref: "http://127.0.0.1:9/state.yaml"')
    subject = lint(text)
    assert only(subject, "SP103")


# SP103 --------------------------------------------------------------------------------------------


def test_sp103_dangling_ref() -> None:
    text = broken('$ref: "#/components/schemas/State"', '$ref: "#/components/schemas/Stat"')
    [(pointer, line, column, message)] = only(lint(text), "SP103")
    assert pointer == "/components/schemas/Thing/properties/state/$ref"
    assert (line, column) == position(text, '$ref: "#/components/schemas/Stat"')
    assert "'#/components/schemas/Stat'" in message


def test_sp103_ref_to_another_file() -> None:
    text = broken('$ref: "#/components/schemas/State"', '$ref: "common.yaml#/State"')
    [(_, _, _, message)] = only(lint(text), "SP103")
    assert "outside the document" in message


def test_sp103_a_ref_key_inside_an_example_is_data() -> None:
    text = broken(
        "                  name: first\n", '                  name: first\n                  $ref: "#/nowhere"\n'
    )
    assert only(lint(text), "SP103") == []


# SP104 - SP108 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "old", "new", "pointer", "words"),
    [
        ("SP104", "      operationId: saveThing\n", "", OPERATION, "has no operationId"),
        ("SP104", "      operationId: saveThing\n", "      operationId: '  '\n", OPERATION, "has no operationId"),
        ("SP105", "      summary: Save a thing\n", "", OPERATION, "has no summary"),
        (
            "SP107",
            '        "401":\n          $ref: "#/components/responses/Error"\n',
            "",
            f"{OPERATION}/responses",
            "401",
        ),
        (
            "SP108",
            '        "429":\n          $ref: "#/components/responses/Error"\n',
            "",
            f"{OPERATION}/responses",
            "429",
        ),
    ],
)
def test_operation_checks(rule: str, old: str, new: str, pointer: str, words: str) -> None:
    text = broken(old, new)
    findings = [f for f in lint(text).findings if f.rule == rule]
    assert [(f.pointer, f.operation) for f in findings] == [(pointer, "POST /v1/things")]
    assert words in findings[0].message
    key = "    post:" if pointer == OPERATION else "      responses:"
    assert findings[0].line == position(text, key)[0]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('        "200":\n', '        "201":\n', None),  # another 2xx with a schema is fine
        ('        "200":\n', '        "302":\n', "no 2xx response"),
        (
            "          description: Saved\n          content:\n",
            "          description: Saved\n          x-content:\n",
            "no body schema in its 2xx responses",
        ),
    ],
)
def test_sp106_success_schema(old: str, new: str, words: str | None) -> None:
    findings = only(lint(broken(old, new)), "SP106")
    if words is None:
        assert findings == []
    else:
        [(pointer, _, _, message)] = findings
        assert pointer == f"{OPERATION}/responses"
        assert message == f"POST /v1/things has {words}"


def test_sp106_follows_a_response_ref() -> None:
    text = broken(
        '        "200":\n          description: Saved\n',
        '        "200":\n          $ref: "#/components/responses/Error"\n'
        '        "299":\n          description: Saved\n',
    )
    assert only(lint(text), "SP106") == []


# SP109 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "pointer", "marker"),
    [
        (
            "                state: COMPLETED\n",
            "                state: DONE\n",
            f"{OPERATION}/responses/200/content/application~1json/example/state",
            "state: DONE",
        ),
        (
            "                  state: SUBMITTED\n",
            "                  state: SUBMITTED\n                  when: 2022-02-30T00:00:00Z\n",
            f"{OPERATION}/requestBody/content/application~1json/examples/one/value/when",
            "when: 2022-02-30",
        ),
        (
            "          examples: [first]\n",
            "          examples: [7]\n",
            "/components/schemas/Thing/properties/name/examples/0",
            "7]",
        ),
    ],
)
def test_sp109_invalid_example_names_its_pointer_and_line(old: str, new: str, pointer: str, marker: str) -> None:
    text = broken(old, new)
    [(found, line, _, message)] = only(lint(text), "SP109")
    assert found == pointer
    assert line == position(text, marker)[0]
    assert message.startswith("example does not match its schema: ")


def test_sp109_missing_property_points_at_the_example_object() -> None:
    text = broken("                  name: first\n", "")
    [(pointer, _, _, message)] = only(lint(text), "SP109")
    assert pointer == f"{OPERATION}/requestBody/content/application~1json/examples/one/value"
    assert "'name' is a required property" in message


def test_sp109_follows_example_refs_into_components() -> None:
    text = broken(
        "              one:\n                value:\n"
        "                  name: first\n                  state: SUBMITTED\n",
        '              one:\n                $ref: "#/components/examples/One"\n',
    )
    text = text.replace("components:\n", "components:\n  examples:\n    One:\n      value:\n        state: LOST\n")
    [(pointer, _, _, _)] = only(lint(text), "SP109")
    assert pointer == "/components/examples/One/value"


def test_sp109_unquoted_dates_stay_strings() -> None:
    # YAML 1.1 would read this as a date object, which is not a JSON string; specs are read as JSON.
    text = broken(
        "                  state: SUBMITTED\n",
        "                  state: SUBMITTED\n                  when: 2022-07-01T06:36:00Z\n",
    )
    assert only(lint(text), "SP109") == []


# SP110 --------------------------------------------------------------------------------------------


def test_sp110_unused_component_and_its_private_dependencies() -> None:
    text = broken(
        "    State:\n",
        "    Old:\n      $ref: '#/components/schemas/OldPart'\n    OldPart:\n      type: string\n    State:\n",
    )
    found = only(lint(text), "SP110")
    assert [p for p, *_ in found] == ["/components/schemas/Old", "/components/schemas/OldPart"]
    assert found[0][1] == position(text, "    Old:")[0]


def test_sp110_unused_security_scheme() -> None:
    text = broken("security:\n  - AccessKey: []\n", "")
    [(pointer, _, _, message)] = only(lint(text), "SP110")
    assert pointer == "/components/securitySchemes/AccessKey"
    assert "security requirement" in message


def test_sp110_a_component_used_only_by_itself_is_unused() -> None:
    text = broken(
        "    State:\n", "    Tree:\n      properties:\n        child: {$ref: '#/components/schemas/Tree'}\n    State:\n"
    )
    assert [p for p, *_ in only(lint(text), "SP110")] == ["/components/schemas/Tree"]
