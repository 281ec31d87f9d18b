"""What a scenario check works with: the client, the run's settings and its test data.

Test data comes from :mod:`gscontract.strategies` (valid and ``invalid_*`` records and events, built from
the tenant's reference data) so the scenarios, the mock and users' own tests share one notion of "valid".
Every record a scenario creates gets a fresh ExternalId with the run's prefix (``gsc-<run id>-<n>``), so a
record is never sent twice by accident (hypothesis replays examples while shrinking) and cleanup can find
it; the Gsids a scenario saves are remembered and deleted before it ends. Answers are read with
:mod:`.answers`.
"""

from __future__ import annotations

import copy
import itertools
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...findings import Severity
from ...gainsight.operations import DELETE
from ...tenants.reference import TenantData, demo_tenant
from ...tenants.registrations import EventRegistry
from ..transport.calls import Call, NotSent

if TYPE_CHECKING:
    # The engine hands each scenario its client; scenarios only call it, so the type is all they import.
    from ..engine.client import ScenarioClient

__all__ = ["ScenarioEnv", "ScenarioProblem", "publisher_registrations", "publisher_tenant_id"]


def publisher_registrations(tenant: TenantData | None) -> EventRegistry:
    """The Events Framework registrations a run publishes to: the tenant data's, else the demo tenant's."""
    if tenant is not None and tenant.framework.events:
        return tenant.framework
    return demo_tenant().framework


def publisher_tenant_id(tenant: TenantData | None) -> str | None:
    """The ``tenantId`` a run's publisher sends: the tenant data's, else the demo tenant's."""
    given = tenant.framework.tenant_id if tenant is not None else None
    return given or demo_tenant().framework.tenant_id


@dataclass(frozen=True, slots=True)
class ScenarioProblem:
    """A broken expectation: where (operation), what (expected vs received), and how to reproduce it."""

    operation: str
    message: str
    reproduction: tuple[str, ...] = ()
    code: str | None = None
    severity: Severity | None = None


