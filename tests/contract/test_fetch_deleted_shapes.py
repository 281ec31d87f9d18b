"""The round-trip scenario (CT203) reads fetch deleted's undocumented answer in each shape a tenant may use.

The Timeline document shows no answer for fetch deleted. gscontract's mock answers Gainsight's deleted-record
log shape (``RecordId``, ``DeletedOn``, ``ObjectName``, plus ``ExternalId``); a tenant may leave the
ExternalId out, or name the activity ``Gsid`` as gscontract's mock once did. Each must pass, and a tenant
that forgets the deletion must still fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from broken import rewrite
from conftest import KEY, mock_app

from gscontract.contract import ContractOptions, run_contract
from gscontract.contract.transport.asgi import ASGIApp, Scope
from gscontract.findings import Severity

pytestmark = pytest.mark.slow

DELETED = re.compile(r"^/v1/ant/es/activity/deleted$")


def _answering(edit: Callable[[dict[str, Any]], dict[str, Any] | None]) -> ASGIApp:
    """The mock, with each fetch-deleted record replaced by ``edit(record)`` (``None`` drops it)."""

    async def change(parsed: Any, inner: ASGIApp, scope: Scope) -> None:
        data = parsed.get("data") if isinstance(parsed, dict) else None
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            edited = (edit(r) for r in data["records"])
            data["records"] = [r for r in edited if r is not None]

    return rewrite(mock_app(), "POST", DELETED, change)


SHAPES: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "the-mock": lambda r: r,
    "deleted-record-log": lambda r: {k: r[k] for k in ("RecordId", "DeletedOn", "ObjectName")},
    "gsid": lambda r: {"Gsid": r["RecordId"], "ExternalId": r["ExternalId"], "DeletedDate": r["DeletedOn"]},
}


def _round_trip_errors(app: ASGIApp) -> list[str]:
    options = ContractOptions(access_key=KEY, seed=5, apis=("timeline",), phases=("scenarios",), max_examples=2)
    run = run_contract(options, app=app)
    return [f.message for f in run.report.findings() if f.rule == "CT203" and f.severity is Severity.ERROR]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_of_a_deletion_passes_the_round_trip(shape: str) -> None:
    assert _round_trip_errors(_answering(SHAPES[shape])) == []


def test_a_tenant_that_lists_no_deletion_fails_the_round_trip() -> None:
    messages = _round_trip_errors(_answering(lambda r: None))

    assert any("among the deletions, received none" in m for m in messages), messages
