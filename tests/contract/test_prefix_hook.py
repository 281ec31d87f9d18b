"""The ExternalId prefix a live run gives what it sends, seen by the tenant through schemathesis' hook."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from conftest import KEY, mock_app

from gscontract.contract.bridge import RunHooks, register_with_schemathesis
from gscontract.contract.checks import CheckContext

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
