"""Run the contract: schemathesis' phases and the Gainsight scenarios against the mock or a live tenant.

:func:`run_contract` is the one entry point (``gscontract contract`` and the pytest plugin call it). Without
a base URL it builds the mock tenant in-process (limits off, decisions §6) and reaches it through ASGI,
which keeps the default run fast; with one it talks to that tenant over HTTP. Either way every request
passes the run's :class:`~gscontract.contract.guard.Guard` (budget, rate limits, read-only), and records a
live run creates are deleted at the end, whatever happens in between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import UsageError
from ..findings import Report, RunMeta
from ..redact import DEFAULT_SECRET_HEADERS, Redactor
from ..specfiles import load_spec, spec_path
from ..tenantdata import TenantData
from . import builtin
from .budget import ClientLimiter, RequestBudget, is_write, profile_limits
from .checks import CheckContext, response_checks
from .client import NotSent, ScenarioClient
from .guard import Guard
from .live import CleanupReport, Journal, cleanup
from .phases import (
    PHASES,
    PhaseResult,
    PhaseRun,
    PhaseSettings,
    RunHooks,
    load_schema,
    response_check_functions,
    shutdown_apps,
    wrapper_name,
)
from .results import RunNotes, contract_section
from .scenario_env import ScenarioEnv, ScenarioProblem
from .scenarios import SCENARIOS

__all__ = ["ALL_PHASES", "APIS", "ContractOptions", "ContractRun", "Plan", "plan_contract", "run_contract"]

APIS = ("timeline", "events")
ALL_PHASES = (*PHASES, "scenarios")
"""schemathesis' four phases, then gscontract's scenario checks."""

# Defaults chosen so that the default run against the embedded mock ends well within 60 s on two cores
# (docs/contract.md has the measurements); a live tenant gets fewer examples and a request budget.
MOCK_EXAMPLES = 10
LIVE_EXAMPLES = 5
LIVE_MAX_REQUESTS = 300
STATEFUL_STEPS = 6
MOCK_JOB_DELAY = 0.2

_CODE = re.compile(r"\b(?:GS_TL_\d{2}_\d{4}|GSOBJ_\d{4}|GS_APIG_\d{4})\b")
# Operations a live run leaves to the scenarios: bulk calls (hourly quota) and delete (it must only ever
# delete what the run created, which generated ids cannot promise).
_LIVE_SCENARIO_ONLY = frozenset({"bulkSaveActivities", "bulkUpdateActivities", "deleteActivities"})
# Record-level problems of these answer 200 with failures (decisions §1, §4); CT202/CT212 check them.
_NO_NEGATIVE = ("saveActivity", "bulkSaveActivities", "bulkUpdateActivities", "publishEventsBulk")


@dataclass(frozen=True, slots=True)
class ContractOptions:
    """Everything a contract run can be told; defaults are what ``gscontract contract`` uses."""

    base_url: str | None = None
    access_key: str | None = None
    apis: tuple[str, ...] = APIS
    allow_writes: bool = False
    max_examples: int | None = None
    max_requests: int | None = None
    seed: int | None = None
    phases: tuple[str, ...] = ALL_PHASES
    profile: str = "current"
    tenant: TenantData | None = None
    redact_headers: tuple[str, ...] = ()
    redact_fields: tuple[str, ...] = ()
    strict: bool | None = None
    """Judge as against gscontract's mock; by default true without a base URL, false with one."""
    workers: int = 1
    job_timeout: float | None = None

    @property
    def embedded(self) -> bool:
        """Whether the run builds its own mock tenant."""
        return self.base_url is None

    @property
    def writes(self) -> bool:
        """Whether writing operations are tested (always against the embedded mock)."""
        return self.embedded or self.allow_writes


