"""The options ``gscontract contract`` and ``gscontract run`` share: which tenant, how much to send, what to hide.

:func:`contract_target_options` adds them to a command and hands the command one :class:`ContractArgs`
(as ``shared``) instead of nine parameters; :func:`build_contract_options` merges those with the
configuration into the :class:`~gscontract.contract.engine.options.ContractOptions` both commands run with.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import click

from ..gainsight.profiles import PROFILES
from ..redact import Redactor

if TYPE_CHECKING:
    from ..config import Config
    from ..contract.engine.options import ContractOptions

__all__ = ["ContractArgs", "build_contract_options", "contract_target_options", "redactor_for"]


@dataclass(frozen=True, slots=True)
class ContractArgs:
    """The shared options as given on the command line; ``None`` where the configuration decides."""

    base_url: str | None
    access_key: str | None
    shared_secret: str | None
    allow_writes: bool | None
    max_examples: int | None
    max_requests: int | None
    seed: int | None
    profile: str | None
    redact_header: tuple[str, ...]
    redact_field: tuple[str, ...]
    request_timeout: float | None
    max_duration: float | None


_OPTIONS = (
    click.option(
        "--base-url", metavar="URL", help="Tenant to test [default: base_url of the config, else the embedded mock]."
    ),
    click.option(
        "--access-key",
        envvar="GAINSIGHT_ACCESS_KEY",
        show_envvar=True,
        metavar="KEY",
        help="The tenant's access key (never printed or written).",
    ),
    click.option(
        "--shared-secret",
        envvar="GAINSIGHT_SHARED_SECRET",
        show_envvar=True,
        metavar="SECRET",
        help="The Events Framework publisher's shared secret (never printed or written).",
    ),
    click.option("--allow-writes", is_flag=True, default=None, help="Let a live run create (and then delete) data."),
    click.option(
        "--max-examples", type=click.IntRange(min=1), help="Cases per operation and phase [default: 10 mock, 5 live]."
    ),
    click.option(
        "--max-requests", type=click.IntRange(min=1), help="Request budget of the run [default: none mock, 300 live]."
    ),
    click.option("--seed", type=int, help="Hypothesis seed, to replay a run [default: random, printed]."),
    click.option("--profile", type=click.Choice(PROFILES), help="Documentation profile [default: current]."),
    click.option(
        "--redact-header", multiple=True, metavar="H", help="Another header whose value is secret; repeatable."
    ),
    click.option("--redact-field", multiple=True, metavar="F", help="A body field whose value is secret; repeatable."),
    click.option(
        "--request-timeout",
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        help="Most one request may take once sent; rate-limit waits do not count [default: 30].",
    ),
    click.option(
        "--max-duration",
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        help="Most the contract run may take; it then stops, reports what did not run and cleans up [default: 600].",
    ),
)
_NAMES = tuple(f.name for f in fields(ContractArgs))


def contract_target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared options to a click command, which receives them as ``shared: ContractArgs``."""

    @functools.wraps(command)
    def with_shared(*args: Any, **kwargs: Any) -> Any:
        shared = ContractArgs(**{name: kwargs.pop(name) for name in _NAMES})
        return command(*args, shared=shared, **kwargs)

    # Applied last to first, as a stack of decorators is, so --help lists them in the order above.
    for option in reversed(_OPTIONS):
        with_shared = option(with_shared)
    return with_shared


def build_contract_options(shared: ContractArgs, config: Config) -> ContractOptions:
    """The contract run the shared options ask for: each one given wins over its key in ``config``."""
    from ..contract.engine.options import MAX_DURATION, REQUEST_TIMEOUT, ContractOptions
    from ..tenants.reference import load_tenant

    return ContractOptions(
        base_url=shared.base_url or config.base_url,
        access_key=shared.access_key or None,
        shared_secret=shared.shared_secret or None,
        allow_writes=config.allow_writes if shared.allow_writes is None else shared.allow_writes,
        max_examples=shared.max_examples,
        max_requests=shared.max_requests or config.max_requests,
        seed=shared.seed,
        profile=shared.profile or config.profile,
        redact_headers=(*config.redact_headers, *shared.redact_header),
        redact_fields=(*config.redact_fields, *shared.redact_field),
        request_timeout=shared.request_timeout or config.request_timeout or REQUEST_TIMEOUT,
        max_duration=shared.max_duration or config.max_duration or MAX_DURATION,
        tenant=load_tenant(config.root / config.tenant) if config.tenant is not None else None,
    )


def redactor_for(options: ContractOptions) -> Redactor:
    """What hides the run's access key, shared secret and secret headers and fields in everything printed or written."""
    redactor = Redactor(headers=options.redact_headers, fields=options.redact_fields)
    return redactor.with_secrets(options.access_key, options.shared_secret)
