"""The `.pre-commit-hooks.yaml` other repositories use runs `gscontract validate` on payload files."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from gscontract.cli import cli

HOOKS = Path(__file__).parent.parent.parent / ".pre-commit-hooks.yaml"


def test_the_hook_runs_validate_on_json_and_json_lines_files(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "gscontract-validate"
    assert hook["language"] == "python"
    assert {"id", "name", "entry", "language"} <= hook.keys()
    files = re.compile(hook["files"])
    for name in ("a.json", "dir/timeline-insert.x.jsonl", "events.ndjson"):
        assert files.search(name), name
    for name in ("pyproject.toml", "a.json.bak", "specs/timeline.openapi.yaml"):
        assert not files.search(name), name
    # pre-commit appends the matching file names to the entry: it must be a valid command line.
    payload = tmp_path / "timeline-insert.ok.json"
    payload.write_text(
        '{"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "a1", '
        '"Subject": "s", "Notes": "n", "Author": "a@b.c", "GsCompanyId": "x"}]}',
        encoding="utf-8",
    )
    program, command, *options = shlex.split(hook["entry"])
    assert (program, command) == ("gscontract", "validate")
    result = CliRunner().invoke(cli, [command, *options, str(payload)])
    assert result.exit_code == 0, result.output
