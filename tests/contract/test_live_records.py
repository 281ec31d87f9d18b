"""What a live run does to the records it sends and remembers of them: the ExternalId prefix, the journal."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from conftest import KEY, mock_app

from gscontract.contract.checks import CheckContext
from gscontract.contract.engine.bridge import RunHooks, register_with_schemathesis
from gscontract.contract.transport.guard import Seen
from gscontract.contract.transport.journal import Journal

PREFIX = "gsc-run1-"


def _save(body: Any) -> Any:
    app = mock_app(job_start_delay=0.0)
    app.gsc_hooks = RunHooks(context=CheckContext(strict=False), prefix=PREFIX)
    register_with_schemathesis()
    operation = schemathesis.openapi.from_asgi("/openapi/timeline.yaml", app)["/v1/ant/es/activity"]["POST"]
    return operation.Case(body=body).call(headers={"accesskey": KEY})


def _record(external_id: Any) -> dict[str, Any]:
    return {
        "ContextName": "Company",
        "TypeName": "Update",
        "ExternalId": external_id,
        "Subject": "Kick-off",
        "Notes": "Agenda",
        "Author": "testuser@gainsight.com",
        "GsCompanyId": "1P02G76AI7KS5P406VQB2PSRVO1OD4EC163O",
    }


def test_a_sent_external_id_gets_the_runs_prefix() -> None:
    answer = _save({"records": [_record("e1")]}).json()

    assert list(answer["data"]["success"]) == [f"{PREFIX}x-e1"]


@pytest.mark.parametrize("blank", ["", " \t\n"])
def test_a_blank_external_id_stays_blank_so_it_is_refused_as_missing(blank: str) -> None:
    # With a prefix it would be a valid id: CT202's missing-ExternalId payload would be saved instead.
    answer = _save({"records": [_record(blank)]}).json()

    (items,) = answer["data"]["failures"].values()
    assert [item["errorCode"] for item in items] == ["GS_TL_10_0202"]


@pytest.mark.parametrize("records", [True, 5, "records", None, {"ExternalId": "e1"}])
def test_a_body_whose_records_are_not_a_list_is_sent_as_it_is(records: Any) -> None:
    response = _save({"records": records, "lookups": {}})

    assert response.status_code == 400


@pytest.mark.parametrize("records", [False, True, 5, "records", None, {"ExternalId": f"{PREFIX}x-e1"}])
def test_the_journal_reads_records_only_from_a_list(records: Any) -> None:
    # A generated save with "records": false crashed the stateful phase of a live run (CT100).
    journal = Journal(PREFIX)
    request = json.dumps({"records": records}).encode()

    journal.observe(Seen("POST", "/v1/ant/es/activity", 400, request, b'{"result": false}'))

    assert journal.external_ids == set()


def test_the_journal_remembers_the_prefixed_ids_sent_and_the_activities_saved() -> None:
    journal = Journal(PREFIX)
    sent = {"records": [_record(f"{PREFIX}x-e1"), _record("not-ours"), "junk"]}
    answer = {
        "result": True,
        "data": {"success": {f"{PREFIX}x-e1": [{"activityId": "1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"}]}},
    }

    journal.observe(Seen("POST", "/v1/ant/es/activity", 200, json.dumps(sent).encode(), json.dumps(answer).encode()))

    assert journal.external_ids == {f"{PREFIX}x-e1"}
    assert journal.gsids == {"1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"}
