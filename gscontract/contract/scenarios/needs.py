"""What each scenario check needs of a run's budget, declared with its registration and added up before it runs.

A run plans its scenarios before schemathesis' phases: every scenario must run at least once, so the
request budget keeps what they need and the phases get the rest. Each scenario declares its need as a
function of :class:`Sizing` (how many examples it draws, how strict the run is, how many times it may
poll a job); the numbers are upper bounds, counted from the requests the scenario makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Needs", "NeedsFunc", "Sizing", "poll_limit"]


@dataclass(frozen=True, slots=True)
class Sizing:
    """What a scenario's request count depends on."""

    examples: int
    """Examples each strategy-driven probe draws."""
    strict: bool
    """Judged as against gscontract's mock (strict scenarios send a few more requests)."""
    polls: int
    """Job-status reads one job may take before the scenario gives up on it."""
    timeline_rules: int = 0
    """Invalid-record rules CT202 probes (fewer against a tenant: only what the documents state plainly)."""
    event_rules: int = 0
    """Invalid-event rules CT212 probes."""


@dataclass(frozen=True, slots=True)
class Needs:
    """Requests a scenario may send at most: all of them, and how many of those are bulk calls."""

    requests: int
    bulk: int = 0

    def __add__(self, other: Needs) -> Needs:
        return Needs(self.requests + other.requests, self.bulk + other.bulk)


NeedsFunc = Callable[[Sizing], Needs]


def poll_limit(job_timeout: float, poll_interval: float, *, first: float = 0.05) -> int:
    """How many times a job's status is read before ``job_timeout``: the bound on a scenario's polling.

    Polling starts after ``first`` seconds and doubles the wait up to ``poll_interval``, as the job
    scenarios do; the count includes the read at the deadline.
    """
    polls, waited, wait = 1, 0.0, first
    while waited < job_timeout:
        waited += min(wait, poll_interval)
        wait *= 2
        polls += 1
    return polls
