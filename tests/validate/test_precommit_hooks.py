"""The `.pre-commit-hooks.yaml` other repositories use runs `gscontract validate` on payload files only."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gscontract.payload.kinds import Kind

HOOKS = Path(__file__).parent.parent.parent / ".pre-commit-hooks.yaml"
GOOD_INSERT = (
    '{"records": [{"ContextName": "Company", "TypeName": "Update", "ExternalId": "a1", '
    '"Subject": "s", "Notes": "n", "Author": "a@b.c", "GsCompanyId": "x"}]}'
)


def _hook() -> dict[str, str]:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "gscontract-validate"
    assert {"id", "name", "entry", "language"} <= hook.keys()
    return dict(hook)


def test_the_hook_selects_payloads_named_after_their_kind_and_json_lines_files() -> None:
    files = re.compile(_hook()["files"])
    payloads = [f"dir/{kind.value}.accounts.json" for kind in Kind]
    payloads += ["timeline-insert.json", "timeline-update.externalid.june.json", "a.jsonl", "x/events.ndjson"]
    for name in payloads:
        assert files.search(name), name
    others = ["package.json", "tsconfig.json", "a.json", "timeline-insert.json.bak", "my-timeline-insert.json"]
    for name in [*others, "pyproject.toml", "specs/timeline.openapi.yaml"]:
        assert not files.search(name), name


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_repository_only_the_bad_payload_fails_the_hook(tmp_path: Path) -> None:
    """The hook as installed in a repository: package.json is left alone, a bad payload fails."""
    hook = _hook()
    program, *arguments = shlex.split(hook["entry"])
    assert program == "gscontract"
    repo = tmp_path / "repo"
    (repo / "payloads").mkdir(parents=True)
    (repo / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n', encoding="utf-8")
    (repo / "payloads" / "timeline-insert.good.json").write_text(GOOD_INSERT + "\n", encoding="utf-8")
    (repo / "payloads" / "timeline-insert.bad.json").write_text(GOOD_INSERT.replace("a1", "") + "\n")
    # The published hook with its entry pointing at this checkout's gscontract, so no download is needed.
    local = {**hook, "language": "system", "entry": shlex.join([sys.executable, "-m", "gscontract", *arguments])}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "SKIP": ""}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "payloads/timeline-insert.bad.json" in done.stdout
    assert "TL101" in done.stdout  # the missing ExternalId
    assert "package.json" not in done.stdout
    assert "timeline-insert.good.json" not in done.stdout
