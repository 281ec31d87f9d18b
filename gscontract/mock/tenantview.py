"""The mock's answers to the rules' tenant questions, read from the open transaction and the reference data.

Tenant-only rules (duplicate ExternalIds against saved data, updates that match nothing, lookups that
find nothing) run inside the write transaction that saves the records, so their answers cannot be
overtaken by a concurrent request.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from ..tenants.questions import QUESTIONS
from ..tenants.reference import TenantData
from .statements import Tx

__all__ = ["ReferenceData", "StoreTenant"]


class ReferenceData:
    """The tenant's reference data with lookups memoized: it never changes while the mock runs.

    A save resolves each lookup twice (rule TL505 reports failures, the save stores the values) and
    every record of a bulk job repeats the same few names, so answers are kept (bounded by ``size``).
    """

    def __init__(self, data: TenantData, *, size: int = 8192) -> None:
        self.data = data
        self._find = functools.lru_cache(maxsize=size)(self._uncached)
        self._index = functools.cache(self._uncached_index)
        self._fields = functools.cache(self._uncached_fields)

    def _uncached(self, object_name: str, criteria: tuple[tuple[str, Any], ...]) -> tuple[str, ...]:
        return tuple(self.data.find(object_name, dict(criteria)))

    def by_gsid(self, object_name: str) -> Mapping[str, Mapping[str, Any]]:
        """The rows of an object by Gsid, for reading through a lookup field (``AuthorId__gr.Email``)."""
        return self._index(object_name.lower())

    def fields(self, object_name: str) -> Mapping[str, str]:
        """The field names an object's rows may carry, by case-folded name (see :meth:`TenantData.fields`)."""
        return self._fields(object_name.lower())

    def _uncached_fields(self, object_name: str) -> Mapping[str, str]:
        return {name.casefold(): name for name in sorted(self.data.fields(object_name))}

    def _uncached_index(self, object_name: str) -> Mapping[str, Mapping[str, Any]]:
        return {str(row["Gsid"]): row for row in self.data.rows(object_name) if "Gsid" in row}

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str]:
        """Gsids of the ``object_name`` entities whose fields equal ``criteria``."""
        key = tuple(criteria.items())
        try:
            return self._find(object_name, key)
        except TypeError:  # an unhashable value (an object or a list in the record): not memoized
            return self.data.find(object_name, criteria)


class StoreTenant:
    """A :class:`gscontract.tenants.questions.Tenant` over one transaction of the mock's store."""

    __slots__ = ("_data", "_tx")

    answers = QUESTIONS

    def __init__(self, tx: Tx, data: ReferenceData) -> None:
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
        return self._data.lookup(object_name, criteria)
