"""Run the contract: schemathesis' phases and the Gainsight scenarios against the mock or a live tenant.

:func:`run_contract` is the one entry point (``gscontract contract`` and the pytest plugin call it). Without
a base URL it builds the mock tenant in-process (limits off, docs/decisions.md#rate-limits) and reaches it through ASGI,
which keeps the default run fast; with one it talks to that tenant over HTTP (:mod:`.target` chooses).
Either way every request passes the run's :class:`~gscontract.contract.transport.guard.Guard` (budget, rate limits,
read-only), and records a live run creates are deleted at the end, whatever happens in between (a failure,
Ctrl-C, SIGTERM). What the run leaves undone becomes CT100 notes (:func:`.results.note_skips`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ... import __version__
from ...errors import UsageError
from ...findings import Report, RunMeta
from ...gainsight.codes import codes_for
from ...gainsight.event_headers import SHARED_SECRET, TENANT_ID
from ...gainsight.operations import UNCONFIRMED
from ...redact import DEFAULT_SECRET_HEADERS, Redactor
from ...specfiles import spec_path
from ..checks import CheckContext, builtin, response_checks
from ..scenarios import run_scenarios
from ..scenarios.environment import ScenarioEnv, ScenarioProblem, publisher_tenant_id
from ..scenarios.needs import poll_limit
from ..transport.budget import RequestBudget
from ..transport.calls import NotSent
from ..transport.journal import Journal
from ..transport.mocklog import capture_mock_errors
from ..transport.observed import ObservedCodes
from ..transport.timing import OperationTimes
from .bridge import RunHooks, response_check_functions
from .cleanup import CleanupReport, cleanup
from .client import ScenarioClient
from .key_refusals import KeyRefusals
from .learning import learn_tenant
from .options import (
    NO_COVERAGE,
    NO_NEGATIVE,
    NO_POSITIVE,
    STATEFUL_STEPS,
    ContractOptions,
    budget_limit,
    check_options,
    display_base,
    examples_per_operation,
    excluded_operations,
    operations,
    ready_apis,
)
from .phases import PHASES, PhaseResult, PhaseRun, PhaseSettings, load_schema, shutdown_apps
from .reservation import Reservation, check_reservation, cleanup_reserve, job_timing
from .results import RunNotes, contract_section, note_skips
from .target import MOCK_JOB_DELAY, SPEC_BASES, operation_label, target_guard

__all__ = ["ENGINE_TIMEOUT_MARGIN", "MOCK_JOB_DELAY", "ContractRun", "run_contract"]

CLEANUP_JOB_WAIT = 60.0
"""Most seconds cleanup waits for the run's unfinished bulk jobs before deleting what it can find."""
ENGINE_TIMEOUT_MARGIN = 120.0
"""Seconds schemathesis' backstop timeout allows beyond the run's own bounds (see PhaseSettings)."""

_SCENARIO_BUILTINS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)


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


def _announcer(say: Callable[[str], None], api: str) -> Callable[[str], None]:
    return lambda phase: say(f"{api}: {phase} done")


