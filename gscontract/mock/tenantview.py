"""The mock's answers to the rules' tenant questions, read from the open transaction and the reference data.

Tenant-only rules (duplicate ExternalIds against saved data, updates that match nothing, lookups that
find nothing) run inside the write transaction that saves the records, so their answers cannot be
overtaken by a concurrent request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..tenantdata import TenantData
from .store import Tx

__all__ = ["StoreTenant"]


class StoreTenant:
    """A :class:`gscontract.tenant.Tenant` over one transaction of the mock's store."""

    __slots__ = ("_data", "_tx")

    def __init__(self, tx: Tx, data: TenantData) -> None:
        self._tx = tx
        self._data = data

    def external_id_exists(self, external_id: str) -> bool | None:
        """Whether a saved activity has this ExternalId."""
        return self._tx.external_id_exists(external_id)

    def activity_exists(self, *, identifier: str, value: str) -> bool | None:
        """Whether a saved activity matches ``value`` by ``externalid`` or ``activityid``."""
        if identifier == "externalid":
            return self._tx.external_id_exists(value)
        return self._tx.activity_by_gsid(value) is not None

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        """Gsids of the reference entities whose fields equal ``criteria``."""
        return self._data.find(object_name, criteria)
