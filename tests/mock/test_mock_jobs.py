"""Bulk save and bulk update as asynchronous jobs: tickets, lifecycle, abort, status, updates by both identifiers."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from mockkit import body, codes, condition, query, record, save, wait_job

from gscontract.mock import app as app_module
from gscontract.mock.jobs import JobOutcome
from gscontract.mock.statements import JobRow, Tx

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _wait_idle(client: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not client.app.state.mock.jobs.idle():
        assert time.monotonic() < deadline, "the job runner never became idle"
        time.sleep(0.02)


def _submit(client: Any, *records: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/ant/es/activity/bulk", json=body(*records))
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


def _update(client: Any, *records: dict[str, Any], identifier: str | None = None) -> dict[str, Any]:
    url = "/v1/ant/es/activity/bulk" + (f"?identifier={identifier}" if identifier else "")
    response = client.put(url, json=body(*records))
    assert response.status_code == 200, response.text
    return wait_job(client, response.json()["data"]["jobId"])


def test_bulk_save_answers_at_once_with_a_submitted_job_and_endpoint_hints(make_client: Any) -> None:
    client = make_client(job_start_delay=60)

    ticket = _submit(client, record("a1"))

    assert UUID.match(ticket["jobId"])
    assert ticket == {
        "jobId": ticket["jobId"],
        "jobAbortEndPoint": f"ant/es/job/abort/{ticket['jobId']}",
        "jobStatusEndPoint": f"ant/es/job/status/{ticket['jobId']}",
        "status": "SUBMITTED",
    }


def test_a_job_is_not_processed_before_its_start_delay(make_client: Any) -> None:
    client = make_client(job_start_delay=60)
    job_id = _submit(client, record("a1"))["jobId"]

    status = client.get(f"/v1/ant/es/job/status/{job_id}").json()["data"]

    assert status["status"] == "SUBMITTED"
    assert query(client, ["ExternalId"]) == []


def test_a_completed_job_reports_counts_successes_and_failures(client: Any) -> None:
    job_id = _submit(client, record("good"), record("bad", TypeName=...))["jobId"]

    status = wait_job(client, job_id)

    assert status["status"] == "COMPLETED"
    assert (status["successCount"], status["failedCount"]) == (1, 1)
    assert list(status["successes"]) == ["good"]
    assert codes(status["failures"], "bad") == ["GS_TL_10_0203"]


def test_a_completed_job_saved_its_records(client: Any) -> None:
    job_id = _submit(client, record("b1"), record("b2"))["jobId"]
    status = wait_job(client, job_id)

    rows = query(client, ["Gsid", "ExternalId"], orderBy={"ExternalId": "asc"})

    assert [r["ExternalId"] for r in rows] == ["b1", "b2"]
    assert [r["Gsid"] for r in rows] == [status["successes"][k][0]["activityId"] for k in ("b1", "b2")]


def test_a_bulk_job_fails_existing_external_ids_with_0107(client: Any) -> None:
    save(client, record("a1"))

    status = wait_job(client, _submit(client, record("a1"))["jobId"])

    assert codes(status["failures"], "a1") == ["GS_TL_10_0107"]


def test_a_submitted_job_can_be_aborted_and_then_never_runs(make_client: Any) -> None:
    client = make_client(job_start_delay=0.3)
    job_id = _submit(client, record("a1"))["jobId"]

    answer = client.put(f"/v1/ant/es/job/abort/{job_id}").json()

    assert answer == {
        "data": {"message": "Job has been aborted", "status": "ABORTED"},
        "result": True,
        "message": None,
        "additionalInfo": None,
    }
    _wait_idle(client)  # the runner has reached the job's start time and passed it by
    assert wait_job(client, job_id)["status"] == "ABORTED"
    assert query(client, ["ExternalId"]) == []


def test_a_completed_job_cannot_be_aborted(client: Any) -> None:
    job_id = _submit(client, record("a1"))["jobId"]
    wait_job(client, job_id)

    answer = client.put(f"/v1/ant/es/job/abort/{job_id}").json()

    assert answer["result"] is True
    assert answer["data"] == {"message": "Job could not be aborted", "status": "COMPLETED"}


def test_an_unknown_job_id_answers_incorrect_job_id(client: Any) -> None:
    response = client.get("/v1/ant/es/job/status/no-such-job")

    assert response.status_code == 200
    assert response.json() == {"data": None, "result": False, "message": "Incorrect job id", "additionalInfo": None}


def test_aborting_an_unknown_job_answers_incorrect_job_id(client: Any) -> None:
    answer = client.put("/v1/ant/es/job/abort/no-such-job").json()

    assert (answer["result"], answer["message"]) == (False, "Incorrect job id")


def test_an_invalid_bulk_envelope_answers_400_without_a_job(client: Any) -> None:
    response = client.post("/v1/ant/es/activity/bulk", json={"records": "none"})

    assert response.status_code == 400
    assert client.app.state.mock.store.counts()["jobs"] == 0


def test_bulk_update_answers_with_a_job_without_hints(client: Any) -> None:
    save(client, record("a1"))

    response = client.put("/v1/ant/es/activity/bulk?identifier=externalid", json=body(record("a1")))

    assert set(response.json()["data"]) == {"jobId", "status"}
    assert response.json()["data"]["status"] == "SUBMITTED"


def test_update_by_external_id_changes_the_saved_activity(client: Any) -> None:
    save(client, record("a1"))

    status = _update(client, record("a1", Subject="Renamed"), identifier="externalid")

    assert status["successCount"] == 1
    assert query(client, ["Subject"], condition("ExternalId", "EQ", "a1")) == [{"Subject": "Renamed"}]


def test_update_by_activity_id_is_the_default(client: Any) -> None:
    gsid = save(client, record("a1"))["success"]["a1"][0]["activityId"]

    status = _update(client, {"Gsid": gsid, "TypeName": "Update", "Subject": "By id", "Notes": "n"})

    assert list(status["successes"]) == ["records[0]"]
    assert status["successes"]["records[0]"] == [{"activityId": gsid}]
    assert query(client, ["Subject", "ExternalId"]) == [{"Subject": "By id", "ExternalId": "a1"}]


def test_update_by_activity_id_never_changes_the_external_id(client: Any) -> None:
    gsid = save(client, record("a1"))["success"]["a1"][0]["activityId"]

    _update(client, record("other", Gsid=gsid, Subject="x"), identifier="activityid")

    assert query(client, ["ExternalId"]) == [{"ExternalId": "a1"}]


def test_update_keeps_the_fields_it_does_not_send(client: Any) -> None:
    save(client, record("a1", Ant__CustomText__c="kept"))

    _update(client, {"ExternalId": "a1", "TypeName": "Update", "Subject": "s", "Notes": "n"}, identifier="externalid")

    assert query(client, ["Ant__CustomText__c", "Subject"]) == [{"Ant__CustomText__c": "kept", "Subject": "s"}]


def test_update_of_an_unknown_activity_fails_with_gsobj_1011(client: Any) -> None:
    status = _update(client, record("ghost"), identifier="externalid")

    assert codes(status["failures"], "ghost") == ["GSOBJ_1011"]


def test_update_by_activity_id_without_gsid_fails_with_0110(client: Any) -> None:
    save(client, record("a1"))

    status = _update(client, record("a1", Subject="x"))

    assert "GS_TL_10_0110" in codes(status["failures"], "a1")


def test_update_by_external_id_without_one_fails_with_0202(client: Any) -> None:
    status = _update(client, {"TypeName": "Update", "Subject": "s", "Notes": "n"}, identifier="externalid")

    assert "GS_TL_10_0202" in codes(status["failures"], "records[0]")


def test_an_unknown_identifier_answers_400(client: Any) -> None:
    response = client.put("/v1/ant/es/activity/bulk?identifier=email", json=body(record("a1")))

    assert response.status_code == 400
    assert "identifier" in response.json()["errorDesc"]


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Jobs wait for this event after moving to INPROGRESS (the real processing follows)."""
    gate = threading.Event()
    real = app_module.job_processor

    def processor(*args: Any) -> Callable[[JobRow], Callable[[Tx], JobOutcome]]:
        process = real(*args)

        def waiting(job: JobRow) -> Callable[[Tx], JobOutcome]:
            assert gate.wait(10), "the test never opened the gate"
            return process(job)

        return waiting

    monkeypatch.setattr(app_module, "job_processor", processor)
    return gate


