"""GS113: JSON Lines files, whose records cannot carry the lookups they need.

A ``.json`` body carries its ``lookups`` beside its ``records``; a ``.jsonl``/``.ndjson`` file holds
records only. The validator supplies such a file's lookups from ``--lookups`` or the configuration, and
reports this rule itself (scope ``source``) once per file when none were given.
"""

from __future__ import annotations

from typing import Any, Final

from ..findings import Severity
from ..payload.kinds import Kind
from . import Rule, Scope, add
from ._helpers import present

COMPANY_LOOKUP_SOURCE: Final = "companyName"
"""The record field every sample's GsCompanyId lookup reads (``"fields": {"companyName": "Name"}``)."""


def needs_company_lookup(record: Any) -> bool:
    """Whether a record names its company only by the field a GsCompanyId lookup resolves."""
    return isinstance(record, dict) and not present(record, "GsCompanyId") and present(record, COMPANY_LOOKUP_SOURCE)


add(
    Rule(
        "GS113",
        "lookups-not-supplied",
        frozenset({Kind.TIMELINE_INSERT}),
        Severity.ERROR,
        Scope.SOURCE,
        None,
        """A JSON Lines file's records name their company by ``companyName``, and no lookups were given.

    ## Why is this bad?
    A record names its company by ``GsCompanyId`` or by ``companyName``, which the body's
    ``GsCompanyId`` lookup resolves (TL206). A ``.json`` body carries its ``lookups`` beside its
    ``records``; a ``.jsonl``/``.ndjson`` file holds records only, so the lookups that will go with them
    at upload must be given to gscontract: ``--lookups FILE`` or ``lookups`` in ``[tool.gscontract]``
    (one file, or a table of glob = file like ``kinds``). The file is a JSON object of lookups, or a
    body whose ``lookups`` member is one. Without them this is reported once for the file, at its first
    such record, instead of a TL206 error on every line.

    ## Example
    ```jsonl timeline-insert
    {"ContextName": "Company", "TypeName": "Call", "ExternalId": "a1", "Subject": "s", "Notes": "n"}
    {"ContextName": "Company", "TypeName": "Call", "ExternalId": "a2", "companyName": "Acme Ltd"}
    ```

    Use instead:
    ```json
    {"GsCompanyId": {"fields": {"companyName": "Name"}, "lookupField": "Gsid", "objectName": "Company",
                     "multiMatchOption": "FIRSTMATCH", "onNoMatch": "ERROR"}}
    ```
    in ``lookups.json``, given with ``--lookups lookups.json``.
    """,
    )
)
