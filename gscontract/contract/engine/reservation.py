"""How a run divides its request budget: the Gainsight scenarios first, cleanup's reserve, the phases the rest.

The scenarios are what a plain schemathesis run cannot do, so every one of them must run at least once:
a run adds up what each declares it needs (:mod:`gscontract.contract.scenarios.needs`), keeps that, plus
the reads that learn a tenant's reference data and a reserve for cleanup, and lets schemathesis' phases
spend only what is left. A budget, or a bulk quota, too small for the scenarios is refused before
anything is sent, naming the budget that would do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import UsageError
from ..scenarios import scenario_needs
from ..scenarios.needs import Needs, Sizing, poll_limit
from ..transport.budget import profile_limits
from .learning import LEARN_REQUESTS
from .options import ContractOptions, budget_limit, examples_per_operation

__all__ = ["Reservation", "check_reservation", "cleanup_reserve", "job_timing", "reservation"]


@dataclass(frozen=True, slots=True)
class Reservation:
    """What a run keeps of its budget before the phases start, and what the phases may spend."""

    scenarios: Mapping[str, Needs]
    """Check id -> what the scenario may send at most."""
    learning: int
    """Reads that learn the tenant's reference data (a live run with writes and no tenant file)."""
    cleanup: int
    budget: int | None
    bulk_quota: int | None
    """Bulk calls the run may make (the profile's share of the hourly quota), ``None`` when unlimited."""

    @property
    def requests(self) -> int:
        """Requests kept for the scenarios and learning."""
        return sum(n.requests for n in self.scenarios.values()) + self.learning

    @property
    def bulk(self) -> int:
        """Bulk calls the scenarios need."""
        return sum(n.bulk for n in self.scenarios.values())

    @property
    def phases(self) -> int | None:
        """Requests schemathesis' phases may spend, ``None`` when unlimited."""
        if self.budget is None:
            return None
        return max(0, self.budget - self.cleanup - self.requests)


def job_timing(options: ContractOptions) -> tuple[float, float]:
    """``(timeout, poll interval)`` of a bulk job: 10 s and 50 ms on the mock, 120 s and 5 s on a tenant."""
    if options.embedded:
        return options.job_timeout or 10.0, 0.05
    return options.job_timeout or 120.0, 5.0


def cleanup_reserve(options: ContractOptions, limit: int | None = None) -> int:
    """Requests kept for cleanup after a live run that writes: a tenth of the budget, 4 to 40."""
    limit = budget_limit(options) if limit is None else limit
    if options.embedded or not options.writes or limit is None:
        return 0
    return max(4, min(40, limit // 10))


def _sizing(options: ContractOptions) -> Sizing:
    from ...strategies import invalid_rules

    strict = options.embedded if options.strict is None else options.strict
    timeout, interval = job_timing(options)
    # Without a tenant file the rules are counted for the demo tenant, which types every custom field: an
    # upper bound for whatever reference data the run learns.
    plain = not strict
    return Sizing(
        examples=max(1, examples_per_operation(options) // 2),
        strict=strict,
        polls=poll_limit(timeout, interval),
        timeline_rules=len(invalid_rules("timeline-insert", documented_only=plain, tenant=options.tenant)),
        event_rules=len(invalid_rules("event", documented_only=plain, tenant=options.tenant)),
    )


def reservation(options: ContractOptions) -> Reservation:
    """What a run with ``options`` keeps for its scenarios, learning and cleanup."""
    running = "scenarios" in options.phases
    needs = scenario_needs(_sizing(options), apis=options.apis, writes=options.writes) if running else {}
    learns = running and options.writes and not options.embedded and options.tenant is None
    bulk = None if options.embedded else profile_limits(options.profile, spec=options.rate_limit).get("bulk")
    return Reservation(
        scenarios=needs,
        learning=LEARN_REQUESTS if learns else 0,
        cleanup=cleanup_reserve(options),
        budget=budget_limit(options),
        bulk_quota=bulk.amount if bulk is not None else None,
    )


def check_reservation(options: ContractOptions) -> Reservation:
    """The run's reservation, once it is known to fit the budget and the bulk quota.

    Raises:
        UsageError: the budget, or the bulk quota, cannot cover every scenario once; the message names
            the ``--max-requests`` (or ``--rate-limit``) that would.
    """
    plan = reservation(options)
    if plan.budget is not None and plan.budget - plan.cleanup < plan.requests:
        enough = plan.requests
        while enough - cleanup_reserve(options, enough) < plan.requests:
            enough += 1
        raise UsageError(
            f"--max-requests {plan.budget} cannot cover the Gainsight scenarios ({plan.requests} requests, "
            f"plus {plan.cleanup} kept for cleanup): pass --max-requests {enough} or more, "
            "or leave the scenarios out with --phases"
        )
    if plan.bulk_quota is not None and plan.bulk > plan.bulk_quota:
        raise UsageError(
            f"the run may make {plan.bulk_quota} bulk calls, the scenarios need {plan.bulk}: "
            f"pass --rate-limit bulk={plan.bulk}/hour if the tenant's hourly bulk quota allows it"
        )
    return plan