class _Run:
    """The state of one contract run, from its guard to its report."""

    def __init__(
        self, options: ContractOptions, app: Any, say: Callable[[str], None], reservation: Reservation
    ) -> None:
        self.options = options
        self.reservation = reservation
        self.tenant = options.tenant
        self.started = time.monotonic()
        self.started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.seed = options.seed if options.seed is not None else secrets.randbelow(2**32)
        key = options.access_key or (f"gsc-embedded-{secrets.token_urlsafe(12)}" if options.embedded else None)
        assert key is not None  # check_options demands a key for a tenant
        self.key = key
        # The Events Framework's shared secret: given, else made up for the embedded mock (an app under test
        # that was given none accepts its access key there).
        secret = options.shared_secret or (key if app is not None else f"gsc-secret-{secrets.token_urlsafe(12)}")
        self.shared_secret = secret
        self.redactor = Redactor(headers=options.redact_headers, fields=options.redact_fields).with_secrets(key, secret)
        # Progress lines may quote what a tenant sent (a scenario's note): they are redacted like reports.
        self.say: Callable[[str], None] = lambda line: say(self.redactor.text(line))
        self.strict = options.embedded if options.strict is None else options.strict
        self.prefix = f"gsc-{secrets.token_hex(4)}-"
        self.budget = RequestBudget(budget_limit(options), reserve=cleanup_reserve(options))
        self.current: PhaseRun | None = None
        self.stopped = False
        self.interrupted = False
        self.timed_out = False
        self.notes = RunNotes()
        self.phase_results: list[PhaseResult] = []
        self.problems: dict[str, list[ScenarioProblem]] = {}
        self.client: ScenarioClient | None = None
        self.cleanup_report: CleanupReport | None = None
        self.guard = target_guard(
            options, key=key, budget=self.budget, on_exhausted=self.stop, app=app, shared_secret=secret
        )
        self.guard.deadline = self.started + options.max_duration
        self.guard.on_wait = self._waiting
        self.guard.on_unreachable = self.unreachable
        self._watch: threading.Timer | None = None
        # The journal watches every run: CT205 follows all jobs it saw; cleanup runs only after live writes.
        self.journal = Journal(self.prefix)
        self.guard.observers.append(self.journal.observe)
        self.key_refusals = KeyRefusals()
        self.guard.observers.append(self.key_refusals.observe)
        self.codes = codes_for(options.apis)
        self.observed = ObservedCodes(self.codes)  # what the answers carried, for the compliance matrix
        self.guard.observers.append(self.observed.observe)
        self.timings = OperationTimes()  # how long each operation's answers took, for JUnit's times
        self.guard.observers.append(self.timings.observe)
        self.names = {operation_label(api, name): name for api in options.apis for name, _ in operations(api)}
        self.hooks = RunHooks(
            context=CheckContext(strict=self.strict, documented_codes=self.codes),
            prefix=None if options.embedded else self.prefix,
            operation_names=self.names,
        )
        self.guard.gsc_hooks = self.hooks
        self.excluded = excluded_operations(options)
        self.settings = PhaseSettings(
            phases=tuple(p for p in options.phases if p in PHASES),
            max_examples=examples_per_operation(options),
            workers=options.workers,
            seed=self.seed,
            stateful_steps=STATEFUL_STEPS,
            checks=tuple(builtin.builtin_names()),
            negative_off=NO_NEGATIVE,
            coverage_off=NO_COVERAGE,
            positive_off=NO_POSITIVE,
            exclude=tuple(self.excluded),
            api_key=key,
            secret_keys=tuple(sorted({*DEFAULT_SECRET_HEADERS, *options.redact_headers, *options.redact_fields})),
            shrink=options.embedded,
            # The guard bounds every request itself; schemathesis' timeout would also count the wait for a
            # rate-limit slot, so it is only a backstop beyond anything the guard allows.
            request_timeout=options.max_duration + options.request_timeout + ENGINE_TIMEOUT_MARGIN,
        )

    def api_settings(self, api: str, **changes: Any) -> PhaseSettings:
        """The phase settings for one API's spec: its base URL and the values of its security schemes."""
        keys: tuple[tuple[str, str], ...] = ()
        if api == "events-framework":
            tenant_id = publisher_tenant_id(self.tenant)
            keys = ((SHARED_SECRET, self.shared_secret), *(((TENANT_ID, tenant_id),) if tenant_id else ()))
        return replace(self.settings, base_url=SPEC_BASES[api], scheme_keys=keys, **changes)

    def stop(self) -> None:
        """Stop the current phases; and everything after them once the whole budget is spent."""
        if self.current is not None:
            self.current.stop()
        if self.budget.remaining == 0:
            self.stopped = True

    def out_of_time(self) -> None:
        """Stop everything but cleanup: the run reached ``--max-duration``."""
        self.timed_out = True
        self.stopped = True
        if self.current is not None:
            self.current.stop()

    def unreachable(self) -> None:
        """Stop everything but cleanup: the tenant left several requests in a row without a usable answer."""
        self.say(f"the tenant gave no usable answer to {self.guard.silence.limit} requests in a row: stopping")
        self.stopped = True
        if self.current is not None:
            self.current.stop()

    def _waiting(self, group: str, seconds: float) -> None:
        if seconds >= 1:
            self.say(f"waiting {seconds:.0f} s for a free {group} slot (rate limit)")

    def interrupt(self) -> None:
        """Stop everything (Ctrl-C, SIGTERM)."""
        self.interrupted = True
        self.stopped = True
        if self.current is not None:
            self.current.stop()

    def start(self) -> None:
        """Start the watch that stops the run at its deadline (``--max-duration`` from its start)."""
        assert self.guard.deadline is not None
        self._watch = threading.Timer(max(0.0, self.guard.deadline - time.monotonic()), self.out_of_time)
        self._watch.daemon = True
        self._watch.start()

    def load(self) -> None:
        """Load each spec through the guard and make the client that scenarios and cleanup use."""
        schemas: dict[str, Any] = {}
        for api in self.options.apis:
            schemas[api] = load_schema(api, self.guard, self.api_settings(api, exclude=()))
        names = [*(n for n in _SCENARIO_BUILTINS if n in self.settings.checks)]
        checks = response_check_functions([*names, *(c.engine_name for c in response_checks())])
        self.client = ScenarioClient(
            schemas=schemas, hooks=self.hooks, access_key=self.key, checks=checks, mark_of=self.guard.mark_of
        )
        self._leave_out_unoffered()
        if self.reservation.learning:
            self.say("learning the tenant's reference data from its recent activities")
            self.tenant = learn_tenant(self.client, apis=self.options.apis)

    def _leave_out_unoffered(self) -> None:
        """Leave out the operations beyond the supplied documents that this tenant does not offer.

        Gainsight's newer pages list operations (the single update) that the documents the specs follow do
        not; a tenant without one answers 404 or 405, which is no breach of a contract it never made. An
        empty body asks without writing: a tenant that offers the operation refuses it (400).
        """
        if self.options.embedded or self.client is None:
            return  # the embedded mock offers every operation of the specs
        unconfirmed = [(n, i) for api in self.options.apis for n, i in operations(api) if n in UNCONFIRMED]
        for name, op_id in unconfirmed:
            if op_id in self.excluded:
                continue
            try:
                status = self.client.call(name, body={}, validate=False).status
            except NotSent:
                continue  # out of budget or time: the phases will say so
            if status in (404, 405):
                why = f"the tenant does not offer it (HTTP {status}); the supplied documents do not give it"
                self.excluded[op_id] = (name, why)
        self.settings = replace(self.settings, exclude=tuple(self.excluded))

    def run_phases(self) -> None:
        """Run schemathesis' phases over each spec, within what the scenarios leave of a budget."""
        if self.reservation.phases is not None and "scenarios" in self.options.phases:
            self.budget.stage_ceiling = self.budget.used + self.reservation.phases
        try:
            self._run_phases()
        finally:
            self.budget.stage_ceiling = None

    def _run_phases(self) -> None:
        for api in self.options.apis:
            if not self.settings.phases or self.stopped or self.interrupted:
                if self.timed_out and self.settings.phases:
                    self.notes.warnings["<run>"].append(f"schemathesis' phases did not run for {api}: out of time")
                continue
            schema = load_schema(api, self.guard, self.api_settings(api))
            self.current = PhaseRun(schema, self.hooks, mark_of=self.guard.mark_of)
            self.say(f"{api}: running {', '.join(self.settings.phases)}")
            result = self.current.execute(on_progress=_announcer(self.say, api))
            self.current = None
            self.phase_results.append(result)
            for label, message in result.errors:
                name = self.names.get(label, label)
                if "NoLinksFound" in message:
                    # A read-only run excludes every write, and with them every link: nothing to chain is no fault.
                    self.notes.warnings[name].append("stateful phase not run: no link between the operations run")
                else:
                    self.notes.errors[name].append(f"schemathesis could not finish: {message}")
            self.interrupted = self.interrupted or result.interrupted

    def run_scenarios(self) -> None:
        """Run the scenario checks of the selected APIs."""
        if "scenarios" not in self.options.phases or self.interrupted or self.stopped or self.client is None:
            if self.timed_out and "scenarios" in self.options.phases:
                self.notes.warnings["<run>"].append("the scenario checks did not run: out of time")
            return
        embedded = self.options.embedded
        job_timeout, poll_interval = job_timing(self.options)
        sizing_polls = poll_limit(job_timeout, poll_interval)
        env = ScenarioEnv(
            client=self.client,
            strict=self.strict,
            prefix=self.prefix,
            documented_codes=self.codes,
            tenant=self.tenant,
            # Data neither given nor learned is the demo tenant's: a live tenant will not know it.
            guessed_data=not embedded and self.tenant is None,
            profile=self.options.profile,
            examples=max(1, self.settings.max_examples // 2),
            seed=self.seed,
            shrink=embedded,
            job_timeout=job_timeout,
            poll_interval=poll_interval,
            max_polls=sizing_polls,
            wrong_key=f"gsc-wrong-{secrets.token_hex(6)}",
            shared_secret=self.shared_secret,
            stored_events=_stored_events(self.guard.downstream),
            started_jobs=lambda: set(self.journal.jobs),
        )
        self.say("scenarios: running")
        self.problems = run_scenarios(
            env,
            apis=self.options.apis,
            writes=self.options.writes,
            stopped=lambda: self.stopped,
            skipped=self.notes.warnings,
            errors=self.notes.errors,
            say=self.say,
        )

    def close(self) -> None:
        """Delete what a live run created, close the connection, end the embedded mock."""
        if self._watch is not None:
            self._watch.cancel()
        if not self.options.embedded and self.options.writes and self.client is not None:
            self.say("cleanup: deleting what the run created")
            # Unfinished jobs are waited for as long as a job may take (--job-timeout), and at most a minute.
            wait = min(CLEANUP_JOB_WAIT, job_timing(self.options)[0])
            self.cleanup_report = cleanup(self.client, self.journal, job_timeout=wait, poll_interval=2.0)
        self.guard.close()
        if self.options.embedded:
            with contextlib.suppress(Exception):
                shutdown_apps()

    def result(self) -> ContractRun:
        """The run's report and facts."""
        note_skips(
            self.notes,
            interrupted=self.interrupted,
            skipped=self.guard.skipped,
            budget=self.budget.limit,
            stage_share=(self.reservation.phases or 0) / (self.budget.limit or 1),
            excluded=self.excluded.values(),
            cleanup=self.cleanup_report,
            time_limit=self.options.max_duration if self.timed_out else None,
            unreachable=self.guard.silence.unreachable,
        )
        client = self.client
        checked = sum(sum(r.cases.values()) for r in self.phase_results) + (client.cases.total() if client else 0)
        if not checked and not self.interrupted:
            self.notes.errors["<run>"].append("nothing could be checked: no request of the run got a usable answer")
        section = contract_section(
            operations={name: api for api in self.options.apis for name, _ in operations(api)},
            phases=[replace(p, failures=self.key_refusals.keep(p.failures)) for p in self.phase_results],
            scenario_cases=client.cases if client else {},
            scenario_ran=client.ran if client else {},
            scenario_failures=self.key_refusals.keep(client.failures) if client else [],
            scenario_problems=self.problems,
            notes=self.notes,
            redactor=self.redactor,
            display_base=display_base(self.options),
            strict=self.strict,
            observed=self.observed.codes,
            seconds=self.timings.seconds,
        )
        meta = RunMeta(
            tool_version=__version__,
            started=self.started_at,
            duration_seconds=round(time.monotonic() - self.started, 2),
            target="embedded mock" if self.options.embedded else display_base(self.options),
            seed=self.seed,
            profile=self.options.profile,
            spec_hashes=tuple(
                (api, hashlib.sha256(spec_path(api).read_bytes()).hexdigest()[:16]) for api in self.options.apis
            ),
        )
        return ContractRun(
            report=Report(sections=(section,), meta=meta),
            redactor=self.redactor,
            requests=self.budget.used,
            seed=self.seed,
            target=meta.target or "",
            skipped=dict(self.guard.skipped),
            cleanup=self.cleanup_report,
            interrupted=self.interrupted,
        )


def _stored_events(app: Any) -> Callable[[], list[dict[str, Any]]] | None:
    """How gscontract's mock reads back the Events Framework events it stored; ``None`` for any other app."""
    store = getattr(getattr(getattr(app, "state", None), "mock", None), "store", None)
    reader = getattr(store, "framework_events", None)
    return reader if callable(reader) else None


def run_contract(
    options: ContractOptions, *, progress: Callable[[str], None] | None = None, app: Any = None
) -> ContractRun:
    """Run the contract and return its report.

    Args:
        options: what to run, against what.
        progress: receives one line per step (phase done, scenario done).
        app: an ASGI app to test in-process instead of the embedded mock (it must accept
            ``options.access_key``); for implementations of the API under test, and gscontract's own tests.

    Raises:
        UsageError: the options are inconsistent, or the tenant cannot be reached.
    """
    check_options(options)
    options, left_out = ready_apis(options)
    reservation = check_reservation(options)  # before anything is sent
    if app is not None and not (options.embedded and options.access_key):
        raise UsageError("testing an app in-process needs its access key and no base URL")
    run = _Run(options, app, progress or (lambda _: None), reservation)
    if left_out is not None:
        run.notes.warnings["<run>"].append(left_out)
    capture = capture_mock_errors(run.notes.errors["<run>"].append) if options.embedded else contextlib.nullcontext()
    with capture:
        try:
            run.start()
            run.load()
            run.run_phases()
            run.run_scenarios()
        except KeyboardInterrupt:
            run.interrupt()
        finally:
            run.close()
    return run.result()
