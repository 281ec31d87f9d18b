from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import gscontract
from gscontract import specfiles
from gscontract.errors import SpecError
from gscontract.specfiles import SPEC_NAMES, load_spec, spec_path, specs_dir


def test_spec_names_are_the_three_apis() -> None:
    assert SPEC_NAMES == ("timeline", "events", "events-framework")


def test_checkout_uses_the_top_level_specs_folder() -> None:
    # The venv installs the package editable, so there is no _specs copy inside the package.
    package = Path(gscontract.__file__).resolve().parent
    assert not (package / "_specs").exists()
    assert specs_dir() == package.parent / "specs"


def test_unknown_name_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match=r"unknown spec 'billing'; choose from timeline, events"):
        spec_path("billing")


def test_missing_file_is_a_spec_error_naming_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(specfiles, "specs_dir", lambda: tmp_path)
    with pytest.raises(SpecError, match="events spec is missing") as caught:
        spec_path("events")
    assert str(tmp_path / "events.openapi.yaml") in str(caught.value)


def test_load_spec_parses_and_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "timeline.openapi.yaml").write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
    monkeypatch.setattr(specfiles, "specs_dir", lambda: tmp_path)
    first = load_spec("timeline")
    assert first["openapi"] == "3.1.0"
    assert load_spec("timeline") is first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: [3.1\n", r"timeline\.openapi\.yaml:2:1: not valid YAML"),
        ("- just\n- a list\n", "must be a mapping at the top level"),
    ],
)
def test_unloadable_spec_is_a_one_line_spec_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "timeline.openapi.yaml").write_text(text)
    monkeypatch.setattr(specfiles, "specs_dir", lambda: tmp_path)
    with pytest.raises(SpecError, match=message) as caught:
        load_spec("timeline")
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_wheel_carries_both_specs_and_finds_them(tmp_path: Path) -> None:
    repo = Path(gscontract.__file__).resolve().parent.parent
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(repo)]
    subprocess.run(build, check=True, capture_output=True, timeout=240)
    (wheel,) = wheel_dir.glob("gscontract-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"gscontract/_specs/{name}.openapi.yaml" for name in SPEC_NAMES} <= names

    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=240)
    probe = "from gscontract.specfiles import load_spec, spec_path; print(spec_path('events')); load_spec('timeline')"
    # Run outside the checkout so nothing but the installed copy can be found first.
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert Path(out.stdout.strip()) == target / "gscontract" / "_specs" / "events.openapi.yaml"
