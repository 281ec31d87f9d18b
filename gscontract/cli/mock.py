"""``gscontract mock``: serve the stateful mock tenant (the three Gainsight APIs over SQLite)."""

from __future__ import annotations

from pathlib import Path

import click

from ..gainsight.profiles import DEFAULT_PROFILE, PROFILES

__all__ = ["mock"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port; 0 picks a free one."
)
@click.option(
    "--access-key",
    envvar="GAINSIGHT_ACCESS_KEY",
    default="test-key",
    show_default=False,
    help="The key clients send in the accesskey header [default: $GAINSIGHT_ACCESS_KEY, else test-key].",
)
@click.option(
    "--shared-secret",
    envvar="GAINSIGHT_SHARED_SECRET",
    default=None,
    help="The Events Framework publisher's sharedSecret header [default: $GAINSIGHT_SHARED_SECRET, "
    "else the access key].",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file that keeps the tenant's state across restarts [default: a throw-away database].",
)
@click.option(
    "--tenant",
    "tenant_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tenant reference data (JSON; see docs/mock.md) [default: the built-in demo tenant].",
)
@click.option(
    "--rate-limit",
    "rate_limit",
    metavar="SPEC",
    help="off, or GROUP=N/PERIOD,... (groups single|bulk|events|query|framework|frameworkdaily; "
    "second|minute|hour|day) "
    "[default: the profile's documented limits].",
)
@click.option(
    "--job-start-delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds before a submitted bulk job starts.",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default=DEFAULT_PROFILE,
    show_default=True,
    help="Documentation profile (ContextName values, bulk limit).",
)
@click.pass_context
def mock(
    ctx: click.Context,
    host: str,
    port: int,
    access_key: str,
    shared_secret: str | None,
    db_path: Path | None,
    tenant_path: Path | None,
    rate_limit: str | None,
    job_start_delay: float,
    profile: str,
) -> None:
    """Serve a mock Gainsight tenant until interrupted (SIGINT or SIGTERM).

    Prints "gscontract mock listening on URL" once it accepts connections.
    """
    # Imported here: `gscontract validate` must not pay for the server's libraries.
    from ..mock import create_app
    from ..mock.server import bind, serve
    from ..tenants.reference import load_tenant

    tenant = load_tenant(tenant_path) if tenant_path is not None else None
    sock = bind(host, port)
    app = create_app(
        access_key=access_key,
        db_path=db_path,
        tenant=tenant,
        rate_limits=rate_limit,
        job_start_delay=job_start_delay,
        profile=profile,
        shared_secret=shared_secret,
    )

    def ready(url: str) -> None:
        # Flushed at once: a parent process reads this line from a pipe to learn the URL.
        print(f"gscontract mock listening on {url}", flush=True)

    serve(app, sock, on_ready=ready)
    ctx.exit(0)
