"""Hostile bodies, one case each: the mock answers 4xx or 200, never 500, and keeps answering reads.

The cases come from a probe of the mock: deep where-expressions, records nested deep, bodies of many
broken records, and a client that leaves mid-body. The same cases against a real ``gscontract mock``
process are in ``test_mock_hostile_server.py``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
import pytest
from mockkit import KEY, asgi_scope, body, codes, condition, query, record, save, wait_job

from gscontract.contract.transport.mocklog import capture_mock_errors
from gscontract.mock import create_app
from gscontract.mock.expression import MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH
from gscontract.mock.failures import MAX_LISTED_RECORDS, MAX_MESSAGE_CHARS, MAX_PROBLEMS_PER_RECORD
from gscontract.mock.http import MAX_BODY_DEPTH
from gscontract.rules.envelope import MAX_VALUE_DEPTH

READ = "/v1/data/objects/query/activity_timeline"
EVENT = {"eventType": "sample_event", "objectType": "Company", "operation": "INSERT"}


def nested(levels: int) -> Any:
    """A JSON value nested ``levels`` arrays deep."""
    value: Any = 0
    for _ in range(levels):
        value = [value]
    return value


def deep_text(levels: int, *, inside: bytes = b"0") -> bytes:
    """The JSON text of ``levels`` nested arrays (built as text: Python's encoders would recurse)."""
    return b"[" * levels + inside + b"]" * levels


def _still_reads(client: Any, external_id: str = "keep-1") -> None:
    """The mock saves and reads as before (the case left nothing behind that breaks a read)."""
    save(client, record(external_id))
    rows = query(client, ["ExternalId", "Ant__Raw__c"])
    assert external_id in {row["ExternalId"] for row in rows}


def _expression_answer(client: Any, expression: str) -> dict[str, Any]:
    where = {"conditions": [condition("ExternalId", "EQ", "keep-1")], "expression": expression}
    response = client.post(READ, json={"select": ["ExternalId"], "where": where})
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    "expression",
    ["NOT " * 2000 + "A", "(" * 50_000 + "A" + ")" * 50_000, "A OR " * 500 + "A"],
    ids=["2000-nots", "50000-parentheses", "over-long"],
)
def test_an_expression_past_the_limits_answers_200_result_false(client: Any, expression: str) -> None:
    answer = _expression_answer(client, expression)

    assert answer["result"] is False
    assert answer["data"] == {"records": []}
    assert "where.expression" in answer["errorDesc"]
    assert len(answer["errorDesc"]) < 500  # the answer quotes the start of the expression, not all of it
    _still_reads(client)


