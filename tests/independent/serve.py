"""Serve the independent tenant, a broken variant or a hostile server on 127.0.0.1; and run one from tests.

Command line::

    python tests/independent/serve.py --port 0 --variant clean --access-key KEY

prints exactly one line, ``listening on http://127.0.0.1:PORT``, once the server accepts connections,
and stops cleanly (exit 0) on SIGTERM or SIGINT. ASGI variants run on uvicorn; the raw hostile servers
on plain asyncio. Tenant options: ``--no-rate-limits``, ``--quota GROUP=LIMIT/SECONDS[:SPENT]``
(repeatable), ``--jobs SUBMITTED_SECONDS,PROGRESS_POLLS,FINISH_SECONDS`` and ``--tenant-file PATH``
(writes the tenant's reference data for a contract runner's ``--tenant``). :func:`running` starts this
script as a subprocess for a test and stops it by its PID.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any

__all__ = ["BROKEN_IDS", "HOSTILE", "VARIANTS", "ServerProcess", "main", "running", "start"]

BROKEN_IDS = ("CT201", "CT202", "CT203", "CT204", "CT205", "CT206", "CT207", "CT211", "CT212", "CT222")
HOSTILE = ("close", "garbage", "spoof", "echo", "silent", "gzipbomb", "hugelength")
VARIANTS = ("clean", *BROKEN_IDS, *HOSTILE)
_READY = re.compile(r"^listening on (http://127\.0\.0\.1:\d+)$")


def _module(name: str) -> ModuleType:
    """A module of this package, whether this file runs as a script or is imported as part of the package."""
    package = __package__
    if not package:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        package = Path(__file__).resolve().parent.name
    return importlib.import_module(f"{package}.{name}")


def _job_timing(text: str) -> Any:
    submitted, polls, finish = text.split(",")
    return _module("options").JobTiming(float(submitted), int(polls), float(finish))


def _quota(text: str) -> tuple[str, Any]:
    found = re.fullmatch(r"(single|bulk|query|events)=(\d+)/(\d+(?:\.\d+)?)(?::(\d+))?", text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not GROUP=LIMIT/SECONDS[:SPENT]")
    group, limit, seconds, spent = found.groups()
    return group, _module("options").Quota(int(limit), float(seconds), int(spent or 0))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--variant", choices=VARIANTS, default="clean")
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--no-rate-limits", action="store_true", help="no rate limits at all")
    parser.add_argument(
        "--quota",
        type=_quota,
        action="append",
        default=[],
        metavar="GROUP=LIMIT/SECONDS[:SPENT]",
        help="one group's limit (single, bulk, query, events), e.g. bulk=12/3600:6; repeatable",
    )
    parser.add_argument("--jobs", type=_job_timing, help="SUBMITTED_SECONDS,PROGRESS_POLLS,FINISH_SECONDS")
    parser.add_argument("--tenant-file", type=Path, help="also write the tenant's reference data here (JSON)")
    return parser


def _tenant_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.no_rate_limits:
        options["quotas"] = {}
    elif args.quota:
        options["quotas"] = {**_module("options").DEFAULT_QUOTAS, **dict(args.quota)}
    if args.jobs is not None:
        options["timing"] = args.jobs
    return options


def _asgi_app(args: argparse.Namespace) -> Any:
    if args.variant in HOSTILE:
        return _module("hostile").ASGI[args.variant](args.access_key)
    if args.variant == "clean":
        return _module("tenant").create_tenant(access_key=args.access_key, **_tenant_options(args))
    return _module("variants").BROKEN[args.variant](access_key=args.access_key, **_tenant_options(args))


def _announce(port: int) -> None:
    print(f"listening on http://127.0.0.1:{port}", flush=True)


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    hostile = _module("hostile")
    if args.variant in hostile.RAW:
        server = hostile.RawServer(hostile.RAW[args.variant]())
        _announce(await server.start(args.port))
        await stop.wait()
        await server.stop()
        return
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield  # our own handlers stop the server; uvicorn's would re-raise the signal at exit

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    config = uvicorn.Config(
        _asgi_app(args), log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=3
    )
    server = Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if serving.done():
            await serving  # it failed to start: raise why
            return
        await asyncio.sleep(0.01)
    _announce(sock.getsockname()[1])
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    await serving
    stopped.cancel()
    sock.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one server until SIGTERM or SIGINT; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.tenant_file is not None:
        document = _module("data").tenant_document()
        args.tenant_file.write_text(json.dumps(document, indent=2), encoding="utf-8")
    asyncio.run(_serve(args))
    return 0


@dataclass
class ServerProcess:
    """A server started by :func:`start`: its process and base URL."""

    process: subprocess.Popen[str]
    base_url: str
    stderr: IO[bytes]
    errors: str = ""
    """What the server wrote to stderr, once it has stopped."""

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM by PID, then SIGKILL if it has not exited within ``timeout``; returns the exit code."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        if not self.stderr.closed:
            self.stderr.seek(0)
            self.errors = self.stderr.read().decode(errors="replace")
            self.stderr.close()
        return self.process.returncode


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def start(variant: str, access_key: str, *, args: Sequence[str] = (), timeout: float = 20.0) -> ServerProcess:
    """Start ``serve.py`` as a subprocess and wait (at most ``timeout`` seconds) until it listens.

    Raises:
        RuntimeError: it exited or did not announce itself in time (its stderr is in the message).
    """
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - outlives this function; ServerProcess.stop closes it
    command = [sys.executable, str(Path(__file__).resolve()), "--port", "0", "--variant", variant]
    command += ["--access-key", access_key, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    server = ServerProcess(process, "", stderr)
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        found = _READY.match(line)
        if found:
            server.base_url = found.group(1)
            return server
    code = server.stop()
    raise RuntimeError(f"serve.py --variant {variant} did not start (exit code {code}): {server.errors[-2000:]}")


@contextlib.contextmanager
def running(variant: str, access_key: str, *, args: Sequence[str] = (), timeout: float = 20.0) -> Iterator[str]:
    """Serve ``variant`` in a subprocess for the ``with`` block; yields its base URL, then stops it."""
    server = start(variant, access_key, args=args, timeout=timeout)
    try:
        yield server.base_url
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