@dataclass
class ContractRun:
    """What a run produced: the report, and facts the CLI prints next to it."""

    report: Report
    redactor: Redactor
    requests: int
    seed: int
    target: str
    skipped: dict[str, int] = field(default_factory=dict)
    cleanup: CleanupReport | None = None
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run would do (``--dry-run``): operations per spec, what is skipped and why, an estimate."""

    target: str
    operations: tuple[tuple[str, str], ...]
    """(operation, "tested" or the reason it is not)."""
    phases: tuple[str, ...]
    estimate: int
    budget: int | None


def _redactor(options: ContractOptions, key: str | None) -> Redactor:
    return Redactor(headers=options.redact_headers, fields=options.redact_fields).with_secrets(key)


def documented_codes(names: tuple[str, ...] = APIS) -> frozenset[str]:
    """Error codes the specs document: their ``ErrorCode`` enum and every code their text names."""
    codes: set[str] = set()
    for name in names:
        spec = load_spec(name)
        enum = spec.get("components", {}).get("schemas", {}).get("ErrorCode", {}).get("enum", [])
        codes.update(str(c) for c in enum)
        codes.update(_CODE.findall(spec_path(name).read_text(encoding="utf-8")))
    return frozenset(codes)


def _operations(name: str) -> list[tuple[str, str, str]]:
    """``(operation name, operationId, method)`` of a bundled spec, names as reports show them."""
    spec = load_spec(name)
    server = spec.get("servers", [{}])[0].get("url", "")
    base = urlsplit(server.replace("{", "").replace("}", "")).path.rstrip("/")
    found = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                found.append((f"{method.upper()} {base}{path}", str(operation.get("operationId")), method))
    return found


def _excluded(options: ContractOptions) -> dict[str, str]:
    """OperationId -> why schemathesis' phases leave it out."""
    out: dict[str, str] = {}
    for api in options.apis:
        for name, op_id, _method in _operations(api):
            method, _, path = name.partition(" ")
            if not options.writes and is_write(method, path):
                out[op_id] = "read-only run (pass --allow-writes to test writing operations)"
            elif not options.embedded and op_id in _LIVE_SCENARIO_ONLY:
                out[op_id] = "left to the scenario checks against a live tenant (bulk quota, deletes)"
    return out


def plan_contract(options: ContractOptions) -> Plan:
    """What :func:`run_contract` would do with ``options``, without sending anything."""
    _check_options(options)
    examples = _examples(options)
    excluded = _excluded(options)
    operations = []
    estimate = 0
    testing = [p for p in options.phases if p in PHASES]
    for api in options.apis:
        for name, op_id, _ in _operations(api):
            reason = excluded.get(op_id)
            operations.append((name, reason or "tested"))
            if reason is None:
                # examples: a few; coverage: about 3x examples; fuzzing: examples; stateful: its steps.
                estimate += sum(
                    {"examples": 2, "coverage": 3 * examples, "fuzzing": examples}.get(p, 0) for p in testing
                )
                estimate += STATEFUL_STEPS * examples // 2 if "stateful" in testing else 0
    if "scenarios" in options.phases:
        estimate += sum(8 * examples if options.writes else 0 for api in options.apis for _ in (api,))
    budget = _budget_limit(options)
    return Plan(
        target=_display_base(options),
        operations=tuple(operations),
        phases=tuple(options.phases),
        estimate=min(estimate, budget) if budget is not None else estimate,
        budget=budget,
    )


def _examples(options: ContractOptions) -> int:
    if options.max_examples is not None:
        return options.max_examples
    return MOCK_EXAMPLES if options.embedded else LIVE_EXAMPLES


def _budget_limit(options: ContractOptions) -> int | None:
    if options.max_requests is not None:
        return options.max_requests
    return None if options.embedded else LIVE_MAX_REQUESTS


def _display_base(options: ContractOptions) -> str:
    # Reproductions of an embedded run point at `gscontract mock`'s default address, where they replay.
    if options.base_url is None:
        return "http://127.0.0.1:8080"
    parts = urlsplit(options.base_url)
    netloc = parts.netloc.rpartition("@")[2]  # never show credentials written into the URL
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def _check_options(options: ContractOptions) -> None:
    unknown = [a for a in options.apis if a not in APIS]
    if unknown or not options.apis:
        raise UsageError(f"--api must name {', '.join(APIS)} or all, not {', '.join(unknown) or 'nothing'}")
    bad = [p for p in options.phases if p not in ALL_PHASES]
    if bad or not options.phases:
        raise UsageError(f"--phases takes {','.join(ALL_PHASES)}; unknown: {', '.join(bad) or 'none given'}")
    if options.base_url is not None:
        parts = urlsplit(options.base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(f"--base-url {options.base_url!r} is not an http(s) URL")
        if not options.access_key:
            raise UsageError("a tenant needs an access key: pass --access-key or set GAINSIGHT_ACCESS_KEY")
    if options.max_examples is not None and options.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if options.max_requests is not None and options.max_requests < 1:
        raise UsageError("--max-requests must be at least 1")


def _reachable(url: str) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=5):
            pass
    except OSError as exc:
        raise UsageError(f"cannot reach {parts.scheme}://{parts.netloc}: {exc.strerror or exc}") from None