def test_the_expression_limits_are_inclusive(client: Any) -> None:
    save(client, record("keep-1"))
    at_depth = "NOT " * (MAX_EXPRESSION_DEPTH // 2) + "(" * (MAX_EXPRESSION_DEPTH // 2) + "A" + ")" * 16
    at_length = ("A OR " * 399 + "A").replace(" OR", "     OR", 1)  # padded to exactly 2,000 characters

    assert _expression_answer(client, at_depth)["data"]["records"] == [{"ExternalId": "keep-1"}]
    assert len(at_length) == MAX_EXPRESSION_CHARS
    assert _expression_answer(client, at_length)["data"]["records"] == [{"ExternalId": "keep-1"}]
    assert _expression_answer(client, "NOT " + at_depth)["result"] is False


def test_a_record_nested_past_the_limit_fails_alone_with_gsobj_1002(client: Any) -> None:
    data = save(client, record("deep-1", Ant__Raw__c=nested(MAX_VALUE_DEPTH + 1)), record("flat-1"))

    assert codes(data["failures"], "deep-1") == ["GSOBJ_1002"]
    assert str(MAX_VALUE_DEPTH) in data["failures"]["deep-1"][0]["errorMessage"]
    assert list(data["success"]) == ["flat-1"]
    _still_reads(client)


def test_a_record_at_the_limit_is_saved_and_read_back(client: Any) -> None:
    data = save(client, record("deep-1", Ant__Raw__c=nested(MAX_VALUE_DEPTH)))

    assert list(data["success"]) == ["deep-1"]
    rows = query(client, ["Ant__Raw__c"], condition("ExternalId", "EQ", "deep-1"))
    assert rows == [{"Ant__Raw__c": nested(MAX_VALUE_DEPTH)}]


def test_a_bulk_update_cannot_nest_a_saved_record_past_the_limit(client: Any) -> None:
    save(client, record("deep-1"))
    change = {"ExternalId": "deep-1", "TypeName": "Update", "Subject": "s", "Notes": "n"}
    response = client.put(
        "/v1/ant/es/activity/bulk?identifier=externalid",
        json={"records": [{**change, "Ant__Raw__c": nested(MAX_VALUE_DEPTH + 1)}]},
    )
    job = wait_job(client, response.json()["data"]["jobId"])

    assert job["status"] == "COMPLETED"
    assert codes(job["failures"], "deep-1") == ["GSOBJ_1002"]
    _still_reads(client)


@pytest.mark.parametrize("levels", [252, 254, MAX_BODY_DEPTH, 5000])
def test_a_body_nested_past_the_body_limit_answers_400(client: Any, levels: int) -> None:
    head = orjson.dumps(body(record("deep-1")))
    raw = head.replace(b'"Subject"', b'"Ant__Raw__c":' + deep_text(levels) + b',"Subject"', 1)
    response = client.post("/v1/ant/es/activity", content=raw)

    assert response.status_code == 400, response.text
    assert response.json()["errorDesc"].startswith("request body ")
    _still_reads(client)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        (READ, "POST"),
        ("/v1/ant/es/activity", "DELETE"),
        ("/v1/ant/es/activity/deleted", "POST"),
        ("/v1/events", "POST"),
    ],
)
def test_whole_body_operations_answer_400_to_a_deep_value(client: Any, path: str, method: str) -> None:
    # 120 levels pass the body limit; the schema check and the rules then meet a value ~125 levels deep.
    raw = b'{"select": ["a"], "where": ' + deep_text(120) + b', "filter": ' + deep_text(120) + b"}"
    if method == "DELETE":
        raw = deep_text(120, inside=b'"1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"')
    response = client.request(method, path, content=raw)

    assert response.status_code == 400, response.text
    _still_reads(client)


def test_an_event_payload_nested_past_the_limit_answers_400_gsobj_1002(client: Any) -> None:
    response = client.post("/v1/events", json={**EVENT, "payload": {"a": nested(MAX_VALUE_DEPTH)}})

    assert response.status_code == 400
    assert response.json()["errorCode"] == "GSOBJ_1002"
    assert "/payload" in response.json()["errorDesc"]


def test_a_bulk_event_nested_past_the_limit_fails_alone(client: Any) -> None:
    records = [{**EVENT, "payload": {"a": nested(MAX_VALUE_DEPTH)}}, {**EVENT, "payload": {}}]
    data = client.post("/v1/events/bulk", json={"records": records}).json()["data"]

    assert (data["successCount"], data["failureCount"]) == (1, 1)
    assert codes(data["failures"], "0") == ["GSOBJ_1002"]


def _failure_lists(failures: dict[str, list[dict[str, Any]]]) -> None:
    assert len(failures) == MAX_LISTED_RECORDS
    assert all(0 < len(items) <= MAX_PROBLEMS_PER_RECORD for items in failures.values())


def test_a_single_save_of_20000_empty_records_answers_in_proportion(client: Any) -> None:
    raw = orjson.dumps({"records": [{}] * 20_000})  # 60 KB
    response = client.post("/v1/ant/es/activity", content=raw)

    assert response.status_code == 200
    answer = response.json()
    _failure_lists(answer["data"]["failures"])
    assert answer["data"]["success"] == {}
    assert answer["message"].startswith(f"failures lists {MAX_LISTED_RECORDS} of the 20000 failed records")
    assert "GSOBJ_1007" in answer["message"]
    # Bounded by the listing, not by what was sent: 1,000 records of three short items each.
    assert len(response.content) < MAX_LISTED_RECORDS * MAX_PROBLEMS_PER_RECORD * 150
    _still_reads(client)