class _Found(Exception):
    def __init__(self, problems: list[ScenarioProblem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _first_found(group: BaseExceptionGroup[_Found]) -> _Found:
    for exc in group.exceptions:
        return exc if isinstance(exc, _Found) else _first_found(exc)
    raise AssertionError("an empty exception group")  # pragma: no cover - split never returns one


@dataclass
class ScenarioEnv:
    """The run as a scenario sees it."""

    client: ScenarioClient
    strict: bool
    prefix: str
    documented_codes: frozenset[str]
    tenant: TenantData | None = None
    guessed_data: bool = False
    """The reference data is a guess (neither given with ``--tenant`` nor learned from the tenant): a record
    the tenant fails only because a lookup finds nothing is then a warning, not an error."""
    profile: str = "current"
    examples: int = 5
    seed: int = 0
    shrink: bool = True
    job_timeout: float = 10.0
    poll_interval: float = 0.05
    max_polls: int = 1000
    """Job-status reads one job may take (:func:`.needs.poll_limit`), so a scenario's requests are bounded."""
    wrong_key: str = "gsc-wrong-key"
    shared_secret: str = field(default="", repr=False)
    """The Events Framework publisher's ``sharedSecret`` (a secret: never in a message)."""
    stored_events: Callable[[], list[dict[str, Any]]] | None = None
    """Reads the Events Framework events the embedded mock stored (the API has no call to read them back);
    ``None`` against any other tenant."""
    started_jobs: Callable[[], set[str]] = field(default=set)
    """The ids of every bulk job the run has started so far (from the guard's journal)."""
    created: set[str] = field(default_factory=set)
    not_sent: list[str] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=itertools.count)
    _cache: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------- requests

    def call(self, operation: str, *, steps: list[Call] | None = None, **kwargs: Any) -> Call:
        """Send one request (see :meth:`ScenarioClient.call`) and append it to ``steps``.

        Raises:
            NotSent: the guard did not send it.
        """
        result = self.client.call(operation, **kwargs)
        if steps is not None:
            steps.append(result)
        return result

    def problem(
        self,
        call: Call,
        message: str,
        *,
        code: str | None = None,
        steps: list[Call] | None = None,
        severity: Severity | None = None,
    ) -> ScenarioProblem:
        """A problem seen in ``call``'s answer, reproduced by the curl lines of ``steps`` (or the call)."""
        chain = list(steps or [])
        if not chain or chain[-1] is not call:
            chain.append(call)
        return ScenarioProblem(
            operation=call.operation,
            message=message,
            reproduction=tuple(c.curl for c in chain),
            code=code,
            severity=severity,
        )

    def delete_created(self, check: str) -> Iterator[ScenarioProblem]:
        """Delete the activities the scenario saved; a delete that does not echo them is a problem."""
        ids = sorted(self.created)
        if not ids:
            return
        # Forgotten whatever the answer: a delete that fails is reported once, not by every later check.
        self.created.clear()
        call = self.call(DELETE, body=ids, check=check)
        echoed = set(call.body) if isinstance(call.body, list) else set()
        missing = [g for g in ids if g not in echoed]
        if missing:
            yield self.problem(call, f"expected the delete to echo {missing}, received {str(call.body)[:200]}")

    def explore(self, strategy: Any, probe: Callable[[Any], list[ScenarioProblem]]) -> Iterator[ScenarioProblem]:
        """Run ``probe`` on examples of ``strategy``; yield the problems of the (shrunk) failing example."""
        from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
        from hypothesis.errors import HypothesisWarning

        phases = [Phase.explicit, Phase.generate, *([Phase.shrink] if self.shrink else [])]

        @seed(self.seed)
        @settings(
            max_examples=self.examples,
            database=None,
            deadline=None,
            phases=phases,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            verbosity=Verbosity.quiet,
        )
        @given(strategy)
        def test(value: Any) -> None:
            try:
                problems = probe(value)
            except NotSent as exc:
                self.not_sent.append(str(exc))
                return
            if problems:
                raise _Found(problems)

        try:
            with warnings.catch_warnings():
                # Shrinking a 32,000-character Notes field makes hypothesis warn about its own repr.
                warnings.simplefilter("ignore", HypothesisWarning)
                test()
        except _Found as found:
            yield from found.problems
        except BaseExceptionGroup as group:
            # A tenant's state changes between calls, so a replayed example may pass ("flaky"): the
            # first failure is still a failure.
            matched, _ = group.split(_Found)
            if matched is None:
                raise
            yield from _first_found(matched).problems

    # ------------------------------------------------------------------------------------- test data

    def _strategies(self) -> Any:
        import importlib

        return importlib.import_module("gscontract.strategies")

    def valid_payloads(self) -> Any:
        """Insert payloads (records and their lookups) the tenant should accept."""
        return self._strategies().insert_payloads(tenant=self.tenant, profile=self.profile)

    def one_valid_payload(self, *, records: int = 1) -> dict[str, Any]:
        """A simple valid payload of ``records`` records: the first example of a derandomized draw.

        Drawn once per size and reused (with fresh ExternalIds), so the scenarios that need "a valid
        record" cost one generation, not a search.
        """
        key = f"payload-{records}"
        if key not in self._cache:
            from hypothesis import HealthCheck, Phase, given, settings

            drawn: list[dict[str, Any]] = []
            strategy = self._strategies().insert_payloads(
                tenant=self.tenant, profile=self.profile, min_records=records, max_records=records
            )

            @settings(
                max_examples=1,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(strategy)
            def draw(payload: dict[str, Any]) -> None:
                drawn.append(payload)

            draw()
            self._cache[key] = drawn[0]
        return copy.deepcopy(self._cache[key])

    def with_fresh_ids(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A copy of a valid payload whose records carry new ExternalIds with the run's prefix."""
        fresh = copy.deepcopy(payload)
        for record in fresh["records"]:
            record["ExternalId"] = self.fresh_id()
        return fresh

    def fresh_id(self) -> str:
        """A new ExternalId: the run's prefix and a number (ids the phases send get ``x-`` after the prefix)."""
        return f"{self.prefix}{next(self._ids)}"

    def invalid_payloads(self) -> Iterator[tuple[str, str | None, Any]]:
        """``(rule id, its code, strategy)`` for each rule an ``invalid_*`` strategy can break on insert."""
        strategies = self._strategies()
        from ...rules import get

        plain = not self.strict  # another tenant is expected to refuse only what the documents state plainly
        for rule_id in strategies.invalid_rules("timeline-insert", documented_only=plain, tenant=self.tenant):
            rule = get(rule_id)
            payloads = strategies.invalid_insert_payloads(
                rule=rule_id, tenant=self.tenant, profile=self.profile, documented_only=plain
            )
            yield rule_id, rule.code, payloads.map(self._fresh_invalid)

    def _fresh_invalid(self, payload: dict[str, Any]) -> dict[str, Any]:
        # Non-blank string ids get fresh ones, equal ids alike (a repeated id stays repeated); a rule about
        # the ExternalId itself (missing, blank, not a string) keeps its break.
        fresh = copy.deepcopy(payload)
        renamed: dict[str, str] = {}
        for record in fresh.get("records", []):
            external_id = record.get("ExternalId") if isinstance(record, dict) else None
            if isinstance(external_id, str) and external_id.strip():
                if external_id not in renamed:
                    renamed[external_id] = self.fresh_id()
                record["ExternalId"] = renamed[external_id]
        return fresh

    def valid_events(self) -> Any:
        """Event inputs the tenant should accept."""
        return self._strategies().event_inputs(tenant=self.tenant)

    def valid_event_lists(self) -> Any:
        """Short lists of valid event inputs, for the bulk publish."""
        from hypothesis import strategies as st

        return st.lists(self.valid_events(), min_size=1, max_size=3)

    def invalid_events(self) -> Iterator[tuple[str, str | None, Any]]:
        """``(rule id, its code, strategy)`` for each rule an ``invalid_event_inputs`` strategy can break."""
        strategies = self._strategies()
        from ...rules import get

        plain = not self.strict
        for rule_id in strategies.invalid_rules("event", documented_only=plain, tenant=self.tenant):
            events = strategies.invalid_event_inputs(rule=rule_id, tenant=self.tenant, documented_only=plain)
            yield rule_id, get(rule_id).code, events