def _spec_hashes(apis: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((api, hashlib.sha256(spec_path(api).read_bytes()).hexdigest()[:16]) for api in apis)


class _Stopper:
    """Stops the current phase run and everything after it (budget spent, Ctrl-C)."""

    def __init__(self) -> None:
        self.current: PhaseRun | None = None
        self.stopped = False

    def __call__(self) -> None:
        self.stopped = True
        if self.current is not None:
            self.current.stop()


def run_contract(options: ContractOptions, *, progress: Callable[[str], None] | None = None) -> ContractRun:
    """Run the contract and return its report.

    Raises:
        UsageError: the options are inconsistent, or the tenant cannot be reached.
    """
    _check_options(options)
    say = progress or (lambda _: None)
    started = time.monotonic()
    seed = options.seed if options.seed is not None else secrets.randbelow(2**32)
    key = options.access_key or (f"gsc-embedded-{secrets.token_urlsafe(12)}" if options.embedded else None)
    assert key is not None  # _check_options demands a key for a tenant
    redactor = _redactor(options, key)
    strict = options.embedded if options.strict is None else options.strict
    run_id = secrets.token_hex(4)
    prefix = f"gsc-{run_id}-"
    examples = _examples(options)
    limit = _budget_limit(options)
    reserve = 0 if options.embedded or not options.writes else max(4, min(40, (limit or 0) // 10))
    budget = RequestBudget(limit, reserve=reserve)
    stopper = _Stopper()
    if options.embedded:
        from ..mock import create_app

        app = create_app(
            access_key=key,
            tenant=options.tenant,
            rate_limits="off",
            job_start_delay=MOCK_JOB_DELAY,
            profile=options.profile,
        )
        guard = Guard(downstream=app, budget=budget, on_exhausted=stopper)
    else:
        assert options.base_url is not None
        _reachable(options.base_url)
        guard = Guard(
            upstream=options.base_url,
            budget=budget,
            limiter=ClientLimiter(profile_limits(options.profile)),
            allow_writes=options.writes,
            on_exhausted=stopper,
        )
    journal = Journal(prefix)
    if not options.embedded and options.writes:
        guard.observers.append(journal.observe)
    codes = documented_codes(options.apis)
    names = {}
    for api in options.apis:
        for name, _op_id, _ in _operations(api):
            method, _, full = name.partition(" ")
            names[f"{method} {full.removeprefix('/v1') if api == 'events' else full}"] = name
    hooks = RunHooks(
        context=CheckContext(strict=strict, documented_codes=codes),
        prefix=None if options.embedded else prefix,
        operation_names=names,
    )
    guard.gsc_hooks = hooks
    notes = RunNotes()
    phase_results: list[PhaseResult] = []
    scenario_problems: dict[str, list[ScenarioProblem]] = {}
    cleanup_report: CleanupReport | None = None
    interrupted = False
    excluded = _excluded(options)
    settings = PhaseSettings(
        phases=tuple(p for p in options.phases if p in PHASES),
        max_examples=examples,
        workers=options.workers,
        seed=seed,
        stateful_steps=STATEFUL_STEPS,
        checks=tuple(builtin.builtin_names()),
        negative_off=_NO_NEGATIVE,
        exclude=tuple(excluded),
        api_key=key,
        secret_keys=tuple(sorted({*DEFAULT_SECRET_HEADERS, *options.redact_headers, *options.redact_fields})),
        shrink=options.embedded,
    )
    schemas: dict[str, Any] = {}
    client: ScenarioClient | None = None
    try:
        for api in options.apis:
            base = "http://testserver/v1" if api == "events" else "http://testserver"
            full = load_schema(api, guard, _with(settings, base_url=base, exclude=()))
            schemas[api] = full
            if not settings.phases or stopper.stopped:
                continue
            phased = load_schema(api, guard, _with(settings, base_url=base))
            run = PhaseRun(phased, hooks)
            stopper.current = run
            say(f"{api}: running {', '.join(settings.phases)}")
            result = run.execute(on_progress=_announcer(say, api))
            stopper.current = None
            phase_results.append(result)
            for label, message in result.errors:
                notes.errors[names.get(label, label)].append(f"schemathesis could not finish: {message}")
            if result.interrupted:
                interrupted = True
                break
        client = ScenarioClient(schemas=schemas, hooks=hooks, access_key=key, checks=_scenario_checks(settings.checks))
        if "scenarios" in options.phases and not interrupted and not stopper.stopped:
            env = ScenarioEnv(
                client=client,
                strict=strict,
                prefix=prefix,
                documented_codes=codes,
                tenant=options.tenant,
                profile=options.profile,
                examples=max(1, examples // 2),
                seed=seed,
                shrink=options.embedded,
                job_timeout=options.job_timeout or (10.0 if options.embedded else 120.0),
                poll_interval=0.05 if options.embedded else 5.0,
                wrong_key=f"gsc-wrong-{secrets.token_hex(6)}",
            )
            say("scenarios: running")
            scenario_problems = _run_scenarios(env, options, notes, stopper)
    except KeyboardInterrupt:
        interrupted = True
        stopper()
    finally:
        if not options.embedded and options.writes and client is not None:
            say("cleanup: deleting what the run created")
            cleanup_report = cleanup(client, journal, job_timeout=60.0, poll_interval=2.0)
        guard.close()
        if options.embedded:
            with contextlib.suppress(Exception):
                shutdown_apps()
    if interrupted:
        notes.errors["<run>"].append("the run was interrupted; later tests did not run")
    if budget.limit is not None and guard.skipped.get("budget"):
        notes.warnings["<run>"].append(
            f"the request budget of {budget.limit} was spent; {guard.skipped['budget']} requests were not sent"
        )
    for reason, count in guard.skipped.items():
        if reason.startswith("quota:"):
            notes.warnings["<run>"].append(f"{count} requests skipped to stay within the {reason[6:]} rate limit")
        elif reason.startswith("network:"):
            notes.errors["<run>"].append(f"{count} requests could not reach the tenant ({reason[8:]})")
    for op_id, why in excluded.items():
        notes.warnings[_name_of(op_id, options.apis)].append(f"not tested by schemathesis: {why}")
    if cleanup_report is not None:
        if cleanup_report.left:
            left = ", ".join(sorted(cleanup_report.left))
            notes.errors["<run>"].append(f"cleanup could not delete {len(cleanup_report.left)} activities: {left}")
        for problem in cleanup_report.problems:
            notes.errors["<run>"].append(problem)
    section = contract_section(
        operations={name: api for api in options.apis for name, _, _ in _operations(api)},
        phases=phase_results,
        scenario_cases=client.cases if client else {},
        scenario_ran=client.ran if client else {},
        scenario_failures=client.failures if client else [],
        scenario_problems=scenario_problems,
        notes=notes,
        redactor=redactor,
        display_base=_display_base(options),
        strict=strict,
    )
    meta = RunMeta(
        tool_version=__version__,
        started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        duration_seconds=round(time.monotonic() - started, 2),
        target=_display_base(options) if not options.embedded else "embedded mock",
        seed=seed,
        profile=options.profile,
        spec_hashes=_spec_hashes(options.apis),
    )
    return ContractRun(
        report=Report(sections=(section,), meta=meta),
        redactor=redactor,
        requests=budget.used,
        seed=seed,
        target=meta.target or "",
        skipped=dict(guard.skipped),
        cleanup=cleanup_report,
        interrupted=interrupted,
    )


def _announcer(say: Callable[[str], None], api: str) -> Callable[[str], None]:
    return lambda phase: say(f"{api}: {phase} done")


def _with(settings: PhaseSettings, **changes: Any) -> PhaseSettings:
    from dataclasses import replace

    return replace(settings, **changes)


def _name_of(op_id: str, apis: tuple[str, ...]) -> str:
    for api in apis:
        for name, candidate, _ in _operations(api):
            if candidate == op_id:
                return name
    return op_id


def _scenario_checks(names: tuple[str, ...]) -> list[Any]:
    """The check functions a scenario's answers are validated with: response-level ones only."""
    wanted = {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    } & set(names)
    return response_check_functions([*sorted(wanted), *(wrapper_name(c.id) for c in response_checks())])


def _run_scenarios(
    env: ScenarioEnv, options: ContractOptions, notes: RunNotes, stopper: _Stopper
) -> dict[str, list[ScenarioProblem]]:
    problems: dict[str, list[ScenarioProblem]] = {}
    for check_id, (check, api) in sorted(SCENARIOS.items()):
        if api not in options.apis:
            continue
        first = sorted(check.operations)[0]
        if check.needs_writes and not options.writes:
            notes.warnings[first].append(f"{check_id} {check.name} not run: read-only run (pass --allow-writes)")
            continue
        if stopper.stopped:
            notes.warnings[first].append(f"{check_id} {check.name} not run: the run was stopped")
            continue
        found: list[ScenarioProblem] = []
        assert check.func is not None
        try:
            for problem in check.func(env):
                found.append(problem)
        except NotSent as exc:
            notes.warnings[exc.call.operation].append(f"{check_id} {check.name} stopped: {exc.call.skipped}")
        finally:
            with contextlib.suppress(NotSent):
                for problem in env.delete_created(check_id):
                    found.append(problem)
        problems[check_id] = found
    return problems


def iter_secrets(run: ContractRun) -> Iterator[str]:
    """The literal secrets a run's redactor masks (for tests and the CLI's own checks)."""
    yield from run.redactor.secrets
