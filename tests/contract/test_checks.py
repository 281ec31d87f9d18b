"""The Gainsight response checks as pure functions, and the registry every check lives in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gscontract.contract import scenarios  # noqa: F401 - registers every check
from gscontract.contract.checks import CHECKS, CheckContext, CheckKind, Exchange, get_check

STRICT = CheckContext(strict=True, documented_codes=frozenset({"GS_TL_10_0202", "GS_TL_10_0107", "GS_APIG_2401"}))
LENIENT = CheckContext(strict=False, documented_codes=STRICT.documented_codes)
JOB = "e0413b58-b38c-47e9-a303-9a8f80824fbb"


def run(check_id: str, ctx: CheckContext = STRICT, **fields: Any) -> list[str]:
    check = CHECKS[check_id]
    assert check.func is not None
    return [p.message for p in check.func(Exchange(**fields), ctx)]


def save(records: list[Any], data: Any, status: int = 200) -> dict[str, Any]:
    return {
        "operation": "POST /v1/ant/es/activity",
        "path": "/v1/ant/es/activity",
        "status": status,
        "request_body": {"records": records},
        "body": {"result": True, "data": data},
    }


def test_registry_ids_names_and_docs() -> None:
    for check_id, check in CHECKS.items():
        assert re.fullmatch(r"CT[1-9]\d\d", check_id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", check.name)
        assert check.summary, check_id
        assert "## Why" in check.doc, check_id
    assert {c.kind for c in CHECKS.values()} == set(CheckKind)
    assert get_check("documented-error-code").id == "CT105"
    assert get_check("ct301").name == "not-a-server-error"


def test_ct101_accepts_records_filed_under_their_keys() -> None:
    records = [{"ExternalId": "a"}, {"Subject": "no id"}, {"ExternalId": "a"}]
    data = {"success": {"a": [{"activityId": "X"}]}, "failures": {"records[1]": [{}], "a": [{}]}}
    assert run("CT101", **save(records, data)) == []


def test_ct101_reports_unknown_keys_and_unanswered_records() -> None:
    records = [{"ExternalId": "a"}, {"ExternalId": "b"}]
    messages = run("CT101", **save(records, {"success": {"a": []}, "failures": {"zzz": []}}))
    assert any("'zzz'" in m and "names no record" in m for m in messages)
    assert any("record 1" in m and "'b'" in m for m in messages)


def test_ct101_events_bulk_counts_and_index_keys() -> None:
    fields = {
        "operation": "POST /v1/events/bulk",
        "path": "/v1/events/bulk",
        "status": 200,
        "request_body": {"records": [{}, {}]},
    }
    good = {"result": True, "data": {"successCount": 1, "failureCount": 1, "failures": {"1": [{}]}}}
    bad = {"result": True, "data": {"successCount": 2, "failureCount": 1, "failures": {"7": [{}]}}}
    assert run("CT101", **fields, body=good) == []
    messages = run("CT101", **fields, body=bad)
    assert any("'7'" in m for m in messages)
    assert any("= 2 records sent" in m for m in messages)


def test_ct102_result_and_errors() -> None:
    assert run("CT102", operation="X", path="/", status=401, body={"result": False, "errorDesc": "no"}) == []
    assert run("CT102", operation="X", path="/", status=401, body={"result": True})[0].startswith(
        "expected result false with HTTP 401"
    )
    assert "errorDesc or message" in run("CT102", operation="X", path="/", status=200, body={"result": False})[0]
    assert (
        "no errorCode" in run("CT102", operation="X", path="/", status=200, body={"result": True, "errorCode": "E"})[0]
    )


def test_ct102_job_counts_match_maps() -> None:
    body = {"result": True, "data": {"successCount": 2, "successes": {"a": []}, "failedCount": 0, "failures": {}}}
    messages = run(
        "CT102",
        operation="GET /v1/ant/es/job/status/{jobId}",
        path=f"/v1/ant/es/job/status/{JOB}",
        status=200,
        body=body,
    )
    assert messages == ["expected successCount to equal the 1 records of data.successes, received 2"]


def test_ct103_tickets_and_status() -> None:
    ticket = {
        "result": True,
        "data": {"jobId": JOB, "status": "SUBMITTED", "jobStatusEndPoint": f"ant/es/job/status/{JOB}"},
    }
    op = "POST /v1/ant/es/activity/bulk"
    assert run("CT103", operation=op, path="/v1/ant/es/activity/bulk", status=200, body=ticket) == []
    bad = {"result": True, "data": {"jobId": "42", "status": "DONE"}}
    messages = run("CT103", operation=op, path="/v1/ant/es/activity/bulk", status=200, body=bad)
    assert len(messages) == 2
    assert "UUID" in messages[0]
    assert "'DONE'" in messages[1]
    status_op = "GET /v1/ant/es/job/status/{jobId}"
    other = "11111111-2222-3333-4444-555555555555"
    wrong_job = {"result": True, "data": {"jobId": other, "status": "COMPLETED"}}
    assert (
        "status of job"
        in run("CT103", operation=status_op, path=f"/v1/ant/es/job/status/{JOB}", status=200, body=wrong_job)[0]
    )


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"status": "ABORTED", "message": "Job has been aborted"}, True),
        ({"status": "COMPLETED", "message": "Job could not be aborted"}, True),
        ({"status": "COMPLETED", "message": "Job has been aborted"}, False),
        ({"status": "ABORTED", "message": "Job could not be aborted"}, True),
        ({"status": "SUBMITTED", "message": "Job has been aborted"}, False),
        ({"status": "WHATEVER", "message": "Job could not be aborted"}, False),
    ],
)
def test_ct104_abort_answers(data: dict[str, Any], ok: bool) -> None:
    fields = {"operation": "PUT /v1/ant/es/job/abort/{jobId}", "path": f"/v1/ant/es/job/abort/{JOB}", "status": 200}
    assert (run("CT104", **fields, body={"result": True, "data": data}) == []) is ok


def test_ct104_unknown_job_is_fine() -> None:
    fields = {"operation": "PUT /v1/ant/es/job/abort/{jobId}", "path": "/v1/ant/es/job/abort/x", "status": 200}
    assert run("CT104", **fields, body={"result": False, "message": "Incorrect job id", "data": None}) == []


def test_ct105_undocumented_codes_and_string_items() -> None:
    body = {"result": True, "data": {"failures": {"a": [{"errorCode": "GS_TL_10_9999"}, "No record found"]}}}
    strict = run("CT105", operation="X", path="/", status=200, body=body)
    assert any("'GS_TL_10_9999'" in m for m in strict)
    assert any("plain string" in m for m in strict)
    lenient = run("CT105", LENIENT, operation="X", path="/", status=200, body=body)
    assert len(lenient) == 1
    top = run("CT105", operation="X", path="/", status=401, body={"result": False, "errorCode": "GS_APIG_2401"})
    assert top == []


def test_ct106_retry_after() -> None:
    assert run("CT106", operation="X", path="/", status=429, headers={"retry-after": "3"}) == []
    assert run("CT106", operation="X", path="/", status=429) == [
        "expected a Retry-After header with HTTP 429, received none"
    ]
    assert (
        "seconds or an HTTP date"
        in run("CT106", operation="X", path="/", status=429, headers={"retry-after": "later"})[0]
    )
    assert run("CT106", operation="X", path="/", status=200) == []
