"""Fixtures of the contract runner's tests: served apps, request counters, a distinctive key."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from gscontract.mock import create_app
from gscontract.pytest_plugin import ServedApp

KEY = "gsc-KEY-Zq8vN3xR7tPw2Lm5-distinctive"
"""An access key unlikely to appear anywhere by chance, so finding it in output means it leaked."""
HERE = Path(__file__).parent


class Counting:
    """Wraps an ASGI app and counts the HTTP requests that reach it, by ``METHOD /path``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen[f"{scope['method']} {scope['path']}"] += 1
        await self.app(scope, receive, send)

    @property
    def total(self) -> int:
        return sum(self.seen.values())

    def writes(self) -> int:
        return sum(
            n
            for key, n in self.seen.items()
            if not key.startswith("GET ") and "/query/" not in key and not key.endswith("/deleted")
        )


def mock_app(**options: Any) -> Any:
    options.setdefault("access_key", KEY)
    options.setdefault("rate_limits", "off")
    options.setdefault("job_start_delay", 0.2)
    return create_app(**options)


@pytest.fixture
def serve() -> Iterator[Callable[[Any], str]]:
    """Serve ASGI apps on free 127.0.0.1 ports for the test; returns each one's base URL."""
    with ExitStack() as stack:
        yield lambda app: stack.enter_context(ServedApp(app))


def gscontract(
    *args: str, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``gscontract`` CLI as a process (the console script of this environment)."""
    exe = Path(sys.executable).with_name("gscontract")
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        check=False,
    )


@contextmanager
def served_process(argv: list[str], env: dict[str, str] | None = None) -> Iterator[str]:
    """A server process on 127.0.0.1 that prints "... listening on URL" once ready; yields the URL.

    It is stopped by its PID (SIGTERM, then SIGKILL after 10 s) however the test ends.
    """
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {})}
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # bounded by the server: it prints once it listens, or exits
        assert "listening on " in line, line
        yield line.split()[-1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