def _status(client: Any, job_id: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/ant/es/job/status/{job_id}").json()["data"])


def _wait_for(client: Any, job_id: str, status: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (data := _status(client, job_id))["status"] != status:
        assert time.monotonic() < deadline, f"job is {data['status']}, never {status}"
        time.sleep(0.02)
    return data


def test_a_running_job_is_inprogress_with_no_results_yet(make_client: Any, gated: threading.Event) -> None:
    client = make_client()
    job_id = _submit(client, record("a1"))["jobId"]

    data = _wait_for(client, job_id, "INPROGRESS")
    gated.set()

    assert (data["successCount"], data["failedCount"], data["successes"], data["failures"]) == (0, 0, None, None)
    assert wait_job(client, job_id)["status"] == "COMPLETED"


def test_a_running_job_cannot_be_aborted(make_client: Any, gated: threading.Event) -> None:
    client = make_client()
    job_id = _submit(client, record("a1"))["jobId"]
    _wait_for(client, job_id, "INPROGRESS")

    answer = client.put(f"/v1/ant/es/job/abort/{job_id}").json()
    gated.set()

    assert answer["data"] == {"message": "Job could not be aborted", "status": "INPROGRESS"}
    assert wait_job(client, job_id)["successCount"] == 1


def test_a_job_whose_processing_fails_ends_failed_with_no_results(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Callable[[JobRow], Callable[[Tx], JobOutcome]]:
        def process(job: JobRow) -> Callable[[Tx], JobOutcome]:
            raise RuntimeError("disk on fire")

        return process

    monkeypatch.setattr(app_module, "job_processor", broken)
    client = make_client()

    data = wait_job(client, _submit(client, record("a1"))["jobId"])

    assert data == {
        "jobId": data["jobId"],
        "status": "FAILED",
        "failedCount": 0,
        "successCount": 0,
        "failures": None,
        "successes": None,
    }
    assert query(client, ["ExternalId"]) == []
