"""``pytest --gsc-payloads DIR``: one test per payload file, spread over processes by pytest-xdist."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gscontract.samples import sample_paths

# The Timeline document's single-save sample: a clean activity and the lookups it needs.
(SAMPLE,) = [p for p in sample_paths() if p.name == "timeline-insert.single.json"]


def write_payloads(folder: Path) -> None:
    folder.mkdir()
    for number in range(6):
        body = json.loads(SAMPLE.read_text(encoding="utf-8"))
        record = body["records"][0]
        record["ExternalId"] = "crm-0" if number == 4 else f"crm-{number}"  # file 4 reuses file 0's
        if number == 2:
            record["Subject"] = "x" * 300
        (folder / f"timeline-insert.{number}.json").write_text(json.dumps(body), encoding="utf-8")


def pytest_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-q", *args]
    return subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_each_file_is_a_test_and_two_workers_share_them(tmp_path: Path) -> None:
    write_payloads(tmp_path / "payloads")
    result = pytest_run(tmp_path, "-n", "2", "--gsc-payloads", "payloads", "-rf")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed, 5 passed" in result.stdout
    assert "created 2 workers" in result.stdout or "[gw1]" in result.stdout
    # The failures show their findings as gscontract validate prints them.
    assert "payloads/timeline-insert.2.json:1:" in result.stdout
    assert "TL303" in result.stdout
    assert "TL104 GS_TL_10_0107 Activity with same External Id exists: 'crm-0'" in result.stdout


@pytest.mark.slow
def test_the_cross_file_item_can_be_left_out(tmp_path: Path) -> None:
    write_payloads(tmp_path / "payloads")
    result = pytest_run(tmp_path, "--gsc-payloads", "payloads", "-k", "not cross_file")
    assert "1 failed, 5 passed" in result.stdout, result.stdout + result.stderr


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--gsc-payloads", "absent")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "absent: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
