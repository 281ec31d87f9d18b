"""`gscontract specs lint`: wiring, output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gscontract.cli import cli
from gscontract.specfiles import spec_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["specs", "lint", *args])
    return result.exit_code, result.stdout, result.stderr


def test_default_lints_every_bundled_spec() -> None:
    code, out, _ = run()
    assert code == 0
    assert out == "3 specs, 13 operations: 0 errors, 0 warnings\n"


def test_a_folder_is_linted_file_by_file() -> None:
    code, out, _ = run(str(spec_path("timeline").parent))
    assert (code, out.splitlines()[-1]) == (0, "3 specs, 13 operations: 0 errors, 0 warnings")


def test_broken_example_exits_1_naming_pointer_and_line(tmp_path: Path) -> None:
    text = spec_path("timeline").read_text()
    broken = text.replace("                      status: ABORTED\n", "                      status: DONE\n", 1)
    assert broken != text
    line = broken[: broken.index("status: DONE")].count("\n") + 1
    target = tmp_path / "timeline.openapi.yaml"
    target.write_text(broken)
    code, out, _ = run(str(target))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{target}:{line}:23: SP109 example does not match its schema: ")
    pointer = "/paths/~1v1~1ant~1es~1job~1abort~1{jobId}/put/responses/200/content/application~1json"
    assert first.endswith(f"(at {pointer}/examples/aborted/value/data/status)")


def test_bad_yaml_is_a_finding_with_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "bad.yaml"
    target.write_text("openapi: 3.1.0\npaths:\n  /a: [x, y\n  /b: {}\n")
    code, out, _ = run(str(target))
    assert code == 1
    # The flow list of line 3 is never closed; the parser notices at the colon of line 4.
    assert out.startswith(f"{target}:4:5: SP101 not valid YAML: expected ',' or ']', but got ':'")


@pytest.mark.parametrize("args", [("missing.yaml",), ("--format", "text", "nowhere/")])
def test_missing_path_is_a_one_line_usage_error(args: tuple[str, ...]) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "no such file or folder" in err


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path))
    assert code == 2
    assert "no .yaml, .yml or .json files" in err


def test_json_to_a_file(tmp_path: Path) -> None:
    output = tmp_path / "out" / "specs.json"
    code, out, _ = run("--format", "json", "-o", str(output))
    assert (code, out) == (0, "")
    data = json.loads(output.read_text())
    assert [(s["kind"], s["operations"]) for s in data["specs"]] == [
        ("openapi-3.1", 9),
        ("openapi-3.1", 3),
        ("openapi-3.1", 1),
    ]
    assert data["specs"][0]["rules"] == [f"SP{n}" for n in range(101, 111)]
