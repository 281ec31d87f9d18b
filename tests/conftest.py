"""Shared test configuration: hypothesis profiles and small record builders."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# `ci` is derandomized so a CI failure reproduces; `dev` explores. CI=1 (set by most CI systems) picks ci.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    """Let the many ``gscontract`` subprocesses the tests start reuse compiled bytecode.

    An environment with ``PYTHONDONTWRITEBYTECODE`` set (CI images often set it) leaves the editable
    install's modules uncompiled, so every subprocess compiles them again: about a third of a second each,
    hundreds of times a run. Their bytecode goes to a cache under ``.pytest_cache`` instead, never beside
    the sources. Set before pytest-xdist starts its workers, which inherit it.
    """
    prefix = Path(config.rootpath) / ".pytest_cache" / "pycache"
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(prefix))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


LONGEST_FIRST = (
    "contract/test_served_mock.py",
    "contract/test_independent_runs.py",
    "mock/test_mock_schemathesis.py",
    "contract/test_run_mock.py",
    "contract/test_hostile.py",
    "upload/test_upload_mock.py",
    "contract/test_live.py",
)
"""The longest modules (a minute or more each, much of it waiting on rate limits, jobs and servers)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the longest modules first, so the quick ones fill in around them.

    pytest-xdist hands modules to its workers in collection order; one of these started last kept one
    worker busy for minutes after the other had finished. The sort is stable: every other test keeps
    its place.
    """
    tests = Path(__file__).parent
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}

    def place(item: pytest.Item) -> int:
        try:
            name = item.path.relative_to(tests).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=place)


def make_record(**fields: Any) -> dict[str, Any]:
    """A valid company-context insert record like the Timeline document's single-save sample."""
    record: dict[str, Any] = {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": "16f0383a1e404d7ba52361bb7370d7de",
        "Subject": "External API demo 1",
        "Notes": "notes for the activity",
        "ActivityDate": "2022-07-01T06:36:00.000-07:00",
        "Author": "testuser@gainsight.com",
        "companyName": "Tech systems ABC Ltd",
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not ...}


@pytest.fixture
def record() -> dict[str, Any]:
    """A fresh valid insert record."""
    return make_record()
