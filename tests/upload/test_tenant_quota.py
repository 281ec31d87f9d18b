"""The upload's tenant client keeps to the tenant's own bulk limit and reports every call it spends.

The tenant is scripted (an upstream that answers as a tenant would, headers included), so each test shows
exactly which answer changes what the client does next.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gscontract.contract.transport.budget import ClientLimiter, GroupLimit, QuotaExhausted
from gscontract.contract.transport.upstream import Answer
from gscontract.gainsight.operations import BULK_SAVE
from gscontract.redact import Redactor
from gscontract.upload.tenant import TenantClient


class ScriptedTenant:
    """Answers every bulk submit with a job id and the rate-limit headers it is given."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.calls = 0

    def exchange(self, method: str, target: str, headers: dict[str, str], body: bytes, **_: Any) -> Answer:
        self.calls += 1
        data = {"jobId": f"job-{self.calls}", "status": "SUBMITTED"}
        return Answer(200, dict(self.headers), json.dumps({"data": data, "result": True}).encode())

    def close(self) -> None:
        pass


def _client(tenant: ScriptedTenant, bulk: GroupLimit, *, share: float = 0.5) -> tuple[TenantClient, list[str]]:
    limiter = ClientLimiter({"bulk": bulk}, max_wait=5)
    client = TenantClient("http://127.0.0.1:9", "k", limiter, Redactor(), bulk_share=share, sleep=lambda _: None)
    client._upstream = tenant  # type: ignore[assignment]  # the network is the scripted tenant
    spent: list[str] = []
    client.on_call = spent.append
    return client, spent


def test_a_stricter_limit_header_cuts_the_uploads_share() -> None:
    """The profile allows 6 an hour; the tenant says its limit is 4: the upload keeps to half of it, 2."""
    tenant = ScriptedTenant({"x-ratelimit-limit": "4"})
    client, spent = _client(tenant, GroupLimit(6, 3600.0))
    client.submit(BULK_SAVE, b"{}")
    client.submit(BULK_SAVE, b"{}")
    with pytest.raises(QuotaExhausted) as info:
        client.submit(BULK_SAVE, b"{}")
    assert info.value.group == "bulk"
    assert tenant.calls == 2
    assert spent == ["bulk", "bulk"]


def test_a_looser_limit_header_changes_nothing() -> None:
    """What the upload chose to spend stays its ceiling: a tenant allowing 100 does not raise it."""
    tenant = ScriptedTenant({"x-ratelimit-limit": "100"})
    client, _ = _client(tenant, GroupLimit(1, 3600.0))
    client.submit(BULK_SAVE, b"{}")
    with pytest.raises(QuotaExhausted):
        client.submit(BULK_SAVE, b"{}")
    assert tenant.calls == 1
