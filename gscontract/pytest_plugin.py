"""gscontract's pytest plugin: options, fixtures for a tenant, and the contract run for ``gscontract.contract_tests``.

Installed with gscontract (entry point ``pytest11``), so ``pytest --pyargs gscontract.contract_tests`` runs
the ready-made contract tests in any project. Options, each also read from ``[tool.gscontract]`` in
pyproject.toml (the command line wins):

``--gsc-base-url URL``      the tenant (``base_url``); without one, the embedded mock is used.
``--gsc-access-key KEY``    its key (also ``GAINSIGHT_ACCESS_KEY``); never printed.
``--gsc-shared-secret S``   the Events Framework publisher's secret (also ``GAINSIGHT_SHARED_SECRET``); never printed.
``--gsc-allow-writes``      let the run create (and then delete) data on the tenant (``allow_writes``).
``--gsc-max-requests N``    the run's request budget (``max_requests``).
``--gsc-request-timeout S`` the most one request may take once sent (``request_timeout``; 30 s).
``--gsc-max-duration S``    the most the contract run may take (``max_duration``; 600 s); then it stops.

Fixtures: ``gsc_tenant`` (base URL, access key and a ``requests`` session; starts the mock on a free
127.0.0.1 port with uvicorn, in a thread, when no URL is given), ``gsc_client`` (a session bound to the
tenant: ``gsc_client.post("/v1/ant/es/activity", json=...)``) and ``gsc_contract`` (the contract run's
result, run once per session). The module imports nothing heavy until a fixture is used, since pytest
loads it in every session of a project that has gscontract installed.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest

from .gainsight.operations import APIS

if TYPE_CHECKING:
    import requests

    from .config import Config
    from .contract.engine.runner import ContractRun

__all__ = ["ServedApp", "TenantClient", "TenantInfo", "gsc_client", "gsc_contract", "gsc_tenant"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--gsc-*`` options and their ini keys."""
    group = parser.getgroup("gscontract", "Gainsight contract tests (gscontract)")
    group.addoption("--gsc-base-url", metavar="URL", help="Tenant to test [default: the embedded mock].")
    group.addoption("--gsc-access-key", metavar="KEY", help="Its access key [default: $GAINSIGHT_ACCESS_KEY].")
    group.addoption(
        "--gsc-shared-secret",
        metavar="SECRET",
        help="The publisher's shared secret [default: $GAINSIGHT_SHARED_SECRET].",
    )
    group.addoption("--gsc-allow-writes", action="store_true", default=None, help="Let the run create and delete data.")
    group.addoption("--gsc-max-requests", type=int, metavar="N", help="Request budget of the contract run.")
    group.addoption("--gsc-max-examples", type=int, metavar="N", help="Cases per operation and phase.")
    group.addoption("--gsc-seed", type=int, metavar="N", help="Hypothesis seed of the contract run.")
    group.addoption("--gsc-api", choices=[*APIS, "all"], default=None, help="APIs to test.")
    group.addoption("--gsc-rate-limit", metavar="SPEC", help="Limits kept against the tenant (off, GROUP=N/PERIOD).")
    group.addoption("--gsc-report-dir", metavar="DIR", help="Write the contract run's report.json here.")
    group.addoption(
        "--gsc-request-timeout", type=float, metavar="SECONDS", help="Most one request may take once sent [30]."
    )
    group.addoption(
        "--gsc-max-duration", type=float, metavar="SECONDS", help="Most the contract run may take [600]; then it stops."
    )
    parser.addini("gsc_base_url", "gscontract: tenant to test", default=None)
    parser.addini("gsc_allow_writes", "gscontract: let the run write", type="bool", default=None)


@dataclass(frozen=True)
class TenantInfo:
    """The tenant the tests talk to."""

    base_url: str
    access_key: str
    embedded: bool
    allow_writes: bool
    session: requests.Session


