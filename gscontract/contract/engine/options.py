"""What a contract run is told (:class:`ContractOptions`), the defaults it derives, and its dry-run plan.

The defaults are chosen so that the default run against the embedded mock ends well within 60 s on a
2-core machine (docs/contract.md has the measurements); a live tenant gets fewer examples, a request
budget, rate limits and read-only unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ...errors import UsageError
from ...gainsight.operations import APIS as API_NAMES
from ...gainsight.operations import OPERATIONS
from ...gainsight.profiles import DEFAULT_PROFILE, PROFILES
from ...tenants.reference import TenantData
from ..transport.budget import is_write, profile_limits
from .phases import PHASES

__all__ = [
    "ALL_PHASES",
    "APIS",
    "LIVE_EXAMPLES",
    "LIVE_MAX_REQUESTS",
    "MAX_DURATION",
    "MOCK_EXAMPLES",
    "NO_COVERAGE",
    "NO_NEGATIVE",
    "NO_POSITIVE",
    "REQUEST_TIMEOUT",
    "STATEFUL_STEPS",
    "ContractOptions",
    "Plan",
    "budget_limit",
    "check_options",
    "display_base",
    "examples_per_operation",
    "excluded_operations",
    "operations",
    "plan_contract",
    "publisher_missing",
    "ready_apis",
]

APIS = API_NAMES
ALL_PHASES = (*PHASES, "scenarios")
"""schemathesis' four phases, then gscontract's scenario checks."""

MOCK_EXAMPLES = 10
LIVE_EXAMPLES = 5
LIVE_MAX_REQUESTS = 300
STATEFUL_STEPS = 6
REQUEST_TIMEOUT = 30.0
MAX_DURATION = 600.0

# Operations a live run leaves to the scenarios: bulk calls (hourly quota) and delete (it must only ever
# delete what the run created, which generated ids cannot promise).
_LIVE_SCENARIO_ONLY = frozenset({"bulkSaveActivities", "bulkUpdateActivities", "deleteActivities"})
NO_NEGATIVE = ("saveActivity", "updateActivity", "bulkSaveActivities", "bulkUpdateActivities", "publishEventsBulk")
"""Operations whose record-level problems answer 200 with failures (docs/decisions.md#status-codes-and-record-failures,
docs/decisions.md#events-api); CT202/CT212 check them."""
NO_COVERAGE = ("updateActivity",)
"""Operations schemathesis' coverage phase skips: the single update's body is the bulk update's schema, which
that phase covers through bulkUpdateActivities, and generating the single update's 28 cases took it 14 s
(py-spy: drawing objects), more than the other Timeline operations together."""
NO_POSITIVE = ("publishFrameworkEvent",)
"""Operations a schema-valid request does not make acceptable: the Events Framework's headers must name an
event the tenant registered, which no spec can list; CT221 checks that a registered event is accepted."""


@dataclass(frozen=True, slots=True)
class ContractOptions:
    """Everything a contract run can be told; defaults are what ``gscontract contract`` uses."""

    base_url: str | None = None
    access_key: str | None = None
    shared_secret: str | None = None
    """The Events Framework publisher's ``sharedSecret``; an embedded run makes one up."""
    apis: tuple[str, ...] = APIS
    allow_writes: bool = False
    max_examples: int | None = None
    max_requests: int | None = None
    seed: int | None = None
    phases: tuple[str, ...] = ALL_PHASES
    profile: str = DEFAULT_PROFILE
    tenant: TenantData | None = None
    redact_headers: tuple[str, ...] = ()
    redact_fields: tuple[str, ...] = ()
    strict: bool | None = None
    """Judge as against gscontract's mock; by default true without a base URL, false with one."""
    workers: int = 1
    job_timeout: float | None = None
    rate_limit: str | None = None
    """``--rate-limit`` SPEC for a tenant (``off``, ``GROUP=N/PERIOD,...``); by default the profile's limits."""
    request_timeout: float = REQUEST_TIMEOUT
    """Seconds one request may take from being sent to its whole answer (rate-limit waits do not count)."""
    max_duration: float = MAX_DURATION
    """Seconds the whole run may take before it stops, reports what did not run, and cleans up."""

    @property
    def embedded(self) -> bool:
        """Whether the run builds its own mock tenant."""
        return self.base_url is None

    @property
    def writes(self) -> bool:
        """Whether writing operations are tested (always against the embedded mock)."""
        return self.embedded or self.allow_writes


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run would do (``--dry-run``): operations per spec, what is skipped and why, an estimate."""

    target: str
    operations: tuple[tuple[str, str], ...]
    """(operation, "tested" or the reason it is not)."""
    phases: tuple[str, ...]
    estimate: int
    budget: int | None
    reserved: tuple[tuple[str, int], ...] = ()
    """(scenario check id, requests kept for it), and ("learning", reads) when the run learns the tenant's data."""
    cleanup: int = 0
    """Requests kept for cleanup."""
    phases_budget: int | None = None
    """What schemathesis' phases may spend, after the reservations; ``None`` when unlimited."""


def operations(name: str) -> list[tuple[str, str]]:
    """``(operation name, operationId)`` of one API's documented operations, in the spec's order.

    Names are as reports show them (``POST /v1/events``); a test holds the bundled specs to the same list.
    """
    return [(op.name, op.operation_id) for op in OPERATIONS if op.api == name]


def excluded_operations(options: ContractOptions) -> dict[str, tuple[str, str]]:
    """OperationId -> (operation name, why schemathesis' phases leave it out)."""
    out: dict[str, tuple[str, str]] = {}
    for api in options.apis:
        for name, op_id in operations(api):
            method, _, path = name.partition(" ")
            if not options.writes and is_write(method, path):
                out[op_id] = (name, "read-only run (pass --allow-writes to test writing operations)")
            elif not options.embedded and op_id in _LIVE_SCENARIO_ONLY:
                out[op_id] = (name, "left to the scenario checks against a live tenant (bulk quota, deletes)")
    return out


def examples_per_operation(options: ContractOptions) -> int:
    """Examples per operation and phase: ``--max-examples``, else 10 on the mock and 5 on a tenant."""
    if options.max_examples is not None:
        return options.max_examples
    return MOCK_EXAMPLES if options.embedded else LIVE_EXAMPLES


def budget_limit(options: ContractOptions) -> int | None:
    """The request budget: ``--max-requests``, else none on the mock and 300 on a tenant."""
    if options.max_requests is not None:
        return options.max_requests
    return None if options.embedded else LIVE_MAX_REQUESTS


def display_base(options: ContractOptions) -> str:
    """The base URL reproductions show; an embedded run's point at ``gscontract mock``'s default address."""
    if options.base_url is None:
        return "http://127.0.0.1:8080"
    parts = urlsplit(options.base_url)
    netloc = parts.netloc.rpartition("@")[2]  # never show credentials written into the URL
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def check_options(options: ContractOptions) -> None:
    """Refuse inconsistent options with one line naming the option.

    Raises:
        UsageError: an unknown API or phase, a bad base URL, a tenant without a key, a non-positive limit
            or time bound, a malformed rate-limit SPEC.
    """
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
        missing = publisher_missing(options)
        if missing is not None and options.apis == ("events-framework",):
            raise UsageError(f"--api events-framework against a tenant needs {missing}")
    if options.max_examples is not None and options.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if options.max_requests is not None and options.max_requests < 1:
        raise UsageError("--max-requests must be at least 1")
    if not options.request_timeout > 0:
        raise UsageError("--request-timeout must be more than 0 seconds")
    if not options.max_duration > 0:
        raise UsageError("--max-duration must be more than 0 seconds")
    if options.profile not in PROFILES:
        raise UsageError(f"--profile must be {' or '.join(PROFILES)}, not {options.profile!r}")
    if options.rate_limit is not None:
        profile_limits(options.profile, spec=options.rate_limit)  # raises UsageError on a malformed SPEC


def publisher_missing(options: ContractOptions) -> str | None:
    """What a live run lacks to publish Events Framework events (its shared secret); ``None`` when nothing.

    Its tenant id and registered events come from tenant data; without them the run guesses the demo
    tenant's, and a refusal of those is a warning naming ``--tenant`` (CT221).
    """
    if options.embedded or "events-framework" not in options.apis or options.shared_secret:
        return None
    return "its shared secret: pass --shared-secret or set GAINSIGHT_SHARED_SECRET"


def ready_apis(options: ContractOptions) -> tuple[ContractOptions, str | None]:
    """``options`` without the Events Framework when a live run lacks what it needs, and why it was left out.

    Only a run of several APIs gets here with something missing (:func:`check_options` refuses a run of the
    Events Framework alone), so ``--api all`` against a tenant keeps testing the others.
    """
    missing = publisher_missing(options)
    if missing is None:
        return options, None
    kept = tuple(api for api in options.apis if api != "events-framework")
    return replace(options, apis=kept), f"the events-framework API was not tested: it needs {missing}"


def plan_contract(options: ContractOptions) -> Plan:
    """What a run with ``options`` would do, without sending anything.

    The estimate is a rough upper bound: per tested operation, a few examples, about three coverage
    cases per example, the fuzzing examples and a share of the stateful steps, capped by what the
    budget leaves the phases; plus what the scenarios may send (:mod:`.reservation`).

    Raises:
        UsageError: inconsistent options, or a budget too small for the scenarios.
    """
    from .reservation import check_reservation

    check_options(options)
    options, _ = ready_apis(options)
    kept = check_reservation(options)
    examples = examples_per_operation(options)
    excluded = excluded_operations(options)
    testing = [p for p in options.phases if p in PHASES]
    per_operation = sum({"examples": 2, "coverage": 3 * examples, "fuzzing": examples}.get(p, 0) for p in testing)
    if "stateful" in testing:
        per_operation += STATEFUL_STEPS * examples // 2
    planned = []
    estimate = 0
    for api in options.apis:
        for name, op_id in operations(api):
            reason = excluded[op_id][1] if op_id in excluded else None
            planned.append((name, reason or "tested"))
            estimate += 0 if reason else per_operation
    if kept.phases is not None:
        estimate = min(estimate, kept.phases)
    reserved = [(check_id, needs.requests) for check_id, needs in kept.scenarios.items()]
    if kept.learning:
        reserved.append(("learning", kept.learning))
    return Plan(
        target=display_base(options),
        operations=tuple(planned),
        phases=tuple(options.phases),
        estimate=estimate + kept.requests,
        budget=kept.budget,
        reserved=tuple(reserved),
        cleanup=kept.cleanup,
        phases_budget=kept.phases,
    )
