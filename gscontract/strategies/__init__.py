"""Hypothesis strategies for Timeline activities and Events inputs, valid and broken one rule at a time.

Valid data is built from a tenant's reference data (the demo tenant by default), so the mock tenant
accepts every record: authors, companies, relationships, attendees and activity types exist there.

* :func:`activity_records` - insert records, valid inside a body whose ``lookups`` is one of
  :func:`lookups` (records may name their company and relationship through lookups);
* :func:`lookups` - the body's ``lookups`` object: the document's five lookups, options varied;
* :func:`insert_payloads` - whole insert bodies (records with unique ExternalIds, and lookups);
* :func:`event_inputs` - Events API ``EventInput`` objects;
* :func:`invalid_activity_records`, :func:`invalid_insert_payloads`, :func:`invalid_event_inputs` -
  valid data mutated to break exactly one rule (one mutator per rule, never ``.filter``), so the rule's
  code is the only error code a tenant should answer; :func:`invalid_rules` lists the rules they know,
  and :data:`LINT_ONLY_RULES` those a tenant is not expected to share (``documented_only=True``).

Options are keyword-only; an unknown rule id raises :class:`ValueError` when the strategy is made.
This package imports hypothesis: it is not on the validator's import path. :mod:`.valid` builds the valid
data, :mod:`.invalid` the broken data, from the building blocks of :mod:`._values`.
"""

from __future__ import annotations

from .invalid import (
    LINT_ONLY_RULES,
    invalid_activity_records,
    invalid_event_inputs,
    invalid_insert_payloads,
    invalid_rules,
)
from .valid import DOCUMENT_LOOKUPS, activity_records, event_inputs, insert_payloads, lookups

__all__ = [
    "DOCUMENT_LOOKUPS",
    "LINT_ONLY_RULES",
    "activity_records",
    "event_inputs",
    "insert_payloads",
    "invalid_activity_records",
    "invalid_event_inputs",
    "invalid_insert_payloads",
    "invalid_rules",
    "lookups",
]
