"""The README's examples work as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.slow
def test_the_pytest_plugin_example_passes_from_another_directory(tmp_path: Path) -> None:
    (block,) = [b for b in _python_blocks() if "gsc_client" in b]
    (tmp_path / "test_example.py").write_text(block, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout


def test_the_quickstart_is_two_commands_and_ci_runs_the_second() -> None:
    text = README.read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    install, tests = quickstart.strip().splitlines()
    assert install.endswith("gscontract run")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci
