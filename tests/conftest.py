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
