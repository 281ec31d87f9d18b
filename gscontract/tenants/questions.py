"""What rules may ask of a tenant's state, so the validator and the mock share the same rules.

The mock answers from its database. The validator has no tenant: its :class:`RunTenant` knows only the
ExternalIds that insert files earlier in the same run will create. An answer of ``None`` means "cannot
tell", and a rule that needs the answer stays silent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

__all__ = ["ACTIVITIES", "EXTERNAL_IDS", "QUESTIONS", "REFERENCE_DATA", "RunTenant", "Tenant"]

EXTERNAL_IDS = "external_id_exists"
ACTIVITIES = "activity_exists"
REFERENCE_DATA = "lookup"
QUESTIONS = frozenset({EXTERNAL_IDS, ACTIVITIES, REFERENCE_DATA})
"""The questions a tenant may answer; a rule names the one it asks (``Rule.tenant_question``)."""


class Tenant(Protocol):
    """Read-only questions about tenant state.

    ``answers`` names the questions (of :data:`QUESTIONS`) this tenant can answer; the engine runs a
    rule only when the tenant answers the rule's question, so a rule never asks in vain per record.
    """

    @property
    def answers(self) -> frozenset[str]:
        """The questions this tenant answers."""

    def external_id_exists(self, external_id: str) -> bool | None:
        """Whether an activity with this ExternalId is saved already."""

    def activity_exists(self, *, identifier: str, value: str) -> bool | None:
        """Whether a saved activity matches ``value`` by ``identifier`` (``externalid``/``activityid``)."""

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        """Gsids of the ``object_name`` entities whose fields equal ``criteria``."""


class RunTenant:
    """The validator's tenant: ExternalIds created by insert files validated earlier in this run."""

    answers = frozenset({EXTERNAL_IDS})

    def __init__(self) -> None:
        self._external_ids: dict[str, str] = {}

    def external_id_exists(self, external_id: str) -> bool | None:
        """Whether an earlier insert file of the run creates this ExternalId."""
        return external_id in self._external_ids

    def first_source(self, external_id: str) -> str | None:
        """The file that first used this ExternalId, for the finding's message."""
        return self._external_ids.get(external_id)

    def activity_exists(self, *, identifier: str, value: str) -> bool | None:
        """Unknown without a tenant."""
        return None

    def lookup(self, object_name: str, criteria: Mapping[str, Any]) -> Sequence[str] | None:
        """Unknown without a tenant's reference data."""
        return None

    def remember(self, external_ids: Sequence[str], source: str) -> None:
        """Record the ExternalIds an insert file will create (the first file to use one keeps it)."""
        for external_id in external_ids:
            self._external_ids.setdefault(external_id, source)
