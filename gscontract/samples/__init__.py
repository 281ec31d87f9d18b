"""The Timeline document's request samples, their JSON fixed, plus Events API samples built from the spec.

Each file is named after its kind (and, for updates, its identifier) so ``gscontract validate`` and
``gscontract run`` know what it is (docs/decisions.md#set-up-ci-and-tools):

* ``timeline-insert.single.json``, ``timeline-insert.bulk.json``: the single and bulk save samples
  (the bulk one had a trailing comma after ``companyName`` in its third record, removed);
* ``timeline-update.externalid.bulk.json``: the update sample, matched by ExternalId (its second record
  had a trailing comma after ``GsRelationshipId``, removed);
* ``timeline-delete.json``, ``timeline-deleted-filter.json``, ``timeline-query.json``: as printed;
* ``event.json``, ``events-bulk.json``: the Events spec documents no request sample; these use its
  ``EventInput`` fields with the Events page's ``{"hello": "world"}`` body and system asset event.

The samples share ExternalIds (the single and bulk saves both use ``16f0383a...``), so each is
validated on its own: together, the second insert file would meet the first's saved record (0107).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["sample_paths"]


def sample_paths() -> list[Path]:
    """The bundled sample files, sorted by name."""
    folder = resources.files(__name__)
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".json"))
