"""Scenario checks of the Events API (CT211, CT212): valid events are published, invalid ones refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...gainsight.operations import EVENTS, EVENTS_BULK
from . import scenario_check
from .environment import ScenarioEnv, ScenarioProblem
from .needs import Needs

__all__: list[str] = []


@scenario_check(
    "CT211",
    name="events-valid-accepted",
    api="events",
    operations={EVENTS, EVENTS_BULK},
    needs=lambda s: Needs(2 * s.examples),  # single events, then lists of them in bulk
)
def events_valid_accepted(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Events the valid-event strategy makes are published (HTTP 200, ``result: true``), singly and in bulk.

    ## Why
    A publisher built against the contract must not see its well-formed events refused.
    """

    def probe(event: dict[str, Any]) -> list[ScenarioProblem]:
        call = env.call(EVENTS, body=event, check="CT211")
        ok = call.status == 200 and isinstance(call.body, dict) and call.body.get("result") is True
        return (
            []
            if ok
            else [
                env.problem(
                    call, f"expected HTTP 200 with result true, received HTTP {call.status} {str(call.body)[:200]}"
                )
            ]
        )

    yield from env.explore(env.valid_events(), probe)

    def bulk(events: list[dict[str, Any]]) -> list[ScenarioProblem]:
        call = env.call(EVENTS_BULK, body={"records": events}, check="CT211")
        data = call.data if isinstance(call.data, dict) else {}
        if call.status != 200 or data.get("successCount") != len(events) or data.get("failureCount", 0) != 0:
            return [
                env.problem(
                    call,
                    f"expected successCount {len(events)} and failureCount 0, "
                    f"received HTTP {call.status} {str(call.body)[:200]}",
                )
            ]
        return []

    yield from env.explore(env.valid_event_lists(), bulk)


@scenario_check(
    "CT212",
    name="events-invalid-rejected",
    api="events",
    operations={EVENTS},
    needs=lambda s: Needs(s.event_rules * s.examples),
)
def events_invalid_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Each event an ``invalid_event_inputs`` strategy makes is refused with HTTP 400 and its rule's code.

    ## Why
    A single event is answered at once (docs/decisions.md#events-api): a publisher learns of a bad event only from a 400
    naming the problem. Against a live tenant any 4xx with a documented code counts.
    """
    for rule_id, code, strategy in env.invalid_events():

        def probe(event: Any, code: str | None = code, rule_id: str = rule_id) -> list[ScenarioProblem]:
            call = env.call(EVENTS, body=event, check="CT212")
            got = call.body.get("errorCode") if isinstance(call.body, dict) else None
            if env.strict and (call.status != 400 or (code is not None and got != code)):
                return [
                    env.problem(
                        call,
                        f"{rule_id}: expected HTTP 400 with errorCode {code}, received HTTP {call.status} with {got!r}",
                        code=code,
                    )
                ]
            if not env.strict and not 400 <= call.status < 500:
                return [env.problem(call, f"{rule_id}: expected a 4xx refusal, received HTTP {call.status}", code=code)]
            return []

        yield from env.explore(strategy, probe)
