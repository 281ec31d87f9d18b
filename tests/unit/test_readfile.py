"""read_regular: regular files only, and only up to a limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gscontract.readfile import read_regular


def test_reads_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b'{"records": []}')
    assert read_regular(tmp_path / "a.json") == b'{"records": []}'


def test_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.json")
    with pytest.raises(OSError, match=r"not a regular file \(a FIFO\)"):
        read_regular(tmp_path / "f.json")


def test_refuses_a_folder_and_a_file_over_the_limit(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"\(a folder\)"):
        read_regular(tmp_path)
    (tmp_path / "big.json").write_bytes(b"x" * 101)
    with pytest.raises(OSError, match="larger than 100 bytes"):
        read_regular(tmp_path / "big.json", limit=100)


def test_reads_files_that_report_no_size() -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc here")
    assert b"Name:" in read_regular(Path("/proc/self/status"))
