"""What one scenario request was and what came back, and the signal that the guard did not send it.

Plain values shared by the scenario client that makes them, the scenarios that read them and the readers
of answers (:mod:`.answers`), so none of those needs the client itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Call", "NotSent"]


@dataclass(frozen=True, slots=True)
class Call:
    """One request a scenario made, and what came back."""

    operation: str
    status: int
    body: Any
    curl: str
    skipped: str | None = None
    """Why the guard did not send it (budget, read-only, quota), or ``None`` when it was sent."""

    @property
    def data(self) -> Any:
        """``body["data"]`` when the body is an object, else ``None``."""
        return self.body.get("data") if isinstance(self.body, dict) else None


class NotSent(Exception):
    """The guard did not send a scenario's request; the scenario stops without a verdict."""

    def __init__(self, call: Call) -> None:
        super().__init__(f"{call.operation} not sent ({call.skipped})")
        self.call = call
