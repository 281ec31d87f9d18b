"""Gainsight's documented error codes and what each one means.

The Timeline document's error table and samples give the ``GS_TL_`` codes. Where it gives none,
gscontract uses the generic codes of Gainsight's data APIs (``GSOBJ_``), and HTTP-level errors carry
the data APIs' codes too. Rules name their code in their registration; a test holds every rule's code,
and the spec's ``ErrorCode`` table, to this list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ACTIVITY_ID_MISSING",
    "ACTIVITY_TYPE_MISSING",
    "CODES",
    "CONTEXT_ID_MISSING",
    "CONTEXT_NAME_MISSING",
    "CONTEXT_NAME_MISSING_SAMPLE",
    "DATE_INVALID",
    "DATE_TIME_INVALID",
    "EXTERNAL_ID_EXISTS",
    "EXTERNAL_ID_MISSING",
    "EXTERNAL_ID_REPEATED",
    "INVALID_AUTH_HEADERS",
    "INVALID_PATH",
    "NO_MATCH",
    "RELATIONSHIP_MISSING",
    "RELATIONSHIP_TYPE_MISSING",
    "REQUIRED_MISSING",
    "TOO_LONG",
    "UNAUTHORIZED",
    "VALUE_NOT_ALLOWED",
    "codes_for",
]

EXTERNAL_ID_MISSING: Final = "GS_TL_10_0202"
ACTIVITY_ID_MISSING: Final = "GS_TL_10_0110"
ACTIVITY_TYPE_MISSING: Final = "GS_TL_10_0203"
EXTERNAL_ID_EXISTS: Final = "GS_TL_10_0107"
EXTERNAL_ID_REPEATED: Final = "GS_TL_10_0108"
CONTEXT_NAME_MISSING_SAMPLE: Final = "GS_TL_10_0206"
CONTEXT_NAME_MISSING: Final = "GS_TL_10_0211"
CONTEXT_ID_MISSING: Final = "GS_TL_10_0213"
RELATIONSHIP_MISSING: Final = "GS_TL_10_0214"
RELATIONSHIP_TYPE_MISSING: Final = "GS_TL_10_0215"
DATE_TIME_INVALID: Final = "GS_TL_10_0222"
DATE_INVALID: Final = "GS_TL_10_0223"
TOO_LONG: Final = "GSOBJ_1001"
VALUE_NOT_ALLOWED: Final = "GSOBJ_1002"
REQUIRED_MISSING: Final = "GSOBJ_1007"
NO_MATCH: Final = "GSOBJ_1011"
INVALID_PATH: Final = "GSOBJ_1023"
"""HTTP 404: the path names no API."""
INVALID_AUTH_HEADERS: Final = "GSOBJ_1024"
"""HTTP 400: a live tenant's answer to a missing or malformed access-key header (where others answer 401)."""
UNAUTHORIZED: Final = "GS_APIG_2401"
"""HTTP 401: the access key is missing or wrong."""

CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        EXTERNAL_ID_MISSING: "ExternalId missing (insert; update with identifier=externalid)",
        ACTIVITY_ID_MISSING: "Activity identifier (`Gsid`) missing on update",
        ACTIVITY_TYPE_MISSING: "Neither TypeName nor ActivityTypeId",
        EXTERNAL_ID_EXISTS: "An activity with this ExternalId exists already",
        EXTERNAL_ID_REPEATED: "The same ExternalId twice in one payload; the first is taken",
        CONTEXT_NAME_MISSING_SAMPLE: "ContextName missing (single-save sample only; the table says 0211)",
        CONTEXT_NAME_MISSING: "ContextName missing",
        CONTEXT_ID_MISSING: '"Context id is missing" (status sample only)',
        RELATIONSHIP_MISSING: "Relationship without RelationshipName and without GsRelationshipId",
        RELATIONSHIP_TYPE_MISSING: "Relationship without GsRelationshipTypeId",
        DATE_TIME_INVALID: "Not an ISO 8601 date-time (ActivityDate or a custom date-time field)",
        DATE_INVALID: "Not an ISO 8601 date, yyyy-MM-dd (custom date field)",
        TOO_LONG: "A value over its maximum length (Subject 255, Notes 32,000)",
        VALUE_NOT_ALLOWED: "A value not allowed for its field or of the wrong type",
        REQUIRED_MISSING: "A required value missing (Subject, Notes, Author, company)",
        NO_MATCH: "No record matches (a lookup with onNoMatch ERROR, or an update's identifier)",
        INVALID_PATH: "Invalid API path (HTTP 404)",
        INVALID_AUTH_HEADERS: "Invalid authorization headers: access key header missing or malformed (HTTP 400)",
        UNAUTHORIZED: "Unauthorized: access key missing or wrong (HTTP 401)",
    }
)
"""Every documented code -> its meaning, as the Timeline spec's ``ErrorCode`` table words it."""

_HTTP_LEVEL: Final = frozenset({INVALID_PATH, INVALID_AUTH_HEADERS, UNAUTHORIZED})
# The Events spec documents no codes of its own: its records fail with the data APIs' generic codes.
_BY_API: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "timeline": frozenset(CODES),
        "events": frozenset({REQUIRED_MISSING, VALUE_NOT_ALLOWED}) | _HTTP_LEVEL,
        # Gainsight's Events API page documents no codes either: the same generic ones.
        "events-framework": frozenset({REQUIRED_MISSING, VALUE_NOT_ALLOWED}) | _HTTP_LEVEL,
    }
)


def codes_for(apis: Iterable[str] = tuple(_BY_API)) -> frozenset[str]:
    """The codes an answer of these APIs may carry and still be documented (every API by default)."""
    return frozenset().union(*(_BY_API.get(api, frozenset()) for api in apis))
