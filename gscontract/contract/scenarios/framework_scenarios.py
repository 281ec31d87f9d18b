"""Scenario checks of the Events Framework's publish call (CT221-CT223): registered events accepted, others refused.

Each check publishes to the first event the tenant data registers (the demo tenant's without any), with
the registration's example payload (``{}`` without one), the run's shared secret and the tenant's id, as a
publisher such as RudderStack's Gainsight destination sends it. CT221 also reads the event back where it
can: the API has no call for that, so only gscontract's mock, which hands the run its store, is checked.
Against a live tenant these are writes (a published event triggers the rules and programs subscribed to
it): they run only with ``--allow-writes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...findings import Severity
from ...gainsight.codes import UNAUTHORIZED, VALUE_NOT_ALLOWED
from ...gainsight.event_headers import API_VERSION, EVENT_NAME, EVENT_VERSION, SHARED_SECRET, TENANT_ID, TOPIC_NAME
from ...gainsight.operations import FRAMEWORK_EVENT
from ...tenants.registrations import RegisteredEvent
from ..checks import KEY_REFUSAL_CODE
from ..transport.calls import Call
from . import scenario_check
from .environment import ScenarioEnv, ScenarioProblem, publisher_registrations, publisher_tenant_id
from .needs import Needs

__all__: list[str] = []

_DROP = object()


def _registered(env: ScenarioEnv) -> RegisteredEvent | None:
    events = publisher_registrations(env.tenant).events
    return events[0] if events else None


def _publish(env: ScenarioEnv, event: RegisteredEvent, check: str, **changes: Any) -> Call:
    """Publish ``event`` with its example payload; ``changes`` replace headers (``_DROP`` leaves one out)."""
    headers: dict[str, Any] = {
        SHARED_SECRET: env.shared_secret,
        TENANT_ID: publisher_tenant_id(env.tenant) or "",
        TOPIC_NAME: event.topic,
        EVENT_NAME: event.name,
        EVENT_VERSION: event.version,
        **changes,
    }
    sent = {name: value for name, value in headers.items() if value is not _DROP}
    payload = event.example if event.example is not None else {}
    return env.call(FRAMEWORK_EVENT, path_parameters={"version": API_VERSION}, body=payload, headers=sent, check=check)


def _guessed(env: ScenarioEnv) -> bool:
    """Whether the registrations are the demo tenant's standing in for a tenant whose own are unknown."""
    given = env.tenant is not None and bool(env.tenant.framework.events)
    return not given and (env.guessed_data or env.tenant is not None)


def _code(call: Call) -> Any:
    return call.body.get("errorCode") if isinstance(call.body, dict) else None


@scenario_check(
    "CT221",
    name="framework-event-accepted-and-stored",
    api="events-framework",
    operations={FRAMEWORK_EVENT},
    needs=lambda s: Needs(1),
)
def framework_registered_event_accepted(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A registered event with a payload that fits its registration is accepted (HTTP 200, ``result: true``) and stored.

    ## Why
    A publisher whose topic, event and version are registered, and whose secret is right, must see its
    event taken: otherwise no rule or program subscribed to it ever runs. An event answered 200 but not
    kept is lost just the same; that is checked where the tenant's store can be read (gscontract's mock).
    """
    event = _registered(env)
    if event is None:
        return
    call = _publish(env, event, "CT221")
    accepted = call.status == 200 and isinstance(call.body, dict) and call.body.get("result") is True
    if not accepted and _guessed(env) and 400 <= call.status < 500:
        yield env.problem(
            call,
            f"the demo tenant's event {event.topic!r}/{event.name!r} {event.version!r} was refused "
            f"(HTTP {call.status}); give the tenant's tenantId and registered events with --tenant to test it",
            severity=Severity.WARNING,
        )
    elif not accepted:
        yield env.problem(
            call,
            f"expected HTTP 200 with result true for registered event {event.name!r} {event.version!r}, "
            f"received HTTP {call.status} {str(call.body)[:200]}",
        )
    elif env.stored_events is not None and not _stored(env.stored_events(), call, event):
        yield env.problem(call, f"event {event.name!r} {event.version!r} was accepted but the tenant did not store it")


def _stored(stored: list[dict[str, Any]], call: Call, event: RegisteredEvent) -> bool:
    """Whether the accepted event is among ``stored``, under the id its answer gave, as it was sent."""
    data = call.body.get("data") if isinstance(call.body, dict) else None
    event_id = data.get("eventId") if isinstance(data, dict) else None
    sent = (event.topic, event.name, event.version, event.example if event.example is not None else {})
    return any(
        (s.get("id"), s.get(TOPIC_NAME), s.get(EVENT_NAME), s.get(EVENT_VERSION), s.get("payload")) == (event_id, *sent)
        for s in stored
    )


@scenario_check(
    "CT222",
    name="framework-wrong-secret-refused",
    api="events-framework",
    operations={FRAMEWORK_EVENT},
    needs=lambda s: Needs(2),
)
def framework_wrong_secret_refused(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """An event sent with a wrong shared secret, or without one, is refused with HTTP 401.

    ## Why
    Gainsight's Events API page: the shared secret is what controls access to the API. A tenant that
    takes events without it lets anyone trigger its rules and programs. Gainsight's data APIs may refuse
    a malformed credential header with 400 ``GSOBJ_1024`` instead: that refusal counts too.
    """
    event = _registered(env)
    if event is None:
        return
    for label, secret in (("a wrong shared secret", env.wrong_key), ("no shared secret", _DROP)):
        call = _publish(env, event, "CT222", **{SHARED_SECRET: secret})
        code = _code(call)
        if call.status != 401 and not (call.status == 400 and code == KEY_REFUSAL_CODE):
            yield env.problem(call, f"expected HTTP 401 for an event with {label}, received HTTP {call.status}")
        elif env.strict and call.status == 401 and code != UNAUTHORIZED:
            yield env.problem(call, f"expected errorCode {UNAUTHORIZED} with {label}, received {code!r}", code=code)


@scenario_check(
    "CT223",
    name="framework-unregistered-event-refused",
    api="events-framework",
    operations={FRAMEWORK_EVENT},
    needs=lambda s: Needs(2),
)
def framework_unregistered_event_refused(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """An event whose name or version is not registered is refused with a 4xx (on the mock, 400 ``GSOBJ_1002``).

    ## Why
    Gainsight's Events Framework page: events are created under a topic before a publisher sends them.
    A tenant that takes an event it does not know gives the publisher no sign that nothing subscribes to
    it. The names used carry the run's prefix, so no real registration can match them.
    """
    event = _registered(env)
    if event is None:
        return
    for label, header, value in (
        ("an unregistered event name", EVENT_NAME, f"{env.prefix}unregistered"),
        ("an unregistered version", EVENT_VERSION, f"{env.prefix}0"),
    ):
        call = _publish(env, event, "CT223", **{header: value})
        code = _code(call)
        if env.strict and (call.status != 400 or code != VALUE_NOT_ALLOWED):
            yield env.problem(
                call,
                f"expected HTTP 400 with errorCode {VALUE_NOT_ALLOWED} for {label}, "
                f"received HTTP {call.status} with {code!r}",
                code=code,
            )
        elif not env.strict and not 400 <= call.status < 500:
            yield env.problem(call, f"expected a 4xx refusal of {label}, received HTTP {call.status}")
