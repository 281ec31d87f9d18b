"""What the compliance matrix learns from a run's answers: statuses and documented codes, nothing else."""

from __future__ import annotations

import json

from gscontract.contract.transport.guard import Seen
from gscontract.contract.transport.observed import ObservedCodes


def _answer(status: int, body: object) -> Seen:
    return Seen("POST", "/v1/ant/es/activity", status, b"{}", json.dumps(body).encode())


def test_documented_codes_and_statuses_are_kept_wherever_the_answer_carries_them() -> None:
    observed = ObservedCodes({"GS_APIG_2401", "GSOBJ_1011"})
    observed.observe(_answer(401, {"result": False, "errorCode": "GS_APIG_2401"}))
    observed.observe(_answer(200, {"data": {"failures": {"0": [{"errorCode": "GSOBJ_1011"}]}}}))
    assert observed.codes == ("GSOBJ_1011", "GS_APIG_2401", "HTTP 200", "HTTP 401")


def test_a_code_the_documents_do_not_name_is_not_kept_since_it_is_the_tenants_text() -> None:
    # A hostile tenant echoes the access key as its error code: the matrix must never carry it.
    observed = ObservedCodes({"GS_APIG_2401"})
    observed.observe(_answer(400, {"errorCode": "gsc-KEY-secret", "data": [{"errorCode": "NT"}]}))
    assert observed.codes == ("HTTP 400",)
