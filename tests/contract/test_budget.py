"""Request budget, client-side limiter and operation groups, with a fake clock (no real waiting)."""

from __future__ import annotations

import pytest

from gscontract.contract.transport.budget import (
    BudgetExhausted,
    ClientLimiter,
    GroupLimit,
    QuotaExhausted,
    RequestBudget,
    is_write,
    operation_group,
    profile_limits,
)
from gscontract.gainsight.retry import parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_budget_counts_and_refuses_beyond_its_limit() -> None:
    budget = RequestBudget(3)
    for _ in range(3):
        budget.take()
    assert budget.remaining == 0
    with pytest.raises(BudgetExhausted):
        budget.take()
    assert budget.used == 3


def test_budget_reserve_is_only_for_cleanup() -> None:
    budget = RequestBudget(5, reserve=2)
    for _ in range(3):
        budget.take()
    with pytest.raises(BudgetExhausted):
        budget.take()
    budget.take(from_reserve=True)
    budget.take(from_reserve=True)
    with pytest.raises(BudgetExhausted):
        budget.take(from_reserve=True)


def test_a_stage_may_spend_only_its_share() -> None:
    budget = RequestBudget(10, reserve=2)
    budget.stage_ceiling = 4
    for _ in range(4):
        budget.take()
    with pytest.raises(BudgetExhausted) as info:
        budget.take()
    assert info.value.stage
    budget.stage_ceiling = None
    for _ in range(4):
        budget.take()
    with pytest.raises(BudgetExhausted) as info:
        budget.take()
    assert not info.value.stage
    assert budget.remaining == 0


def test_unlimited_budget() -> None:
    budget = RequestBudget(None, reserve=10)
    for _ in range(100):
        budget.take()
    assert budget.remaining is None
    assert budget.used == 100


def test_limiter_spaces_requests_within_the_window() -> None:
    clock = FakeClock()
    limiter = ClientLimiter({"single": GroupLimit(2, 60.0)}, clock=clock, sleep=clock.sleep)
    assert limiter.acquire("single") == 0
    clock.now += 10
    assert limiter.acquire("single") == 0
    waited = limiter.acquire("single")  # third call in the minute waits for the first to age out
    assert waited == pytest.approx(50.0)
    assert clock.now == pytest.approx(1060.0)


def test_limiter_refuses_rather_than_waiting_out_an_hourly_quota() -> None:
    clock = FakeClock()
    limiter = ClientLimiter({"bulk": GroupLimit(1, 3600.0)}, clock=clock, sleep=clock.sleep, max_wait=65)
    limiter.acquire("bulk")
    with pytest.raises(QuotaExhausted) as info:
        limiter.acquire("bulk")
    assert info.value.group == "bulk"
    assert clock.slept == []


def test_a_framework_call_also_counts_against_the_daily_limit() -> None:
    """The Events Framework's 100 a minute and 50,000 a day count the same calls: the stricter one holds."""
    clock = FakeClock()
    limits = {"framework": GroupLimit(100, 60.0), "frameworkdaily": GroupLimit(3, 86400.0)}
    limiter = ClientLimiter(limits, clock=clock, sleep=clock.sleep, max_wait=65)
    for _ in range(3):
        assert limiter.acquire("framework") == 0
    with pytest.raises(QuotaExhausted) as info:
        limiter.acquire("framework")
    assert info.value.group == "frameworkdaily"
    assert info.value.wait == pytest.approx(86400.0)


def test_calls_made_before_the_limiter_count_in_their_window() -> None:
    """A resumed upload charges the calls its first run made: an hour's quota is not handed out twice."""
    clock = FakeClock()
    limiter = ClientLimiter({"bulk": GroupLimit(2, 3600.0)}, clock=clock, sleep=clock.sleep, max_wait=65)
    limiter.charge("bulk", 3000.0)  # still in the hour: its slot frees in 600 s
    limiter.charge("bulk", 4000.0)  # out of the hour already: it no longer counts
    assert limiter.acquire("bulk") == 0
    with pytest.raises(QuotaExhausted) as info:
        limiter.acquire("bulk")
    assert info.value.wait == pytest.approx(600.0)  # the call charged 3,000 s ago frees its slot first


def test_retry_after_pauses_the_group() -> None:
    clock = FakeClock()
    limiter = ClientLimiter({"query": GroupLimit(100, 60.0)}, clock=clock, sleep=clock.sleep)
    limiter.pause("query", 7)
    assert limiter.acquire("query") == pytest.approx(7.0)
    assert limiter.acquire("events") == 0  # other groups are not held
    assert limiter.acquire(None) == 0


def test_profile_limits_spend_half_the_bulk_quota() -> None:
    current, legacy = profile_limits("current"), profile_limits("legacy")
    assert current["bulk"] == GroupLimit(6, 3600.0)
    assert legacy["bulk"] == GroupLimit(2, 3600.0)
    assert current["single"] == GroupLimit(200, 60.0)
    assert str(current["query"]) == "100/minute"


@pytest.mark.parametrize(
    ("method", "path", "group", "write"),
    [
        ("POST", "/v1/ant/es/activity", "single", True),
        ("DELETE", "/v1/ant/es/activity", "single", True),
        ("POST", "/v1/ant/es/activity/bulk", "bulk", True),
        ("PUT", "/v1/ant/es/activity/bulk", "bulk", True),
        ("GET", "/v1/ant/es/job/status/abc", "query", False),
        ("PUT", "/v1/ant/es/job/abort/abc", "single", True),
        ("POST", "/v1/ant/es/activity/deleted", "query", False),
        ("POST", "/v1/data/objects/query/activity_timeline", "query", False),
        ("POST", "/v1/events", "events", True),
        ("GET", "/v1/events/types", "events", False),
        ("GET", "/openapi/timeline.yaml", None, False),
    ],
)
def test_groups_and_writes(method: str, path: str, group: str | None, write: bool) -> None:
    assert operation_group(method, path) == group
    assert is_write(method, path) is write


def test_parse_retry_after() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