def test_a_bulk_job_of_empty_records_lists_at_most_the_cap(client: Any) -> None:
    response = client.post("/v1/ant/es/activity/bulk", content=orjson.dumps({"records": [{}] * 3000}))
    job = wait_job(client, response.json()["data"]["jobId"], timeout=60)
    status = client.get(f"/v1/ant/es/job/status/{job['jobId']}")

    assert (job["status"], job["failedCount"], job["successCount"]) == ("COMPLETED", 3000, 0)
    _failure_lists(job["failures"])
    assert status.json()["message"].startswith(f"failures lists {MAX_LISTED_RECORDS} of the 3000 failed records")
    assert len(status.content) < MAX_LISTED_RECORDS * MAX_PROBLEMS_PER_RECORD * 150
    _still_reads(client)


def test_a_job_under_the_cap_lists_every_failure_and_no_message(client: Any) -> None:
    response = client.post("/v1/ant/es/activity/bulk", json=body(record("ok-1"), {"ExternalId": "bad-1"}))
    job_id = response.json()["data"]["jobId"]
    wait_job(client, job_id)
    answer = client.get(f"/v1/ant/es/job/status/{job_id}").json()

    assert answer["message"] is None
    assert list(answer["data"]["failures"]) == ["bad-1"]
    assert list(answer["data"]["successes"]) == ["ok-1"]


def test_failure_messages_are_cut_to_the_cap(client: Any) -> None:
    gsid = "G" * 50_000
    response = client.put("/v1/ant/es/activity/bulk", json={"records": [{**record("x"), "Gsid": gsid}]})
    job = wait_job(client, response.json()["data"]["jobId"])

    [items] = job["failures"].values()
    assert items
    assert all(len(item["errorMessage"]) <= MAX_MESSAGE_CHARS for item in items)


def test_a_bulk_event_publish_of_broken_events_lists_at_most_the_cap(client: Any) -> None:
    answer = client.post("/v1/events/bulk", content=orjson.dumps({"records": [{}] * 2500})).json()

    assert (answer["data"]["successCount"], answer["data"]["failureCount"]) == (0, 2500)
    _failure_lists(answer["data"]["failures"])
    assert answer["message"].startswith(f"failures lists {MAX_LISTED_RECORDS} of the 2500 failed records")


def _disconnecting_post(app: Any) -> int:
    """POST half a body through the ASGI interface, then report the client gone; return the status answered."""
    messages = [
        {"type": "http.request", "body": b'{"records": [{"ExternalId": ', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"accesskey", KEY.encode()), (b"content-type", b"application/json")]
    asyncio.run(app(asgi_scope(app, "POST", "/v1/ant/es/activity", headers), receive, send))
    return int(sent[0]["status"])


class _Records(logging.Handler):
    """Keeps every record the mock logs."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_client_that_leaves_mid_body_is_one_warning_not_a_bug() -> None:
    app = create_app(access_key=KEY, rate_limits="off", job_start_delay=0)
    logger, seen, reported = logging.getLogger("gscontract.mock"), _Records(), []
    logger.addHandler(seen)
    try:
        with capture_mock_errors(reported.append):
            status = _disconnecting_post(app)
    finally:
        logger.removeHandler(seen)
        app.state.mock.jobs.stop()
        app.state.mock.store.close()

    assert status == 400
    assert [(r.levelno, r.exc_info) for r in seen.records] == [(logging.WARNING, None)]
    assert "disconnected" in seen.records[0].getMessage()
    assert "\n" not in seen.records[0].getMessage()
    assert reported == []  # an embedded contract run does not count it as a mock bug
