"""What a live run created, gathered from the answers the guard passes back (one of its observers).

Activity ids a save returns, job ids a bulk save returns, and the prefixed ExternalIds the run sent: what
cleanup (:mod:`gscontract.contract.engine.cleanup`) deletes at the end of the run.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ...gainsight.operations import BULK_SAVE, BULK_UPDATE, DELETE, SAVE, for_request
from .guard import Seen

__all__ = ["Journal"]

_SAVES = frozenset({SAVE, BULK_SAVE, BULK_UPDATE})


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Journal:
    """What a live run created, gathered from the answers the guard saw."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.gsids: set[str] = set()
        self.jobs: set[str] = set()
        self.external_ids: set[str] = set()
        self.deleted: set[str] = set()
        self._lock = threading.Lock()

    def observe(self, seen: Seen) -> None:
        """Note what one answered request created or deleted (saves, bulk saves and updates, deletes)."""
        documented = for_request(seen.method, seen.path)
        name = documented.name if documented is not None else None
        if name != DELETE and name not in _SAVES:
            return
        sent, answer = _json(seen.request_body), _json(seen.response_body)
        with self._lock:
            if name == DELETE:
                if isinstance(answer, list):
                    echoed = {str(g) for g in answer}
                    self.gsids.difference_update(echoed)
                    self.deleted.update(echoed)
                return
            records = sent.get("records") if isinstance(sent, dict) else None
            # A generated body may hold anything under "records" (false, 5): only a list has records.
            for record in records if isinstance(records, list) else []:
                external_id = record.get("ExternalId") if isinstance(record, dict) else None
                if isinstance(external_id, str) and external_id.startswith(self.prefix):
                    self.external_ids.add(external_id)
            data = answer.get("data") if isinstance(answer, dict) and seen.status == 200 else None
            if not isinstance(data, dict):
                return
            if isinstance(data.get("jobId"), str):
                self.jobs.add(data["jobId"])
            for items in (data.get("success") or {}).values() if isinstance(data.get("success"), dict) else []:
                for item in items if isinstance(items, list) else []:
                    gsid = item.get("activityId") if isinstance(item, dict) else item
                    if isinstance(gsid, str):
                        self.gsids.add(gsid)
