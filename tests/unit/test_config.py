from __future__ import annotations

from pathlib import Path

import pytest

from gscontract.config import Config, find_config, load_config, parse_config
from gscontract.errors import ConfigError
from gscontract.findings import Severity


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_config(start=tmp_path) == Config()


def test_full_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        """
[tool.gscontract]
payloads = ["payloads/**/*.json"]
kinds = {"updates/*.json" = "timeline-update:externalid"}
select = ["TL"]
ignore = ["TL205"]
severity = {tl201 = "warning"}
fail_on = "warning"
profile = "legacy"
base_url = "https://demo.gainsightcloud.com"
allow_writes = true
max_requests = 40
report_dir = "out"
redact_headers = ["X-Token"]
redact_fields = ["Email"]
""",
        encoding="utf-8",
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.path == tmp_path / "pyproject.toml"
    assert config.root == tmp_path
    assert config.kinds == {"updates/*.json": "timeline-update:externalid"}
    assert config.severity == {"TL201": Severity.WARNING}
    assert (config.fail_on, config.profile, config.max_requests, config.allow_writes) == (
        Severity.WARNING,
        "legacy",
        40,
        True,
    )
    assert config.redact_headers == ("X-Token",)


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.gscontract]\nprofile = 'current'\n", encoding="utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_config(inner) == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"payload": ["x"]}, "unknown key(s) payload"),
        ({"payloads": [1]}, "'payloads' must be a list of strings"),
        ({"kinds": {"*.json": "timeline-upsert"}}, "kinds['*.json']"),
        ({"kinds": {"*.json": "timeline-update:gsid"}}, "unknown identifier"),
        ({"severity": {"TL201": "fatal"}}, "unknown severity"),
        ({"fail_on": "info"}, "'fail_on' must be one of error, warning"),
        ({"profile": "v5"}, "'profile' must be one of current, legacy"),
        ({"allow_writes": "yes"}, "'allow_writes' must be a bool"),
        ({"max_requests": 0}, "positive integer"),
        ({"max_requests": True}, "positive integer"),
        ({"request_timeout": 0}, "'request_timeout' must be a positive number of seconds"),
        ({"max_duration": "10m"}, "'max_duration' must be a positive number of seconds"),
    ],
)
def test_invalid_values_are_config_errors(table: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(table)
    assert words in str(info.value)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.gscontract\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)
