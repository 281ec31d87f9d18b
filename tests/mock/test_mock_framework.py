"""The Events Framework's publish call on the mock: credentials, registrations, payload schemas, storage.

The RudderStack tests send the request exactly as RudderStack's Gainsight destination builds it in its
own tests (rudderlabs/rudder-transformer, test/integrations/destinations/gainsight/processor/data.ts,
the track case): headers and body as there, the domain replaced by the mock's address.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from mockkit import MockProcess

from gscontract.gainsight.codes import INVALID_PATH, REQUIRED_MISSING, UNAUTHORIZED, VALUE_NOT_ALLOWED
from gscontract.specfiles import load_spec
from gscontract.tenants.reference import demo_tenant, parse_tenant

PATH = "/v1.0/api/eventManager/event"
SECRET = "pub-Sh4red-S3cret-71ac"

# RudderStack's track request for event "Ticket Resolved" mapped to "Ticket Resolved Event" 1.0.0.
RUDDERSTACK_HEADERS = {
    "Accesskey": "sample-access-key",
    "tenantId": "sample-tenant-id",
    "sharedSecret": "sample-shared-secret",
    "Content-Type": "application/json",
    "topicName": "Ticket Actions",
    "eventName": "Ticket Resolved Event",
    "eventVersion": "1.0.0",
}
RUDDERSTACK_BODY = {"ticketId": "sample-ticket-id", "actionEmail": "sample@email.com", "status": "resovled"}


def _publisher_tenant(tmp_path: Path) -> Path:
    """The demo tenant's registrations under RudderStack's test tenant id."""
    demo = json.loads((Path(__file__).resolve().parents[2] / "gscontract/data/demo_tenant.json").read_text())
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps({"tenantId": "sample-tenant-id", "eventTopics": demo["eventTopics"]}))
    return path


def test_a_rudderstack_request_is_accepted_and_a_wrong_secret_refused(tmp_path: Path) -> None:
    tenant = _publisher_tenant(tmp_path)
    with (
        MockProcess("--shared-secret", "sample-shared-secret", "--tenant", str(tenant)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        accepted = client.post(PATH, headers=RUDDERSTACK_HEADERS, content=json.dumps(RUDDERSTACK_BODY))
        wrong = client.post(
            PATH, headers={**RUDDERSTACK_HEADERS, "sharedSecret": "not-the-secret"}, json=RUDDERSTACK_BODY
        )

    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["result"] is True
    assert wrong.status_code == 401
    assert wrong.json()["errorCode"] == UNAUTHORIZED
    assert "sample-shared-secret" not in server.stdout + server.stderr


@pytest.fixture
def publish(make_client: Callable[..., Any]) -> Callable[..., Any]:
    client = make_client(shared_secret=SECRET)

    def send(body: Any = None, **headers: str) -> Any:
        sent = {
            "sharedSecret": SECRET,
            "tenantId": demo_tenant().framework.tenant_id or "",
            "topicName": "sample_topic",
            "eventName": "sample_event",
            "eventVersion": "v01",
            **headers,
        }
        sent = {k: v for k, v in sent.items() if v != "$drop"}
        return client.post(PATH, headers=sent, json={"hello": "world"} if body is None else body)

    send.client = client  # type: ignore[attr-defined]
    return send


def test_an_accepted_event_is_stored_with_its_headers(publish: Any) -> None:
    answer = publish(contractId="c-1")

    assert answer.status_code == 200
    stored = publish.client.app.state.mock.store.framework_events()
    assert [(e["id"], e["eventName"], e["contractId"], e["payload"]) for e in stored] == [
        (answer.json()["data"]["eventId"], "sample_event", "c-1", {"hello": "world"})
    ]


@pytest.mark.parametrize(
    "headers",
    [{"sharedSecret": "wrong"}, {"sharedSecret": "$drop"}, {"tenantId": "other-tenant"}, {"tenantId": "$drop"}],
    ids=["wrong-secret", "no-secret", "wrong-tenant", "no-tenant"],
)
def test_wrong_credentials_answer_401_and_store_nothing(publish: Any, headers: dict[str, str]) -> None:
    answer = publish(**headers)

    assert (answer.status_code, answer.json()["errorCode"]) == (401, UNAUTHORIZED)
    assert publish.client.app.state.mock.store.framework_events() == []


def test_the_access_key_is_not_needed(publish: Any) -> None:
    publish.client.headers.pop("accesskey")

    assert publish().status_code == 200


@pytest.mark.parametrize(
    ("headers", "body", "code", "where"),
    [
        ({"topicName": "Other"}, None, VALUE_NOT_ALLOWED, "topicName"),
        ({"eventVersion": "v02"}, None, VALUE_NOT_ALLOWED, "eventName"),
        ({"eventName": "$drop"}, None, REQUIRED_MISSING, "eventName"),
        ({}, {"hello": 1}, VALUE_NOT_ALLOWED, "payload/hello"),
        ({}, ["hello"], VALUE_NOT_ALLOWED, "payload"),
    ],
    ids=["unknown-topic", "unknown-version", "no-event-name", "schema", "not-an-object"],
)
def test_a_refused_event_answers_400_with_its_code(
    publish: Any, headers: dict[str, str], body: Any, code: str, where: str
) -> None:
    answer = publish(body, **headers)

    assert (answer.status_code, answer.json()["errorCode"]) == (400, code)
    assert where in answer.json()["errorDesc"]
    assert publish.client.app.state.mock.store.framework_events() == []


def test_another_version_segment_is_not_an_api(publish: Any) -> None:
    credentials = {"sharedSecret": SECRET, "tenantId": "demo-tenant-id"}
    answer = publish.client.post("/v2/api/eventManager/event", headers=credentials, json={"hello": "world"})

    assert (answer.status_code, answer.json()["errorCode"]) == (404, INVALID_PATH)


def test_each_publish_counts_against_the_minute_and_the_day(make_client: Callable[..., Any]) -> None:
    client = make_client(shared_secret=SECRET, rate_limits="framework=5/minute,frameworkdaily=2/day")
    headers = {
        "sharedSecret": SECRET,
        "tenantId": "demo-tenant-id",
        "topicName": "sample_topic",
        "eventName": "sample_event",
        "eventVersion": "v01",
    }
    statuses = [client.post(PATH, headers=headers, json={"hello": "world"}) for _ in range(3)]

    # Within the minute's 5 calls, the day's 2 are spent first: the daily window answers the refusal.
    assert [a.status_code for a in statuses] == [200, 200, 429]
    assert statuses[0].headers["X-RateLimit-Limit"] == "5"
    assert statuses[2].headers["X-RateLimit-Limit"] == "2"
    assert int(statuses[2].headers["Retry-After"]) > 60


def test_a_tenant_that_registers_nothing_refuses_every_event(make_client: Callable[..., Any]) -> None:
    client = make_client(shared_secret=SECRET, tenant=parse_tenant({"tenantId": "t-1"}))
    headers = {"sharedSecret": SECRET, "tenantId": "t-1", "topicName": "a", "eventName": "b", "eventVersion": "1"}

    answer = client.post(PATH, headers=headers, json={})

    assert (answer.status_code, answer.json()["errorCode"]) == (400, VALUE_NOT_ALLOWED)


# Each request example of the spec, with the demo tenant's registration it belongs to.
SPEC_EXAMPLES = {
    "sampleEvent": ("sample_topic", "sample_event", "v01"),
    "systemAssetEvent": ("sample_topic", "system_asset_event", "v01"),
    "ticketResolved": ("Ticket Actions", "Ticket Resolved Event", "1.0.0"),
}


def test_every_request_example_of_the_spec_is_accepted_by_the_demo_tenant(publish: Any) -> None:
    operation = load_spec("events-framework")["paths"]["/{version}/api/eventManager/event"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(examples) == sorted(SPEC_EXAMPLES)

    for name, (topic, event, version) in SPEC_EXAMPLES.items():
        answer = publish(examples[name]["value"], topicName=topic, eventName=event, eventVersion=version)
        assert answer.status_code == 200, (name, answer.text)
