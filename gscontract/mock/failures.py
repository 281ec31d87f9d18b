"""Record failures as an answer lists them: capped, so an answer grows with the records sent, not faster.

A single save, a bulk job's status and a bulk event publish list each failed record with its problems.
Uncapped, a body of broken records answers far more than it sent: 300 KB of ``{}`` records fail seven
rules each, and their job status was 68.6 MB. So, as documented in ``docs/mock.md``:

* a record lists at most :data:`MAX_PROBLEMS_PER_RECORD` problems (the first ones found, in rule order);
* a message is cut to :data:`MAX_MESSAGE_CHARS` characters (rule messages may quote what was sent);
* at most :data:`MAX_LISTED_RECORDS` failed records are listed; the others are still failed and counted,
  and :meth:`FailureList.summary` says so and counts their problems by code (the answers put it in their
  ``message``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["MAX_LISTED_RECORDS", "MAX_MESSAGE_CHARS", "MAX_PROBLEMS_PER_RECORD", "FailureList"]

MAX_LISTED_RECORDS: Final = 1000
MAX_PROBLEMS_PER_RECORD: Final = 3
MAX_MESSAGE_CHARS: Final = 300
_NO_CODE: Final = "no code"


def _item(problem: Mapping[str, Any]) -> dict[str, Any]:
    message = str(problem.get("errorMessage", ""))
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 3] + "..."
    return {"errorCode": problem.get("errorCode"), "errorMessage": message}


class FailureList:
    """The failed records of one request or job, keyed as the answer keys them, within the caps above."""

    __slots__ = ("_unlisted", "listed")

    def __init__(self) -> None:
        self.listed: dict[str, list[dict[str, Any]]] = {}
        """What the answer's ``failures`` holds: record key -> ``{"errorCode", "errorMessage"}`` items."""
        self._unlisted: Counter[str] = Counter()

    def add(self, key: str, problems: Iterable[Mapping[str, Any]]) -> None:
        """File problems (``errorCode``/``errorMessage`` items) of the failed record ``key``.

        A key listed already (a repeated ExternalId, another finding on the same event) gets the new
        problems, within the per-record cap; a new key past :data:`MAX_LISTED_RECORDS` is only counted.
        """
        items = self.listed.get(key)
        if items is None:
            if len(self.listed) >= MAX_LISTED_RECORDS:
                self._unlisted.update(str(p.get("errorCode") or _NO_CODE) for p in problems)
                return
            items = self.listed[key] = []
        for problem in problems:
            if len(items) >= MAX_PROBLEMS_PER_RECORD:
                break
            item = _item(problem)
            if item not in items:
                items.append(item)

    def summary(self, failed: int) -> str | None:
        """What the listing leaves out of ``failed`` records, for the answer's ``message``; ``None`` if nothing."""
        if not self._unlisted:
            return None
        codes = ", ".join(f"{code} {count}" for code, count in sorted(self._unlisted.items()))
        return (
            f"failures lists {len(self.listed)} of the {failed} failed records (at most {MAX_LISTED_RECORDS}); "
            f"the problems of the others, by error code: {codes}"
        )
