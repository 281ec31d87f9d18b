"""Fixtures for the mock tenant's tests: fresh in-process apps behind Starlette's test client."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from mockkit import KEY

from gscontract.mock import create_app

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its test client; httpx works the same here.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """Build a test client over a fresh mock; options go to ``create_app`` (limits off, jobs start at once)."""
    with ExitStack() as stack:

        def make(**options: Any) -> TestClient:
            options.setdefault("access_key", KEY)
            options.setdefault("rate_limits", "off")
            options.setdefault("job_start_delay", 0.0)
            app = create_app(**options)
            return stack.enter_context(TestClient(app, headers={"accesskey": KEY}))

        yield make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A test client over a fresh mock with the demo tenant."""
    return make_client()
