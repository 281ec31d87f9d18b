"""Every format rendered from the shared sample report matches its reviewed snapshot."""

from __future__ import annotations

import io

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from gscontract import __version__
from gscontract.findings import Report
from gscontract.reporting import REPORTERS, get_reporter

# One snapshot file per format, named with the format's usual suffix so it opens in an editor as such.
SUFFIXES = {
    "html": "html",
    "md": "md",
    "junit": "xml",
    "sarif": "sarif",
    "json": "json",
    "text": "txt",
    "github": "log",
}
EXTENSIONS = {
    fmt: type(f"Snapshot_{fmt}", (SingleFileSnapshotExtension,), {"file_extension": suffix})
    for fmt, suffix in SUFFIXES.items()
}


def render(report: Report, fmt: str) -> str:
    out = io.StringIO()
    get_reporter(fmt)(report, out)
    # The package version changes with every release; the snapshots should not.
    return out.getvalue().replace(__version__, "<version>")


def test_every_format_has_a_snapshot() -> None:
    assert set(EXTENSIONS) == set(REPORTERS)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_format_matches_snapshot(fmt: str, sample_report: Report, snapshot: SnapshotAssertion) -> None:
    assert render(sample_report, fmt).encode() == snapshot(extension_class=EXTENSIONS[fmt])
