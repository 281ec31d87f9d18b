"""The reporter registry: each format declares its name, report-folder file and suffixes where it registers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

import pytest

from gscontract.errors import RegistryError
from gscontract.reporting import REPORTERS, ReportFormat, format_for_path, get_reporter, reporter


def _noop(report: object, out: object) -> None:
    """A renderer that is never called; registration is what these tests exercise."""


@pytest.fixture
def scratch_registry() -> Iterator[dict[str, ReportFormat]]:
    """REPORTERS as it is, restored after the test so a test format never leaks into others."""
    saved = dict(REPORTERS)
    yield saved
    REPORTERS.clear()
    REPORTERS.update(saved)


def test_every_format_declares_a_file_that_implies_it_back() -> None:
    for name, fmt in REPORTERS.items():
        assert fmt.name == name
        if name == "github":  # annotations for a CI log: no file, no suffix
            assert (fmt.filename, fmt.suffixes) == ("", ())
            continue
        assert fmt.suffixes, name
        assert format_for_path(PurePath(fmt.filename)) == name


def test_report_folder_files_are_distinct_and_in_the_documented_order() -> None:
    files = [fmt.filename for fmt in REPORTERS.values() if fmt.filename]
    assert files == ["index.html", "report.md", "junit.xml", "report.sarif", "report.json", "report.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.html", "html"),
        ("OUT.HTM", "html"),
        ("notes.md", "md"),
        ("results.xml", "junit"),
        ("scan.sarif", "sarif"),
        ("scan.sarif.json", "sarif"),
        ("report.json", "json"),
        ("log.txt", "text"),
        ("report.csv", None),
        ("README", None),
    ],
)
def test_the_longest_declared_suffix_names_the_format(name: str, expected: str | None) -> None:
    assert format_for_path(PurePath("some/dir", name)) == expected


def test_get_reporter_returns_the_registered_renderer() -> None:
    assert get_reporter("md") is REPORTERS["md"].render
    with pytest.raises(RegistryError, match="unknown format 'pdf'; choose from github, html, json"):
        get_reporter("pdf")


@pytest.mark.usefixtures("scratch_registry")
@pytest.mark.parametrize(
    ("name", "suffixes", "message"),
    [
        ("md", (".mdx",), "reporter 'md' is registered twice"),
        ("csv", (".json",), "suffix '.json' already implies 'json'"),
        ("csv", ("csv",), "suffix 'csv' must be lower-case and start with a dot"),
        ("csv", (".CSV",), "suffix '.CSV' must be lower-case"),
    ],
)
def test_clashing_or_malformed_declarations_fail_loudly(name: str, suffixes: tuple[str, ...], message: str) -> None:
    before = dict(REPORTERS)
    with pytest.raises(RegistryError, match=message):
        reporter(name, filename="x.out", suffixes=suffixes)(_noop)
    assert before == REPORTERS


@pytest.mark.usefixtures("scratch_registry")
def test_a_new_format_is_found_by_its_suffix() -> None:
    reporter("csv", filename="report.csv", suffixes=(".csv",))(_noop)
    assert format_for_path(PurePath("report.csv")) == "csv"
    assert REPORTERS["csv"].filename == "report.csv"