class TenantClient:
    """A ``requests`` session bound to the tenant: paths are joined to its base URL, the key is sent."""

    def __init__(self, tenant: TenantInfo) -> None:
        self.tenant = tenant
        self.session = tenant.session

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send a request to ``path`` (``/v1/...``) on the tenant."""
        return self.session.request(method, urljoin(self.tenant.base_url.rstrip("/") + "/", path.lstrip("/")), **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        """POST ``path``."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        """PUT ``path``."""
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        """DELETE ``path``."""
        return self.request("DELETE", path, **kwargs)


def _config(request: pytest.FixtureRequest) -> Config:
    from .config import load_config

    return load_config(start=Path(str(request.config.rootpath)))


def _base_url(request: pytest.FixtureRequest, config: Config) -> str | None:
    value = request.config.getoption("--gsc-base-url") or request.config.getini("gsc_base_url")
    return str(value) if value else config.base_url


def _allow_writes(request: pytest.FixtureRequest, config: Config) -> bool:
    for value in (request.config.getoption("--gsc-allow-writes"), request.config.getini("gsc_allow_writes")):
        if value is not None:
            return bool(value)
    return config.allow_writes


def _access_key(request: pytest.FixtureRequest) -> str | None:
    return request.config.getoption("--gsc-access-key") or os.environ.get("GAINSIGHT_ACCESS_KEY") or None


@pytest.fixture(scope="session")
def gsc_tenant(request: pytest.FixtureRequest) -> Iterator[TenantInfo]:
    """The tenant under test: ``--gsc-base-url``, else the mock served by uvicorn on 127.0.0.1."""
    import requests

    config = _config(request)
    base_url = _base_url(request, config)
    session = requests.Session()
    if base_url is not None:
        key = _access_key(request)
        if not key:
            pytest.fail("--gsc-base-url needs --gsc-access-key or GAINSIGHT_ACCESS_KEY", pytrace=False)
        session.headers["accesskey"] = key
        yield TenantInfo(base_url.rstrip("/"), key, False, _allow_writes(request, config), session)
        session.close()
        return
    key = _access_key(request) or f"gsc-local-{secrets.token_urlsafe(12)}"
    session.headers["accesskey"] = key
    with _served_mock(key) as url:
        yield TenantInfo(url, key, True, True, session)
    session.close()


class ServedApp:
    """An ASGI app served by uvicorn in a thread on a free 127.0.0.1 port; a context manager giving its URL.

    Used for the embedded mock of ``gsc_tenant``; stopped (and its thread joined) on exit.
    """

    def __init__(self, app: Any) -> None:
        import uvicorn

        from .mock.server import bind

        self.sock = bind("127.0.0.1", 0)
        config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
        # uvicorn leaves signal handlers alone outside the main thread, so the session keeps its own.
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        for _ in range(200):  # bounded: 10 s
            if self.server.started:
                break
            self.thread.join(0.05)
        if not self.server.started:
            raise RuntimeError("the app did not start serving within 10 s")
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def _served_mock(key: str) -> ServedApp:
    from .mock import create_app

    return ServedApp(create_app(access_key=key, rate_limits="off", job_start_delay=0.2))


@pytest.fixture(scope="session")
def gsc_client(gsc_tenant: TenantInfo) -> TenantClient:
    """A session bound to the tenant under test (base URL joined, access key sent).

    Session-scoped: it holds no state of its own, so hypothesis tests (``@given``) can use it.
    """
    return TenantClient(gsc_tenant)


@pytest.fixture(scope="session")
def gsc_contract(request: pytest.FixtureRequest) -> ContractRun:
    """The contract run over the tenant under test, once per session (the embedded mock in-process by default)."""
    from .contract import ContractOptions, run_contract
    from .contract.engine.options import MAX_DURATION, REQUEST_TIMEOUT
    from .reporting import get_reporter

    config = _config(request)
    base_url = _base_url(request, config)
    api = request.config.getoption("--gsc-api") or "all"
    options = ContractOptions(
        base_url=base_url,
        access_key=_access_key(request),
        shared_secret=request.config.getoption("--gsc-shared-secret")
        or os.environ.get("GAINSIGHT_SHARED_SECRET")
        or None,
        apis=APIS if api == "all" else (api,),
        allow_writes=_allow_writes(request, config),
        max_examples=request.config.getoption("--gsc-max-examples"),
        max_requests=request.config.getoption("--gsc-max-requests") or config.max_requests,
        seed=request.config.getoption("--gsc-seed"),
        profile=config.profile,
        redact_headers=config.redact_headers,
        redact_fields=config.redact_fields,
        rate_limit=request.config.getoption("--gsc-rate-limit"),
        request_timeout=request.config.getoption("--gsc-request-timeout") or config.request_timeout or REQUEST_TIMEOUT,
        max_duration=request.config.getoption("--gsc-max-duration") or config.max_duration or MAX_DURATION,
    )
    from .errors import GscontractError

    try:
        run = run_contract(options)
    except GscontractError as exc:
        pytest.fail(f"gscontract: {exc}", pytrace=False)
    report_dir = request.config.getoption("--gsc-report-dir")
    if report_dir:
        target = Path(report_dir)
        target.mkdir(parents=True, exist_ok=True)
        with (target / "report.json").open("w", encoding="utf-8") as out:
            get_reporter("json")(run.report, out)
    return run
