"""Rate limits per operation group: the SPEC, the X-RateLimit headers, 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from mockkit import body, record

from gscontract.errors import UsageError
from gscontract.gainsight.rate_limits import RateLimit, documented_limits
from gscontract.rate_spec import parse_rate_limits


def test_the_current_profile_defaults_follow_the_documents() -> None:
    assert documented_limits("current") == {
        "single": RateLimit(200, "minute"),
        "bulk": RateLimit(12, "hour"),
        "query": RateLimit(100, "minute"),
        "events": RateLimit(100, "minute"),
        "framework": RateLimit(100, "minute"),
        "frameworkdaily": RateLimit(50_000, "day"),
    }


def test_the_legacy_profile_allows_four_bulk_calls_an_hour() -> None:
    assert parse_rate_limits("", profile="legacy")["bulk"] == RateLimit(4, "hour")


def test_off_lifts_every_limit() -> None:
    assert parse_rate_limits("off") == {}


def test_a_spec_overrides_the_groups_it_names_and_keeps_the_others() -> None:
    limits = parse_rate_limits("single=5/second, bulk=off")

    assert limits["single"] == RateLimit(5, "second")
    assert "bulk" not in limits
    assert limits["query"] == RateLimit(100, "minute")


@pytest.mark.parametrize("spec", ["single=5", "reads=5/minute", "single=5/week", "single=0/minute", "single:5/minute"])
def test_a_malformed_spec_is_a_usage_error(spec: str) -> None:
    with pytest.raises(UsageError, match="--rate-limit"):
        parse_rate_limits(spec)


def test_every_response_of_a_limited_group_carries_the_headers(make_client: Any) -> None:
    client = make_client(rate_limits="single=3/minute")

    response = client.post("/v1/ant/es/activity", json=body(record("a1")))

    assert response.status_code == 200
    assert (response.headers["x-ratelimit-limit"], response.headers["x-ratelimit-remaining"]) == ("3", "2")


def test_over_the_limit_answers_429_with_retry_after(make_client: Any) -> None:
    client = make_client(rate_limits="query=2/minute")
    for _ in range(2):
        assert client.get("/v1/ant/es/job/status/x").status_code == 200

    response = client.get("/v1/ant/es/job/status/x")

    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["x-ratelimit-remaining"] == "0"
    answer = response.json()
    assert (answer["result"], answer["errorCode"]) == (False, None)
    assert "query" in answer["errorDesc"]


def test_a_refused_call_stores_nothing(make_client: Any) -> None:
    client = make_client(rate_limits="single=1/hour")
    client.post("/v1/ant/es/activity", json=body(record("a1")))

    response = client.post("/v1/ant/es/activity", json=body(record("a2")))

    assert response.status_code == 429
    assert client.app.state.mock.store.counts()["activities"] == 1


def test_groups_are_counted_separately(make_client: Any) -> None:
    client = make_client(rate_limits="bulk=1/hour")
    client.post("/v1/ant/es/activity/bulk", json=body(record("a1")))

    assert client.post("/v1/ant/es/activity/bulk", json=body(record("a2"))).status_code == 429
    assert client.post("/v1/ant/es/activity", json=body(record("a3"))).status_code == 200


def test_unauthorized_calls_do_not_spend_the_limit(make_client: Any) -> None:
    client = make_client(rate_limits="events=1/minute")
    client.get("/v1/events/types", headers={"accesskey": "wrong"})

    assert client.get("/v1/events/types").status_code == 200


def test_without_limits_no_headers_are_sent(client: Any) -> None:
    response = client.get("/v1/events/types")

    assert "x-ratelimit-limit" not in response.headers


def test_the_specs_are_never_limited(make_client: Any) -> None:
    client = make_client(rate_limits="single=1/hour,bulk=1/hour,query=1/hour,events=1/hour")

    assert all(client.get("/openapi/events.yaml").status_code == 200 for _ in range(3))
